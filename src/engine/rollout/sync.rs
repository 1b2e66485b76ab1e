//! One sync of the DaemonSet controller over one snapshot: `manage` (`podsShouldBeOnNode`,
//! `getUnscheduledPodsWithoutNode`) and then the rolling update (update.go `rollingUpdate`),
//! decided over the same pods. Counted as Kubernetes' unit tests count a sync: every pod the
//! sync creates or deletes, at most `burstReplicas` of each per call.
//!
//! The controller walks nodes in Go's random map order. What it decides does not depend on that
//! order, except which of several equal candidates it picks: those come back as a [`Pick`], a
//! count and a set, never as names.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use k8s_openapi::api::core::v1::Pod;

use super::budget::Limits;
use crate::engine::pods::{CurrentRevision, REVISION_HASH_LABEL, is_available, is_ready, phase};
use crate::version::KubeVersion;

/// The controller's cap on creations and deletions per `syncNodes` call.
pub const BURST_REPLICAS: usize = 250;

/// One node as the controller sees it: `NodeShouldRunDaemonPod` and the pods mapped to it, in
/// the controller's order (scheduled first, then oldest), terminating ones included.
#[derive(Clone, Debug)]
pub struct NodePods<'a> {
    pub node: &'a str,
    pub should_run: bool,
    pub should_continue_running: bool,
    pub pods: Vec<&'a Pod>,
}

#[derive(Clone, Debug)]
pub struct World<'a> {
    /// Every Node object.
    pub nodes: Vec<NodePods<'a>>,
    /// Pods mapped to node names that are not in the node list.
    pub orphans: Vec<(&'a str, Vec<&'a Pod>)>,
    /// The rolling update's limits; `None` when the strategy is not RollingUpdate or the
    /// limits do not parse (the controller then skips the rolling update).
    pub limits: Option<Limits>,
    /// `AllowsSurge`: manage keeps an old and a new pod side by side.
    pub allows_surge: bool,
    pub revision: &'a CurrentRevision,
    pub min_ready_seconds: i32,
    pub as_of: Timestamp,
    pub version: KubeVersion,
}

/// Why the rolling update counts a node against maxUnavailable (or maxSurge).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unavailable {
    NoPod,
    OnlyTerminating,
    OldAndNew,
    SeveralPods,
    NewNotAvailable,
    OldNotAvailable,
}

impl Unavailable {
    pub fn describe(self) -> &'static str {
        match self {
            Unavailable::NoPod => "no pod",
            Unavailable::OnlyTerminating => "its pod is terminating",
            Unavailable::OldAndNew => "an old and a new pod",
            Unavailable::SeveralPods => "several pods",
            Unavailable::NewNotAvailable => "new pod not available",
            Unavailable::OldNotAvailable => "old pod not available",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Create,
    Delete,
}

/// `count` of `candidates` (nodes) get `action`; which ones is up to Go's map order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pick {
    pub action: Action,
    pub count: usize,
    pub candidates: Vec<String>,
}

/// What uses the rolling update's budget.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BudgetUse {
    pub unavailable: u32,
    pub surging: u32,
    /// Nodes counted against the budget, and why.
    pub nodes: Vec<(String, Unavailable)>,
    /// Nodes with an available old pod that the budget leaves alone this sync.
    pub waiting: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Nodes that certainly get a pod.
    pub creates: BTreeSet<String>,
    /// Pods certainly deleted, with their node.
    pub deletes: BTreeMap<String, String>,
    pub picks: Vec<Pick>,
    /// `None` when no rolling update runs.
    pub budget: Option<BudgetUse>,
    /// The rolling update stopped with this error, after manage.
    pub error: Option<String>,
    manage_creates: usize,
    manage_deletes: usize,
    rolling_creates: usize,
    rolling_deletes: usize,
}

impl Plan {
    pub fn creates(&self) -> usize {
        self.manage_creates.min(BURST_REPLICAS) + self.rolling_creates.min(BURST_REPLICAS)
    }

    pub fn deletes(&self) -> usize {
        self.manage_deletes.min(BURST_REPLICAS) + self.rolling_deletes.min(BURST_REPLICAS)
    }

    /// Nodes where the sync does something for sure.
    pub fn touches(&self, node: &str) -> bool {
        self.creates.contains(node) || self.deletes.values().any(|n| n == node)
    }

    pub fn is_candidate(&self, node: &str) -> bool {
        self.picks.iter().any(|p| p.candidates.iter().any(|c| c == node))
    }

    fn create(&mut self, node: &str, rolling: bool) {
        if self.creates.insert(node.to_string()) {
            if rolling { self.rolling_creates += 1 } else { self.manage_creates += 1 }
        }
    }

    fn delete(&mut self, pod: &Pod, node: &str, rolling: bool) {
        let name = pod.metadata.name.clone().unwrap_or_default();
        if self.deletes.insert(name, node.to_string()).is_none() {
            if rolling { self.rolling_deletes += 1 } else { self.manage_deletes += 1 }
        }
    }

    /// Candidates the budget can take all of are certain; fewer than all are a [`Pick`].
    fn pick(&mut self, action: Action, count: usize, candidates: Vec<(String, Option<&Pod>)>) {
        if count == 0 || candidates.is_empty() {
            return;
        }
        if count >= candidates.len() {
            for (node, pod) in candidates {
                match (action, pod) {
                    (Action::Create, _) => self.create(&node, true),
                    (Action::Delete, Some(pod)) => self.delete(pod, &node, true),
                    (Action::Delete, None) => {}
                }
            }
            return;
        }
        self.rolling_creates += if action == Action::Create { count } else { 0 };
        self.rolling_deletes += if action == Action::Delete { count } else { 0 };
        let mut nodes: Vec<String> = candidates.into_iter().map(|(node, _)| node).collect();
        nodes.sort();
        nodes.dedup();
        self.picks.push(Pick { action, count, candidates: nodes });
    }
}

fn terminating(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_some()
}

impl World<'_> {
    fn available(&self, pod: &Pod) -> bool {
        is_available(pod, self.min_ready_seconds, self.as_of, self.version)
    }

    fn updated(&self, pod: &Pod) -> bool {
        self.revision.is_updated(pod, self.version)
    }

    /// `findUpdatedPodsOnNode`: the node's one new and one old live pod, or `None` when it holds
    /// several of either (manage prunes those first).
    fn updated_and_old<'p>(&self, pods: &[&'p Pod]) -> Option<(Option<&'p Pod>, Option<&'p Pod>)> {
        let (mut new, mut old) = (None, None);
        for pod in pods.iter().copied().filter(|p| !terminating(p)) {
            let slot = if self.updated(pod) { &mut new } else { &mut old };
            if slot.is_some() {
                return None;
            }
            *slot = Some(pod);
        }
        Some((new, old))
    }
}

/// One sync: manage, then the rolling update if the strategy is RollingUpdate.
pub fn plan(world: &World<'_>) -> Plan {
    let mut plan = Plan::default();
    manage(world, &mut plan);
    if let Some(limits) = world.limits {
        if !world.version.at_least(21) {
            rolling_update_before_1_21(world, limits, &mut plan);
        } else if limits.max_surge == 0 {
            rolling_update(world, limits, &mut plan);
        } else if let Err(error) = rolling_update_with_surge(world, limits, &mut plan) {
            plan.error = Some(error);
        }
    }
    plan
}

/// `podsShouldBeOnNode` for every node, then the unbound pods of nodes that no longer exist.
fn manage(world: &World<'_>, plan: &mut Plan) {
    for node in &world.nodes {
        let name = node.node;
        if node.should_run && node.pods.is_empty() {
            plan.create(name, false);
        } else if node.should_continue_running {
            let mut running: Vec<&Pod> = Vec::new();
            for pod in node.pods.iter().copied().filter(|p| !terminating(p)) {
                match phase(pod) {
                    // Deleted unless the node is in backoff, which no snapshot shows.
                    "Failed" => plan.delete(pod, name, false),
                    // #117073 (1.28): a Succeeded pod is deleted and replaced; before, it stayed.
                    "Succeeded" if world.version.at_least(28) => plan.delete(pod, name, false),
                    _ => running.push(pod),
                }
            }
            if !world.allows_surge {
                for extra in running.iter().skip(1) {
                    plan.delete(extra, name, false);
                }
                continue;
            }
            if running.is_empty() {
                if node.should_run {
                    plan.create(name, false);
                }
                continue;
            }
            if running.len() == 1 {
                continue;
            }
            // Surge: keep the oldest pod of the current hash and the oldest of any other, delete
            // the rest; of the two kept, the old one goes when it is not ready or the new one is
            // available. Only the hash label counts here, not the template generation.
            let hash = world.revision.hash.as_deref();
            let (mut newest_new, mut oldest_old) = (None, None);
            for pod in running {
                let is_new = hash.is_some()
                    && pod.metadata.labels.as_ref().and_then(|l| l.get(REVISION_HASH_LABEL)).map(String::as_str)
                        == hash;
                let slot = if is_new { &mut newest_new } else { &mut oldest_old };
                if slot.is_none() {
                    *slot = Some(pod);
                } else {
                    plan.delete(pod, name, false);
                }
            }
            if let (Some(new), Some(old)) = (newest_new, oldest_old)
                && (!is_ready(old) || world.available(new))
            {
                plan.delete(old, name, false);
            }
        } else {
            for pod in node.pods.iter().copied().filter(|p| !terminating(p)) {
                plan.delete(pod, name, false);
            }
        }
    }
    for (node, pods) in &world.orphans {
        let unbound = |p: &&&Pod| p.spec.as_ref().and_then(|s| s.node_name.as_deref()).is_none_or(str::is_empty);
        for pod in pods.iter().filter(unbound) {
            plan.delete(pod, node, false);
        }
    }
}

/// Every node the rolling update walks: those with pods, and every eligible node, empty or not.
fn walked<'w, 'a>(world: &'w World<'a>) -> Vec<(&'a str, &'w [&'a Pod])> {
    let mut walked: Vec<(&str, &[&Pod])> = world
        .nodes
        .iter()
        .filter(|n| n.should_run || !n.pods.is_empty())
        .map(|n| (n.node, n.pods.as_slice()))
        .collect();
    walked.extend(world.orphans.iter().map(|(node, pods)| (*node, pods.as_slice())));
    walked
}

/// Without surge: delete just enough old pods to stay within maxUnavailable; manage creates
/// their replacements once they are gone. An old pod that is not available is always deleted.
fn rolling_update(world: &World<'_>, limits: Limits, plan: &mut Plan) {
    let mut budget = BudgetUse::default();
    let mut candidates = Vec::new();
    for (node, pods) in walked(world) {
        let Some((new, old)) = world.updated_and_old(pods) else {
            budget.nodes.push((node.to_string(), Unavailable::SeveralPods));
            continue;
        };
        match (new, old) {
            (None, None) => {
                let why = if pods.is_empty() { Unavailable::NoPod } else { Unavailable::OnlyTerminating };
                budget.nodes.push((node.to_string(), why));
            }
            (Some(_), Some(_)) => budget.nodes.push((node.to_string(), Unavailable::OldAndNew)),
            (Some(new), None) => {
                if !world.available(new) {
                    budget.nodes.push((node.to_string(), Unavailable::NewNotAvailable));
                }
            }
            (None, Some(old)) => {
                if world.available(old) {
                    candidates.push((node.to_string(), Some(old)));
                } else {
                    plan.delete(old, node, true);
                    budget.nodes.push((node.to_string(), Unavailable::OldNotAvailable));
                }
            }
        }
    }
    budget.unavailable = budget.nodes.len() as u32;
    let room = limits.max_unavailable.saturating_sub(budget.unavailable) as usize;
    if room < candidates.len() {
        budget.waiting = candidates.iter().map(|(node, _)| node.clone()).collect();
    }
    plan.pick(Action::Delete, room, candidates);
    plan.budget = Some(budget);
}

/// With surge: an extra new pod goes next to an old available one, at most maxSurge at a time;
/// the old pod is deleted once the new one is available. A node whose old pod is not available
/// gets its new pod at once.
fn rolling_update_with_surge(world: &World<'_>, limits: Limits, plan: &mut Plan) -> Result<(), String> {
    let mut budget = BudgetUse::default();
    let mut deletes = Vec::new();
    let mut creates = Vec::new();
    let mut should_not_run = Vec::new();
    let mut candidates = Vec::new();
    let mut available = 0u32;
    let eligibility: BTreeMap<&str, bool> = world.nodes.iter().map(|n| (n.node, n.should_run)).collect();
    for (node, pods) in walked(world) {
        let Some((new, old)) = world.updated_and_old(pods) else {
            budget.nodes.push((node.to_string(), Unavailable::SeveralPods));
            continue;
        };
        match (old, new) {
            (Some(old), _) if world.available(old) => available += 1,
            (None, Some(new)) if world.available(new) => available += 1,
            _ => {}
        }
        let lookup = || {
            eligibility.get(node).copied().ok_or_else(|| {
                format!(
                    "the controller cannot find node {node:?}, which still holds an old pod: the rolling update stops"
                )
            })
        };
        match (old, new) {
            (None, _) => {}
            (Some(old), None) => {
                if !world.available(old) {
                    if lookup()? {
                        creates.push(node.to_string());
                    } else {
                        deletes.push((node, old));
                    }
                } else if !lookup()? {
                    should_not_run.push((node.to_string(), Some(old)));
                } else if budget.nodes.len() < limits.max_surge as usize {
                    candidates.push((node.to_string(), None));
                } else {
                    budget.waiting.push(node.to_string());
                }
            }
            (Some(old), Some(new)) => {
                if world.available(new) {
                    deletes.push((node, old));
                } else {
                    budget.nodes.push((node.to_string(), Unavailable::NewNotAvailable));
                }
            }
        }
    }
    for (node, pod) in deletes {
        plan.delete(pod, node, true);
    }
    // Only delete a pod on a node it should leave once a pod elsewhere is available.
    let desired = world.nodes.iter().filter(|n| n.should_run).count() as u32;
    let deletable = available.saturating_sub(desired) as usize;
    plan.pick(Action::Delete, deletable.min(should_not_run.len()), should_not_run);
    for node in creates {
        plan.create(&node, true);
    }
    budget.surging = budget.nodes.len() as u32;
    budget.unavailable = desired.saturating_sub(available);
    let room = limits.max_surge.saturating_sub(budget.surging) as usize;
    if room < candidates.len() {
        budget.waiting.extend(candidates.iter().map(|(node, _)| node.clone()));
    }
    plan.pick(Action::Create, room, candidates);
    plan.budget = Some(budget);
    Ok(())
}

/// Before 1.21 (no surge): every old pod that is not available is deleted, then available old
/// pods while fewer than maxUnavailable eligible nodes lack an available, live pod. Old pods on
/// every node count, terminating ones too.
fn rolling_update_before_1_21(world: &World<'_>, limits: Limits, plan: &mut Plan) {
    let mut budget = BudgetUse::default();
    for node in world.nodes.iter().filter(|n| n.should_run) {
        if !node.pods.iter().any(|p| world.available(p) && !terminating(p)) {
            let why = if node.pods.is_empty() {
                Unavailable::NoPod
            } else if node.pods.iter().all(|p| terminating(p)) {
                Unavailable::OnlyTerminating
            } else if node.pods.iter().any(|p| world.updated(p)) {
                Unavailable::NewNotAvailable
            } else {
                Unavailable::OldNotAvailable
            };
            budget.nodes.push((node.node.to_string(), why));
        }
    }
    let mut candidates = Vec::new();
    for (node, pods) in walked(world) {
        for pod in pods.iter().copied().filter(|p| !world.updated(p)) {
            if world.available(pod) {
                candidates.push((node.to_string(), Some(pod)));
            } else if !terminating(pod) {
                plan.delete(pod, node, true);
            }
        }
    }
    budget.unavailable = budget.nodes.len() as u32;
    let room = limits.max_unavailable.saturating_sub(budget.unavailable) as usize;
    if room < candidates.len() {
        budget.waiting = candidates.iter().map(|(node, _)| node.clone()).collect();
    }
    plan.pick(Action::Delete, room, candidates);
    plan.budget = Some(budget);
}
