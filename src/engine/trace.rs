//! `kubectl ds why-not-scheduled`: the whole story of each node that lacks a healthy pod.
//!
//! Built on [`explain`](super::explain) for the verdicts and the reasons, so that both commands
//! say the same thing, and on the rule modules for the evidence: [`controller_rules`] (the
//! DaemonSet controller), [`evaluate_fit`] (the scheduler's NodePorts and NodeResourcesFit),
//! [`scheduler_message`] (what the scheduler said), then the pod's own state and events. Each
//! fix is computed against every node, so that it can say what else it changes.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};

use jiff::Timestamp;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{ContainerStatus, Event, Node, Pod, PodSpec, Taint, Toleration};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use serde_json::json;

use super::Options;
use super::eligibility::{DaemonTemplate, controller_rules, decide};
use super::explain::{Target, explain};
use super::fit::{
    FitCheck, HostPort, NodeUsage, RequestParts, SharedUsage, check_fit, evaluate_fit, format_amount, host_ports,
    milli, pod_key, pod_requests, request_parts, usage_by_node,
};
use super::hints::Hints;
use super::pods::{controller_of, daemonset_pods, is_terminal, phase};
use super::scheduler_message::{self, Verdict};
use super::tolerations::{NOT_READY, UNREACHABLE, toleration_for, yaml_scalar};
use crate::report::trace::{Blocker, BlockerCode, ExcludedGroup, Fix, KIND, NodeTrace, Rule, SchedulingTrace, Stage};
use crate::report::{Cause, Header, NodeReport, NodeStatus, Reason};
use crate::snapshot::{Kind, Snapshot};

/// How many node names a sentence lists before "and N more".
const NAMES_SHOWN: usize = 5;
/// Above this many nodes a label fix selects them by label instead of naming them.
const LABEL_BY_NAME_MAX: usize = 5;

/// The trace of `target` for `nodes` (by name), or, when `nodes` is empty, for every node that
/// lacks a healthy pod or holds one the controller does not want, with excluded nodes grouped.
pub fn trace(snapshot: &Snapshot, target: Target<'_>, opts: &Options, nodes: &[String]) -> SchedulingTrace {
    let explanation = explain(snapshot, target, opts);
    let (ds, owner, exists) = match target {
        Target::Existing(ds) => (ds, ds, true),
        Target::WhatIf { manifest, existing } => (manifest, existing.unwrap_or(manifest), existing.is_some()),
    };
    let ctx = Context::new(snapshot, opts, ds, owner, exists, explanation.header.daemon_set.what_if);

    let mut blockers = ctx.blockers();
    let mut traced = Vec::new();
    let mut excluded: Vec<&NodeReport> = Vec::new();
    let mut blocked: Vec<String> = Vec::new();
    for row in &explanation.nodes {
        // A node that lacks its pod only because the controller cannot create any is the
        // blocker's, not a story of its own: 500 such nodes are one entry.
        let only_failed_create =
            !row.reasons.is_empty() && row.reasons.iter().all(|r| matches!(r.cause, Cause::FailedCreate { .. }));
        if nodes.is_empty() && row.status == NodeStatus::Missing && only_failed_create {
            blocked.push(row.node.clone());
            continue;
        }
        if nodes.is_empty() {
            match row.status {
                NodeStatus::Missing | NodeStatus::Stuck | NodeStatus::Misscheduled | NodeStatus::WouldBePending => {
                    traced.push(ctx.node_trace(row));
                }
                NodeStatus::Unknown => traced.push(ctx.node_trace(row)),
                NodeStatus::Excluded => excluded.push(row),
                _ => {}
            }
        } else if nodes.contains(&row.node) {
            traced.push(ctx.node_trace(row));
        }
    }
    SchedulingTrace {
        header: Header { kind: KIND, ..explanation.header },
        summary: explanation.summary,
        blockers: {
            for blocker in blockers.iter_mut().filter(|b| b.count.is_some()) {
                blocker.nodes.clone_from(&blocked);
            }
            blockers
        },
        nodes: traced,
        excluded: ctx.excluded_groups(&excluded),
    }
}

struct Context<'a> {
    snapshot: &'a Snapshot,
    opts: &'a Options,
    namespace: &'a str,
    name: &'a str,
    spec: Option<&'a PodSpec>,
    template: DaemonTemplate<'a>,
    hints: Hints<'a>,
    /// Patch commands name the DaemonSet: only useful when it exists.
    exists: bool,
    what_if: bool,
    pods: BTreeMap<&'a str, Vec<&'a Pod>>,
    usage: SharedUsage<'a>,
}

impl<'a> Context<'a> {
    fn new(
        snapshot: &'a Snapshot,
        opts: &'a Options,
        ds: &'a DaemonSet,
        owner: &'a DaemonSet,
        exists: bool,
        what_if: bool,
    ) -> Self {
        let namespace = ds.metadata.namespace.as_deref().unwrap_or("default");
        let name = ds.metadata.name.as_deref().unwrap_or_default();
        let spec = ds.spec.template.spec.as_ref();
        let pods = daemonset_pods(snapshot, owner, opts.version);
        Context {
            snapshot,
            opts,
            namespace,
            name,
            spec,
            template: DaemonTemplate::new(spec),
            hints: Hints::for_template(namespace, name, spec),
            exists,
            what_if,
            pods,
            usage: SharedUsage::new(snapshot),
        }
    }

    /// What the other pods on the node use: as explain does, the DaemonSet's own pods there are
    /// what a new pod replaces, not usage. Summed only for the nodes the trace looks at.
    fn usage_on(&self, node: &str) -> Cow<'_, NodeUsage<'a>> {
        self.usage.on(node, self.pods.get(node).map(Vec::as_slice).unwrap_or_default())
    }

    fn node(&self, name: &str) -> Option<&'a Node> {
        self.snapshot.node(name)
    }

    fn node_trace(&self, row: &NodeReport) -> NodeTrace {
        let node = self.node(&row.node);
        let pods: Vec<&Pod> =
            if self.what_if { Vec::new() } else { self.pods.get(row.node.as_str()).cloned().unwrap_or_default() };
        let mut rules = Vec::new();
        match node {
            Some(node) => {
                rules.extend(controller_rules(node, &self.template));
                if row.should_run == Some(true) {
                    rules.extend(self.scheduler_rules(node, row, pods.first().copied()));
                }
            }
            None if self.snapshot.has(Kind::Node) => rules.push(Rule::new(
                Stage::Controller,
                "node",
                None,
                Some(false),
                format!("node {} does not exist: its pods count for no node", row.node),
            )),
            None => {}
        }
        for pod in &pods {
            rules.extend(self.pod_rules(node, pod, &row.reasons));
        }
        let fixes = self.fixes(std::slice::from_ref(&row.node), node, &row.reasons, &pods);
        NodeTrace {
            node: row.node.clone(),
            should_run: row.should_run,
            should_continue_running: row.should_continue_running,
            status: row.status,
            current: row.current,
            pods: row.pods.clone(),
            reasons: row.reasons.clone(),
            rules,
            fixes,
        }
    }

    // ----------------------------------------------------------------------------------------
    // The scheduler's side
    // ----------------------------------------------------------------------------------------

    /// The spec the scheduler would see: the unscheduled pod's own, or the template with the
    /// overhead its RuntimeClass adds at admission.
    fn scheduled_spec(&self, pod: Option<&Pod>) -> PodSpec {
        if let Some(spec) = pod.and_then(|p| p.spec.as_ref()) {
            return spec.clone();
        }
        let mut spec = self.spec.cloned().unwrap_or_default();
        if let Some(class) = spec.runtime_class_name.as_deref()
            && let Some(rc) = self.snapshot.runtime_classes.iter().find(|rc| rc.metadata.name.as_deref() == Some(class))
        {
            spec.overhead = rc.overhead.as_ref().and_then(|o| o.pod_fixed.clone());
        }
        spec
    }

    /// The default filters in the scheduler's order, for an eligible node without a bound pod.
    fn scheduler_rules(&self, node: &Node, row: &NodeReport, counted: Option<&Pod>) -> Vec<Rule> {
        let node_name = row.node.as_str();
        let rule = |name: &str, subject: Option<String>, passed: Option<bool>, evidence: String| {
            Rule::new(Stage::Scheduler, name, subject, passed, evidence)
        };
        if let Some(pod) = counted
            && let Some(bound) = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()).filter(|n| !n.is_empty())
        {
            let cordoned = node.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false);
            let how = if self.spec.and_then(|s| s.node_name.as_deref()).is_some_and(|n| !n.is_empty()) {
                "the template sets nodeName, so the pod skipped the scheduler and went straight to the kubelet"
            } else if cordoned {
                "its filters passed, NodeUnschedulable too: the node is cordoned, and DaemonSet pods tolerate that"
            } else {
                "its filters passed"
            };
            let evidence =
                format!("pod {} is bound to {bound}: {how}", pod.metadata.name.as_deref().unwrap_or_default());
            return vec![rule("binding", None, Some(true), evidence)];
        }
        let spec = self.scheduled_spec(counted);
        let mut rules = Vec::new();

        let cordoned = node.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false);
        rules.push(rule(
            "NodeUnschedulable",
            None,
            Some(true),
            if cordoned {
                "node is cordoned (spec.unschedulable), but DaemonSet pods carry the toleration for \
                 node.kubernetes.io/unschedulable:NoSchedule the controller adds, so they still schedule"
                    .to_string()
            } else {
                "node is not cordoned".to_string()
            },
        ));
        rules.push(rule(
            "TaintToleration",
            None,
            Some(true),
            "the pod carries the tolerations above: every NoSchedule and NoExecute taint is tolerated".to_string(),
        ));

        let admission: Vec<&Reason> = row
            .reasons
            .iter()
            .filter(|r| matches!(r.cause, Cause::NamespaceNodeSelector { .. } | Cause::RuntimeClassScheduling { .. }))
            .collect();
        if admission.is_empty() {
            rules.push(rule(
                "NodeAffinity",
                None,
                Some(true),
                format!(
                    "the pod's nodeSelector matches, and the controller pins the pod to this node \
                     (matchFields metadata.name In [{node_name}]) in place of the template's required terms"
                ),
            ));
        } else {
            for reason in admission {
                rules.push(rule("NodeAffinity", None, Some(false), reason.message.clone()));
            }
        }

        let check = evaluate_fit(&spec, node, Some(&*self.usage_on(node_name)));
        rules.extend(port_rules(&check, spec.host_network.unwrap_or(false)));
        rules.extend(self.resource_rules(&check, &spec, node_name));
        rules.push(volume_rule(&spec, node));
        rules
    }

    fn resource_rules(&self, check: &FitCheck, spec: &PodSpec, node_name: &str) -> Vec<Rule> {
        let Some(resources) = &check.resources else {
            return vec![Rule::new(
                Stage::Scheduler,
                "NodeResourcesFit",
                None,
                None,
                "the node reports no allocatable resources: the fit cannot be judged".to_string(),
            )];
        };
        let others = self.usage_on(node_name).pods;
        let parts = request_parts(spec);
        resources
            .iter()
            .map(|r| {
                let evidence = if r.resource == "pods" {
                    let room = if r.fits() { "room for one more" } else { "no room for one more" };
                    format!(
                        "{} of {} pod slots taken by other pods: {room}",
                        r.used / 1000,
                        format_amount("pods", r.allocatable)
                    )
                } else {
                    let amount = |v: i128| format_amount(&r.resource, v);
                    let breakdown = parts.get(&r.resource).map(|p| breakdown(&r.resource, p)).unwrap_or_default();
                    format!(
                        "requests {}{breakdown}, {} free of {} allocatable ({} requested by {others} other pod{})",
                        amount(r.requested),
                        amount(r.free()),
                        amount(r.allocatable),
                        amount(r.used),
                        if others == 1 { "" } else { "s" },
                    )
                };
                Rule::new(Stage::Scheduler, "NodeResourcesFit", Some(r.resource.clone()), Some(r.fits()), evidence)
            })
            .collect()
    }

    // ----------------------------------------------------------------------------------------
    // The pod's side
    // ----------------------------------------------------------------------------------------

    /// Terminating longer than its grace period allows (with explain's slack).
    fn past_deadline(&self, pod: &Pod) -> bool {
        pod.metadata.deletion_timestamp.as_ref().is_some_and(|deleted| {
            deleted.0.checked_add(super::TERMINATING_SLACK).is_ok_and(|deadline| self.opts.as_of > deadline)
        })
    }

    fn pod_rules(&self, node: Option<&Node>, pod: &Pod, reasons: &[Reason]) -> Vec<Rule> {
        let name = pod.metadata.name.clone().unwrap_or_default();
        let rule = |rule_name: &str, subject: Option<String>, passed: Option<bool>, evidence: String| {
            Rule::new(Stage::Pod, rule_name, subject, passed, evidence)
        };
        let status = pod.status.as_ref();
        let mut rules = Vec::new();

        let phase = phase(pod);
        let mut evidence = format!("phase {phase}");
        if let Some(reason) = status.and_then(|s| s.reason.as_deref()) {
            evidence.push_str(&format!(" ({reason})"));
        }
        if let Some(message) = status.and_then(|s| s.message.as_deref()).filter(|m| !m.is_empty()) {
            evidence.push_str(&format!(": {message}"));
        }
        if let Some(created) = pod.metadata.creation_timestamp.as_ref() {
            evidence.push_str(&format!("; created {}", created.0));
        }
        rules.push(rule("phase", Some(name.clone()), Some(!is_terminal(pod)), evidence));

        if let Some(deleted) = pod.metadata.deletion_timestamp.as_ref() {
            let past = self.past_deadline(pod);
            let mut evidence = format!("terminating: deletion deadline {}", deleted.0);
            if past {
                evidence.push_str(", past its grace period");
            }
            let finalizers = pod.metadata.finalizers.clone().unwrap_or_default();
            if !finalizers.is_empty() {
                evidence.push_str(&format!("; finalizers {} must be removed first", finalizers.join(", ")));
            }
            if node.is_some_and(node_unreachable) {
                evidence.push_str("; the node is not ready, so no kubelet confirms the deletion");
            }
            rules.push(rule("deletion", Some(name.clone()), Some(!past), evidence));
        }

        let scheduled =
            status.and_then(|s| s.conditions.as_deref()).and_then(|c| c.iter().find(|c| c.type_ == "PodScheduled"));
        match scheduled {
            Some(c) if c.status == "True" => {
                let bound = pod.spec.as_ref().and_then(|s| s.node_name.clone()).unwrap_or_default();
                let since = c.last_transition_time.as_ref().map(|t| format!(" at {}", t.0)).unwrap_or_default();
                rules.push(rule("PodScheduled", Some(name.clone()), Some(true), format!("bound to {bound}{since}")));
            }
            Some(c) => {
                let message = c.message.clone().unwrap_or_default();
                let since = c.last_transition_time.as_ref().map(|t| format!(" since {}", t.0)).unwrap_or_default();
                let reason = c.reason.as_deref().unwrap_or("no reason");
                rules.push(rule(
                    "PodScheduled",
                    Some(name.clone()),
                    Some(false),
                    format!("{reason}{since}: {message}{}", read_fit_error(&message, reasons)),
                ));
            }
            None if pod.spec.as_ref().and_then(|s| s.node_name.as_deref()).is_some_and(|n| !n.is_empty()) => {
                rules.push(rule("PodScheduled", Some(name.clone()), Some(true), "bound (nodeName is set)".to_string()));
            }
            None => rules.push(rule(
                "PodScheduled",
                Some(name.clone()),
                None,
                "no PodScheduled condition yet: the scheduler has not looked at the pod".to_string(),
            )),
        }

        let spec = pod.spec.as_ref();
        let init_statuses = status.and_then(|s| s.init_container_statuses.as_deref()).unwrap_or_default();
        let statuses = status.and_then(|s| s.container_statuses.as_deref()).unwrap_or_default();
        // A pod not bound, or ended before it ran, has no containers to speak of.
        let bound = spec.and_then(|s| s.node_name.as_deref()).is_some_and(|n| !n.is_empty());
        let containers_ran = !init_statuses.is_empty() || !statuses.is_empty() || (bound && !is_terminal(pod));
        for (kind, names, statuses) in [
            ("initContainer", spec.and_then(|s| s.init_containers.as_deref()).unwrap_or_default(), init_statuses),
            ("container", spec.map(|s| s.containers.as_slice()).unwrap_or_default(), statuses),
        ] {
            for container in names.iter().filter(|_| containers_ran) {
                let status = statuses.iter().find(|s| s.name == container.name);
                let limit = container
                    .resources
                    .as_ref()
                    .and_then(|r| r.limits.as_ref())
                    .and_then(|l| l.get("memory"))
                    .map(|q| q.0.clone());
                let init = kind == "initContainer" && container.restart_policy.as_deref() != Some("Always");
                let (passed, evidence) = container_evidence(status, init, limit.as_deref());
                rules.push(rule(kind, Some(container.name.clone()), passed, evidence));
            }
        }

        for (reason, message, count, last) in pod_warning_events(&self.snapshot.events, pod) {
            let when = last.map(|t| format!(", last {t}")).unwrap_or_default();
            rules.push(rule("event", Some(reason), Some(false), format!("{message} ({count}x{when})")));
        }
        if let Some(backoff) = reasons.iter().find(|r| matches!(r.cause, Cause::FailedPodBackoff { .. })) {
            rules.push(rule("backoff", None, Some(false), backoff.message.clone()));
        }
        rules
    }

    // ----------------------------------------------------------------------------------------
    // Fixes
    // ----------------------------------------------------------------------------------------

    /// The changes that would alter the verdict of `targets` (one node, or an excluded group
    /// whose example is `node`), each with what it does to the other nodes.
    fn fixes(&self, targets: &[String], node: Option<&Node>, reasons: &[Reason], pods: &[&Pod]) -> Vec<Fix> {
        let mut fixes = Vec::new();
        let mut done: BTreeSet<&'static str> = BTreeSet::new();
        for reason in reasons {
            let code = reason.code();
            match &reason.cause {
                Cause::UntoleratedTaint { .. } if done.insert(code) => {
                    if let Some(node) = node {
                        fixes.extend(self.taint_fixes(targets, node));
                    }
                }
                Cause::NodeSelectorMismatch { key, wanted, actual } => {
                    fixes.push(self.label_fix(targets, key, wanted, actual.as_deref()));
                    if done.insert(code) {
                        fixes.extend(self.drop_selector_fix(targets));
                    }
                }
                Cause::NodeAffinityMismatch { terms } if done.insert(code) => {
                    if let Some(command) = targets.first().and_then(|t| self.hints.affinity(t, terms))
                        && targets.len() == 1
                    {
                        fixes.push(Fix {
                            action: format!("label node {} so that the affinity term matches", targets[0]),
                            command: Some(command),
                            yaml: None,
                            effect: only_these(targets),
                            other_nodes: Vec::new(),
                        });
                    }
                    fixes.extend(self.drop_affinity_fix(targets));
                }
                Cause::NodeNameMismatch { .. } if done.insert(code) => fixes.extend(self.drop_node_name_fix(targets)),
                Cause::NamespaceNodeSelector { key, wanted, actual, namespace } => fixes.push(Fix {
                    action: format!("namespace {namespace} adds a node selector at admission: label the node to match"),
                    command: targets
                        .first()
                        .map(|t| self.hints.label_node(t, key, wanted, actual.is_some())),
                    yaml: None,
                    effect: only_these(targets),
                    other_nodes: Vec::new(),
                }),
                Cause::InsufficientResources { resource, .. } => {
                    if let Some(node) = node {
                        fixes.extend(self.resource_fixes(node, resource, pods.first().copied()));
                    }
                }
                Cause::HostPortConflict { port, protocol, held_by } => {
                    fixes.extend(self.port_fixes(targets, *port, protocol.as_deref(), held_by.as_deref()));
                }
                Cause::CrashLoopBackOff { container, last_reason, .. } => {
                    if last_reason.as_deref() == Some("OOMKilled") {
                        fixes.extend(self.memory_fix(container));
                    }
                    fixes.extend(self.hint_fix(reason, pods));
                }
                Cause::CreateContainerConfigError { detail, .. } => {
                    match detail.as_deref().and_then(|d| self.missing_object_fix(d)) {
                        Some(fix) => fixes.push(fix),
                        None => fixes.extend(self.hint_fix(reason, pods)),
                    }
                }
                Cause::ContainerCreating { .. } => {
                    for pod in pods {
                        for (event, message, ..) in pod_warning_events(&self.snapshot.events, pod) {
                            if event == "FailedMount" {
                                fixes.extend(self.missing_object_fix(&message));
                            }
                        }
                    }
                }
                Cause::NodeNotReady { .. } if done.insert(code) => {
                    if let Some(node) = targets.first() {
                        fixes.push(Fix {
                            action: format!(
                                "node {node} stopped reporting Ready: repair its kubelet or network, or delete \
                                 the Node object if the machine is gone"
                            ),
                            command: Some(format!("kubectl describe node {node}")),
                            yaml: None,
                            effect: "reads only".to_string(),
                            other_nodes: Vec::new(),
                        });
                    }
                }
                Cause::ImagePullBackOff { .. } | Cause::NotReady { .. } if done.insert(code) => {
                    fixes.extend(self.hint_fix(reason, pods));
                }
                Cause::Failed { .. } if done.insert(code) => {
                    if let Some(pod) = pods.first().and_then(|p| p.metadata.name.as_deref()) {
                        fixes.push(Fix {
                            action: "the pod ended (the kubelet rejected or stopped it); the controller deletes it \
                                     and creates a replacement after its backoff: read why it failed"
                                .to_string(),
                            command: Some(format!("kubectl describe pod {pod} -n {}", self.namespace)),
                            yaml: None,
                            effect: "reads only".to_string(),
                            other_nodes: Vec::new(),
                        });
                    }
                }
                Cause::ControllerBehind { .. } if done.insert(code) => fixes.push(Fix {
                    action: reason.hint.clone().unwrap_or_else(|| reason.message.clone()),
                    command: Some(format!(
                        "kubectl get events -n {} --field-selector involvedObject.kind=DaemonSet,involvedObject.name={}",
                        self.namespace, self.name
                    )),
                    yaml: None,
                    effect: "reads only".to_string(),
                    other_nodes: Vec::new(),
                }),
                _ => {}
            }
        }
        // The pod's own state, whatever the node's verdict: a misscheduled pod can hang in
        // deletion as well.
        for pod in pods.iter().filter(|p| self.past_deadline(p)) {
            fixes.extend(self.terminating_fixes(node, pod, reasons));
        }
        fixes.dedup();
        // The alternatives read "or ..." after a first fix; alone, they are the fix.
        if let Some(first) = fixes.first_mut()
            && let Some(rest) = first.action.strip_prefix("or ")
        {
            first.action = rest.to_string();
        }
        fixes
    }

    /// Explain's hint as a fix: its command, or its advice with the command that shows the
    /// pod's events and state.
    fn hint_fix(&self, reason: &Reason, pods: &[&Pod]) -> Option<Fix> {
        let hint = reason.hint.clone()?;
        let (action, command) = if hint.starts_with("kubectl ") {
            (format!("read why: {}", reason.message), Some(hint))
        } else {
            let pod = pods.first().and_then(|p| p.metadata.name.as_deref());
            (hint, pod.map(|pod| format!("kubectl describe pod {pod} -n {}", self.namespace)))
        };
        Some(Fix { action, command, yaml: None, effect: "reads only".to_string(), other_nodes: Vec::new() })
    }

    /// What a template change does to the pods that exist: a rolling update replaces them.
    fn every_pod(&self, what: &str) -> String {
        if self.exists {
            format!("every pod of the DaemonSet is replaced with {what} (rolling update)")
        } else {
            format!("every pod of the DaemonSet gets {what}")
        }
    }

    fn patch_command(&self, patch: &serde_json::Value) -> Option<String> {
        self.exists
            .then(|| format!("kubectl patch daemonset {} -n {} --type=json -p '{}'", self.name, self.namespace, patch))
    }

    fn manifest_note(&self, what: &str) -> String {
        if self.exists {
            what.to_string()
        } else {
            format!("{what} (in the manifest: the DaemonSet does not exist yet)")
        }
    }

    /// What a template change does: the nodes that would gain or lose the pod besides `targets`,
    /// and those of the gained ones where the scheduler would still refuse it.
    fn compare(&self, changed: &PodSpec, targets: &[String]) -> Comparison {
        let after = DaemonTemplate::new(Some(changed));
        let mut outcome = Comparison::default();
        for node in &self.snapshot.nodes {
            let name = node.metadata.name.clone().unwrap_or_default();
            let before = decide(node, &self.template).should_run;
            let now = decide(node, &after).should_run;
            let target = targets.contains(&name);
            if target && !now {
                outcome.targets_still_excluded.push(name.clone());
            }
            if !before && now {
                let refused = check_fit(changed, node, Some(&*self.usage_on(name.as_str()))).unwrap_or_default();
                if !refused.is_empty() {
                    outcome.pending.push(name.clone());
                    for reason in refused {
                        let why = short_cause(&reason);
                        if !outcome.pending_causes.contains(&why) {
                            outcome.pending_causes.push(why);
                        }
                    }
                }
                if !target {
                    outcome.gained.push(name);
                }
            } else if before && !now {
                outcome.lost.push(name);
            }
        }
        outcome
    }

    fn taint_fixes(&self, targets: &[String], node: &Node) -> Vec<Fix> {
        let taints: Vec<&Taint> = node
            .spec
            .as_ref()
            .and_then(|s| s.taints.as_deref())
            .unwrap_or_default()
            .iter()
            .filter(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
            .filter(|t| !self.template.tolerations.iter().any(|tol| super::tolerations::tolerates(tol, t)))
            .filter(|t| t.key != NOT_READY && t.key != UNREACHABLE)
            .collect();
        if taints.is_empty() {
            return Vec::new();
        }
        let tolerations: Vec<Toleration> = taints.iter().map(|t| toleration_for(t)).collect();
        let mut changed = self.spec.cloned().unwrap_or_default();
        changed.tolerations.get_or_insert_with(Vec::new).extend(tolerations.iter().cloned());
        let outcome = self.compare(&changed, targets);
        let command = if taints.len() == 1 && self.exists {
            Some(self.hints.tolerate(taints[0]))
        } else {
            self.patch_command(&tolerations_patch(&tolerations, self.hints.has_tolerations))
        };
        let what = if taints.len() == 1 { "tolerate the taint" } else { "tolerate the taints" };
        vec![Fix {
            action: self.manifest_note(&format!("{what}: add to spec.template.spec.tolerations")),
            command,
            yaml: Some(tolerations_yaml(&tolerations)),
            effect: outcome.describe(targets, "places the pod on"),
            other_nodes: outcome.others(),
        }]
    }

    fn label_fix(&self, targets: &[String], key: &str, wanted: &str, actual: Option<&str>) -> Fix {
        let overwrite = if actual.is_some() { " --overwrite" } else { "" };
        let command = if targets.len() == 1 {
            self.hints.label_node(&targets[0], key, wanted, actual.is_some())
        } else if targets.len() <= LABEL_BY_NAME_MAX {
            format!("kubectl label nodes {} {key}={wanted}{overwrite}", targets.join(" "))
        } else {
            // Every node with this value (or without the key) fails the same way.
            let selector = match actual {
                Some(actual) => format!("{key}={actual}"),
                None => format!("'!{key}'"),
            };
            format!("kubectl label nodes -l {selector} {key}={wanted}{overwrite}")
        };
        Fix {
            action: format!("label the node{} {key}={wanted}", if targets.len() == 1 { "" } else { "s" }),
            command: Some(command),
            yaml: None,
            effect: format!(
                "{}; other workloads that select {key}={wanted} may schedule there too",
                only_these(targets)
            ),
            other_nodes: Vec::new(),
        }
    }

    fn drop_selector_fix(&self, targets: &[String]) -> Option<Fix> {
        let mut changed = self.spec.cloned()?;
        let selector = changed.node_selector.take()?;
        let mut ops = Vec::new();
        let mut kept = BTreeMap::new();
        for (key, value) in selector {
            let fails = targets
                .iter()
                .filter_map(|t| self.node(t))
                .any(|n| n.metadata.labels.as_ref().and_then(|l| l.get(&key)) != Some(&value));
            if fails {
                ops.push(
                    json!({"op": "remove", "path": format!("/spec/template/spec/nodeSelector/{}", pointer(&key))}),
                );
            } else {
                kept.insert(key, value);
            }
        }
        changed.node_selector = (!kept.is_empty()).then_some(kept);
        let outcome = self.compare(&changed, targets);
        Some(Fix {
            action: self.manifest_note("or drop the failing nodeSelector entries from the DaemonSet"),
            command: self.patch_command(&serde_json::Value::Array(ops)),
            yaml: None,
            effect: outcome.describe(targets, "places the pod on"),
            other_nodes: outcome.others(),
        })
    }

    fn drop_affinity_fix(&self, targets: &[String]) -> Option<Fix> {
        let mut changed = self.spec.cloned()?;
        let node_affinity = changed.affinity.as_mut()?.node_affinity.as_mut()?;
        node_affinity.required_during_scheduling_ignored_during_execution.take()?;
        let outcome = self.compare(&changed, targets);
        let patch = json!([{
            "op": "remove",
            "path": "/spec/template/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution"
        }]);
        Some(Fix {
            action: self.manifest_note("or drop the required node affinity from the DaemonSet"),
            command: self.patch_command(&patch),
            yaml: None,
            effect: outcome.describe(targets, "places the pod on"),
            other_nodes: outcome.others(),
        })
    }

    fn drop_node_name_fix(&self, targets: &[String]) -> Option<Fix> {
        let mut changed = self.spec.cloned()?;
        changed.node_name.take()?;
        let outcome = self.compare(&changed, targets);
        Some(Fix {
            action: self
                .manifest_note("remove spec.template.spec.nodeName so that the DaemonSet runs on every eligible node"),
            command: self.patch_command(&json!([{"op": "remove", "path": "/spec/template/spec/nodeName"}])),
            yaml: None,
            effect: outcome.describe(targets, "places the pod on"),
            other_nodes: outcome.others(),
        })
    }

    /// Lower the request so that the pod fits, or free room on the node.
    fn resource_fixes(&self, node: &Node, resource: &str, pod: Option<&Pod>) -> Vec<Fix> {
        let node_name = node.metadata.name.as_deref().unwrap_or_default();
        let spec = self.scheduled_spec(pod.filter(|p| p.spec.as_ref().is_some_and(|s| s.node_name.is_none())));
        let check = evaluate_fit(&spec, node, Some(&*self.usage_on(node_name)));
        let Some(short) = check.resources.iter().flatten().find(|r| r.resource == resource && !r.fits()) else {
            return Vec::new();
        };
        let mut fixes = Vec::new();
        if resource == "pods" {
            fixes.push(Fix {
                action: format!(
                    "node {node_name} runs the {} pods it allows: move pods off it, or raise the kubelet's maxPods",
                    format_amount("pods", short.allocatable)
                ),
                command: None,
                yaml: None,
                effect: only_these(&[node_name.to_string()]),
                other_nodes: Vec::new(),
            });
            return fixes;
        }
        let deficit = short.requested - short.free();
        if let Some(fix) = self.lower_request_fix(&spec, node_name, resource, deficit, short.free()) {
            fixes.push(fix);
        }
        let mut consumers: Vec<(String, i128)> = self
            .snapshot
            .pods
            .iter()
            .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node_name))
            .filter(|p| !is_terminal(p))
            .filter(|p| !self.pods.values().flatten().any(|own| own.metadata.uid == p.metadata.uid))
            .filter_map(|p| {
                let amount = pod_requests(p.spec.as_ref()?).get(resource).copied().unwrap_or(0);
                (amount > 0).then(|| (pod_key(p), amount))
            })
            .collect();
        let folded = self.snapshot.folded.get(node_name).and_then(|f| f.largest.get(resource));
        consumers.extend(folded.into_iter().flatten().cloned());
        consumers.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let largest: Vec<String> = consumers
            .iter()
            .take(3)
            .map(|(pod, amount)| format!("{pod} {}", format_amount(resource, *amount)))
            .collect();
        fixes.push(Fix {
            action: format!(
                "or free {} {resource} on {node_name}{}",
                format_amount(resource, deficit),
                if largest.is_empty() {
                    String::new()
                } else {
                    format!(": the largest requests there are {}", largest.join(", "))
                }
            ),
            command: None,
            yaml: None,
            effect: only_these(&[node_name.to_string()]),
            other_nodes: Vec::new(),
        });
        fixes
    }

    fn lower_request_fix(
        &self,
        spec: &PodSpec,
        node_name: &str,
        resource: &str,
        deficit: i128,
        free: i128,
    ) -> Option<Fix> {
        let template = self.spec?;
        // The container whose request can absorb the whole deficit, largest first.
        let (index, container, current) = template
            .containers
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((i, c, request_of(c, resource)?)))
            .max_by_key(|(_, _, amount)| *amount)?;
        let wanted = round_down(resource, current - deficit);
        if wanted <= 0 {
            return None;
        }
        let quantity = format_amount(resource, wanted);
        let mut changed = template.clone();
        let resources = changed.containers[index].resources.get_or_insert_with(Default::default);
        resources
            .requests
            .get_or_insert_with(Default::default)
            .insert(resource.to_string(), Quantity(quantity.clone()));
        let mut with_overhead = changed.clone();
        with_overhead.overhead = spec.overhead.clone();
        if pod_requests(&with_overhead).get(resource).copied().unwrap_or(0) > free {
            // An init container (or the overhead) needs more than the node has: no single change.
            return None;
        }
        let also: Vec<String> = self
            .snapshot
            .nodes
            .iter()
            .filter_map(|n| n.metadata.name.as_deref().map(|name| (n, name)))
            .filter(|(_, name)| *name != node_name)
            .filter(|(n, _)| decide(n, &self.template).should_run)
            .filter(|(n, name)| {
                let short_now = |s: &PodSpec| {
                    evaluate_fit(s, n, Some(&*self.usage_on(name)))
                        .resources
                        .is_some_and(|r| r.iter().any(|r| r.resource == resource && !r.fits()))
                };
                short_now(&self.scheduled_spec(None))
                    && !short_now(&{
                        let mut s = changed.clone();
                        s.overhead = self.scheduled_spec(None).overhead;
                        s
                    })
            })
            .map(|(_, name)| name.to_string())
            .collect();
        let mut with_overhead = changed.clone();
        with_overhead.overhead = spec.overhead.clone();
        let node = self.node(node_name);
        let still: Vec<String> = node
            .and_then(|n| check_fit(&with_overhead, n, Some(&*self.usage_on(node_name))))
            .unwrap_or_default()
            .iter()
            .map(short_cause)
            .collect();
        let mut effect = if still.is_empty() {
            format!("the pod fits on {node_name}")
        } else {
            format!("{resource} then fits on {node_name}, but not enough on its own: {}", still.join(", "))
        };
        if !also.is_empty() {
            effect.push_str(&format!(
                ", and on {} other node{} short of {resource}: {}",
                also.len(),
                plural(also.len()),
                names(&also)
            ));
        }
        effect.push_str(&format!("; {}", self.every_pod("the new request")));
        Some(Fix {
            action: self.manifest_note(&format!(
                "lower container {}'s {resource} request from {} to {quantity}",
                container.name,
                format_amount(resource, current)
            )),
            command: self.exists.then(|| {
                format!(
                    "kubectl set resources daemonset {} -n {} -c {} --requests={resource}={quantity}",
                    self.name, self.namespace, container.name
                )
            }),
            yaml: None,
            effect,
            other_nodes: also,
        })
    }

    fn port_fixes(
        &self,
        targets: &[String],
        port: Option<i32>,
        protocol: Option<&str>,
        held_by: Option<&str>,
    ) -> Vec<Fix> {
        let node = targets.first().map(String::as_str).unwrap_or_default();
        let Some(port) = port else {
            return vec![Fix {
                action: format!("find the pod on {node} that holds the host port"),
                command: Some(format!("kubectl get pods -A --field-selector spec.nodeName={node} -o wide")),
                yaml: None,
                effect: "reads only".to_string(),
                other_nodes: Vec::new(),
            }];
        };
        let protocol = protocol.unwrap_or("TCP");
        let mut fixes = Vec::new();
        if let Some(holder) = held_by {
            let owner = self
                .snapshot
                .pods
                .iter()
                .find(|p| pod_key(p) == holder)
                .and_then(|p| controller_of(&p.metadata))
                .map(|o| format!("{} {}", o.kind, o.name))
                .or_else(|| {
                    let folded = self.snapshot.folded.get(node).into_iter().flat_map(|f| &f.host_ports);
                    folded.filter(|p| p.pod == holder).find_map(|p| p.owner.clone())
                })
                .map(|owner| format!("owned by {owner}"))
                .unwrap_or_else(|| "a pod no controller owns".to_string());
            fixes.push(Fix {
                action: format!("free host port {port}/{protocol} on {node}: pod {holder} holds it ({owner})"),
                command: None,
                yaml: None,
                effect: only_these(targets),
                other_nodes: Vec::new(),
            });
        }
        let template = self.spec.cloned().unwrap_or_default();
        if template.host_network.unwrap_or(false) {
            fixes.push(Fix {
                action: "or change the port: with hostNetwork the containerPort is the host port, so the container \
                         must listen elsewhere"
                    .to_string(),
                command: None,
                yaml: None,
                effect: self.every_pod("the new port"),
                other_nodes: Vec::new(),
            });
            return fixes;
        }
        let path = template.containers.iter().enumerate().find_map(|(c, container)| {
            container.ports.as_deref().unwrap_or_default().iter().enumerate().find_map(|(p, cp)| {
                (cp.host_port == Some(port) && cp.protocol.as_deref().unwrap_or("TCP") == protocol)
                    .then(|| format!("/spec/template/spec/containers/{c}/ports/{p}/hostPort"))
            })
        });
        // A port no pod in the snapshot holds, on any node, nor the DaemonSet itself.
        let own: HashSet<*const Pod> = self.pods.values().flatten().map(|p| *p as *const Pod).collect();
        let every_node = usage_by_node(self.snapshot, |p| own.contains(&(p as *const Pod)));
        let taken: BTreeSet<i32> = every_node
            .values()
            .flat_map(|u| u.ports.iter().map(|(p, _)| p))
            .chain(host_ports(&template).iter())
            .filter(|p| p.protocol == protocol)
            .map(|p| p.port)
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        let free = (port + 1..=65535).find(|p| !taken.contains(p));
        if let (Some(path), Some(free)) = (path, free) {
            fixes.push(Fix {
                action: self.manifest_note(&format!("or move the DaemonSet to host port {free}/{protocol}")),
                command: self.patch_command(&json!([{"op": "replace", "path": path, "value": free}])),
                yaml: None,
                effect: format!(
                    "{}; no pod in the snapshot holds {free}/{protocol} on any node; clients of port {port} must \
                     follow{}",
                    self.every_pod(&format!("host port {free}")),
                    self.other_refusals(node, |r| matches!(r.cause, Cause::HostPortConflict { .. }))
                ),
                other_nodes: Vec::new(),
            });
        }
        fixes
    }

    /// `; not enough on its own: not enough cpu` when the scheduler would still refuse the
    /// pod on the node for reasons other than those `handled`.
    fn other_refusals(&self, node_name: &str, handled: impl Fn(&Reason) -> bool) -> String {
        let Some(node) = self.node(node_name) else { return String::new() };
        let spec = self.scheduled_spec(None);
        let others: Vec<String> = check_fit(&spec, node, Some(&*self.usage_on(node_name)))
            .unwrap_or_default()
            .iter()
            .filter(|r| !handled(r))
            .map(short_cause)
            .collect();
        if others.is_empty() { String::new() } else { format!("; not enough on its own: {}", others.join(", ")) }
    }

    fn memory_fix(&self, container: &str) -> Option<Fix> {
        let template = self.spec?;
        let spec_container = template.containers.iter().find(|c| c.name == container)?;
        let limit = spec_container.resources.as_ref()?.limits.as_ref()?.get("memory")?;
        let doubled = round_down("memory", milli(limit)? * 2);
        let quantity = format_amount("memory", doubled);
        Some(Fix {
            action: self.manifest_note(&format!(
                "container {container} was killed for exceeding its memory limit {}: raise the limit",
                limit.0
            )),
            command: self.exists.then(|| {
                format!(
                    "kubectl set resources daemonset {} -n {} -c {container} --limits=memory={quantity}",
                    self.name, self.namespace
                )
            }),
            yaml: None,
            effect: format!("{}; requests, and so scheduling, stay as they are", self.every_pod("the higher limit")),
            other_nodes: Vec::new(),
        })
    }

    /// A ConfigMap, Secret or key the kubelet could not find (CreateContainerConfigError,
    /// FailedMount), and the command that creates it.
    fn missing_object_fix(&self, message: &str) -> Option<Fix> {
        let missing = MissingObject::parse(message)?;
        let effect = "the kubelet retries on its own and starts the containers once it exists; every pod that \
                      reads the object sees the change"
            .to_string();
        let fix = match &missing {
            MissingObject::Key { kind, namespace, name, key } => {
                let (resource, field) =
                    if *kind == "Secret" { ("secret", "stringData") } else { ("configmap", "data") };
                Fix {
                    action: format!("add key {key} to {kind} {namespace}/{name} (replace VALUE)"),
                    command: Some(format!(
                        "kubectl patch {resource} {name} -n {namespace} --type=merge -p '{}'",
                        json!({ field: { key.as_str(): "VALUE" } })
                    )),
                    yaml: None,
                    effect,
                    other_nodes: Vec::new(),
                }
            }
            MissingObject::Object { kind, name } => {
                let keys = self.referenced_keys(kind, name);
                let literals = if keys.is_empty() {
                    " --from-literal=KEY=VALUE".to_string()
                } else {
                    keys.iter().map(|k| format!(" --from-literal={k}=VALUE")).collect()
                };
                let (command, what) = if *kind == "Secret" {
                    (format!("kubectl create secret generic {name} -n {}{literals}", self.namespace), "Secret")
                } else {
                    (format!("kubectl create configmap {name} -n {}{literals}", self.namespace), "ConfigMap")
                };
                Fix {
                    action: format!("create the {what} {name} the pod references (replace VALUE)"),
                    command: Some(command),
                    yaml: None,
                    effect,
                    other_nodes: Vec::new(),
                }
            }
        };
        Some(fix)
    }

    /// The keys the template reads from a ConfigMap or Secret of this name.
    fn referenced_keys(&self, kind: &str, name: &str) -> Vec<String> {
        let Some(spec) = self.spec else { return Vec::new() };
        let mut keys = BTreeSet::new();
        let containers = spec.containers.iter().chain(spec.init_containers.iter().flatten());
        for env in containers.flat_map(|c| c.env.iter().flatten()) {
            let Some(from) = env.value_from.as_ref() else { continue };
            let reference = if kind == "Secret" {
                from.secret_key_ref.as_ref().map(|r| (r.name.as_str(), r.key.as_str()))
            } else {
                from.config_map_key_ref.as_ref().map(|r| (r.name.as_str(), r.key.as_str()))
            };
            if let Some((n, key)) = reference
                && n == name
            {
                keys.insert(key.to_string());
            }
        }
        for volume in spec.volumes.iter().flatten() {
            let items = if kind == "Secret" {
                volume.secret.as_ref().filter(|s| s.secret_name.as_deref() == Some(name)).and_then(|s| s.items.clone())
            } else {
                volume.config_map.as_ref().filter(|c| c.name == name).and_then(|c| c.items.clone())
            };
            keys.extend(items.into_iter().flatten().map(|item| item.key));
        }
        keys.into_iter().collect()
    }

    fn terminating_fixes(&self, node: Option<&Node>, pod: &Pod, reasons: &[Reason]) -> Vec<Fix> {
        let name = pod.metadata.name.as_deref().unwrap_or_default();
        let finalizers = pod.metadata.finalizers.clone().unwrap_or_default();
        let eligible = !reasons.iter().any(|r| {
            matches!(
                r.cause,
                Cause::UntoleratedTaint { .. }
                    | Cause::NodeSelectorMismatch { .. }
                    | Cause::NodeAffinityMismatch { .. }
            )
        });
        let replacement = if eligible {
            "the controller then creates a replacement on this node"
        } else {
            "no replacement follows: the controller does not want a pod on this node"
        };
        let mut fixes = Vec::new();
        if !finalizers.is_empty() {
            fixes.push(Fix {
                action: format!(
                    "finalizers {} hold the pod: let their controller finish, or remove them",
                    finalizers.join(", ")
                ),
                command: Some(format!(
                    "kubectl patch pod {name} -n {} --type=merge -p '{{\"metadata\":{{\"finalizers\":null}}}}'",
                    self.namespace
                )),
                yaml: None,
                effect: replacement.to_string(),
                other_nodes: Vec::new(),
            });
        }
        if node.is_some_and(node_unreachable) {
            fixes.push(Fix {
                action: "the node is not ready, so no kubelet confirms the deletion; once the machine is known to be \
                         gone, force it"
                    .to_string(),
                command: Some(format!("kubectl delete pod {name} -n {} --grace-period=0 --force", self.namespace)),
                yaml: None,
                effect: replacement.to_string(),
                other_nodes: Vec::new(),
            });
        }
        fixes
    }

    // ----------------------------------------------------------------------------------------
    // Excluded nodes, grouped
    // ----------------------------------------------------------------------------------------

    fn excluded_groups(&self, rows: &[&NodeReport]) -> Vec<ExcludedGroup> {
        // Two nodes share a group when every cause is the same, facts included (the taint, the
        // label value); NodeNotReady carries times and follows its taint anyway.
        let mut groups: Vec<(String, Vec<&NodeReport>)> = Vec::new();
        for row in rows {
            let key = row
                .reasons
                .iter()
                .filter(|r| !matches!(r.cause, Cause::NodeNotReady { .. }))
                .map(|r| serde_json::to_string(&r.cause).unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n");
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, members)) => members.push(row),
                None => groups.push((key, vec![row])),
            }
        }
        let mut out: Vec<ExcludedGroup> = groups
            .into_iter()
            .map(|(_, members)| {
                let example = members[0];
                let nodes: Vec<String> = members.iter().map(|r| r.node.clone()).collect();
                let node = self.node(&example.node);
                let causes: Vec<&str> = example
                    .reasons
                    .iter()
                    .filter(|r| !matches!(r.cause, Cause::NodeNotReady { .. }))
                    .map(|r| r.message.as_str())
                    .collect();
                ExcludedGroup {
                    cause: causes.join("; "),
                    count: nodes.len() as u32,
                    example_node: example.node.clone(),
                    reasons: example.reasons.clone(),
                    rules: node.map(|n| controller_rules(n, &self.template)).unwrap_or_default(),
                    fixes: self.fixes(&nodes, node, &example.reasons, &[]),
                    nodes,
                }
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.example_node.cmp(&b.example_node)));
        out
    }

    // ----------------------------------------------------------------------------------------
    // DaemonSet-level causes
    // ----------------------------------------------------------------------------------------

    fn blockers(&self) -> Vec<Blocker> {
        let mut blockers = Vec::new();
        let mut failed: BTreeMap<String, (i32, Option<Timestamp>)> = BTreeMap::new();
        for event in self.daemonset_events() {
            if event.reason.as_deref() == Some("FailedCreate") {
                let entry = failed.entry(event.message.clone().unwrap_or_default()).or_default();
                entry.0 += event.count.unwrap_or(1).max(1);
                entry.1 = entry.1.max(event_time(event));
            }
        }
        for (message, (count, last_seen)) in failed {
            blockers.push(self.create_blocker(message, count, last_seen));
        }
        if let Some(class) = self.spec.and_then(|s| s.priority_class_name.as_deref())
            && !matches!(class, "system-node-critical" | "system-cluster-critical")
            && self.snapshot.has(Kind::PriorityClass)
            && !self.snapshot.priority_classes.iter().any(|pc| pc.metadata.name.as_deref() == Some(class))
            && !blockers.iter().any(|b| b.code == BlockerCode::PriorityClassMissing)
        {
            blockers.push(priority_class_blocker(class, Vec::new(), None, None));
        }
        blockers.extend(self.no_matching_node());
        blockers
    }

    fn daemonset_events(&self) -> impl Iterator<Item = &'a Event> + '_ {
        self.snapshot.events.iter().filter(|e| {
            let o = &e.involved_object;
            o.kind.as_deref() == Some("DaemonSet")
                && o.name.as_deref() == Some(self.name)
                && o.namespace.as_ref().or(e.metadata.namespace.as_ref()).map(String::as_str) == Some(self.namespace)
        })
    }

    fn create_blocker(&self, message: String, count: i32, last_seen: Option<Timestamp>) -> Blocker {
        let evidence = vec![format!("FailedCreate ({count}x): {message}")];
        let blocker = |code, text: String, fixes| Blocker {
            code,
            nodes: Vec::new(),
            message: text,
            evidence: evidence.clone(),
            count: Some(count),
            last_seen,
            fixes,
        };
        if let Some(level) = pod_security_level(&message) {
            let needed = if self.needs_privileged() { "privileged" } else { "baseline" };
            let target = if level == "baseline" { "privileged" } else { needed };
            return blocker(
                BlockerCode::PodSecurityRejected,
                format!(
                    "Pod Security admission rejects the pods: they violate the {level} level enforced on namespace {}",
                    self.namespace
                ),
                vec![Fix {
                    action: format!(
                        "enforce the {target} level on namespace {} (or harden the pod template)",
                        self.namespace
                    ),
                    command: Some(format!(
                        "kubectl label namespace {} pod-security.kubernetes.io/enforce={target} --overwrite",
                        self.namespace
                    )),
                    yaml: None,
                    effect: format!(
                        "every pod created in namespace {} from now on is admitted at the {target} level",
                        self.namespace
                    ),
                    other_nodes: Vec::new(),
                }],
            );
        }
        if let Some(quota) = message.split("exceeded quota: ").nth(1).and_then(|r| r.split(',').next()) {
            return blocker(
                BlockerCode::QuotaExceeded,
                format!("ResourceQuota {quota} in namespace {} is exhausted", self.namespace),
                vec![Fix {
                    action: format!("raise quota {quota}, free what it counts, or lower the DaemonSet's requests"),
                    command: Some(format!("kubectl describe resourcequota {quota} -n {}", self.namespace)),
                    yaml: None,
                    effect: "reads only".to_string(),
                    other_nodes: Vec::new(),
                }],
            );
        }
        if let Some(account) = quoted_after(&message, "serviceaccount \"") {
            return blocker(
                BlockerCode::ServiceAccountMissing,
                format!("ServiceAccount {account} does not exist in namespace {}", self.namespace),
                vec![Fix {
                    action: format!("create the ServiceAccount {account} the pod template names"),
                    command: Some(format!("kubectl create serviceaccount {account} -n {}", self.namespace)),
                    yaml: None,
                    effect: "the controller's next attempt creates the pods on every eligible node".to_string(),
                    other_nodes: Vec::new(),
                }],
            );
        }
        if let Some(class) =
            message.split("no PriorityClass with name ").nth(1).and_then(|r| r.split_whitespace().next())
        {
            return priority_class_blocker(class, evidence, Some(count), last_seen);
        }
        blocker(BlockerCode::FailedCreate, format!("the controller cannot create pods: {message}"), Vec::new())
    }

    /// Pod Security's baseline level forbids host namespaces, host paths, host ports and
    /// privileged containers: a pod with any of them needs privileged.
    fn needs_privileged(&self) -> bool {
        let Some(spec) = self.spec else { return false };
        let host =
            spec.host_network.unwrap_or(false) || spec.host_pid.unwrap_or(false) || spec.host_ipc.unwrap_or(false);
        let host_path = spec.volumes.iter().flatten().any(|v| v.host_path.is_some());
        let containers = spec.containers.iter().chain(spec.init_containers.iter().flatten());
        let privileged = containers.clone().any(|c| {
            c.security_context.as_ref().is_some_and(|s| s.privileged == Some(true))
                || c.ports.iter().flatten().any(|p| p.host_port.is_some_and(|p| p > 0))
        });
        host || host_path || privileged
    }

    /// A DaemonSet whose nodeName, nodeSelector or affinity no node satisfies runs nowhere.
    fn no_matching_node(&self) -> Option<Blocker> {
        if !self.snapshot.has(Kind::Node) || self.snapshot.nodes.is_empty() {
            return None;
        }
        let placement = |rule: &Rule| matches!(rule.name.as_str(), "nodeName" | "nodeSelector" | "nodeAffinity");
        let matching = self.snapshot.nodes.iter().any(|node| {
            controller_rules(node, &self.template).iter().filter(|r| placement(r)).all(|r| r.passed == Some(true))
        });
        if matching {
            return None;
        }
        let mut evidence = Vec::new();
        if let Some(selector) = self.spec.and_then(|s| s.node_selector.as_ref()) {
            for (key, wanted) in selector {
                let mut values: BTreeMap<String, usize> = BTreeMap::new();
                for node in &self.snapshot.nodes {
                    let value = node.metadata.labels.as_ref().and_then(|l| l.get(key));
                    *values.entry(value.map_or("(no label)".to_string(), |v| format!("{key}={v}"))).or_default() += 1;
                }
                let have = values.get(&format!("{key}={wanted}")).copied().unwrap_or(0);
                let spread: Vec<String> = values.iter().map(|(v, n)| format!("{v} on {n}")).collect();
                evidence.push(format!(
                    "nodeSelector {key}={wanted}: {have} node{} match{}; the nodes have {}",
                    plural(have),
                    if have == 1 { "es" } else { "" },
                    spread.join(", ")
                ));
            }
        }
        if self.spec.and_then(super::affinity::required_affinity).is_some() {
            evidence.push("required node affinity: see the rules of the excluded nodes".to_string());
        }
        let targets: Vec<String> = self.snapshot.nodes.iter().filter_map(|n| n.metadata.name.clone()).collect();
        let mut fixes: Vec<Fix> = Vec::new();
        fixes.extend(self.drop_selector_fix(&targets));
        fixes.extend(self.drop_affinity_fix(&targets));
        fixes.extend(self.drop_node_name_fix(&targets));
        if let Some(first) = fixes.first_mut()
            && let Some(rest) = first.action.strip_prefix("or ")
        {
            first.action = rest.to_string();
        }
        Some(Blocker {
            nodes: Vec::new(),
            code: BlockerCode::NoNodeMatches,
            message: format!(
                "no node of {} matches the DaemonSet's nodeName, nodeSelector and node affinity: it runs nowhere",
                self.snapshot.nodes.len()
            ),
            evidence,
            count: None,
            last_seen: None,
            fixes,
        })
    }
}

/// Nodes a template change adds or removes.
#[derive(Default)]
struct Comparison {
    gained: Vec<String>,
    lost: Vec<String>,
    /// Nodes that become eligible where the scheduler would still refuse the pod.
    pending: Vec<String>,
    /// Why the scheduler would refuse those, in short.
    pending_causes: Vec<String>,
    /// Targets the change alone does not make eligible (another rule still fails).
    targets_still_excluded: Vec<String>,
}

impl Comparison {
    fn others(&self) -> Vec<String> {
        self.gained.iter().chain(&self.lost).cloned().collect()
    }

    fn describe(&self, targets: &[String], verb: &str) -> String {
        let mut parts = Vec::new();
        let reached: Vec<String> =
            targets.iter().filter(|t| !self.targets_still_excluded.contains(t)).cloned().collect();
        match reached.len() {
            0 if !targets.is_empty() => parts.push(format!(
                "not enough on its own: {} still fail{} another rule",
                names(targets),
                if targets.len() == 1 { "s" } else { "" }
            )),
            0 => {}
            1 => parts.push(format!("{verb} {}", reached[0])),
            n => parts.push(format!("{verb} these {n} nodes")),
        }
        if !self.targets_still_excluded.is_empty() && !reached.is_empty() {
            parts.push(format!("{} still fail another rule", names(&self.targets_still_excluded)));
        }
        if self.gained.is_empty() {
            parts.push(if targets.is_empty() {
                "changes no node".to_string()
            } else {
                "changes no other node".to_string()
            });
        } else {
            let also = if targets.is_empty() { "" } else { "also " };
            parts.push(format!(
                "{also}places it on {} other node{}: {}",
                self.gained.len(),
                plural(self.gained.len()),
                names(&self.gained)
            ));
        }
        if !self.pending.is_empty() {
            parts.push(format!(
                "the scheduler would still refuse it on {} ({})",
                names(&self.pending),
                self.pending_causes.join(", ")
            ));
        }
        if !self.lost.is_empty() {
            parts.push(format!(
                "removes it from {} node{}: {}",
                self.lost.len(),
                plural(self.lost.len()),
                names(&self.lost)
            ));
        }
        parts.join("; ")
    }
}

/// A scheduler refusal in a few words: `not enough cpu`, `host port 9100/TCP held`.
fn short_cause(reason: &Reason) -> String {
    match &reason.cause {
        Cause::InsufficientResources { resource, .. } if resource == "pods" => "no pod slot left".to_string(),
        Cause::InsufficientResources { resource, .. } => format!("not enough {resource}"),
        Cause::HostPortConflict { port: Some(port), protocol, .. } => {
            format!("host port {port}/{} held", protocol.as_deref().unwrap_or("TCP"))
        }
        _ => reason.code().to_string(),
    }
}

fn only_these(targets: &[String]) -> String {
    match targets {
        [] => "changes no node".to_string(),
        [one] => format!("touches only node {one}"),
        many => format!("touches only these {} nodes", many.len()),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `a, b, c` or `a, b, c, d, e and 7 more`.
pub fn names(list: &[String]) -> String {
    if list.len() <= NAMES_SHOWN {
        return list.join(", ");
    }
    format!("{} and {} more", list[..NAMES_SHOWN].join(", "), list.len() - NAMES_SHOWN)
}

/// JSON pointer escaping (RFC 6901) for a map key in a patch path.
fn pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn toleration_json(t: &Toleration) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    object.insert("key".into(), t.key.clone().unwrap_or_default().into());
    object.insert("operator".into(), t.operator.clone().unwrap_or_default().into());
    if let Some(value) = &t.value {
        object.insert("value".into(), value.clone().into());
    }
    object.insert("effect".into(), t.effect.clone().unwrap_or_default().into());
    serde_json::Value::Object(object)
}

/// One JSON patch for several tolerations: appended to the list, or the list created.
fn tolerations_patch(tolerations: &[Toleration], has_tolerations: bool) -> serde_json::Value {
    if has_tolerations {
        serde_json::Value::Array(
            tolerations
                .iter()
                .map(|t| json!({"op": "add", "path": "/spec/template/spec/tolerations/-", "value": toleration_json(t)}))
                .collect(),
        )
    } else {
        let list: Vec<serde_json::Value> = tolerations.iter().map(toleration_json).collect();
        json!([{"op": "add", "path": "/spec/template/spec/tolerations", "value": list}])
    }
}

/// The tolerations as the YAML a manifest holds under `tolerations:`.
fn tolerations_yaml(tolerations: &[Toleration]) -> String {
    let mut text = String::from("tolerations:\n");
    for t in tolerations {
        text.push_str(&format!("- key: {}\n", yaml_scalar(t.key.as_deref().unwrap_or_default())));
        text.push_str(&format!("  operator: {}\n", t.operator.as_deref().unwrap_or("Equal")));
        if let Some(value) = &t.value {
            text.push_str(&format!("  value: {}\n", yaml_scalar(value)));
        }
        text.push_str(&format!("  effect: {}\n", t.effect.as_deref().unwrap_or_default()));
    }
    text
}

/// A container's explicit request (or its limit, which stands in for a missing request).
fn request_of(container: &k8s_openapi::api::core::v1::Container, resource: &str) -> Option<i128> {
    let resources = container.resources.as_ref()?;
    let from = |list: &Option<BTreeMap<String, Quantity>>| list.as_ref()?.get(resource).and_then(milli);
    from(&resources.requests).or_else(|| from(&resources.limits)).filter(|v| *v > 0)
}

/// Rounds an amount down to a unit people write: whole millicores, memory to Mi (or Ki).
fn round_down(resource: &str, milli: i128) -> i128 {
    if resource == "cpu" || milli <= 0 {
        return milli.max(0);
    }
    let bytes = milli / 1000;
    let unit: i128 = if bytes >= 1 << 20 {
        1 << 20
    } else if bytes >= 1 << 10 {
        1 << 10
    } else {
        1
    };
    (bytes / unit) * unit * 1000
}

/// ` (containers 1, sidecars 100m, init peak 300m, overhead 50m)` when anything but the
/// containers adds to the request.
fn breakdown(resource: &str, parts: &RequestParts) -> String {
    if parts.sidecars == 0 && parts.init_peak <= parts.containers && parts.overhead == 0 {
        return String::new();
    }
    let amount = |v: i128| format_amount(resource, v);
    let mut items = vec![format!("containers {}", amount(parts.containers))];
    if parts.sidecars != 0 {
        items.push(format!("sidecars {}", amount(parts.sidecars)));
    }
    if parts.init_peak != 0 {
        let decides = if parts.init_peak > parts.containers + parts.sidecars { ", which decides" } else { "" };
        items.push(format!("init containers at most {}{decides}", amount(parts.init_peak)));
    }
    if parts.overhead != 0 {
        items.push(format!("RuntimeClass overhead {}", amount(parts.overhead)));
    }
    format!(" ({})", items.join(", "))
}

fn port_rules(check: &FitCheck, host_network: bool) -> Vec<Rule> {
    if check.ports.is_empty() {
        return vec![Rule::new(
            Stage::Scheduler,
            "NodePorts",
            None,
            Some(true),
            "the pod asks for no host ports".to_string(),
        )];
    }
    check
        .ports
        .iter()
        .map(|p| {
            let HostPort { ip, protocol, port } = &p.port;
            let on = if ip == "0.0.0.0" { String::new() } else { format!(" on {ip}") };
            let source = if host_network { " (hostNetwork: every containerPort is a host port)" } else { "" };
            let (passed, evidence) = match &p.held_by {
                Some(holder) => (false, format!("held by pod {holder}{source}")),
                None => (true, format!("free on this node{source}")),
            };
            Rule::new(Stage::Scheduler, "NodePorts", Some(format!("{port}/{protocol}{on}")), Some(passed), evidence)
        })
        .collect()
}

/// The volume filters need PersistentVolumes and CSINodes, which no snapshot holds; say what
/// the snapshot does show.
fn volume_rule(spec: &PodSpec, node: &Node) -> Rule {
    let claims: Vec<String> = spec
        .volumes
        .iter()
        .flatten()
        .filter_map(|v| {
            v.persistent_volume_claim
                .as_ref()
                .map(|c| c.claim_name.clone())
                .or_else(|| v.ephemeral.as_ref().map(|_| format!("{} (ephemeral)", v.name)))
        })
        .collect();
    if claims.is_empty() {
        return Rule::new(
            Stage::Scheduler,
            "volumes",
            None,
            Some(true),
            "the pod mounts no PersistentVolumeClaims: VolumeBinding, VolumeZone and NodeVolumeLimits have nothing \
             to check"
                .to_string(),
        );
    }
    let status = node.status.as_ref();
    let limits: Vec<String> = status
        .and_then(|s| s.allocatable.as_ref())
        .map(|a| {
            a.iter()
                .filter(|(k, _)| k.starts_with("attachable-volumes-"))
                .map(|(k, q)| format!("{k} {}", q.0))
                .collect()
        })
        .unwrap_or_default();
    let attached = status.and_then(|s| s.volumes_attached.as_ref()).map_or(0, Vec::len);
    let mut evidence = format!("the pod mounts {}", claims.join(", "));
    if limits.is_empty() {
        evidence.push_str("; the node reports no attach limits");
    } else {
        evidence.push_str(&format!("; the node allows {} and has {attached} attached", limits.join(", ")));
    }
    evidence.push_str("; the snapshot holds no PersistentVolumes or CSINodes to check binding, zones and limits");
    Rule::new(Stage::Scheduler, "volumes", None, None, evidence)
}

/// How the scheduler's FitError reads for a pinned DaemonSet pod: the entries that match what
/// the snapshot shows for this node (`own`, explain's reasons) are this node's; the rest are
/// the other nodes' (the ones the pod is not pinned to, which before the PreFilter narrowing of
/// 1.24 failed whichever filter came first for them).
fn read_fit_error(message: &str, own: &[Reason]) -> String {
    let Some(fit) = scheduler_message::parse(message) else { return String::new() };
    let mine = |verdict: &Verdict| {
        own.iter().any(|r| match (&r.cause, verdict) {
            (Cause::InsufficientResources { resource, .. }, Verdict::Insufficient(wanted)) => resource == wanted,
            (Cause::InsufficientResources { resource, .. }, Verdict::TooManyPods) => resource == "pods",
            (Cause::NamespaceNodeSelector { .. } | Cause::RuntimeClassScheduling { .. }, Verdict::NodeAffinity) => true,
            (cause, verdict) => cause.code() == verdict.code() && !matches!(verdict, Verdict::Other(_)),
        })
    };
    let mut ours = Vec::new();
    let mut others = Vec::new();
    for (count, verdict) in &fit.entries {
        let mut count = *count;
        if count > 0 && ours.len() < own.len() && mine(verdict) {
            let code = match verdict {
                Verdict::Insufficient(resource) => format!("InsufficientResources ({resource})"),
                other => other.code().to_string(),
            };
            ours.push(code);
            count -= 1;
        }
        if count > 0 {
            let pinned = if *verdict == Verdict::NodeAffinity { " (the pod is pinned to this node)" } else { "" };
            others.push(format!("{count} {}{pinned}", verdict.describe()));
        }
    }
    if ours.is_empty() {
        return format!(" → no entry matches what the snapshot shows for this node now: {}", others.join(", "));
    }
    let mut text = format!(" → for this node: {}", ours.join(", "));
    if !others.is_empty() {
        let rest = fit.nodes.saturating_sub(1);
        text.push_str(&format!("; the other {rest} node{}: {}", plural(rest as usize), others.join(", ")));
    }
    text
}

/// What a container's status says, and whether it is where it should be (running and ready;
/// an ordinary init container: completed).
fn container_evidence(
    status: Option<&ContainerStatus>,
    init: bool,
    memory_limit: Option<&str>,
) -> (Option<bool>, String) {
    let Some(status) = status else { return (None, "no status yet".to_string()) };
    let state = status.state.as_ref();
    let restarts =
        if status.restart_count > 0 { format!(", {} restarts", status.restart_count) } else { String::new() };
    let last = status.last_state.as_ref().and_then(|s| s.terminated.as_ref()).map(|t| {
        let reason = t.reason.as_deref().unwrap_or("no reason");
        let mut text = format!("; last exit code {} ({reason})", t.exit_code);
        if reason == "OOMKilled" {
            text.push_str(&format!(
                ": killed for exceeding its memory limit{}",
                memory_limit.map(|l| format!(" {l}")).unwrap_or_default()
            ));
        }
        if let Some(finished) = &t.finished_at {
            text.push_str(&format!(" at {}", finished.0));
        }
        text
    });
    let last = last.unwrap_or_default();
    if let Some(waiting) = state.and_then(|s| s.waiting.as_ref()) {
        let reason = waiting.reason.as_deref().unwrap_or("waiting");
        let message = waiting.message.as_deref().map(|m| format!(": {m}")).unwrap_or_default();
        return (Some(false), format!("waiting, {reason}{message}{last}{restarts}"));
    }
    if let Some(terminated) = state.and_then(|s| s.terminated.as_ref()) {
        let reason = terminated.reason.as_deref().unwrap_or("no reason");
        let ok = init && terminated.exit_code == 0;
        return (Some(ok), format!("terminated, exit code {} ({reason}){restarts}", terminated.exit_code));
    }
    if state.and_then(|s| s.running.as_ref()).is_some() {
        if init {
            return (Some(false), format!("still running{last}{restarts}"));
        }
        return if status.ready {
            (Some(true), format!("running and ready{last}{restarts}"))
        } else {
            (Some(false), format!("running, not ready (readiness probe failing, or starting){last}{restarts}"))
        };
    }
    (None, format!("no state reported{restarts}"))
}

/// The pod's Warning events, one per reason and message: (reason, message, count, last seen).
fn pod_warning_events(events: &[Event], pod: &Pod) -> Vec<(String, String, i32, Option<Timestamp>)> {
    let mut found: BTreeMap<(String, String), (i32, Option<Timestamp>)> = BTreeMap::new();
    for event in events {
        let o = &event.involved_object;
        let same_pod = o.kind.as_deref() == Some("Pod")
            && o.name == pod.metadata.name
            && o.namespace.as_ref().or(event.metadata.namespace.as_ref()) == pod.metadata.namespace.as_ref()
            && (o.uid.is_none() || pod.metadata.uid.is_none() || o.uid == pod.metadata.uid);
        if !same_pod || event.type_.as_deref() != Some("Warning") {
            continue;
        }
        let key = (event.reason.clone().unwrap_or_default(), event.message.clone().unwrap_or_default());
        let entry = found.entry(key).or_default();
        entry.0 += event.count.unwrap_or(1).max(1);
        entry.1 = entry.1.max(event_time(event));
    }
    let mut list: Vec<_> =
        found.into_iter().map(|((reason, message), (count, last))| (reason, message, count, last)).collect();
    list.sort_by(|a, b| b.3.cmp(&a.3).then_with(|| a.0.cmp(&b.0)));
    list
}

fn event_time(event: &Event) -> Option<Timestamp> {
    event
        .last_timestamp
        .as_ref()
        .map(|t| t.0)
        .or_else(|| event.event_time.as_ref().map(|t| t.0))
        .or_else(|| event.first_timestamp.as_ref().map(|t| t.0))
}

fn node_unreachable(node: &Node) -> bool {
    let ready =
        node.status.as_ref().and_then(|s| s.conditions.as_ref()).and_then(|c| c.iter().find(|c| c.type_ == "Ready"));
    ready.is_none_or(|c| c.status != "True")
}

/// `violates PodSecurity "baseline:latest": ...` → `baseline`.
fn pod_security_level(message: &str) -> Option<&str> {
    let rest = message.split("violates PodSecurity \"").nth(1)?;
    rest.split([':', '"']).next().filter(|l| !l.is_empty())
}

/// The text between `prefix` and the next `"`.
fn quoted_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    message.split(prefix).nth(1)?.split('"').next().filter(|s| !s.is_empty())
}

fn priority_class_blocker(
    class: &str,
    evidence: Vec<String>,
    count: Option<i32>,
    last_seen: Option<Timestamp>,
) -> Blocker {
    let evidence = if evidence.is_empty() {
        vec![format!(
            "the template names priorityClassName {class}, and the snapshot's PriorityClasses hold no such class"
        )]
    } else {
        evidence
    };
    Blocker {
        nodes: Vec::new(),
        code: BlockerCode::PriorityClassMissing,
        message: format!("PriorityClass {class} does not exist: admission rejects every pod"),
        evidence,
        count,
        last_seen,
        fixes: vec![Fix {
            action: format!(
                "create the PriorityClass {class} (pick its value), or drop priorityClassName from the template"
            ),
            command: Some(format!("kubectl create priorityclass {class} --value=1000000")),
            yaml: None,
            effect: "the controller's next attempt creates the pods on every eligible node".to_string(),
            other_nodes: Vec::new(),
        }],
    }
}

/// What the kubelet could not find, from its messages: `couldn't find key K in Secret NS/N`,
/// `secret "N" not found`, `configmap "N" not found` (as CreateContainerConfigError and
/// FailedMount word them).
#[derive(Debug, PartialEq, Eq)]
enum MissingObject {
    Key { kind: &'static str, namespace: String, name: String, key: String },
    Object { kind: &'static str, name: String },
}

impl MissingObject {
    fn parse(message: &str) -> Option<Self> {
        let lower = message.to_ascii_lowercase();
        if let Some(at) = lower.find("couldn't find key ") {
            let rest = &message[at + "couldn't find key ".len()..];
            let mut words = rest.split_whitespace();
            let key = words.next()?.to_string();
            let _in = words.next()?;
            let kind = match words.next()? {
                "Secret" => "Secret",
                "ConfigMap" => "ConfigMap",
                _ => return None,
            };
            let (namespace, name) = words.next()?.trim_end_matches(['.', ',']).split_once('/')?;
            return Some(MissingObject::Key { kind, namespace: namespace.to_string(), name: name.to_string(), key });
        }
        for (word, kind) in
            [("secret", "Secret"), ("secrets", "Secret"), ("configmap", "ConfigMap"), ("configmaps", "ConfigMap")]
        {
            let needle = format!("{word} \"");
            if let Some(at) = lower.find(&needle) {
                let rest = &message[at + needle.len()..];
                let (name, tail) = rest.split_once('"')?;
                if tail.trim_start().starts_with("not found") {
                    return Some(MissingObject::Object { kind, name: name.to_string() });
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests;
