//! Which pods belong to a DaemonSet, which node each is for, and the pod predicates the
//! controller uses (pkg/controller/daemon, pkg/api/v1/pod `IsPodReady`/`IsPodAvailable`).

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use kube_core::{Selector, SelectorExt};

use crate::snapshot::Snapshot;
use crate::version::KubeVersion;

pub const REVISION_HASH_LABEL: &str = "controller-revision-hash";
pub const TEMPLATE_GENERATION_LABEL: &str = "pod-template-generation";
pub const TEMPLATE_GENERATION_ANNOTATION: &str = "deprecated.daemonset.template.generation";

pub fn controller_of(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references.as_deref()?.iter().find(|r| r.controller == Some(true))
}

/// The DaemonSet's label selector, or `None` when it is missing, empty (the controller refuses
/// to select all pods) or does not parse.
pub fn daemon_selector(ds: &DaemonSet) -> Option<Selector> {
    let selector = ds.spec.selector.clone();
    let parsed = Selector::try_from(selector).ok()?;
    (!parsed.selects_all()).then_some(parsed)
}

/// Whether `meta` (a pod or a revision) is the DaemonSet's: controlled by it and matching its
/// selector, or an orphan that matches (the controller adopts it). A pod controlled by the
/// DaemonSet that no longer matches is released and no longer counts.
fn belongs(meta: &ObjectMeta, ds: &DaemonSet, selector: &Selector) -> bool {
    // The controller reference first: in a large cluster almost every pod is another
    // controller's, and comparing a uid is cheaper than matching labels.
    let owned = match controller_of(meta) {
        None => ds.metadata.deletion_timestamp.is_none(),
        Some(owner) => match ds.metadata.uid.as_deref() {
            Some(uid) => owner.uid == uid,
            // A manifest without a uid: trust kind and name.
            None => owner.kind == "DaemonSet" && Some(&owner.name) == ds.metadata.name.as_ref(),
        },
    };
    owned && selected(meta, ds, selector)
}

/// What the controller asks of a pod besides its controller: the DaemonSet's namespace, where it
/// lists pods, and labels its selector matches.
fn selected(meta: &ObjectMeta, ds: &DaemonSet, selector: &Selector) -> bool {
    meta.namespace == ds.metadata.namespace && selector.matches(meta.labels.as_ref().unwrap_or(&BTreeMap::new()))
}

/// The node a DaemonSet pod is for (`GetTargetNodeName`): its nodeName, else the node its pin
/// affinity names. `None`: the controller ignores the pod.
pub fn target_node(pod: &Pod) -> Option<&str> {
    let spec = pod.spec.as_ref()?;
    if let Some(name) = spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        return Some(name);
    }
    let terms = &spec
        .affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?
        .node_selector_terms;
    // The first `metadata.name In` requirement decides: with other than exactly one value it is an
    // error and the pod is ignored, even if a later term would name a node.
    let pin = terms
        .iter()
        .flat_map(|term| term.match_fields.as_deref().unwrap_or_default())
        .find(|f| f.key == "metadata.name" && f.operator == "In")?;
    match pin.values.as_deref() {
        Some([node]) => Some(node.as_str()),
        _ => None,
    }
}

pub fn is_terminal(pod: &Pod) -> bool {
    matches!(phase(pod), "Succeeded" | "Failed")
}

pub fn phase(pod: &Pod) -> &str {
    pod.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("Pending")
}

/// The DaemonSet's pods keyed by target node, each list in the controller's order (scheduled
/// first, then oldest, then by name): the first pod is the one the status counts.
pub fn pods_by_node<'a>(
    ds: &DaemonSet,
    pods: impl IntoIterator<Item = &'a Pod>,
    version: KubeVersion,
) -> BTreeMap<&'a str, Vec<&'a Pod>> {
    let mut by_node: BTreeMap<&'a str, Vec<&'a Pod>> = BTreeMap::new();
    for (node, pod) in with_target_node(ds, pods, version) {
        by_node.entry(node).or_default().push(pod);
    }
    for list in by_node.values_mut() {
        list.sort_by(|a, b| controller_order(a, b));
    }
    by_node
}

/// The pods among `pods` that the DaemonSet counts, each with the node it is for.
fn with_target_node<'a>(
    ds: &DaemonSet,
    pods: impl IntoIterator<Item = &'a Pod>,
    version: KubeVersion,
) -> impl Iterator<Item = (&'a str, &'a Pod)> {
    let selector = daemon_selector(ds);
    pods.into_iter().filter_map(move |pod| Some((counted_for(pod, ds, selector.as_ref()?, version)?, pod)))
}

/// The node a pod of the DaemonSet is for, if the DaemonSet counts the pod.
fn counted_for<'a>(pod: &'a Pod, ds: &DaemonSet, selector: &Selector, version: KubeVersion) -> Option<&'a str> {
    counts(pod, ds, selector, version).then(|| target_node(pod)).flatten()
}

/// Whether the DaemonSet counts the pod, wherever it is for.
fn counts(pod: &Pod, ds: &DaemonSet, selector: &Selector, version: KubeVersion) -> bool {
    !released(pod, version) && belongs(&pod.metadata, ds, selector)
}

/// #118716 (1.28): terminal pods being deleted no longer hold the node.
fn released(pod: &Pod, version: KubeVersion) -> bool {
    version.at_least(28) && pod.metadata.deletion_timestamp.is_some() && is_terminal(pod)
}

/// [`pods_by_node`] over the snapshot's pods, reading only those the DaemonSet may own.
pub fn daemonset_pods<'a>(
    snapshot: &'a Snapshot,
    ds: &DaemonSet,
    version: KubeVersion,
) -> BTreeMap<&'a str, Vec<&'a Pod>> {
    pods_by_node(ds, snapshot.pods_ownable_by(ds.metadata.uid.as_deref()), version)
}

/// The DaemonSet's pods as [`daemonset_pods`], those for the snapshot's nodes by the node's
/// position: a verdict per node then needs no lookup by name.
pub struct PodsOnNodes<'a> {
    /// Grouped by node position: the pods for the node at position `p` are
    /// `on_nodes[starts[p]..starts[p + 1]]`. One list for all nodes, not one per node: thousands
    /// of small lists cost more to allocate and free than to fill.
    on_nodes: Vec<&'a Pod>,
    /// Whether each pod of `on_nodes` runs the current revision: read while its labels are at
    /// hand, not again when its node is judged.
    updated: Vec<bool>,
    starts: Vec<u32>,
    /// For nodes the snapshot lacks, by node name.
    pub elsewhere: BTreeMap<&'a str, Vec<&'a Pod>>,
}

impl<'a> PodsOnNodes<'a> {
    pub fn of(snapshot: &'a Snapshot, ds: &DaemonSet, version: KubeVersion, current: &CurrentRevision) -> Self {
        // The pods the index found controlled by the DaemonSet's uid need not have their owner
        // read again; the others are adopted only if nothing controls them. Without a uid,
        // ownership goes by name, and every pod is a candidate.
        let (controlled, others): (&[usize], Box<dyn Iterator<Item = usize>>) = match ds.metadata.uid.as_deref() {
            Some(uid) => (snapshot.pods_controlled_by(uid), Box::new(snapshot.uncontrolled_pods().iter().copied())),
            None => (&[], Box::new(0..snapshot.pods.len())),
        };
        let candidates = controlled.iter().map(|&position| (position, true)).chain(others.map(|p| (p, false)));
        let mut on_nodes: Vec<(usize, &'a Pod, bool)> = Vec::with_capacity(controlled.len());
        let mut elsewhere: BTreeMap<&'a str, Vec<&'a Pod>> = BTreeMap::new();
        if let Some(selector) = daemon_selector(ds) {
            for (position, controlled) in candidates {
                let pod = &snapshot.pods[position];
                let counted = if controlled {
                    !released(pod, version) && selected(&pod.metadata, ds, &selector)
                } else {
                    counts(pod, ds, &selector, version)
                };
                if !counted {
                    continue;
                }
                // A pod bound to a node of the snapshot is for that node (`GetTargetNodeName`
                // reads nodeName first), and the pods' index knows its position: the pod's spec
                // need not be read.
                let on = match snapshot.bound_node_position(position) {
                    Some(on) => on,
                    None => {
                        let Some(node) = target_node(pod) else { continue };
                        let Some(on) = snapshot.node_position(node) else {
                            elsewhere.entry(node).or_default().push(pod);
                            continue;
                        };
                        on
                    }
                };
                on_nodes.push((on, pod, current.is_updated(pod, version)));
            }
        }
        // Stable: a node's pods keep the order they were found in until sorted as the controller does.
        on_nodes.sort_by_key(|(on, _, _)| *on);
        let mut starts = Vec::with_capacity(snapshot.nodes.len() + 1);
        let mut next = 0;
        for position in 0..=snapshot.nodes.len() {
            while on_nodes.get(next).is_some_and(|(on, _, _)| *on < position) {
                next += 1;
            }
            starts.push(next as u32);
        }
        for window in starts.windows(2) {
            let list = &mut on_nodes[window[0] as usize..window[1] as usize];
            if list.len() > 1 {
                list.sort_by(|(_, a, _), (_, b, _)| controller_order(a, b));
            }
        }
        for list in elsewhere.values_mut().filter(|list| list.len() > 1) {
            list.sort_by(|a, b| controller_order(a, b));
        }
        let (on_nodes, updated) = on_nodes.into_iter().map(|(_, pod, updated)| (pod, updated)).unzip();
        PodsOnNodes { on_nodes, updated, starts, elsewhere }
    }

    /// Whether the first of the pods for the node at `position` (the one the controller counts)
    /// runs the current revision.
    pub fn first_updated(&self, position: usize) -> bool {
        self.updated.get(self.range(position)).and_then(<[bool]>::first).is_some_and(|updated| *updated)
    }

    /// The pods for the node at `position` in the snapshot's nodes.
    pub fn on(&self, position: usize) -> &[&'a Pod] {
        self.on_nodes.get(self.range(position)).unwrap_or_default()
    }

    /// Where the pods for the node at `position` are in `on_nodes`: empty for a position past the
    /// snapshot's nodes.
    fn range(&self, position: usize) -> std::ops::Range<usize> {
        match (self.starts.get(position), self.starts.get(position + 1)) {
            (Some(&start), Some(&end)) => start as usize..end as usize,
            _ => 0..0,
        }
    }

    /// Every node's pods, the snapshot's nodes first.
    pub fn all(&self) -> impl Iterator<Item = &[&'a Pod]> {
        let on_nodes = (0..self.starts.len().saturating_sub(1)).map(|position| self.on(position));
        on_nodes.chain(self.elsewhere.values().map(Vec::as_slice)).filter(|list| !list.is_empty())
    }
}

fn controller_order(a: &Pod, b: &Pod) -> std::cmp::Ordering {
    let scheduled = |p: &Pod| p.spec.as_ref().and_then(|s| s.node_name.as_deref()).is_some_and(|n| !n.is_empty());
    let created = |p: &Pod| p.metadata.creation_timestamp.as_ref().map(|t| t.0);
    scheduled(b)
        .cmp(&scheduled(a))
        .then_with(|| match (created(a), created(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            // A missing creationTimestamp is Go's zero time, older than any other.
            (None, Some(_)) => std::cmp::Ordering::Less,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        })
        .then_with(|| a.metadata.name.cmp(&b.metadata.name))
}

fn condition<'a>(pod: &'a Pod, kind: &str) -> Option<&'a k8s_openapi::api::core::v1::PodCondition> {
    pod.status.as_ref()?.conditions.as_deref()?.iter().find(|c| c.type_ == kind)
}

pub fn is_ready(pod: &Pod) -> bool {
    condition(pod, "Ready").is_some_and(|c| c.status == "True")
}

/// When the pod's Ready condition last changed.
pub fn ready_since(pod: &Pod) -> Option<Timestamp> {
    condition(pod, "Ready")?.last_transition_time.as_ref().map(|t| t.0)
}

pub fn unschedulable_message(pod: &Pod) -> Option<String> {
    let scheduled = condition(pod, "PodScheduled")?;
    (scheduled.status == "False" && scheduled.reason.as_deref() == Some("Unschedulable"))
        .then(|| scheduled.message.clone().unwrap_or_default())
}

/// Seconds until a Ready pod counts as available, or `None` when it already does (or is not
/// Ready). `IsPodAvailable`: Ready for minReadySeconds by the controller's clock; the boundary
/// became inclusive in 1.34 (#132122).
pub fn available_in(pod: &Pod, min_ready_seconds: i32, as_of: Timestamp, version: KubeVersion) -> Option<i64> {
    if !is_ready(pod) || min_ready_seconds <= 0 {
        return None;
    }
    let Some(since) = ready_since(pod) else {
        // Never available: no transition time to count from.
        return Some(i64::from(min_ready_seconds));
    };
    let available_at = since.checked_add(SignedDuration::from_secs(i64::from(min_ready_seconds))).ok()?;
    let available = if version.at_least(34) { available_at <= as_of } else { available_at < as_of };
    if available {
        None
    } else {
        Some(available_at.duration_since(as_of).as_secs().max(if version.at_least(34) { 0 } else { 1 }))
    }
}

pub fn is_available(pod: &Pod, min_ready_seconds: i32, as_of: Timestamp, version: KubeVersion) -> bool {
    is_ready(pod) && available_in(pod, min_ready_seconds, as_of, version).is_none()
}

/// What makes a pod "updated" (`IsPodUpdated`).
#[derive(Clone, Debug, Default)]
pub struct CurrentRevision {
    pub hash: Option<String>,
    pub template_generation: Option<String>,
}

impl CurrentRevision {
    /// The generation half was broken before 1.24 (#107241): only the hash counted.
    pub fn is_updated(&self, pod: &Pod, version: KubeVersion) -> bool {
        let labels = pod.metadata.labels.as_ref();
        let label = |key: &str| labels.and_then(|l| l.get(key));
        let by_hash = || self.hash.as_ref().is_some_and(|h| !h.is_empty() && label(REVISION_HASH_LABEL) == Some(h));
        let by_generation = || {
            version.at_least(24)
                && self.template_generation.as_ref().is_some_and(|g| label(TEMPLATE_GENERATION_LABEL) == Some(g))
        };
        by_hash() || by_generation()
    }
}

/// The DaemonSet's ControllerRevisions, newest (highest `.revision`) first.
pub fn owned_revisions<'a>(ds: &DaemonSet, revisions: &'a [ControllerRevision]) -> Vec<&'a ControllerRevision> {
    let Some(selector) = daemon_selector(ds) else { return Vec::new() };
    let mut owned: Vec<&ControllerRevision> =
        revisions.iter().filter(|r| belongs(&r.metadata, ds, &selector)).collect();
    owned.sort_by(|a, b| b.revision.cmp(&a.revision).then_with(|| a.metadata.name.cmp(&b.metadata.name)));
    owned
}

pub fn revision_hash(revision: &ControllerRevision) -> Option<String> {
    revision.metadata.labels.as_ref()?.get(REVISION_HASH_LABEL).cloned()
}

pub fn template_generation(ds: &DaemonSet) -> Option<String> {
    ds.metadata.annotations.as_ref()?.get(TEMPLATE_GENERATION_ANNOTATION).cloned()
}

pub fn restarts(pod: &Pod) -> i32 {
    pod.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .map(|c| c.iter().map(|c| c.restart_count).sum())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests;
