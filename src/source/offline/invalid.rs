//! What the API server would have refused, found in an object read whole. A dump holding it did
//! not come from a cluster, and a manifest holding it would not be created; the verdicts built on
//! it would be wrong.
//!
//! Every object has a name, and every DaemonSet a selector and a pod template. A quantity that
//! `resource.ParseQuantity` cannot read (`12Zi`, ``) never decodes, and validation refuses a
//! negative request, limit, capacity, allocatable or overhead; the engine would otherwise drop it
//! or read it as 0.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Node, PodSpec, ResourceRequirements};
use k8s_openapi::api::node::v1::RuntimeClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::stream::SlimSpec;
use crate::engine::quantity;
use crate::snapshot::Kind;

/// The field (a path as `typed` names fields; empty: the whole object) and why it is refused.
pub(super) type Refused = (String, String);

/// A node without a name would get a row with an empty name; a pod, a DaemonSet without one
/// could not be told apart from the next.
pub(super) fn name(kind: Kind, name: Option<&str>) -> Result<(), Refused> {
    match name {
        Some(name) if !name.is_empty() => Ok(()),
        _ => Err((
            String::new(),
            format!("{} has no `metadata.name`: every object the API server stores has one", kind.name()),
        )),
    }
}

/// `ValidateDaemonSetSpec`: a selector that selects something, and a pod template. k8s-openapi
/// reads a missing selector or template as an empty one, so the two cannot be told apart.
pub(super) fn daemonset(ds: &DaemonSet) -> Result<(), Refused> {
    let name = ds.metadata.name.as_deref().unwrap_or_default();
    let label = match ds.metadata.namespace.as_deref() {
        Some(namespace) => format!("DaemonSet {namespace}/{name}"),
        None => format!("DaemonSet {name}"),
    };
    let selector = &ds.spec.selector;
    let empty = selector.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && selector.match_expressions.as_ref().is_none_or(|e| e.is_empty());
    if empty {
        let why = "the API server requires a selector that matches the pod template's labels";
        return Err((String::new(), format!("{label} has no `spec.selector` (or an empty one): {why}")));
    }
    match ds.spec.template.spec.as_ref() {
        None => Err((String::new(), format!("{label} has no `spec.template`: the API server requires a pod template"))),
        Some(template) => pod_spec("spec.template.spec", template),
    }
}

fn amounts(path: &str, amounts: Option<&BTreeMap<String, Quantity>>) -> Result<(), Refused> {
    for (name, amount) in amounts.into_iter().flatten() {
        let why = match quantity::milli(&amount.0) {
            Ok(value) if value >= 0 => continue,
            Ok(_) => format!("{:?} must be greater than or equal to 0", amount.0),
            Err(e) => format!("{:?} is {e}", amount.0),
        };
        return Err((format!("{path}.{name}"), why));
    }
    Ok(())
}

fn resources(path: &str, resources: Option<&ResourceRequirements>) -> Result<(), Refused> {
    let Some(resources) = resources else { return Ok(()) };
    amounts(&format!("{path}.resources.requests"), resources.requests.as_ref())?;
    amounts(&format!("{path}.resources.limits"), resources.limits.as_ref())
}

/// A pod's or a pod template's spec, at `path` (`spec`, `spec.template.spec`).
pub(super) fn pod_spec(path: &str, spec: &PodSpec) -> Result<(), Refused> {
    let lists = [("containers", Some(&spec.containers)), ("initContainers", spec.init_containers.as_ref())];
    for (list, containers) in lists {
        for (index, container) in containers.into_iter().flatten().enumerate() {
            resources(&format!("{path}.{list}[{index}]"), container.resources.as_ref())?;
        }
    }
    resources(path, spec.resources.as_ref())?;
    amounts(&format!("{path}.overhead"), spec.overhead.as_ref())
}

/// What a folded pod keeps of its spec: its containers' resources and its overhead.
pub(super) fn slim_spec(spec: &SlimSpec) -> Result<(), Refused> {
    let lists = [("containers", Some(&spec.containers)), ("initContainers", spec.init_containers.as_ref())];
    for (list, containers) in lists {
        for (index, container) in containers.into_iter().flatten().enumerate() {
            resources(&format!("spec.{list}[{index}]"), container.resources.as_ref())?;
        }
    }
    amounts("spec.overhead", spec.overhead.as_ref())
}

pub(super) fn node(node: &Node) -> Result<(), Refused> {
    let status = node.status.as_ref();
    amounts("status.capacity", status.and_then(|s| s.capacity.as_ref()))?;
    amounts("status.allocatable", status.and_then(|s| s.allocatable.as_ref()))
}

pub(super) fn runtime_class(class: &RuntimeClass) -> Result<(), Refused> {
    amounts("overhead.podFixed", class.overhead.as_ref().and_then(|o| o.pod_fixed.as_ref()))
}
