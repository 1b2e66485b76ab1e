//! Placement and scheduling (DS301–DS316). The cluster forms read the engine's own verdicts
//! ([`ClusterView::placement`], [`ClusterView::current`]), so lint says what explain says.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{NodeSelectorRequirement, Taint, Toleration};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use kube_core::SelectorExt;

use super::pss::{self, Level};
use super::{ClusterView, Environment, Finding, Intent, Outcome, Severity, Subject, TEMPLATE_SPEC};
use crate::engine::fit::{host_ports, milli};
use crate::engine::tolerations::{NO_SCHEDULE, taint_string, tolerates, toleration_for};
use crate::report::{Cause, NodeReport, NodeStatus};
use crate::snapshot::Kind;
use crate::version::KubeVersion;

const CONTROL_PLANE_TAINT: &str = "node-role.kubernetes.io/control-plane";
const MASTER_TAINT: &str = "node-role.kubernetes.io/master";
const OS_LABEL: &str = "kubernetes.io/os";
const ARCH_LABEL: &str = "kubernetes.io/arch";
const BUILT_IN_PRIORITY_CLASSES: [&str; 2] = ["system-node-critical", "system-cluster-critical"];
/// How many node names a message lists before it says "and N more".
const NAMED_NODES: usize = 3;

pub(super) fn check(
    subject: &Subject<'_>,
    env: &Environment<'_>,
    cluster: Option<&ClusterView<'_>>,
    out: &mut Outcome,
) {
    no_control_plane_toleration(subject, out);
    tolerates_all_taints(subject, out);
    no_os_selector(subject, cluster, out);
    selector_matches_no_nodes(subject, cluster, out);
    topology_constraints(subject, out);
    priority_class_missing(subject, out);
    namespace_pss_rejects(subject, env, out);
    priority_class_not_found(subject, env, out);
    service_account_not_found(subject, env, out);
    host_port_conflict(subject, env, cluster, out);
    match cluster {
        Some(cluster) => {
            untolerated_taints(cluster, out);
            requests_exceed_capacity(cluster, out);
            rollout_stalled(cluster, out);
            misscheduled_pods(cluster, out);
            selector_immutable_change(subject, cluster, out);
        }
        None => {
            for rule in ["DS305", "DS306", "DS307", "DS314", "DS315", "DS316"] {
                out.skip(rule, "needs the cluster's state: name the DaemonSet, or add --live or --from");
            }
        }
    }
}

fn taint(key: &str, effect: &str) -> Taint {
    Taint { key: key.to_string(), effect: effect.to_string(), ..Taint::default() }
}

fn tolerations<'a>(subject: &Subject<'a>) -> &'a [Toleration] {
    subject.spec.tolerations.as_deref().unwrap_or_default()
}

/// A template that chooses its nodes by label (beyond the OS and architecture) is meant for
/// selected nodes, whatever the intent annotation says.
fn targets_selected_nodes(subject: &Subject<'_>) -> bool {
    let by_selector = subject.spec.node_selector.iter().flatten().any(|(k, _)| k != OS_LABEL && k != ARCH_LABEL);
    let by_affinity =
        required_terms(subject).iter().any(|term| term.iter().any(|req| req.key != OS_LABEL && req.key != ARCH_LABEL));
    subject.intent == Intent::SelectedNodes || by_selector || by_affinity
}

fn required_terms(subject: &Subject<'_>) -> Vec<Vec<NodeSelectorRequirement>> {
    crate::engine::affinity::required_affinity(subject.spec)
        .map(|selector| {
            selector.node_selector_terms.iter().map(|t| t.match_expressions.clone().unwrap_or_default()).collect()
        })
        .unwrap_or_default()
}

fn no_control_plane_toleration(subject: &Subject<'_>, out: &mut Outcome) {
    if targets_selected_nodes(subject) {
        return;
    }
    let tolerated = |key| tolerations(subject).iter().any(|t| tolerates(t, &taint(key, NO_SCHEDULE)));
    if tolerated(CONTROL_PLANE_TAINT) {
        return;
    }
    let severity = if subject.intent == Intent::AllNodes { Severity::Warning } else { Severity::Info };
    let hint = format!(
        "add to {TEMPLATE_SPEC}.tolerations: {{key: {CONTROL_PLANE_TAINT}, operator: Exists, effect: NoSchedule}}"
    );
    let message = if tolerated(MASTER_TAINT) {
        format!(
            "tolerates only {MASTER_TAINT}, removed in Kubernetes 1.25: the pods never run on control-plane nodes \
             tainted {CONTROL_PLANE_TAINT}"
        )
    } else {
        format!("does not tolerate {CONTROL_PLANE_TAINT}:NoSchedule: the pods never run on control-plane nodes")
    };
    out.push(Finding::new("DS301", message).at(format!("{TEMPLATE_SPEC}.tolerations")).hint(hint).severity(severity));
}

fn tolerates_all_taints(subject: &Subject<'_>, out: &mut Outcome) {
    for (i, toleration) in tolerations(subject).iter().enumerate() {
        let blank = |s: &Option<String>| s.as_deref().is_none_or(str::is_empty);
        if toleration.operator.as_deref() == Some("Exists") && blank(&toleration.key) && blank(&toleration.effect) {
            let severity = if subject.intent == Intent::SelectedNodes { Severity::Warning } else { Severity::Info };
            out.push(
                Finding::new(
                    "DS302",
                    "tolerates every taint (operator Exists without key or effect), including dedicated GPU, \
                     Windows, virtual-kubelet and Fargate taints",
                )
                .at(format!("{TEMPLATE_SPEC}.tolerations[{i}]"))
                .hint(
                    "list the taints the agent must tolerate; the controller already adds the not-ready, \
                       unreachable and pressure tolerations",
                )
                .severity(severity),
            );
        }
    }
}

fn selects_label(subject: &Subject<'_>, label: &str) -> bool {
    subject.spec.node_selector.iter().flatten().any(|(k, _)| k == label)
        || required_terms(subject).iter().all(|term| term.iter().any(|req| req.key == label))
            && !required_terms(subject).is_empty()
}

fn no_os_selector(subject: &Subject<'_>, cluster: Option<&ClusterView<'_>>, out: &mut Outcome) {
    let hint = |label: &str, value: &str| format!("add {TEMPLATE_SPEC}.nodeSelector: {{{label}: {value}}}");
    let Some(cluster) = cluster else {
        if !selects_label(subject, OS_LABEL) {
            out.push(
                Finding::new("DS303", format!("no {OS_LABEL} node selector: the pods go to every OS the cluster has"))
                    .at(format!("{TEMPLATE_SPEC}.nodeSelector"))
                    .hint(hint(OS_LABEL, "linux")),
            );
        }
        return;
    };
    for (label, what) in [(OS_LABEL, "operating systems"), (ARCH_LABEL, "architectures")] {
        let values: BTreeSet<&str> = cluster
            .snapshot
            .nodes
            .iter()
            .filter_map(|n| n.metadata.labels.as_ref()?.get(label).map(String::as_str))
            .collect();
        if values.len() > 1 && !selects_label(subject, label) {
            let list: Vec<&str> = values.iter().copied().collect();
            out.push(
                Finding::new(
                    "DS303",
                    format!("no {label} node selector, and the cluster's nodes mix {what}: {}", list.join(", ")),
                )
                .at(format!("{TEMPLATE_SPEC}.nodeSelector"))
                .hint(hint(label, list[0])),
            );
        }
    }
}

/// Nodes a verdict excludes by nodeName, nodeSelector or required affinity (taints aside).
fn excluded_by_selection(node: &NodeReport) -> bool {
    node.reasons.iter().any(|r| {
        matches!(
            r.cause,
            Cause::NodeNameMismatch { .. } | Cause::NodeSelectorMismatch { .. } | Cause::NodeAffinityMismatch { .. }
        )
    })
}

fn selector_matches_no_nodes(subject: &Subject<'_>, cluster: Option<&ClusterView<'_>>, out: &mut Outcome) {
    let field = format!("{TEMPLATE_SPEC}.nodeSelector");
    match cluster {
        Some(cluster) if cluster.snapshot.has(Kind::Node) => {
            let nodes = &cluster.placement.nodes;
            if nodes.is_empty() || nodes.iter().any(|n| !excluded_by_selection(n)) {
                return;
            }
            let mut causes: BTreeMap<String, usize> = BTreeMap::new();
            for node in nodes {
                if let Some(reason) = node.reasons.iter().find(|_| true) {
                    *causes.entry(reason.message.clone()).or_default() += 1;
                }
            }
            let top = causes.iter().max_by_key(|(_, n)| **n).map(|(m, n)| format!(" (e.g. {m}: {n} nodes)"));
            out.push(
                Finding::new(
                    "DS304",
                    format!(
                        "the node selector and required affinity match none of the {} nodes: desiredNumberScheduled \
                         will be 0{}",
                        nodes.len(),
                        top.unwrap_or_default()
                    ),
                )
                .at(field)
                .hint("`kubectl ds explain -f` shows each node's labels against the selector"),
            );
        }
        _ => {
            if let Some(conflict) = contradiction(subject) {
                out.push(
                    Finding::new("DS304", format!("the node selection can match no node: {conflict}"))
                        .at(field)
                        .hint("remove the contradicting requirement"),
                );
            }
        }
    }
}

/// The static form of DS304: every required-affinity term contradicts itself or the
/// nodeSelector (`In` sets that do not meet, `NotIn` of the selected value, `Exists` with
/// `DoesNotExist`).
fn contradiction(subject: &Subject<'_>) -> Option<String> {
    let selector: Vec<NodeSelectorRequirement> = subject
        .spec
        .node_selector
        .iter()
        .flatten()
        .map(|(k, v)| NodeSelectorRequirement { key: k.clone(), operator: "In".into(), values: Some(vec![v.clone()]) })
        .collect();
    let terms = required_terms(subject);
    let terms = if terms.is_empty() { vec![Vec::new()] } else { terms };
    let mut first = None;
    for term in terms {
        let all: Vec<&NodeSelectorRequirement> = selector.iter().chain(&term).collect();
        let found = term_contradiction(&all)?;
        first.get_or_insert(found);
    }
    first
}

fn term_contradiction(requirements: &[&NodeSelectorRequirement]) -> Option<String> {
    let keys: BTreeSet<&str> = requirements.iter().map(|r| r.key.as_str()).collect();
    for key in keys {
        let on_key: Vec<&&NodeSelectorRequirement> = requirements.iter().filter(|r| r.key == key).collect();
        let mut allowed: Option<BTreeSet<&str>> = None;
        let mut denied = BTreeSet::new();
        let (mut must_exist, mut must_not) = (false, false);
        for req in on_key {
            let values: BTreeSet<&str> = req.values.iter().flatten().map(String::as_str).collect();
            match req.operator.as_str() {
                "In" => {
                    must_exist = true;
                    allowed = Some(match allowed {
                        Some(before) => before.intersection(&values).copied().collect(),
                        None => values,
                    });
                }
                "NotIn" => denied.extend(values),
                "Exists" | "Gt" | "Lt" => must_exist = true,
                "DoesNotExist" => must_not = true,
                _ => {}
            }
        }
        if must_exist && must_not {
            return Some(format!("{key} must both exist and not exist"));
        }
        if let Some(allowed) = allowed
            && allowed.iter().all(|v| denied.contains(v))
        {
            return Some(format!("no value of {key} satisfies every In and NotIn on it"));
        }
    }
    None
}

fn topology_constraints(subject: &Subject<'_>, out: &mut Outcome) {
    if subject.spec.topology_spread_constraints.as_ref().is_some_and(|c| !c.is_empty()) {
        out.push(
            Finding::new(
                "DS313",
                "topologySpreadConstraints mean nothing for a pod pinned to its node, and DoNotSchedule can leave \
                 nodes without one",
            )
            .at(format!("{TEMPLATE_SPEC}.topologySpreadConstraints"))
            .hint("remove topologySpreadConstraints"),
        );
    }
    let own = subject.ds.spec.template.metadata.as_ref().and_then(|m| m.labels.clone()).unwrap_or_default();
    let anti = subject.spec.affinity.as_ref().and_then(|a| a.pod_anti_affinity.as_ref());
    for (i, term) in anti
        .and_then(|a| a.required_during_scheduling_ignored_during_execution.as_ref())
        .iter()
        .copied()
        .flatten()
        .enumerate()
    {
        let selects_own = term
            .label_selector
            .clone()
            .and_then(|s| kube_core::Selector::try_from(s).ok())
            .is_some_and(|s| !s.selects_all() && s.matches(&own));
        if selects_own {
            out.push(
                Finding::new(
                    "DS313",
                    "required pod anti-affinity against its own pods: each node gets one pod anyway, and the term \
                     can block the surge pod of a rollout",
                )
                .at(format!(
                    "{TEMPLATE_SPEC}.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[{i}]"
                ))
                .hint("remove the self anti-affinity term"),
            );
        }
    }
}

fn priority_class_missing(subject: &Subject<'_>, out: &mut Outcome) {
    if subject.spec.priority_class_name.as_deref().is_some_and(|p| !p.is_empty()) {
        return;
    }
    let severity = if subject.node_agent { Severity::Warning } else { Severity::Info };
    out.push(
        Finding::new(
            "DS308",
            "no priorityClassName: on a full node the agent loses the scheduling race and is evicted first",
        )
        .at(format!("{TEMPLATE_SPEC}.priorityClassName"))
        .hint("set priorityClassName: system-node-critical for CNI, CSI and kube-proxy-class agents")
        .severity(severity),
    );
}

/// The enforce level and version of the target namespace, when its Namespace object is known
/// (from the files or the cluster).
fn namespace_pss_rejects(subject: &Subject<'_>, env: &Environment<'_>, out: &mut Outcome) {
    let namespace = env.snapshot.namespaces.iter().find(|n| n.metadata.name.as_deref() == Some(env.namespace));
    let Some(namespace) = namespace else {
        out.skip("DS311", "the target Namespace (and its Pod Security labels) is not in the input or the cluster view");
        return;
    };
    let labels = namespace.metadata.labels.clone().unwrap_or_default();
    let Some(enforce) = labels.get("pod-security.kubernetes.io/enforce").and_then(|l| Level::parse(l)) else {
        return;
    };
    let version = labels
        .get("pod-security.kubernetes.io/enforce-version")
        .filter(|v| v.as_str() != "latest")
        .and_then(|v| format!("{v}.0").parse::<KubeVersion>().ok().or_else(|| v.parse().ok()));
    let evaluation = pss::evaluate_template(&subject.ds.spec.template, version);
    if evaluation.required <= enforce {
        return;
    }
    let controls: BTreeSet<&str> = evaluation.blocking(enforce).map(|v| v.control).collect();
    let controls: Vec<&str> = controls.into_iter().collect();
    out.push(
        Finding::new(
            "DS311",
            format!(
                "namespace {} enforces Pod Security {:?} and the pods need {:?} ({}): the DaemonSet is accepted and \
                 every pod is rejected (FailedCreate)",
                env.namespace,
                enforce.as_str(),
                evaluation.required.as_str(),
                controls.join(", ")
            ),
        )
        .at(TEMPLATE_SPEC)
        .hint(format!(
            "kubectl label namespace {} pod-security.kubernetes.io/enforce={} --overwrite, or deploy into a namespace \
             that allows it",
            env.namespace,
            evaluation.required.as_str()
        )),
    );
}

fn priority_class_not_found(subject: &Subject<'_>, env: &Environment<'_>, out: &mut Outcome) {
    let Some(class) = subject.spec.priority_class_name.as_deref().filter(|p| !p.is_empty()) else { return };
    if BUILT_IN_PRIORITY_CLASSES.contains(&class) {
        return;
    }
    let known = env.snapshot.priority_classes.iter().any(|p| p.metadata.name.as_deref() == Some(class));
    if known {
        return;
    }
    if !(env.cluster && env.snapshot.has(Kind::PriorityClass)) {
        out.skip("DS309", "the PriorityClass is not in the input, and no cluster view lists PriorityClasses");
        return;
    }
    out.push(
        Finding::new("DS309", format!("PriorityClass {class} does not exist: admission rejects every pod"))
            .at(format!("{TEMPLATE_SPEC}.priorityClassName"))
            .hint(format!("create PriorityClass {class}, or name an existing one (kubectl get priorityclasses)")),
    );
}

fn service_account_not_found(subject: &Subject<'_>, env: &Environment<'_>, out: &mut Outcome) {
    let field = if subject.spec.service_account_name.as_deref().is_some_and(|s| !s.is_empty()) {
        "serviceAccountName"
    } else {
        "serviceAccount"
    };
    let account = subject.spec.service_account_name.as_deref().or(subject.spec.service_account.as_deref());
    let Some(account) = account.filter(|s| !s.is_empty() && *s != "default") else { return };
    let known = env.snapshot.service_accounts.iter().any(|sa| {
        sa.metadata.name.as_deref() == Some(account)
            && sa.metadata.namespace.as_deref().unwrap_or(env.namespace) == env.namespace
    });
    if known {
        return;
    }
    if !(env.cluster && env.snapshot.has(Kind::ServiceAccount)) {
        out.skip("DS310", "the ServiceAccount is not in the input, and no cluster view lists ServiceAccounts");
        return;
    }
    out.push(
        Finding::new(
            "DS310",
            format!("ServiceAccount {}/{account} does not exist: every pod fails to create", env.namespace),
        )
        .at(format!("{TEMPLATE_SPEC}.{field}"))
        .hint(format!("kubectl create serviceaccount {account} -n {}", env.namespace)),
    );
}

/// The nodes where a host port is taken, and the pods taking it.
type PortHolders<'a> = (Vec<&'a str>, BTreeSet<String>);

/// With the cluster: the engine's NodePorts verdict per node. Without: other DaemonSets of the
/// input that ask for the same host port (they meet on every node both select).
fn host_port_conflict(
    subject: &Subject<'_>,
    env: &Environment<'_>,
    cluster: Option<&ClusterView<'_>>,
    out: &mut Outcome,
) {
    let field = format!("{TEMPLATE_SPEC}.containers");
    if let Some(cluster) = cluster {
        let mut by_port: BTreeMap<(i32, String), PortHolders<'_>> = BTreeMap::new();
        for node in &cluster.placement.nodes {
            for reason in &node.reasons {
                if let Cause::HostPortConflict { port: Some(port), protocol, held_by } = &reason.cause {
                    let entry = by_port.entry((*port, protocol.clone().unwrap_or_default())).or_default();
                    entry.0.push(&node.node);
                    entry.1.extend(held_by.clone());
                }
            }
        }
        for ((port, protocol), (nodes, holders)) in by_port {
            let holders: Vec<String> = holders.into_iter().take(NAMED_NODES).collect();
            out.push(
                Finding::new(
                    "DS312",
                    format!(
                        "host port {port}/{protocol} is already held on {} nodes ({}) by {}: those nodes get no pod",
                        nodes.len(),
                        named(&nodes),
                        holders.join(", ")
                    ),
                )
                .at(field.clone())
                .hint(format!("change the hostPort, or stop the pods holding {port}/{protocol}")),
            );
        }
        return;
    }
    let mine = host_ports(subject.spec);
    if mine.is_empty() {
        return;
    }
    for other in &env.snapshot.daemonsets {
        if other.metadata.name.as_deref() == Some(subject.name)
            && other.metadata.namespace.as_deref().unwrap_or(env.namespace) == env.namespace
        {
            continue;
        }
        let Some(spec) = other.spec.template.spec.as_ref() else { continue };
        for port in host_ports(spec) {
            if mine.iter().any(|p| p.port == port.port && p.protocol == port.protocol) {
                out.push(
                    Finding::new(
                        "DS312",
                        format!(
                            "DaemonSet {} also asks for host port {}/{}: on nodes both select, only one of them runs",
                            other.metadata.name.as_deref().unwrap_or_default(),
                            port.port,
                            port.protocol
                        ),
                    )
                    .at(field.clone())
                    .hint("give one of them another hostPort, or disjoint node selectors"),
                );
            }
        }
    }
}

fn named(nodes: &[&str]) -> String {
    let mut text: Vec<&str> = nodes.iter().take(NAMED_NODES).copied().collect();
    let more = nodes.len().saturating_sub(NAMED_NODES);
    let mut joined = text.join(", ");
    if more > 0 {
        text.clear();
        joined.push_str(&format!(" and {more} more"));
    }
    joined
}

fn untolerated_taints(cluster: &ClusterView<'_>, out: &mut Outcome) {
    let mut by_taint: BTreeMap<String, (Taint, Vec<&str>)> = BTreeMap::new();
    for node in cluster.placement.nodes.iter().filter(|n| !excluded_by_selection(n)) {
        for reason in &node.reasons {
            if let Cause::UntoleratedTaint { taint: Some(taint) } = &reason.cause {
                let full = Taint {
                    key: taint.key.clone(),
                    value: taint.value.clone(),
                    effect: taint.effect.clone().unwrap_or_default(),
                    time_added: None,
                };
                by_taint.entry(taint_string(&full)).or_insert_with(|| (full, Vec::new())).1.push(&node.node);
            }
        }
    }
    for (text, (taint, nodes)) in by_taint {
        let toleration = toleration_for(&taint);
        out.push(
            Finding::new(
                "DS305",
                format!(
                    "{} of the nodes the selector matches carry taint {text}, which the template does not tolerate ({})",
                    nodes.len(),
                    named(&nodes)
                ),
            )
            .at(format!("{TEMPLATE_SPEC}.tolerations"))
            .hint(format!(
                "if the agent belongs there, add to {TEMPLATE_SPEC}.tolerations: {}",
                crate::engine::tolerations::toleration_string(&toleration)
            )),
        );
    }
}

/// DS306 when the request exceeds the node's allocatable (no node of that shape can ever hold the
/// pod), DS307 when other pods' requests leave too little free.
fn requests_exceed_capacity(cluster: &ClusterView<'_>, out: &mut Outcome) {
    let mut over: BTreeMap<(&'static str, String), Vec<&str>> = BTreeMap::new();
    let amount = |s: &Option<String>| s.as_ref().and_then(|s| milli(&Quantity(s.clone())));
    let mut detail: BTreeMap<(&'static str, String), String> = BTreeMap::new();
    for node in &cluster.placement.nodes {
        if node.status != NodeStatus::WouldBePending {
            continue;
        }
        for reason in &node.reasons {
            if let Cause::InsufficientResources { resource, requested, allocatable, .. } = &reason.cause {
                let never = resource != "pods"
                    && matches!((amount(requested), amount(allocatable)), (Some(r), Some(a)) if r > a);
                let rule = if never { "DS306" } else { "DS307" };
                over.entry((rule, resource.clone())).or_default().push(&node.node);
                detail.entry((rule, resource.clone())).or_insert_with(|| reason.message.clone());
            }
        }
    }
    for ((rule, resource), nodes) in over {
        let example = detail.get(&(rule, resource.clone())).cloned().unwrap_or_default();
        let message = if rule == "DS306" {
            format!(
                "the pod's {resource} request exceeds the allocatable {resource} of {} matching nodes ({}): it stays \
                 Pending there forever ({example})",
                nodes.len(),
                named(&nodes)
            )
        } else {
            format!(
                "on {} matching nodes ({}) the other pods leave too little {resource}: the pod waits for preemption \
                 ({example})",
                nodes.len(),
                named(&nodes)
            )
        };
        let hint = if rule == "DS306" {
            format!("lower the {resource} request, or keep the DaemonSet off nodes that small")
        } else {
            "set priorityClassName: system-node-critical so the scheduler preempts for the agent, or lower its \
             request"
                .to_string()
        };
        out.push(Finding::new(rule, message).at(format!("{TEMPLATE_SPEC}.containers")).hint(hint));
    }
}

fn rollout_stalled(cluster: &ClusterView<'_>, out: &mut Outcome) {
    let Some(current) = &cluster.current else {
        out.skip("DS314", "the DaemonSet is not in the cluster yet");
        return;
    };
    let blocked: Vec<&NodeReport> =
        current.nodes.iter().filter(|n| matches!(n.status, NodeStatus::Stuck | NodeStatus::Missing)).collect();
    if blocked.is_empty() {
        return;
    }
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for node in &blocked {
        if let Some(reason) = node.reasons.first() {
            *reasons.entry(reason.code()).or_default() += 1;
        }
    }
    let mut reasons: Vec<(&str, usize)> = reasons.into_iter().collect();
    reasons.sort_by_key(|r| std::cmp::Reverse(r.1));
    let why: Vec<String> = reasons.iter().map(|(code, n)| format!("{code} on {n}")).collect();
    let nodes: Vec<&str> = blocked.iter().map(|n| n.node.as_str()).collect();
    let summary = &current.summary;
    out.push(
        Finding::new(
            "DS314",
            format!(
                "rollout not progressing: {} of {} nodes lack a healthy pod ({}; {}), {} updated, {} unavailable",
                blocked.len(),
                summary.desired,
                named(&nodes),
                why.join(", "),
                summary.updated,
                summary.unavailable
            ),
        )
        .hint(format!(
            "kubectl ds why-not-scheduled {} -n {} names each node's cause and fix",
            current.header.daemon_set.name, current.header.daemon_set.namespace
        )),
    );
}

fn misscheduled_pods(cluster: &ClusterView<'_>, out: &mut Outcome) {
    let Some(current) = &cluster.current else { return };
    let nodes: Vec<&str> =
        current.nodes.iter().filter(|n| n.status == NodeStatus::Misscheduled).map(|n| n.node.as_str()).collect();
    if nodes.is_empty() {
        return;
    }
    out.push(
        Finding::new(
            "DS315",
            format!(
                "{} pods run on nodes the DaemonSet no longer selects ({}): labels or taints changed under them",
                nodes.len(),
                named(&nodes)
            ),
        )
        .hint("the controller deletes them; if they linger, check the node's labels and taints against the template"),
    );
}

fn selector_immutable_change(subject: &Subject<'_>, cluster: &ClusterView<'_>, out: &mut Outcome) {
    let Some(live) = cluster.live else { return };
    if live.spec.selector == subject.ds.spec.selector {
        return;
    }
    let show = |s: &k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector| {
        kube_core::Selector::try_from(s.clone()).map(|s| s.to_string()).unwrap_or_else(|_| format!("{s:?}"))
    };
    out.push(
        Finding::new(
            "DS316",
            format!(
                "spec.selector {:?} differs from the live DaemonSet's {:?}, and selectors are immutable: apply fails",
                show(&subject.ds.spec.selector),
                show(&live.spec.selector)
            ),
        )
        .at("spec.selector")
        .hint(format!(
            "keep the live selector, or delete the DaemonSet with --cascade=orphan and create it anew (kubectl delete \
             ds {} -n {} --cascade=orphan)",
            subject.name, cluster.namespace
        )),
    );
}

#[cfg(test)]
mod tests;
