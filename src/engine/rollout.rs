//! `kubectl ds rollout-status`: kubectl's verdict, then the rollout as the controller sees it:
//! the budget, each node's part in the rollout with `explain`'s reasons, and what the next sync
//! does. Built on [`super::explain`]; the rules it adds live in one module each: [`kubectl`]
//! (kubectl's status viewer), [`budget`] (maxUnavailable and maxSurge), [`sync`] (manage and the
//! rolling update) and [`changes`] (what a revision changed).

pub mod budget;
pub mod changes;
pub mod kubectl;
pub mod sync;

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::core::v1::{Pod, PodTemplateSpec};

use self::budget::Limits;
use self::kubectl::{StatusCounters, Verdict, status_viewer};
use self::sync::{NodePods, Plan, World};
use super::explain::{Target, explain};
use super::pods::{
    CurrentRevision, REVISION_HASH_LABEL, TEMPLATE_GENERATION_LABEL, daemonset_pods, is_available, owned_revisions,
    revision_hash, template_generation,
};
use super::{Options, TERMINATING_SLACK};
use crate::report::rollout::{Budget, NextStep, RevisionEntry, RolloutNode, RolloutState, RolloutStatus};
use crate::report::{Explanation, Header, NodeReport, NodeStatus, Reason, Summary};
use crate::snapshot::{Kind, Snapshot};

const STRIPPED_STATUS_GAP: &str = "status stripped: the DaemonSet has no .status to compare with";

/// The whole answer for one DaemonSet of the snapshot.
pub fn rollout_status(snapshot: &Snapshot, ds: &DaemonSet, opts: &Options) -> RolloutStatus {
    let explanation = explain(snapshot, Target::Existing(ds), opts);
    let pods = daemonset_pods(snapshot, ds, opts.version);
    let revisions = owned_revisions(ds, &snapshot.revisions);
    let revision = CurrentRevision {
        hash: revisions.first().and_then(|r| revision_hash(r)),
        template_generation: template_generation(ds),
    };
    let strategy = explanation.header.daemon_set.update_strategy.kind.clone();
    let rolling = strategy == "RollingUpdate";
    let desired = explanation.summary.desired;
    let limits = rolling.then(|| budget::limits(ds, desired, opts.version));
    let rows: BTreeMap<&str, &NodeReport> = explanation.nodes.iter().map(|n| (n.node.as_str(), n)).collect();

    let world = World {
        nodes: snapshot
            .nodes
            .iter()
            .filter_map(|node| node.metadata.name.as_deref())
            .map(|name| {
                let row = rows.get(name);
                NodePods {
                    node: name,
                    should_run: row.and_then(|r| r.should_run).unwrap_or(false),
                    should_continue_running: row.and_then(|r| r.should_continue_running).unwrap_or(false),
                    pods: pods.get(name).cloned().unwrap_or_default(),
                }
            })
            .collect(),
        orphans: pods
            .iter()
            .filter(|(node, _)| snapshot.node(node).is_none())
            .map(|(node, pods)| (*node, pods.clone()))
            .collect(),
        limits: limits.as_ref().and_then(|l| l.as_ref().ok()).copied(),
        allows_surge: budget::allows_surge(ds, opts.version),
        revision: &revision,
        min_ready_seconds: ds.spec.min_ready_seconds.unwrap_or(0),
        as_of: opts.as_of,
        version: opts.version,
    };
    let plan = snapshot.has(Kind::Node).then(|| sync::plan(&world));
    let surge = if world.allows_surge { surge_view(snapshot, ds, opts, &world) } else { BTreeMap::new() };

    let on_delete = !rolling;
    let judge = Judge { world: &world, plan: plan.as_ref(), on_delete, snapshot, opts };
    let mut nodes: Vec<RolloutNode> = explanation
        .nodes
        .iter()
        .map(|row| {
            let node_pods = pods.get(row.node.as_str()).map(Vec::as_slice).unwrap_or_default();
            let (state, reasons) = judge.state(row, surge.get(row.node.as_str()), node_pods);
            RolloutNode { node: row.node.clone(), state, pods: row.pods.clone(), reasons }
        })
        .collect();
    nodes.sort_by(|a, b| a.state.cmp(&b.state).then_with(|| a.node.cmp(&b.node)));

    let verdict = kubectl_verdict(ds, &strategy, &explanation.summary);
    let observed = generation_observed(ds);
    let complete = snapshot.has(Kind::Node)
        && observed
        && plan.as_ref().is_some_and(|p| p.creates() + p.deletes() == 0)
        && nodes.iter().all(|n| matches!(n.state, RolloutState::Updated | RolloutState::NotEligible));

    let budget = match (&limits, plan.as_ref().and_then(|p| p.budget.as_ref())) {
        (Some(Ok(limits)), Some(used)) => Some(Budget {
            max_unavailable: limits.max_unavailable,
            max_surge: limits.max_surge,
            unavailable: used.unavailable,
            surging: used.surging,
        }),
        (Some(Ok(limits)), None) => Some(Budget {
            max_unavailable: limits.max_unavailable,
            max_surge: limits.max_surge,
            unavailable: 0,
            surging: 0,
        }),
        _ => None,
    };
    let waiting_for = (!complete).then(|| {
        waiting_for(&WaitContext {
            ds,
            snapshot,
            observed,
            limits: limits.as_ref(),
            plan: plan.as_ref(),
            nodes: &nodes,
            on_delete,
        })
    });
    let next_step = next_step(plan.as_ref(), waiting_for);

    let mut gaps: Vec<String> = explanation.header.gaps.iter().filter(|g| *g != STRIPPED_STATUS_GAP).cloned().collect();
    if ds.status.is_none() {
        gaps.push("status stripped: kubectl's verdict is computed from the objects' counts".to_string());
    }
    let Explanation { header, summary, .. } = explanation;
    RolloutStatus {
        header: Header { kind: "RolloutStatus", gaps, ..header },
        done: verdict.done,
        message: verdict.message,
        kubectl_error: verdict.error,
        complete,
        strategy,
        revisions: revision_entries(ds, &revisions, &pods, observed),
        budget,
        summary,
        nodes,
        next_step,
    }
}

/// kubectl reads the DaemonSet's `.status` as served; a stripped manifest has none, so the
/// counters recomputed from the objects stand in, with the generation taken as observed.
fn kubectl_verdict(ds: &DaemonSet, strategy: &str, summary: &Summary) -> Verdict {
    let generation = ds.metadata.generation.unwrap_or(0);
    let counters = match &ds.status {
        Some(status) => StatusCounters {
            observed_generation: status.observed_generation.unwrap_or(0),
            desired: i64::from(status.desired_number_scheduled),
            updated: i64::from(status.updated_number_scheduled.unwrap_or(0)),
            available: i64::from(status.number_available.unwrap_or(0)),
        },
        None => StatusCounters {
            observed_generation: generation,
            desired: i64::from(summary.desired),
            updated: i64::from(summary.updated),
            available: i64::from(summary.available),
        },
    };
    status_viewer(ds.metadata.name.as_deref().unwrap_or_default(), strategy, generation, counters)
}

/// Whether the controller has seen the DaemonSet's latest spec. Without `.status` nothing says
/// otherwise.
fn generation_observed(ds: &DaemonSet) -> bool {
    match &ds.status {
        Some(status) => status.observed_generation.unwrap_or(0) >= ds.metadata.generation.unwrap_or(0),
        None => true,
    }
}

/// What `explain` says about a surge pod, which is not the pod it counts on its node (the old pod
/// is older): the same snapshot with each such node's old pod detached from the DaemonSet, so
/// that the new pod is judged while the old one still holds its ports and resources.
fn surge_view(snapshot: &Snapshot, ds: &DaemonSet, opts: &Options, world: &World<'_>) -> BTreeMap<String, NodeReport> {
    let mut detach = BTreeSet::new();
    let mut surge_nodes = BTreeSet::new();
    for node in &world.nodes {
        let live: Vec<&&Pod> = node.pods.iter().filter(|p| p.metadata.deletion_timestamp.is_none()).collect();
        let updated = |p: &&&Pod| world.revision.is_updated(p, world.version);
        if live.iter().any(updated) && !live.iter().all(updated) {
            surge_nodes.insert(node.node.to_string());
            detach.extend(live.iter().filter(|p| !updated(p)).filter_map(|p| p.metadata.uid.clone()));
        }
    }
    if surge_nodes.is_empty() {
        return BTreeMap::new();
    }
    let mut view = snapshot.clone();
    for pod in view.pods.iter_mut().filter(|p| p.metadata.uid.as_ref().is_some_and(|u| detach.contains(u))) {
        pod.metadata.owner_references = None;
        pod.metadata.labels = Some(BTreeMap::from([("kubectl-ds/detached".to_string(), "surge-view".to_string())]));
    }
    explain(&view, Target::Existing(ds), opts)
        .nodes
        .into_iter()
        .filter(|row| surge_nodes.contains(&row.node))
        .map(|row| (row.node.clone(), row))
        .collect()
}

/// Decides each node's state in the rollout.
struct Judge<'a> {
    world: &'a World<'a>,
    plan: Option<&'a Plan>,
    on_delete: bool,
    snapshot: &'a Snapshot,
    opts: &'a Options,
}

impl Judge<'_> {
    fn state(&self, row: &NodeReport, surge: Option<&NodeReport>, pods: &[&Pod]) -> (RolloutState, Vec<Reason>) {
        let mut reasons: Vec<Reason> = surge.map(|s| s.reasons.clone()).unwrap_or_default();
        for reason in &row.reasons {
            if !reasons.contains(reason) {
                reasons.push(reason.clone());
            }
        }
        (self.classify(row, surge, pods), reasons)
    }

    fn classify(&self, row: &NodeReport, surge: Option<&NodeReport>, pods: &[&Pod]) -> RolloutState {
        use RolloutState::*;
        let world = self.world;
        let node = row.node.as_str();
        let live: Vec<&Pod> = pods.iter().copied().filter(|p| p.metadata.deletion_timestamp.is_none()).collect();
        let updated = |p: &&Pod| world.revision.is_updated(p, world.version);
        let (live_new, live_old): (Vec<&Pod>, Vec<&Pod>) = live.iter().copied().partition(updated);
        let any_old = pods.iter().any(|p| !updated(p));
        let touched = self.plan.is_some_and(|p| p.touches(node));
        let candidate = self.plan.is_some_and(|p| p.is_candidate(node));

        if row.should_run == Some(false) {
            if pods.is_empty() {
                return NotEligible;
            }
            if live.is_empty() {
                return if self.hangs(node, pods) { Blocking } else { Updating };
            }
            let deleted = self.plan.is_some_and(|p| {
                live.iter().all(|pod| pod.metadata.name.as_ref().is_some_and(|n| p.deletes.contains_key(n)))
            });
            if deleted {
                return Updating;
            }
            if !self.on_delete && live_new.is_empty() {
                return if candidate || touched { Updating } else { Waiting };
            }
            // A pod that stays where the DaemonSet does not run: the controller leaves it alone.
            return Blocking;
        }
        if self.on_delete && !live_old.is_empty() {
            return Blocking;
        }
        if !any_old && live_new.len() == 1 && live_new.iter().all(|p| self.available(p)) {
            return Updated;
        }
        if row.status == NodeStatus::Missing {
            let stuck = row.reasons.iter().any(|r| r.code() != "ControllerBehind");
            return if stuck { Blocking } else { Updating };
        }
        if surge.is_some_and(|s| s.status == NodeStatus::Stuck) {
            return Blocking;
        }
        if touched {
            return Updating;
        }
        if row.status == NodeStatus::Stuck {
            return Blocking;
        }
        if !live_new.is_empty() {
            return Updating;
        }
        if live.is_empty() {
            return if self.hangs(node, pods) { Blocking } else { Updating };
        }
        // An old, available pod: its turn comes when the budget allows (perhaps at random now).
        Waiting
    }

    fn available(&self, pod: &Pod) -> bool {
        is_available(pod, self.world.min_ready_seconds, self.opts.as_of, self.opts.version)
    }

    /// Terminating pods that will not go away by themselves: the node's kubelet is not there to
    /// finish them, or they are past their deadline (explain's rule for Stuck).
    fn hangs(&self, node: &str, pods: &[&Pod]) -> bool {
        let node_down = self.snapshot.node(node).is_some_and(|n| {
            n.status
                .as_ref()
                .and_then(|s| s.conditions.as_ref())
                .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
                .is_some_and(|ready| ready.status != "True")
        });
        let overdue = pods
            .iter()
            .filter_map(|p| p.metadata.deletion_timestamp.as_ref())
            .any(|deleting| deleting.0.checked_add(TERMINATING_SLACK).is_ok_and(|deadline| self.opts.as_of > deadline));
        node_down || overdue
    }
}

struct WaitContext<'a> {
    ds: &'a DaemonSet,
    snapshot: &'a Snapshot,
    observed: bool,
    limits: Option<&'a Result<Limits, String>>,
    plan: Option<&'a Plan>,
    nodes: &'a [RolloutNode],
    on_delete: bool,
}

/// Names, with the first few of each kind of node, what the rollout waits for.
fn waiting_for(ctx: &WaitContext<'_>) -> String {
    let mut clauses = Vec::new();
    if !ctx.observed {
        let status = ctx.ds.status.as_ref();
        clauses.push(format!(
            "the controller to observe generation {} (observedGeneration {})",
            ctx.ds.metadata.generation.unwrap_or(0),
            status.and_then(|s| s.observed_generation).unwrap_or(0)
        ));
    }
    if let Some(Err(error)) = ctx.limits {
        clauses.push(format!("a valid update strategy ({error}): the controller does not roll"));
    }
    if let Some(error) = ctx.plan.and_then(|p| p.error.as_ref()) {
        clauses.push(error.clone());
    }
    if !ctx.snapshot.has(Kind::Node) {
        clauses.push("Node objects, which the snapshot lacks".to_string());
    }
    let of_state =
        |state: RolloutState| -> Vec<&RolloutNode> { ctx.nodes.iter().filter(|n| n.state == state).collect() };
    let has_old_pod = |n: &&RolloutNode| n.pods.iter().any(|p| !p.updated && !p.terminating);
    let old_on_delete: Vec<&RolloutNode> =
        if ctx.on_delete { ctx.nodes.iter().filter(has_old_pod).collect() } else { Vec::new() };
    if !old_on_delete.is_empty() {
        clauses.push(format!(
            "someone to delete the old pods on {} (OnDelete replaces a pod only once it is deleted)",
            list(old_on_delete.iter().map(|n| n.node.clone()))
        ));
    }
    let budget = ctx.plan.and_then(|p| p.budget.as_ref());
    let limits = ctx.limits.and_then(|l| l.as_ref().ok());
    if let (Some(budget), Some(limits)) = (budget, limits)
        && !budget.waiting.is_empty()
    {
        let users = list(budget.nodes.iter().map(|(node, why)| format!("{node} ({})", why.describe())));
        clauses.push(if limits.max_surge == 0 {
            format!(
                "maxUnavailable {} is used up by {} unavailable node(s): {users}",
                limits.max_unavailable,
                budget.nodes.len()
            )
        } else {
            format!("maxSurge {} is used up by {} node(s): {users}", limits.max_surge, budget.nodes.len())
        });
    }
    let blocking: Vec<&RolloutNode> = of_state(RolloutState::Blocking)
        .into_iter()
        .filter(|n| !old_on_delete.iter().any(|o| o.node == n.node))
        .collect();
    if !blocking.is_empty() {
        clauses.push(format!(
            "blocked on {}",
            list(blocking.iter().map(|n| match n.reasons.first() {
                Some(reason) => format!("{} ({})", n.node, reason.code()),
                None => n.node.clone(),
            }))
        ));
    }
    let updating = of_state(RolloutState::Updating);
    if !updating.is_empty() {
        clauses.push(format!("pods being replaced or started on {}", list(updating.iter().map(|n| n.node.clone()))));
    }
    if clauses.is_empty() {
        clauses.push("the controller's next sync".to_string());
    }
    clauses.join("; ")
}

/// At most five names, then how many more.
fn list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    let mut text = items.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > 5 {
        text.push_str(&format!(" and {} more", items.len() - 5));
    }
    text
}

fn next_step(plan: Option<&Plan>, waiting_for: Option<String>) -> NextStep {
    let Some(plan) = plan else { return NextStep { waiting_for, ..NextStep::default() } };
    let mut candidates: Vec<String> = plan.picks.iter().flat_map(|p| p.candidates.iter().cloned()).collect();
    candidates.sort();
    candidates.dedup();
    NextStep {
        creates: plan.creates() as u32,
        deletes: plan.deletes() as u32,
        creates_on: plan.creates.iter().cloned().collect(),
        deletes_pods: plan.deletes.keys().cloned().collect(),
        candidates,
        waiting_for,
    }
}

/// The revisions, newest first, each with what it changed against the one before. Without
/// ControllerRevisions, the template generations the pods carry stand in.
fn revision_entries(
    ds: &DaemonSet,
    revisions: &[&ControllerRevision],
    pods: &BTreeMap<&str, Vec<&Pod>>,
    observed: bool,
) -> Vec<RevisionEntry> {
    let all_pods: Vec<&Pod> = pods.values().flatten().copied().collect();
    let label = |pod: &Pod, key: &str| pod.metadata.labels.as_ref().and_then(|l| l.get(key)).cloned();
    let current_generation = template_generation(ds);
    if revisions.is_empty() {
        return generation_entries(ds, &all_pods, current_generation);
    }
    let templates: Vec<Option<PodTemplateSpec>> = revisions.iter().map(|r| changes::revision_template(r)).collect();
    let mut entries: Vec<RevisionEntry> = revisions
        .iter()
        .enumerate()
        .map(|(i, revision)| {
            let hash = revision_hash(revision);
            let changed = match (templates.get(i + 1).cloned().flatten(), &templates[i]) {
                (Some(older), Some(newer)) => changes::template_changes(&older, newer, true),
                _ => Vec::new(),
            };
            RevisionEntry {
                name: revision.metadata.name.clone(),
                revision: revision.revision,
                pods: all_pods.iter().filter(|p| hash.is_some() && label(p, REVISION_HASH_LABEL) == hash).count()
                    as u32,
                hash,
                template_generation: if i == 0 { current_generation.clone() } else { None },
                current: i == 0,
                changes: changed,
            }
        })
        .collect();
    // A template the controller has not seen yet has no ControllerRevision: it is current, and
    // the newest revision is not.
    if !observed
        && let Some(Some(newest)) = templates.first()
        && !same_template(newest, &ds.spec.template)
    {
        if let Some(first) = entries.first_mut() {
            first.current = false;
            first.template_generation = None;
        }
        entries.insert(
            0,
            RevisionEntry {
                name: None,
                revision: None,
                hash: None,
                template_generation: current_generation,
                current: true,
                pods: 0,
                changes: changes::template_changes(newest, &ds.spec.template, true),
            },
        );
    }
    entries
}

fn same_template(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
}

/// Revisions from `pod-template-generation` labels: what a cluster-info dump or must-gather
/// (no ControllerRevisions) still tells. Only containers are compared: a pod's spec holds what
/// admission added.
fn generation_entries(ds: &DaemonSet, pods: &[&Pod], current: Option<String>) -> Vec<RevisionEntry> {
    let generation_of =
        |pod: &Pod| pod.metadata.labels.as_ref().and_then(|l| l.get(TEMPLATE_GENERATION_LABEL)).cloned();
    let mut generations: Vec<String> = pods.iter().filter_map(|p| generation_of(p)).collect();
    generations.extend(current.clone());
    generations.sort_by_key(|g| std::cmp::Reverse(g.parse::<i64>().unwrap_or(i64::MIN)));
    generations.dedup();
    let template_of = |generation: &String| -> Option<PodTemplateSpec> {
        if Some(generation) == current.as_ref() {
            return Some(ds.spec.template.clone());
        }
        pods.iter().find(|p| generation_of(p).as_ref() == Some(generation)).map(|p| changes::pod_template(p))
    };
    generations
        .iter()
        .enumerate()
        .map(|(i, generation)| RevisionEntry {
            name: None,
            revision: None,
            hash: None,
            template_generation: Some(generation.clone()),
            current: Some(generation) == current.as_ref(),
            pods: pods.iter().filter(|p| generation_of(p).as_ref() == Some(generation)).count() as u32,
            changes: match (generations.get(i + 1).and_then(template_of), template_of(generation)) {
                (Some(older), Some(newer)) => changes::template_changes(&older, &newer, false),
                _ => Vec::new(),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests;
