//! The per-node verdict for one DaemonSet, and the status counters the controller would write.

use std::borrow::Cow;
use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{ContainerStatus, Event, Node, Pod, PodSpec};
use k8s_openapi::api::node::v1::RuntimeClass;

use super::affinity::node_selector_misses;
use super::eligibility::{DaemonTemplate, Eligibility, decide, node_should_run};
use super::fit::{PodAsks, SharedUsage, check_asks};
use super::hints::Hints;
use super::pods::{
    CurrentRevision, PodsOnNodes, REVISION_HASH_LABEL, available_in, daemonset_pods, is_available, is_ready,
    owned_revisions, phase, ready_since, restarts, revision_hash, template_generation, unschedulable_message,
};
use super::{Options, TERMINATING_SLACK, scheduler_message};
use crate::parallel::spread;
use crate::report::{
    API_VERSION, Cause, DaemonSetInfo, Explanation, Header, NodeReport, NodeStatus, PodReport, Reason, Revision,
    StatusMismatch, Summary, UpdateStrategy,
};
use crate::snapshot::{Kind, Snapshot};

/// What to explain: a DaemonSet of the snapshot, or a manifest evaluated against it.
#[derive(Clone, Copy)]
pub enum Target<'a> {
    Existing(&'a DaemonSet),
    /// `existing` is the DaemonSet of the same namespace and name, if the snapshot has one: the
    /// manifest is then an update of it.
    WhatIf {
        manifest: &'a DaemonSet,
        existing: Option<&'a DaemonSet>,
    },
}

/// Everything about the DaemonSet that every node's verdict needs, computed once.
struct Context<'a> {
    snapshot: &'a Snapshot,
    opts: &'a Options,
    ds: &'a DaemonSet,
    namespace: &'a str,
    name: &'a str,
    spec: Option<&'a PodSpec>,
    template: DaemonTemplate<'a>,
    hints: Hints<'a>,
    pods: PodsOnNodes<'a>,
    revision: CurrentRevision,
    min_ready_seconds: i32,
    namespace_selector: Option<BTreeMap<String, String>>,
    events: DaemonSetEvents,
    usage: &'a SharedUsage<'a>,
    runtime_class: RuntimeClassFound<'a>,
    /// The template as the scheduler sees it: with its RuntimeClass's overhead.
    fit_spec: Cow<'a, PodSpec>,
    asks: PodAsks,
}

/// The template's RuntimeClass, looked up once.
enum RuntimeClassFound<'a> {
    NotAsked,
    Found(&'a str, &'a RuntimeClass),
    /// Named, and the snapshot's RuntimeClasses (when it has them) lack it.
    Missing(&'a str),
}

impl<'a> Context<'a> {
    fn new(usage: &'a SharedUsage<'a>, opts: &'a Options, ds: &'a DaemonSet, pods_of: &'a DaemonSet) -> Self {
        let snapshot = usage.snapshot();
        let namespace = ds.metadata.namespace.as_deref().unwrap_or("default");
        let name = ds.metadata.name.as_deref().unwrap_or_default();
        let spec = ds.spec.template.spec.as_ref();
        let runtime_class = match spec.and_then(|s| s.runtime_class_name.as_deref()) {
            None => RuntimeClassFound::NotAsked,
            Some(class) => {
                match snapshot.runtime_classes.iter().find(|rc| rc.metadata.name.as_deref() == Some(class)) {
                    Some(rc) => RuntimeClassFound::Found(class, rc),
                    None => RuntimeClassFound::Missing(class),
                }
            }
        };
        let mut fit_spec = spec.map_or_else(|| Cow::Owned(PodSpec::default()), Cow::Borrowed);
        if let RuntimeClassFound::Found(_, rc) = runtime_class {
            fit_spec.to_mut().overhead = rc.overhead.as_ref().and_then(|o| o.pod_fixed.clone());
        }
        let revisions = owned_revisions(pods_of, &snapshot.revisions);
        let revision = CurrentRevision {
            hash: revisions.first().and_then(|r| revision_hash(r)),
            template_generation: template_generation(ds),
        };
        let pods = PodsOnNodes::of(snapshot, pods_of, opts.version, &revision);
        Context {
            snapshot,
            opts,
            ds,
            namespace,
            name,
            spec,
            template: DaemonTemplate::new(spec),
            hints: Hints::for_template(namespace, name, spec),
            revision,
            pods,
            min_ready_seconds: ds.spec.min_ready_seconds.unwrap_or(0),
            namespace_selector: namespace_node_selector(snapshot, namespace),
            events: DaemonSetEvents::collect(&snapshot.events, pods_of),
            usage,
            runtime_class,
            asks: PodAsks::of(&fit_spec),
            fit_spec,
        }
    }
}

/// The node rows an explanation carries. The summary counts every node whatever the rows; views
/// that show a few rows need not build the others, which at thousands of nodes are most of the
/// work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rows<'a> {
    /// Every node, as `explain` shows them.
    All,
    /// The nodes where the DaemonSet wants a healthy pod and has none, whose reasons the
    /// overview ranks.
    LackingHealthyPod,
    /// One node, for the node view.
    Node(&'a str),
}

impl Rows<'_> {
    fn want(self, node: &str, status: NodeStatus) -> bool {
        match self {
            Rows::All => true,
            Rows::LackingHealthyPod => status.lacks_healthy_pod(),
            Rows::Node(wanted) => wanted == node,
        }
    }
}

pub fn explain(snapshot: &Snapshot, target: Target<'_>, opts: &Options) -> Explanation {
    explain_sharing(&SharedUsage::new(snapshot), target, opts, Rows::All)
}

/// [`explain`] with the nodes' usage shared with other DaemonSets' explanations, and only the
/// rows asked for.
pub fn explain_sharing<'a>(
    usage: &'a SharedUsage<'a>,
    target: Target<'a>,
    opts: &'a Options,
    rows: Rows<'_>,
) -> Explanation {
    match target {
        Target::Existing(ds) => explain_existing(usage, ds, opts, rows),
        Target::WhatIf { manifest, existing } => explain_what_if(usage, manifest, existing, opts, rows),
    }
}

fn explain_existing<'a>(
    usage: &'a SharedUsage<'a>,
    ds: &'a DaemonSet,
    opts: &'a Options,
    rows: Rows<'_>,
) -> Explanation {
    usage.snapshot().build_indexes();
    let ctx = Context::new(usage, opts, ds, ds);
    let verdicts = verdicts(std::slice::from_ref(&ctx), rows).pop().unwrap_or_default();
    conclude(&ctx, verdicts, rows)
}

/// [`explain`] of each DaemonSet, in their order, with the rows asked for: what the overview and
/// the node view show. They share the nodes' usage, and each node is read once for all of them.
pub fn explain_each(
    snapshot: &Snapshot,
    daemonsets: &[&DaemonSet],
    opts: &Options,
    rows: Rows<'_>,
) -> Vec<Explanation> {
    snapshot.build_indexes();
    let usage = SharedUsage::new(snapshot);
    let contexts = spread(daemonsets.len(), |i| Context::new(&usage, opts, daemonsets[i], daemonsets[i]));
    let verdicts = verdicts(&contexts, rows);
    contexts.iter().zip(verdicts).map(|(ctx, verdicts)| conclude(ctx, verdicts, rows)).collect()
}

/// One DaemonSet's verdicts on some nodes: what they add to the summary, and the rows asked for.
#[derive(Default)]
struct Verdicts {
    summary: Summary,
    rows: Vec<NodeReport>,
}

/// Nodes per task: few enough that a task's nodes stay in the cache while every DaemonSet looks
/// at them, enough that handing out tasks costs nothing.
const NODES_PER_TASK: usize = 64;

/// Each context's verdicts on every node of the snapshot, rows in node name order. Runs of nodes
/// are spread over the cores; within a run, every DaemonSet looks at a node while it is cached.
fn verdicts(contexts: &[Context<'_>], rows: Rows<'_>) -> Vec<Verdicts> {
    let mut total: Vec<Verdicts> = contexts.iter().map(|_| Verdicts::default()).collect();
    let Some(snapshot) = contexts.first().map(|ctx| ctx.snapshot).filter(|s| s.has(Kind::Node)) else { return total };
    let runs: Vec<&[usize]> = snapshot.nodes_by_name().chunks(NODES_PER_TASK).collect();
    let done = spread(runs.len(), |run| {
        let mut verdicts: Vec<Verdicts> = contexts.iter().map(|_| Verdicts::default()).collect();
        for (ctx, verdicts) in contexts.iter().zip(&mut verdicts) {
            for &position in runs[run] {
                let node = &snapshot.nodes[position];
                verdicts.rows.extend(node_row(ctx, &mut verdicts.summary, node, position, rows));
            }
        }
        verdicts
    });
    for run in done {
        for (total, part) in total.iter_mut().zip(run) {
            total.summary += &part.summary;
            total.rows.extend(part.rows);
        }
    }
    total
}

/// The explanation from the verdicts on every node: the rows for pods on nodes the snapshot
/// lacks, and the summary against the DaemonSet's status.
fn conclude(ctx: &Context<'_>, verdicts: Verdicts, rows: Rows<'_>) -> Explanation {
    let snapshot = ctx.snapshot;
    let Verdicts { mut summary, rows: mut nodes } = verdicts;
    let elsewhere = if snapshot.has(Kind::Node) { orphan_rows(ctx) } else { unknown_rows(ctx) };
    nodes.extend(elsewhere.into_iter().filter(|row| rows.want(&row.node, row.status)));
    summary.nodes = snapshot.nodes.len() as u32;
    summary.unavailable = summary.desired.saturating_sub(summary.available);
    let status_mismatches = if snapshot.has(Kind::Node) { status_mismatches(ctx.ds, &summary) } else { Vec::new() };
    finish(ctx, false, summary, status_mismatches, nodes)
}

fn explain_what_if<'a>(
    usage: &'a SharedUsage<'a>,
    manifest: &'a DaemonSet,
    existing: Option<&'a DaemonSet>,
    opts: &'a Options,
    rows: Rows<'_>,
) -> Explanation {
    let snapshot = usage.snapshot();
    let ctx = Context::new(usage, opts, manifest, existing.unwrap_or(manifest));
    let today = existing.map(|ds| Context::new(usage, opts, ds, ds));
    let mut summary = Summary::default();
    let mut nodes = Vec::new();
    if snapshot.has(Kind::Node) {
        for &position in snapshot.nodes_by_name() {
            let node = &snapshot.nodes[position];
            let node_name = node.metadata.name.as_deref().unwrap_or_default();
            let eligibility = node_should_run(node, &ctx.template, &ctx.hints);
            let (status, reasons) = if eligibility.should_run {
                summary.desired += 1;
                let reasons = scheduler_prediction(&ctx, node, ctx.pods.on(position)).unwrap_or_default();
                if reasons.is_empty() {
                    (NodeStatus::WouldRun, reasons)
                } else {
                    summary.missing += 1;
                    (NodeStatus::WouldBePending, reasons)
                }
            } else {
                (NodeStatus::Excluded, eligibility.failures.clone())
            };
            if !rows.want(node_name, status) {
                continue;
            }
            let current = today.as_ref().map(|today| {
                let pods = today.pods.on(position);
                node_report(today, node, node_should_run(node, &today.template, &today.hints), pods, None).status
            });
            let pods = today.as_ref().map(|today| pod_reports(today, today.pods.on(position))).unwrap_or_default();
            nodes.push(NodeReport {
                node: node_name.to_string(),
                should_run: Some(eligibility.should_run),
                should_continue_running: Some(eligibility.should_continue_running),
                status,
                current,
                pods,
                reasons,
            });
        }
    } else {
        nodes.extend(unknown_rows(&ctx));
    }
    summary.nodes = snapshot.nodes.len() as u32;
    finish(&ctx, true, summary, Vec::new(), nodes)
}

/// The nodes whose scheduler fit the verdict needs, so that a live source lists the pods of only
/// those nodes: eligible nodes without a pod or with an unschedulable one; for a what-if, every
/// node the manifest would run on.
pub fn nodes_needing_fit(
    snapshot: &Snapshot,
    ds: &DaemonSet,
    version: crate::version::KubeVersion,
    what_if: bool,
) -> Vec<String> {
    let spec = ds.spec.template.spec.as_ref();
    let template = DaemonTemplate::new(spec);
    let pods = daemonset_pods(snapshot, ds, version);
    snapshot
        .nodes
        .iter()
        .filter(|node| decide(node, &template).should_run)
        .filter_map(|node| node.metadata.name.clone())
        .filter(|name| {
            what_if
                || pods.get(name.as_str()).and_then(|p| p.first()).is_none_or(|p| unschedulable_message(p).is_some())
        })
        .collect()
}

fn finish(
    ctx: &Context<'_>,
    what_if: bool,
    summary: Summary,
    status_mismatches: Vec<StatusMismatch>,
    mut nodes: Vec<NodeReport>,
) -> Explanation {
    // Rows come in node name order but for pods on nodes the snapshot lacks: then sort by name too.
    if nodes.is_sorted_by(|a, b| a.node <= b.node) {
        nodes.sort_by_key(|row| row.status);
    } else {
        nodes.sort_by(|a, b| a.status.cmp(&b.status).then_with(|| a.node.cmp(&b.node)));
    }
    let spec = &ctx.ds.spec;
    let strategy = spec.update_strategy.as_ref();
    let kind = strategy.and_then(|s| s.type_.clone()).unwrap_or_else(|| "RollingUpdate".to_string());
    let rolling = strategy.and_then(|s| s.rolling_update.as_ref());
    let int_or_string = |v: &k8s_openapi::apimachinery::pkg::util::intstr::IntOrString| match v {
        k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(i) => i.to_string(),
        k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s) => s.clone(),
    };
    let update_strategy = UpdateStrategy {
        max_unavailable: (kind == "RollingUpdate")
            .then(|| rolling.and_then(|r| r.max_unavailable.as_ref()).map_or("1".to_string(), int_or_string)),
        max_surge: (kind == "RollingUpdate")
            .then(|| rolling.and_then(|r| r.max_surge.as_ref()).map_or("0".to_string(), int_or_string)),
        kind,
    };
    let pods_of_revisions = owned_revisions(ctx.ds, &ctx.snapshot.revisions);
    let newest = pods_of_revisions.first();
    let current_revision = Some(Revision {
        name: newest.and_then(|r| r.metadata.name.clone()),
        revision: newest.and_then(|r| r.revision),
        hash: ctx.revision.hash.clone(),
        template_generation: ctx.revision.template_generation.clone(),
    })
    .filter(|r| r.name.is_some() || r.template_generation.is_some());
    Explanation {
        header: Header {
            api_version: API_VERSION,
            kind: "Explanation",
            source: ctx.snapshot.origin.clone(),
            kubernetes_version: ctx.opts.version.to_string(),
            as_of: Some(ctx.opts.as_of),
            gaps: gaps(ctx, what_if),
            notes: ctx.snapshot.notes.clone(),
            daemon_set: DaemonSetInfo {
                namespace: ctx.namespace.to_string(),
                name: ctx.name.to_string(),
                generation: ctx.ds.metadata.generation,
                observed_generation: ctx.ds.status.as_ref().and_then(|s| s.observed_generation),
                update_strategy,
                current_revision: if what_if { None } else { current_revision },
                what_if,
            },
        },
        summary,
        status_mismatches,
        nodes,
    }
}

/// `updateDaemonSetStatus`: only the first pod in the controller's order counts for a node.
/// `updated`: whether that pod runs the current revision.
fn count(summary: &mut Summary, ctx: &Context<'_>, eligibility: &Eligibility, pods: &[&Pod], updated: bool) {
    if eligibility.should_run {
        summary.desired += 1;
        let Some(pod) = pods.first() else { return };
        summary.current += 1;
        if is_ready(pod) {
            summary.ready += 1;
            if is_available(pod, ctx.min_ready_seconds, ctx.opts.as_of, ctx.opts.version) {
                summary.available += 1;
            }
        }
        if updated {
            summary.updated += 1;
        }
    } else if !pods.is_empty() {
        summary.misscheduled += 1;
    }
}

fn status_mismatches(ds: &DaemonSet, computed: &Summary) -> Vec<StatusMismatch> {
    let Some(status) = ds.status.as_ref() else { return Vec::new() };
    let pairs = [
        ("desiredNumberScheduled", computed.desired, Some(status.desired_number_scheduled)),
        ("currentNumberScheduled", computed.current, Some(status.current_number_scheduled)),
        ("numberReady", computed.ready, Some(status.number_ready)),
        ("updatedNumberScheduled", computed.updated, status.updated_number_scheduled),
        ("numberAvailable", computed.available, status.number_available),
        ("numberUnavailable", computed.unavailable, status.number_unavailable),
        ("numberMisscheduled", computed.misscheduled, Some(status.number_misscheduled)),
    ];
    pairs
        .into_iter()
        .map(|(field, computed, reported)| (field, i64::from(computed), i64::from(reported.unwrap_or(0))))
        .filter(|(_, computed, reported)| computed != reported)
        .map(|(field, computed, reported)| StatusMismatch { field, computed, reported })
        .collect()
}

/// Counts the node into `summary`, and returns its row when `rows` wants it.
fn node_row(
    ctx: &Context<'_>,
    summary: &mut Summary,
    node: &Node,
    position: usize,
    rows: Rows<'_>,
) -> Option<NodeReport> {
    let pods = ctx.pods.on(position);
    let decision = decide(node, &ctx.template);
    let updated = ctx.pods.first_updated(position);
    count(summary, ctx, &decision, pods, updated);
    let status = match (decision.should_run, pods.first()) {
        (false, _) if pods.is_empty() => NodeStatus::Excluded,
        (false, _) => NodeStatus::Misscheduled,
        (true, None) => NodeStatus::Missing,
        // The pod's state decides; its reasons come with it.
        (true, Some(counted)) => {
            let (status, reasons) = pod_verdict(ctx, node, counted, updated, pods);
            tally(summary, status);
            let wanted = rows.want(node.metadata.name.as_deref().unwrap_or_default(), status);
            return wanted.then(|| node_report(ctx, node, decision, pods, Some((status, reasons))));
        }
    };
    tally(summary, status);
    let wanted = rows.want(node.metadata.name.as_deref().unwrap_or_default(), status);
    wanted.then(|| node_report(ctx, node, node_should_run(node, &ctx.template, &ctx.hints), pods, None))
}

/// The verdicts the summary counts beyond the controller's own counters.
fn tally(summary: &mut Summary, status: NodeStatus) {
    match status {
        NodeStatus::Missing => summary.missing += 1,
        NodeStatus::Stuck => summary.stuck += 1,
        _ => {}
    }
}

/// `verdict`: the counted pod's, when the caller has it already.
fn node_report(
    ctx: &Context<'_>,
    node: &Node,
    eligibility: Eligibility,
    pods: &[&Pod],
    verdict: Option<(NodeStatus, Vec<Reason>)>,
) -> NodeReport {
    let node_name = node.metadata.name.as_deref().unwrap_or_default();
    let (status, mut reasons) = if !eligibility.should_run {
        let mut reasons = eligibility.failures;
        if pods.is_empty() {
            (NodeStatus::Excluded, reasons)
        } else {
            if let Some(first) = reasons.first_mut() {
                first.message.push_str(if eligibility.should_continue_running {
                    "; the controller leaves the running pod alone but would not create it"
                } else {
                    "; the controller deletes the pod"
                });
            }
            (NodeStatus::Misscheduled, reasons)
        }
    } else if let Some(verdict) = verdict {
        verdict
    } else if let Some(counted) = pods.first() {
        pod_verdict(ctx, node, counted, ctx.revision.is_updated(counted, ctx.opts.version), pods)
    } else {
        missing_verdict(ctx, node)
    };
    if eligibility.should_run {
        let live = || pods.iter().filter(|p| p.metadata.deletion_timestamp.is_none());
        if live().nth(1).is_some() {
            let surge = surge_allowed(ctx.ds, ctx.opts.version);
            let updated = live().filter(|p| ctx.revision.is_updated(p, ctx.opts.version)).count();
            // With maxSurge a new pod runs beside the old one until it is available: not a duplicate.
            let surge_pair = surge && live().count() == 2 && updated == 1;
            if !surge_pair {
                let names: Vec<String> = live().filter_map(|p| p.metadata.name.clone()).collect();
                let keeps = if surge { "the oldest new and the oldest old pod" } else { "the oldest" };
                reasons.push(Reason {
                    message: format!(
                        "{} pods for one node ({}); the controller keeps {keeps}",
                        names.len(),
                        names.join(", ")
                    ),
                    cause: Cause::DuplicatePods { pods: names },
                    hint: None,
                });
            }
        }
        if let Some(not_ready) = node_not_ready_reason(node)
            && !reasons.iter().any(|r| r.code() == "NodeNotReady")
        {
            reasons.push(not_ready);
        }
    }
    NodeReport {
        node: node_name.to_string(),
        should_run: Some(eligibility.should_run),
        should_continue_running: Some(eligibility.should_continue_running),
        status,
        current: None,
        pods: pod_reports(ctx, pods),
        reasons,
    }
}

/// `AllowsSurge`: a RollingUpdate whose maxSurge is not zero; the gate is on by default from 1.22.
fn surge_allowed(ds: &DaemonSet, version: crate::version::KubeVersion) -> bool {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    let Some(strategy) = ds.spec.update_strategy.as_ref() else { return false };
    if strategy.type_.as_deref().is_some_and(|t| t != "RollingUpdate") || !version.at_least(22) {
        return false;
    }
    match strategy.rolling_update.as_ref().and_then(|r| r.max_surge.as_ref()) {
        Some(IntOrString::Int(n)) => *n > 0,
        Some(IntOrString::String(s)) => s.trim_end_matches('%').parse::<i64>().is_ok_and(|n| n > 0),
        None => false,
    }
}

fn pod_reports(ctx: &Context<'_>, pods: &[&Pod]) -> Vec<PodReport> {
    pods.iter()
        .enumerate()
        .map(|(i, pod)| PodReport {
            name: pod.metadata.name.clone().unwrap_or_default(),
            phase: phase(pod).to_string(),
            ready: is_ready(pod),
            available: is_available(pod, ctx.min_ready_seconds, ctx.opts.as_of, ctx.opts.version),
            updated: ctx.revision.is_updated(pod, ctx.opts.version),
            terminating: pod.metadata.deletion_timestamp.is_some(),
            restarts: restarts(pod),
            counted: i == 0,
            created: pod.metadata.creation_timestamp.as_ref().map(|t| t.0),
        })
        .collect()
}

fn older_than(ctx: &Context<'_>, since: Option<Timestamp>, limit: SignedDuration) -> bool {
    since.is_some_and(|since| ctx.opts.as_of.duration_since(since) > limit)
}

/// The verdict from the pod the controller counts on an eligible node.
/// `updated`: whether `pod` runs the current revision.
fn pod_verdict(ctx: &Context<'_>, node: &Node, pod: &Pod, updated: bool, pods: &[&Pod]) -> (NodeStatus, Vec<Reason>) {
    let (status, mut reasons) = pod_state(ctx, node, pod, pods);
    if !updated {
        let pod_hash = pod.metadata.labels.as_ref().and_then(|l| l.get(REVISION_HASH_LABEL)).cloned();
        let on_delete = ctx.ds.spec.update_strategy.as_ref().and_then(|s| s.type_.as_deref()) == Some("OnDelete");
        let waiting = match (status == NodeStatus::Healthy, on_delete) {
            (false, _) => "",
            (true, false) => "; it is replaced when the rollout reaches this node",
            (true, true) => "; with OnDelete it is replaced only once someone deletes it",
        };
        reasons.push(Reason {
            message: format!(
                "pod runs an old revision ({}){waiting}",
                pod_hash.as_deref().unwrap_or("no controller-revision-hash label")
            ),
            cause: Cause::Outdated { pod_hash, current_hash: ctx.revision.hash.clone() },
            hint: on_delete.then(|| {
                format!(
                    "the strategy is OnDelete: kubectl delete pod {} -n {} replaces it",
                    pod.metadata.name.as_deref().unwrap_or_default(),
                    ctx.namespace
                )
            }),
        });
        if status == NodeStatus::Healthy {
            return (NodeStatus::Progressing, reasons);
        }
    }
    (status, reasons)
}

/// `pods`: all the DaemonSet's pods for the node, `pod` among them.
fn pod_state(ctx: &Context<'_>, node: &Node, pod: &Pod, pods: &[&Pod]) -> (NodeStatus, Vec<Reason>) {
    let as_of = ctx.opts.as_of;
    if let Some(deleting) = pod.metadata.deletion_timestamp.as_ref().map(|t| t.0) {
        let past = deleting.checked_add(TERMINATING_SLACK).is_ok_and(|deadline| as_of > deadline);
        let finalizers = pod.metadata.finalizers.clone().unwrap_or_default();
        let mut message = format!("pod is terminating (deletion deadline {deleting})");
        if past {
            message.push_str(", past its grace period");
        }
        if !finalizers.is_empty() {
            message.push_str(&format!("; finalizers: {}", finalizers.join(", ")));
        }
        let reason = Reason {
            cause: Cause::Terminating { since: Some(deleting), past_grace_period: past, finalizers },
            message,
            hint: past.then(|| {
                "a pod stuck terminating usually means an unreachable kubelet or a finalizer nobody removes".to_string()
            }),
        };
        return (if past { NodeStatus::Stuck } else { NodeStatus::Progressing }, vec![reason]);
    }
    match phase(pod) {
        "Failed" => {
            let pod_reason = pod.status.as_ref().and_then(|s| s.reason.clone());
            let detail = pod.status.as_ref().and_then(|s| s.message.clone()).unwrap_or_default();
            let mut message = format!("pod failed ({})", pod_reason.as_deref().unwrap_or("no reason given"));
            if !detail.is_empty() {
                message.push_str(&format!(": {detail}"));
            }
            let mut reasons = vec![Reason { cause: Cause::Failed { pod_reason }, message, hint: None }];
            reasons.extend(ctx.events.backoff_on(node));
            return (NodeStatus::Stuck, reasons);
        }
        "Succeeded" => {
            return (
                NodeStatus::Progressing,
                vec![Reason {
                    cause: Cause::Succeeded {},
                    message: "pod exited successfully; the controller deletes and replaces it".to_string(),
                    hint: Some("a node agent's containers should not exit".to_string()),
                }],
            );
        }
        _ => {}
    }
    if let Some(message) = unschedulable_message(pod) {
        return (NodeStatus::Stuck, unschedulable_reasons(ctx, node, pods, &message));
    }
    if let Some(reason) = container_problem(pod) {
        return (NodeStatus::Stuck, vec![reason]);
    }
    if !is_ready(pod) {
        let creating = phase(pod) == "Pending" || waiting_containers(pod).any(is_creating);
        let reason = if creating {
            let waiting_reason =
                waiting_containers(pod).find_map(|c| c.state.as_ref()?.waiting.as_ref()?.reason.clone());
            let since = pod.metadata.creation_timestamp.as_ref().map(|t| t.0);
            Reason {
                message: format!(
                    "pod is being created ({})",
                    waiting_reason.as_deref().unwrap_or(if pod_scheduled(pod) {
                        "Pending"
                    } else {
                        "waiting for the scheduler"
                    })
                ),
                cause: Cause::ContainerCreating { since, waiting_reason },
                hint: None,
            }
        } else {
            let since = ready_since(pod);
            Reason {
                message: "pod is running but not ready (readiness probe failing or containers starting)".to_string(),
                cause: Cause::NotReady { since, available_in_seconds: None },
                hint: None,
            }
        };
        let since = match &reason.cause {
            Cause::ContainerCreating { since, .. } | Cause::NotReady { since, .. } => *since,
            _ => None,
        };
        let stuck = older_than(ctx, since, ctx.opts.stuck_after);
        return (if stuck { NodeStatus::Stuck } else { NodeStatus::Progressing }, vec![reason]);
    }
    if let Some(seconds) = available_in(pod, ctx.min_ready_seconds, as_of, ctx.opts.version) {
        return (
            NodeStatus::Progressing,
            vec![Reason {
                message: format!(
                    "pod is ready but not yet available (minReadySeconds {}: available in {seconds}s)",
                    ctx.min_ready_seconds
                ),
                cause: Cause::NotReady { since: ready_since(pod), available_in_seconds: Some(seconds) },
                hint: None,
            }],
        );
    }
    (NodeStatus::Healthy, Vec::new())
}

/// The scheduler's message counts reasons over all nodes. For a pinned DaemonSet pod only the
/// target's matter, but before 1.24 the other nodes can fail an earlier filter than NodeAffinity
/// (a tainted control plane), so the message alone cannot say which entry is the target's. Keep
/// the entries our own evaluation of the target confirms, with our numbers; the rest are the
/// other nodes'. When we cannot evaluate (no capacity data), trust the message.
fn unschedulable_reasons(ctx: &Context<'_>, node: &Node, pods: &[&Pod], message: &str) -> Vec<Reason> {
    let parsed = scheduler_message::target_node_reasons(message);
    let Some(predicted) = scheduler_prediction(ctx, node, pods) else { return parsed };
    let eligibility = node_should_run(node, &ctx.template, &ctx.hints);
    let mut confirmed: Vec<Reason> = Vec::new();
    for reason in parsed {
        let ours = predicted.iter().find(|p| same_finding(p, &reason));
        let from_eligibility = eligibility.failures.iter().find(|f| f.code() == reason.code());
        let keep = match &reason.cause {
            Cause::Unschedulable { .. } => Some(reason.clone()),
            Cause::NodeAffinityMismatch { .. } => predicted
                .iter()
                .find(|p| matches!(p.cause, Cause::NamespaceNodeSelector { .. } | Cause::RuntimeClassScheduling { .. }))
                .or(from_eligibility)
                .cloned(),
            Cause::UntoleratedTaint { .. } => from_eligibility.cloned(),
            _ => ours.cloned(),
        };
        if let Some(keep) = keep
            && !confirmed.contains(&keep)
        {
            confirmed.push(keep);
        }
    }
    if confirmed.is_empty() {
        if predicted.is_empty() {
            return vec![Reason {
                cause: Cause::Unschedulable { scheduler_message: message.to_string() },
                message: format!("scheduler: {message}"),
                hint: None,
            }];
        }
        return predicted;
    }
    confirmed
}

fn same_finding(a: &Reason, b: &Reason) -> bool {
    match (&a.cause, &b.cause) {
        (Cause::InsufficientResources { resource: x, .. }, Cause::InsufficientResources { resource: y, .. }) => x == y,
        (x, y) => x.code() == y.code() && !matches!(x, Cause::Unschedulable { .. }),
    }
}

fn pod_scheduled(pod: &Pod) -> bool {
    pod.spec.as_ref().and_then(|s| s.node_name.as_deref()).is_some_and(|n| !n.is_empty())
}

fn waiting_containers(pod: &Pod) -> impl Iterator<Item = &ContainerStatus> {
    let status = pod.status.as_ref();
    let init = status.and_then(|s| s.init_container_statuses.as_deref()).unwrap_or_default();
    let main = status.and_then(|s| s.container_statuses.as_deref()).unwrap_or_default();
    init.iter().chain(main).filter(|c| c.state.as_ref().and_then(|s| s.waiting.as_ref()).is_some())
}

fn is_creating(container: &ContainerStatus) -> bool {
    let reason = container.state.as_ref().and_then(|s| s.waiting.as_ref()).and_then(|w| w.reason.as_deref());
    matches!(reason, Some("ContainerCreating" | "PodInitializing") | None)
}

/// A container the kubelet cannot get running: image pulls, crash loops, bad config.
fn container_problem(pod: &Pod) -> Option<Reason> {
    for container in waiting_containers(pod) {
        let waiting = container.state.as_ref()?.waiting.as_ref()?;
        let detail = waiting.message.clone().filter(|m| !m.is_empty());
        let name = container.name.clone();
        let reason = match waiting.reason.as_deref() {
            Some("ImagePullBackOff" | "ErrImagePull" | "InvalidImageName" | "ErrImageNeverPull") => Reason {
                message: format!(
                    "container {name} cannot pull image {}{}",
                    container.image,
                    detail.as_deref().map(|d| format!(": {d}")).unwrap_or_default()
                ),
                hint: Some(
                    "check the image name and tag, the registry's reachability and imagePullSecrets".to_string(),
                ),
                cause: Cause::ImagePullBackOff { container: name, image: Some(container.image.clone()), detail },
            },
            Some("CrashLoopBackOff") => {
                let last = container.last_state.as_ref().and_then(|s| s.terminated.as_ref());
                let exit_code = last.map(|t| t.exit_code);
                let last_reason = last.and_then(|t| t.reason.clone());
                Reason {
                    message: format!(
                        "container {name} is crash looping: last exit code {}{}, {} restarts",
                        exit_code.map_or("unknown".to_string(), |c| c.to_string()),
                        last_reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default(),
                        container.restart_count
                    ),
                    hint: Some(format!(
                        "kubectl logs -n {} {} -c {name} --previous",
                        pod.metadata.namespace.as_deref().unwrap_or_default(),
                        pod.metadata.name.as_deref().unwrap_or_default()
                    )),
                    cause: Cause::CrashLoopBackOff {
                        container: name,
                        restarts: container.restart_count,
                        exit_code,
                        last_reason,
                    },
                }
            }
            Some("CreateContainerConfigError" | "CreateContainerError" | "RunContainerError") => Reason {
                message: format!(
                    "container {name} cannot be created{}",
                    detail.as_deref().map(|d| format!(": {d}")).unwrap_or_default()
                ),
                hint: Some("check the ConfigMaps, Secrets and keys the container references".to_string()),
                cause: Cause::CreateContainerConfigError { container: name, detail },
            },
            _ => continue,
        };
        return Some(reason);
    }
    None
}

/// An eligible node without a pod.
fn missing_verdict(ctx: &Context<'_>, node: &Node) -> (NodeStatus, Vec<Reason>) {
    let mut reasons = scheduler_prediction(ctx, node, &[]).unwrap_or_default();
    reasons.extend(ctx.events.failed_create.clone());
    reasons.extend(ctx.events.backoff_on(node));
    let generation = ctx.ds.metadata.generation;
    let observed = ctx.ds.status.as_ref().and_then(|s| s.observed_generation);
    let behind = matches!((generation, observed), (Some(g), Some(o)) if o < g);
    if behind || reasons.is_empty() {
        let message = if behind {
            format!(
                "the controller has not caught up with this DaemonSet (observedGeneration {} < generation {})",
                observed.unwrap_or_default(),
                generation.unwrap_or_default()
            )
        } else {
            "nothing in the snapshot explains the missing pod: the controller has not created it yet".to_string()
        };
        reasons.push(Reason {
            cause: Cause::ControllerBehind { generation, observed_generation: observed },
            message,
            hint: Some("check that kube-controller-manager is running and look at the DaemonSet's events".to_string()),
        });
    }
    (NodeStatus::Missing, reasons)
}

/// What stops the scheduler placing a pod of this template on the node, beyond what the
/// controller checks: admission's namespace node selector, the RuntimeClass, host ports and
/// resources, in the scheduler's filter order. `None` when the node's capacity is unknown. `own`:
/// the DaemonSet's pods for the node, which the new one replaces, not usage.
fn scheduler_prediction(ctx: &Context<'_>, node: &Node, own: &[&Pod]) -> Option<Vec<Reason>> {
    let node_name = node.metadata.name.as_deref().unwrap_or_default();
    let empty = BTreeMap::new();
    let labels = node.metadata.labels.as_ref().unwrap_or(&empty);
    let mut reasons = Vec::new();
    if let Some(selector) = &ctx.namespace_selector {
        for miss in node_selector_misses(selector, labels) {
            reasons.push(Reason {
                message: format!(
                    "namespace {} adds node selector {}={} at admission; node has {}",
                    ctx.namespace,
                    miss.key,
                    miss.wanted,
                    miss.actual.as_deref().map_or("no such label".to_string(), |a| format!("{}={a}", miss.key))
                ),
                hint: Some(ctx.hints.label_node(node_name, &miss.key, &miss.wanted, miss.actual.is_some())),
                cause: Cause::NamespaceNodeSelector {
                    namespace: ctx.namespace.to_string(),
                    key: miss.key,
                    wanted: miss.wanted,
                    actual: miss.actual,
                },
            });
        }
    }
    match ctx.runtime_class {
        RuntimeClassFound::Found(class, rc) => {
            let selector = rc.scheduling.as_ref().and_then(|s| s.node_selector.as_ref());
            for miss in selector.map(|s| node_selector_misses(s, labels)).unwrap_or_default() {
                reasons.push(Reason {
                    message: format!("RuntimeClass {class} restricts pods to nodes with {}={}", miss.key, miss.wanted),
                    hint: Some(ctx.hints.label_node(node_name, &miss.key, &miss.wanted, miss.actual.is_some())),
                    cause: Cause::RuntimeClassScheduling {
                        runtime_class: class.to_string(),
                        key: Some(miss.key),
                        wanted: Some(miss.wanted),
                        actual: miss.actual,
                    },
                });
            }
        }
        RuntimeClassFound::Missing(class) if ctx.snapshot.has(Kind::RuntimeClass) => reasons.push(Reason {
            message: format!("RuntimeClass {class} does not exist: admission rejects the pod"),
            hint: None,
            cause: Cause::RuntimeClassScheduling {
                runtime_class: class.to_string(),
                key: None,
                wanted: None,
                actual: None,
            },
        }),
        RuntimeClassFound::Missing(_) | RuntimeClassFound::NotAsked => {}
    }
    let usage = ctx.usage.on(node_name, own);
    let fit = check_asks(&ctx.fit_spec, &ctx.asks, node, Some(usage.as_ref()));
    reasons.extend(fit.clone().unwrap_or_default());
    fit.map(|_| reasons)
}

fn namespace_node_selector(snapshot: &Snapshot, namespace: &str) -> Option<BTreeMap<String, String>> {
    let ns = snapshot.namespaces.iter().find(|n| n.metadata.name.as_deref() == Some(namespace))?;
    let annotations = ns.metadata.annotations.as_ref()?;
    let raw = annotations
        .get("scheduler.alpha.kubernetes.io/node-selector")
        .or_else(|| annotations.get("openshift.io/node-selector"))?;
    let selector: BTreeMap<String, String> = raw
        .split(',')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    (!selector.is_empty()).then_some(selector)
}

fn node_not_ready_reason(node: &Node) -> Option<Reason> {
    let ready = node.status.as_ref()?.conditions.as_ref()?.iter().find(|c| c.type_ == "Ready")?;
    if ready.status == "True" {
        return None;
    }
    let since = ready.last_transition_time.as_ref().map(|t| t.0);
    Some(Reason {
        message: format!(
            "node is not ready (Ready={}{}){}",
            ready.status,
            since.map(|s| format!(" since {s}")).unwrap_or_default(),
            ready.message.as_deref().map(|m| format!(": {m}")).unwrap_or_default()
        ),
        cause: Cause::NodeNotReady { condition_status: ready.status.clone(), since, reason: ready.reason.clone() },
        hint: None,
    })
}

/// Pods bound to nodes that no longer exist: invisible in status, left to the pod GC.
fn orphan_rows(ctx: &Context<'_>) -> Vec<NodeReport> {
    ctx.pods
        .elsewhere
        .iter()
        .map(|(node, pods)| NodeReport {
            node: node.to_string(),
            should_run: None,
            should_continue_running: None,
            status: NodeStatus::Misscheduled,
            current: None,
            pods: pod_reports(ctx, pods),
            reasons: pods
                .iter()
                .map(|pod| {
                    let name = pod.metadata.name.clone().unwrap_or_default();
                    let bound = pod_scheduled(pod);
                    Reason {
                        message: format!(
                            "pod {name} is for node {node}, which does not exist; {}",
                            if bound { "the pod garbage collector removes it" } else { "the controller deletes it" }
                        ),
                        cause: Cause::OrphanPod { pod: name },
                        hint: None,
                    }
                })
                .collect(),
        })
        .collect()
}

/// Without Node objects nothing can be decided; show the pods the snapshot has, per node.
fn unknown_rows(ctx: &Context<'_>) -> Vec<NodeReport> {
    ctx.pods
        .elsewhere
        .iter()
        .map(|(node, pods)| NodeReport {
            node: node.to_string(),
            should_run: None,
            should_continue_running: None,
            status: NodeStatus::Unknown,
            current: None,
            pods: pod_reports(ctx, pods),
            reasons: vec![Reason {
                cause: Cause::MissingData { missing: "Node objects".to_string() },
                message: "no Node objects in the snapshot: taints and labels unknown".to_string(),
                hint: Some("include nodes: kubectl get nodes -o yaml".to_string()),
            }],
        })
        .collect()
}

/// The DaemonSet's own events that explain missing pods.
struct DaemonSetEvents {
    failed_create: Vec<Reason>,
    /// `FailedDaemonPod` ("Found failed daemon pod ... on node X, will try to kill it") by node.
    failed_pods: BTreeMap<String, (i32, Option<Timestamp>)>,
}

impl DaemonSetEvents {
    fn collect(events: &[Event], ds: &DaemonSet) -> Self {
        let mine = events.iter().filter(|e| {
            let o = &e.involved_object;
            o.kind.as_deref() == Some("DaemonSet")
                && o.name == ds.metadata.name
                && o.namespace.as_ref().or(e.metadata.namespace.as_ref()) == ds.metadata.namespace.as_ref()
                && (o.uid.is_none() || ds.metadata.uid.is_none() || o.uid == ds.metadata.uid)
        });
        let mut failed_create: BTreeMap<String, (i32, Option<Timestamp>)> = BTreeMap::new();
        let mut failed_pods = BTreeMap::new();
        for event in mine {
            let count = event.count.unwrap_or(1).max(1);
            let seen = event_time(event);
            let message = event.message.clone().unwrap_or_default();
            match event.reason.as_deref() {
                Some("FailedCreate") => {
                    let entry = failed_create.entry(message).or_default();
                    entry.0 += count;
                    entry.1 = entry.1.max(seen);
                }
                Some("FailedDaemonPod") => {
                    if let Some(node) = message.split(" on node ").nth(1).and_then(|rest| rest.split(',').next()) {
                        let entry: &mut (i32, Option<Timestamp>) = failed_pods.entry(node.to_string()).or_default();
                        entry.0 += count;
                        entry.1 = entry.1.max(seen);
                    }
                }
                _ => {}
            }
        }
        let failed_create = failed_create
            .into_iter()
            .map(|(message, (count, last_seen))| Reason {
                hint: create_hint(&message),
                message: format!("the controller cannot create pods ({count}x): {message}"),
                cause: Cause::FailedCreate { count, last_seen },
            })
            .collect();
        DaemonSetEvents { failed_create, failed_pods }
    }

    fn backoff_on(&self, node: &Node) -> Option<Reason> {
        let name = node.metadata.name.as_deref()?;
        let (count, last_seen) = *self.failed_pods.get(name)?;
        Some(Reason {
            message: format!(
                "the controller found failed pods on this node {count}x and backs off (up to 15 minutes) between replacements"
            ),
            cause: Cause::FailedPodBackoff { count, last_seen },
            hint: None,
        })
    }
}

fn event_time(event: &Event) -> Option<Timestamp> {
    event
        .last_timestamp
        .as_ref()
        .map(|t| t.0)
        .or_else(|| event.event_time.as_ref().map(|t| t.0))
        .or_else(|| event.first_timestamp.as_ref().map(|t| t.0))
}

fn create_hint(message: &str) -> Option<String> {
    let hint = if message.contains("violates PodSecurity") {
        "the namespace's Pod Security level rejects the pod: relabel the namespace (pod-security.kubernetes.io/enforce) or harden the pod"
    } else if message.contains("exceeded quota") {
        "a ResourceQuota in the namespace is exhausted: raise it or lower the DaemonSet's requests"
    } else if message.contains("serviceaccount") || message.contains("service account") {
        "create the ServiceAccount the pod template names"
    } else if message.contains("PriorityClass") || message.contains("priority class") {
        "create the PriorityClass the pod template names"
    } else {
        return None;
    };
    Some(hint.to_string())
}

fn gaps(ctx: &Context<'_>, what_if: bool) -> Vec<String> {
    let snapshot = ctx.snapshot;
    let mut gaps = Vec::new();
    let mut absent = |kind: Kind, what: &str| {
        if !snapshot.has(kind) {
            match snapshot.missing.get(&kind) {
                Some(why) => gaps.push(format!("{what} ({why})")),
                None => gaps.push(what.to_string()),
            }
        }
    };
    absent(Kind::Node, "no Node objects: taints and labels unknown");
    absent(Kind::Pod, "no Pods: pod state and node usage unknown");
    if !what_if {
        absent(Kind::ControllerRevision, "no ControllerRevisions: revision from pod-template-generation");
    }
    absent(Kind::Event, "no Events: creation failures and backoffs unknown");
    if !what_if && ctx.ds.status.is_none() {
        gaps.push("status stripped: the DaemonSet has no .status to compare with".to_string());
    }
    if let Some(class) = ctx.spec.and_then(|s| s.runtime_class_name.as_deref())
        && !snapshot.has(Kind::RuntimeClass)
    {
        gaps.push(format!("no RuntimeClasses: scheduling and overhead of {class} unknown"));
    }
    gaps
}

#[cfg(test)]
mod tests;
