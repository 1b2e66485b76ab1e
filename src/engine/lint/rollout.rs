//! DS201–DS210: how a change rolls across the nodes (pkg/controller/daemon/update.go), and what
//! stalls it, rushes it or removes the way back.

use k8s_openapi::api::core::v1::{Container, Probe};

use super::validity::{Budget, is_rolling_update, rolling};
use super::{ClusterView, Finding, Outcome, Subject, TEMPLATE_SPEC};

pub(super) fn check(subject: &Subject<'_>, cluster: Option<&ClusterView<'_>>, out: &mut Outcome) {
    surge_with_host_port(subject, out);
    readiness_probe_missing(subject, out);
    min_ready_seconds_zero(subject, out);
    max_unavailable_too_high(subject, cluster, out);
    update_strategy_ondelete(subject, cluster, out);
    update_strategy_implicit(subject, out);
    liveness_equals_readiness(subject, out);
    liveness_probe_missing(subject, out);
    revision_history_zero(subject, out);
    termination_grace_extreme(subject, out);
}

const ROLLING_UPDATE: &str = "spec.updateStrategy.rollingUpdate";

/// The containers that run beside the pod's lifetime: regular ones and restartable init
/// containers (sidecars), whose ports the scheduler counts too.
fn long_running<'a>(subject: &Subject<'a>) -> impl Iterator<Item = (String, &'a Container)> {
    subject
        .containers()
        .filter(|(path, c)| !path.contains("initContainers") || c.restart_policy.as_deref() == Some("Always"))
}

/// Each port the pod holds on the node: declared hostPorts, and with hostNetwork every
/// containerPort, which the API defaults into a hostPort.
fn host_ports(subject: &Subject<'_>) -> Vec<(i32, String)> {
    let host_network = subject.spec.host_network.unwrap_or(false);
    let mut ports = Vec::new();
    for (path, container) in long_running(subject) {
        for port in container.ports.iter().flatten() {
            let host = match port.host_port {
                Some(p) if p > 0 => p,
                _ if host_network => port.container_port,
                _ => continue,
            };
            ports.push((host, Subject::container_label(&path, container)));
        }
    }
    ports
}

/// DS201. With a surge the new pod starts on a node before the old one leaves, and two pods
/// cannot hold one host port (k8s#106417).
fn surge_with_host_port(subject: &Subject<'_>, out: &mut Outcome) {
    let Some(rolling) = rolling(subject.ds) else { return };
    if rolling.max_surge.is_zero() {
        return;
    }
    let ports = host_ports(subject);
    let Some((port, label)) = ports.first() else { return };
    let how = if subject.spec.host_network.unwrap_or(false) { "with hostNetwork, port" } else { "hostPort" };
    let more = match ports.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    out.push(
        Finding::new(
            "DS201",
            format!(
                "maxSurge {} with {how} {port} in {label}{more}: the surge pod cannot schedule beside the old one on its node, so the rollout stalls",
                rolling.max_surge
            ),
        )
        .at(format!("{ROLLING_UPDATE}.maxSurge"))
        .hint("set `maxSurge: 0` and `maxUnavailable: 1` (replace each pod in place), or drop the host port"),
    );
}

fn labels_of(containers: &[(String, &Container)]) -> String {
    containers.iter().map(|(_, c)| c.name.as_str()).collect::<Vec<_>>().join(", ")
}

/// The regular containers lacking a probe, or `None` when every one has it.
fn lacking(subject: &Subject<'_>, probe: fn(&Container) -> Option<&Probe>) -> Option<(String, String)> {
    let lacking: Vec<(String, &Container)> = subject.main_containers().filter(|(_, c)| probe(c).is_none()).collect();
    let (first, _) = lacking.first()?;
    Some((first.clone(), labels_of(&lacking)))
}

/// DS202. Without readiness a pod counts as available once its containers start, so a release
/// that is broken but starts rolls over every node.
fn readiness_probe_missing(subject: &Subject<'_>, out: &mut Outcome) {
    let Some((path, names)) = lacking(subject, |c| c.readiness_probe.as_ref()) else { return };
    out.push(
        Finding::new(
            "DS202",
            format!("no readinessProbe in {names}: a broken release counts as available as soon as it starts, and rolls across every node"),
        )
        .at(path)
        .hint("readinessProbe:\n  httpGet: {path: /healthz, port: <port>}\n  periodSeconds: 10"),
    );
}

/// DS203. The controller counts a pod available only after minReadySeconds of readiness; at 0 an
/// agent that turns ready and then crashes still advances the rollout. OnDelete has no rollout.
fn min_ready_seconds_zero(subject: &Subject<'_>, out: &mut Outcome) {
    if !is_rolling_update(subject.ds) {
        return;
    }
    let written = subject.ds.spec.min_ready_seconds;
    if written.is_some_and(|s| s > 0) {
        return;
    }
    let (field, shown) = match written {
        Some(_) => ("spec.minReadySeconds", "0"),
        None => ("spec", "unset (0)"),
    };
    out.push(
        Finding::new(
            "DS203",
            format!(
                "minReadySeconds is {shown}: a pod that crashes right after turning ready still counts as available"
            ),
        )
        .at(field)
        .hint("`minReadySeconds: 10` (5–30 s suits most agents)"),
    );
}

/// `GetScaledValueFromIntOrPercent(…, roundUp=true)`, as the controller scales maxUnavailable.
fn scaled(budget: Budget, nodes: u32) -> u64 {
    match budget {
        Budget::Count(n) => u64::try_from(n).unwrap_or(0),
        Budget::Percent(p) => (p * u64::from(nodes)).div_ceil(100),
    }
}

/// DS204. Half the nodes' agents down at once takes the node-level service (CNI, CSI, logs) down
/// with them.
fn max_unavailable_too_high(subject: &Subject<'_>, cluster: Option<&ClusterView<'_>>, out: &mut Outcome) {
    let Some(rolling) = rolling(subject.ds) else { return };
    let budget = rolling.max_unavailable;
    let desired = cluster.map(|c| c.placement.summary.desired);
    let message = match (budget, desired) {
        (Budget::Percent(p), Some(nodes)) if p >= 50 && nodes > 0 => format!(
            "maxUnavailable {budget} stops the agent on {} of the {nodes} nodes it would run on at once",
            scaled(budget, nodes)
        ),
        (Budget::Percent(p), _) if p >= 50 => {
            format!("maxUnavailable {budget} stops the agent on half or more of its nodes at once")
        }
        (Budget::Count(n), Some(nodes)) if nodes > 1 && u64::try_from(n).is_ok_and(|n| n >= u64::from(nodes)) => {
            format!(
                "maxUnavailable {n} is at least the {nodes} nodes it would run on: every node's agent can be down at once"
            )
        }
        _ => return,
    };
    out.push(Finding::new("DS204", message).at(format!("{ROLLING_UPDATE}.maxUnavailable")).hint(
        "`maxUnavailable: 10%` (rounded up, so at least one node at a time), or a count well below the node count",
    ));
}

/// DS205. Under OnDelete a template change waits for someone to delete each pod; with the live
/// DaemonSet, how many pods still wait.
fn update_strategy_ondelete(subject: &Subject<'_>, cluster: Option<&ClusterView<'_>>, out: &mut Outcome) {
    let on_delete = subject.ds.spec.update_strategy.as_ref().and_then(|s| s.type_.as_deref()) == Some("OnDelete");
    if !on_delete {
        return;
    }
    let stale = cluster.and_then(|c| c.current.as_ref()).map(|current| {
        let pods = current.nodes.iter().flat_map(|n| &n.pods).filter(|p| !p.terminating);
        let (total, outdated) = pods.fold((0, 0), |(t, o), p| (t + 1, o + usize::from(!p.updated)));
        format!("; {outdated} of {total} pods run an old revision today")
    });
    out.push(
        Finding::new(
            "DS205",
            format!(
                "updateStrategy OnDelete: template changes reach a node only when its pod is deleted{}",
                stale.unwrap_or_default()
            ),
        )
        .at("spec.updateStrategy.type")
        .hint("`updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}`, or delete the old pods node by node (`kubectl delete pod`) to roll them"),
    );
}

/// DS206. The default (maxUnavailable 1, maxSurge 0) replaces one node at a time, and one
/// NotReady node holds the whole rollout (test-infra#31706).
fn update_strategy_implicit(subject: &Subject<'_>, out: &mut Outcome) {
    let strategy = subject.ds.spec.update_strategy.as_ref();
    if strategy.is_some_and(|s| s.type_.is_some() || s.rolling_update.is_some()) {
        return;
    }
    out.push(
        Finding::new(
            "DS206",
            "no updateStrategy: the default RollingUpdate replaces one node at a time, and one NotReady node can block it",
        )
        .at(if strategy.is_some() { "spec.updateStrategy" } else { "spec" })
        .hint("updateStrategy:\n  type: RollingUpdate\n  rollingUpdate:\n    maxUnavailable: 10%"),
    );
}

/// A probe with the API's defaults filled in (initialDelaySeconds 0, timeoutSeconds 1,
/// periodSeconds 10, successThreshold 1, failureThreshold 3); the liveness-only grace period
/// does not make two checks differ.
fn effective(probe: &Probe) -> Probe {
    Probe {
        initial_delay_seconds: Some(probe.initial_delay_seconds.unwrap_or(0)),
        timeout_seconds: Some(probe.timeout_seconds.unwrap_or(1)),
        period_seconds: Some(probe.period_seconds.unwrap_or(10)),
        success_threshold: Some(probe.success_threshold.unwrap_or(1)),
        failure_threshold: Some(probe.failure_threshold.unwrap_or(3)),
        termination_grace_period_seconds: None,
        ..probe.clone()
    }
}

/// DS207. Same check, same timings: a busy agent is restarted at the moment it is taken out of
/// rotation, instead of being given time to recover.
fn liveness_equals_readiness(subject: &Subject<'_>, out: &mut Outcome) {
    for (path, container) in long_running(subject) {
        let (Some(liveness), Some(readiness)) = (&container.liveness_probe, &container.readiness_probe) else {
            continue;
        };
        if effective(liveness) != effective(readiness) {
            continue;
        }
        let label = Subject::container_label(&path, container);
        out.push(
            Finding::new("DS207", format!("{label} has identical liveness and readiness probes: a busy agent is restarted, not just marked unready"))
                .at(format!("{path}.livenessProbe"))
                .hint("give livenessProbe a higher failureThreshold (e.g. 6) than readinessProbe, or a cheaper endpoint (/healthz against /ready)"),
        );
    }
}

/// DS208. Without liveness the kubelet restarts a container only when it exits.
fn liveness_probe_missing(subject: &Subject<'_>, out: &mut Outcome) {
    let Some((path, names)) = lacking(subject, |c| c.liveness_probe.as_ref()) else { return };
    out.push(
        Finding::new("DS208", format!("no livenessProbe in {names}: a wedged agent is never restarted"))
            .at(path)
            .hint("livenessProbe:\n  httpGet: {path: /healthz, port: <port>}\n  failureThreshold: 6"),
    );
}

/// DS209. Rollback rebuilds the template from a ControllerRevision; at 0 none is kept.
fn revision_history_zero(subject: &Subject<'_>, out: &mut Outcome) {
    if subject.ds.spec.revision_history_limit != Some(0) {
        return;
    }
    out.push(
        Finding::new(
            "DS209",
            "revisionHistoryLimit 0 keeps no old revisions: `kubectl rollout undo` has nothing to return to",
        )
        .at("spec.revisionHistoryLimit")
        .hint("remove revisionHistoryLimit (the default keeps 10) or set `revisionHistoryLimit: 3`"),
    );
}

/// DS210. 0 kills the agent without SIGTERM time (log shippers lose their buffer); a long grace
/// period is paid on every node of every rollout and drain.
fn termination_grace_extreme(subject: &Subject<'_>, out: &mut Outcome) {
    let Some(seconds) = subject.spec.termination_grace_period_seconds else { return };
    let (message, hint) = match seconds {
        0 => (
            "terminationGracePeriodSeconds 0: the agent is killed without time to flush or clean up".to_string(),
            "remove it (the default is 30 s) or set the seconds the agent needs to shut down".to_string(),
        ),
        s if s > 300 => (
            format!("terminationGracePeriodSeconds {s}: every rollout and node drain can wait up to {s} s per pod"),
            "lower it to the seconds the agent needs to shut down (the default is 30)".to_string(),
        ),
        _ => return,
    };
    out.push(Finding::new("DS210", message).at(format!("{TEMPLATE_SPEC}.terminationGracePeriodSeconds")).hint(hint));
}

#[cfg(test)]
mod tests;
