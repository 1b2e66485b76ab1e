//! Images and resources (DS501–DS506) and metadata (DS601).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Container;

use super::{Finding, Outcome, Subject, TEMPLATE_SPEC};
use crate::engine::fit::{milli, request_parts};

pub(super) fn check(subject: &Subject<'_>, out: &mut Outcome) {
    image_mutable_tag(subject, out);
    pull_policy_always_critical_agent(subject, out);
    missing_resource_requests(subject, out);
    missing_memory_limit(subject, out);
    image_not_digest_pinned(subject, out);
    init_container_request_dominates(subject, out);
    namespace_unset(subject, out);
}

/// How an image reference pins what runs.
#[derive(Debug, PartialEq, Eq)]
enum Pin<'a> {
    Digest,
    Tag(&'a str),
    None,
}

fn pin(image: &str) -> Pin<'_> {
    if image.contains('@') {
        return Pin::Digest;
    }
    // The tag follows the last ':' of the last path segment; a ':' before a '/' is a registry port.
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, tag)) => Pin::Tag(tag),
        None => Pin::None,
    }
}

fn images<'a>(subject: &Subject<'a>) -> impl Iterator<Item = (String, &'a Container, &'a str)> {
    subject.containers().filter_map(|(path, c)| {
        let image = c.image.as_deref().filter(|i| !i.trim().is_empty())?;
        Some((path, c, image))
    })
}

fn image_mutable_tag(subject: &Subject<'_>, out: &mut Outcome) {
    for (path, c, image) in images(subject) {
        let what = match pin(image) {
            Pin::None => "has no tag",
            Pin::Tag("latest") => "uses :latest",
            _ => continue,
        };
        let message = format!(
            "{} image {image} {what}: nodes pull at different times and run different versions",
            Subject::container_label(&path, c)
        );
        out.push(
            Finding::new("DS501", message)
                .at(format!("{path}.image"))
                .hint("pin a version tag (name:1.2.3) or a digest (name@sha256:...)"),
        );
    }
}

const CRITICAL_PRIORITY_CLASSES: &[&str] = &["system-node-critical", "system-cluster-critical"];

fn is_critical(subject: &Subject<'_>) -> bool {
    subject.node_agent
        || subject.spec.priority_class_name.as_deref().is_some_and(|p| CRITICAL_PRIORITY_CLASSES.contains(&p))
}

fn pull_policy_always_critical_agent(subject: &Subject<'_>, out: &mut Outcome) {
    if !is_critical(subject) {
        return;
    }
    for (path, c) in subject.containers() {
        if c.image_pull_policy.as_deref() == Some("Always") {
            let message = format!(
                "{} pulls its image Always: a node (re)boot waits on the registry before the agent starts",
                Subject::container_label(&path, c)
            );
            out.push(
                Finding::new("DS502", message)
                    .at(format!("{path}.imagePullPolicy"))
                    .hint("pin the image by tag or digest and set imagePullPolicy: IfNotPresent"),
            );
        }
    }
}

/// The resources a container asks for; a limit without a request becomes the request.
fn requested(c: &Container) -> BTreeMap<String, i128> {
    let resources = c.resources.as_ref();
    let mut amounts = BTreeMap::new();
    for list in [resources.and_then(|r| r.limits.as_ref()), resources.and_then(|r| r.requests.as_ref())] {
        for (name, q) in list.into_iter().flatten() {
            if let Some(v) = milli(q) {
                amounts.insert(name.clone(), v);
            }
        }
    }
    amounts
}

fn missing_resource_requests(subject: &Subject<'_>, out: &mut Outcome) {
    for (path, c) in subject.main_containers() {
        let have = requested(c);
        let missing: Vec<&str> = ["cpu", "memory"].into_iter().filter(|r| !have.contains_key(*r)).collect();
        if missing.is_empty() {
            continue;
        }
        let message = format!(
            "{} has no {} request: its per-node overhead is invisible to the scheduler",
            Subject::container_label(&path, c),
            missing.join(" or ")
        );
        let hint = format!("set resources.requests.{} to what the agent uses on a busy node", missing.join(" and "));
        out.push(Finding::new("DS503", message).at(format!("{path}.resources.requests")).hint(hint));
    }
}

fn missing_memory_limit(subject: &Subject<'_>, out: &mut Outcome) {
    for (path, c) in subject.main_containers() {
        let limits = c.resources.as_ref().and_then(|r| r.limits.as_ref());
        if limits.is_some_and(|l| l.contains_key("memory")) {
            continue;
        }
        let message =
            format!("{} has no memory limit: a leak OOMs the node, not the agent", Subject::container_label(&path, c));
        out.push(
            Finding::new("DS504", message)
                .at(format!("{path}.resources.limits.memory"))
                .hint("set resources.limits.memory (at or above the request)"),
        );
    }
}

fn image_not_digest_pinned(subject: &Subject<'_>, out: &mut Outcome) {
    for (path, c, image) in images(subject) {
        if pin(image) == Pin::Digest {
            continue;
        }
        let message = format!("{} image {image} is not pinned by digest", Subject::container_label(&path, c));
        out.push(
            Finding::new("DS505", message)
                .at(format!("{path}.image"))
                .hint("reference the image as name@sha256:<digest> (a tag may stay in front of the @)"),
        );
    }
}

/// DS506: an ordinary init container runs with the sidecars started before it; when that needs
/// more than the running pod (containers plus all sidecars), it sets the pod's request.
fn init_container_request_dominates(subject: &Subject<'_>, out: &mut Outcome) {
    let parts = request_parts(subject.spec);
    let mut sidecars: BTreeMap<String, i128> = BTreeMap::new();
    for (i, init) in subject.spec.init_containers.iter().flatten().enumerate() {
        let own = requested(init);
        if init.restart_policy.as_deref() == Some("Always") {
            for (name, value) in own {
                *sidecars.entry(name).or_default() += value;
            }
            continue;
        }
        for (name, value) in &own {
            let needed = value + sidecars.get(name).copied().unwrap_or_default();
            let running = parts.get(name).map(|p| p.containers + p.sidecars).unwrap_or_default();
            if needed <= running {
                continue;
            }
            let message = format!(
                "init container {} requests {} {name}, more than the running pod's {}: it sets the pod's \
                 effective request",
                init.name,
                show(name, needed),
                show(name, running)
            );
            out.push(
                Finding::new("DS506", message)
                    .at(format!("{TEMPLATE_SPEC}.initContainers[{i}].resources.requests.{name}"))
                    .hint("lower the init container's request to what it needs; it is reserved on every node"),
            );
        }
    }
}

/// A thousandths amount as a person reads it: cpu in millicores, memory in MiB, else plain.
fn show(resource: &str, milli: i128) -> String {
    match resource {
        "cpu" => format!("{milli}m"),
        "memory" => format!("{}Mi", milli / 1000 / (1024 * 1024)),
        _ => format!("{}", milli / 1000),
    }
}

fn namespace_unset(subject: &Subject<'_>, out: &mut Outcome) {
    if subject.namespace.is_some() {
        return;
    }
    out.push(
        Finding::new(
            "DS601",
            format!("DaemonSet {} has no namespace: it lands wherever -n or the context says", subject.name),
        )
        .at("metadata.namespace")
        .hint("set metadata.namespace to the namespace whose RBAC and Pod Security labels the agent expects"),
    );
}

#[cfg(test)]
mod tests;
