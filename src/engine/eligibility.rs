//! `NodeShouldRunDaemonPod` (pkg/controller/daemon): whether the controller wants a pod on a
//! node (`shouldRun`) and whether it keeps an existing one (`shouldContinueRunning`).
//!
//! Since 1.18 the controller checks only the template's nodeName, nodeSelector plus required node
//! affinity, and NoSchedule/NoExecute taints against the pod's tolerations plus the defaults it
//! adds. Conditions, cordons, resources and ports are left to the scheduler.

use k8s_openapi::api::core::v1::{Node, PodSpec, Taint, Toleration};

use super::affinity::{match_node_selector, node_selector_misses, required_affinity};
use super::hints::Hints;
use super::tolerations::{
    NO_EXECUTE, NO_SCHEDULE, NOT_READY, UNREACHABLE, daemon_pod_tolerations, taint_string, untolerated,
};
use crate::report::{Cause, Reason, TaintRef};

#[derive(Clone, Debug, PartialEq)]
pub struct Eligibility {
    pub should_run: bool,
    pub should_continue_running: bool,
    /// Every failing rule, in the controller's precedence: nodeName, nodeSelector, affinity,
    /// NoExecute taints, NoSchedule taints. The first is the verdict's cause.
    pub failures: Vec<Reason>,
}

/// The template as the controller simulates it: its spec, with the default tolerations merged.
pub struct DaemonTemplate<'a> {
    pub spec: Option<&'a PodSpec>,
    pub tolerations: Vec<Toleration>,
}

impl<'a> DaemonTemplate<'a> {
    pub fn new(spec: Option<&'a PodSpec>) -> Self {
        Self { spec, tolerations: daemon_pod_tolerations(spec) }
    }
}

pub fn node_should_run(node: &Node, template: &DaemonTemplate<'_>, hints: &Hints<'_>) -> Eligibility {
    let node_name = node.metadata.name.as_deref().unwrap_or_default();
    let empty = Default::default();
    let labels = node.metadata.labels.as_ref().unwrap_or(&empty);
    let mut failures = Vec::new();
    let mut placement_fails = false;

    if let Some(pinned) = template.spec.and_then(|s| s.node_name.as_deref()).filter(|n| !n.is_empty())
        && pinned != node_name
    {
        placement_fails = true;
        failures.push(Reason {
            cause: Cause::NodeNameMismatch { node_name: pinned.to_string() },
            message: format!("the pod template pins spec.nodeName to {pinned}"),
            hint: Some(
                "remove spec.template.spec.nodeName so that the DaemonSet runs on every eligible node".to_string(),
            ),
        });
    }

    if let Some(selector) = template.spec.and_then(|s| s.node_selector.as_ref()) {
        for miss in node_selector_misses(selector, labels) {
            placement_fails = true;
            let message = match &miss.actual {
                Some(actual) => {
                    format!("nodeSelector wants {}={}, node has {}={actual}", miss.key, miss.wanted, miss.key)
                }
                None => format!("nodeSelector wants {}={}, node has no label {}", miss.key, miss.wanted, miss.key),
            };
            failures.push(Reason {
                hint: Some(hints.label_node(node_name, &miss.key, &miss.wanted, miss.actual.is_some())),
                cause: Cause::NodeSelectorMismatch { key: miss.key, wanted: miss.wanted, actual: miss.actual },
                message,
            });
        }
    }

    if let Some(affinity) = template.spec.and_then(required_affinity)
        && let Err(terms) = match_node_selector(affinity, node_name, labels)
    {
        placement_fails = true;
        let detail = terms
            .iter()
            .map(|t| match &t.parse_error {
                Some(error) => format!("term {}: {error}", t.term),
                None => format!("term {}: {}", t.term, t.failed.join(", ")),
            })
            .collect::<Vec<_>>()
            .join("; ");
        failures.push(Reason {
            hint: hints.affinity(node_name, &terms),
            cause: Cause::NodeAffinityMismatch { terms },
            message: format!("required node affinity matches no term ({detail})"),
        });
    }

    let taints = node.spec.as_ref().and_then(|s| s.taints.as_deref()).unwrap_or_default();
    let no_execute = untolerated(taints, &template.tolerations, |t| t.effect == NO_EXECUTE);
    let no_schedule = untolerated(taints, &template.tolerations, |t| t.effect == NO_SCHEDULE);
    let mut reported_not_ready = false;
    for taint in no_execute.iter().chain(&no_schedule) {
        failures.push(untolerated_taint(taint, node_name, hints));
        if is_node_health_taint(taint) && !reported_not_ready {
            reported_not_ready = true;
            failures.push(node_not_ready(node));
        }
    }

    let (should_run, should_continue_running) = if placement_fails {
        (false, false)
    } else if !no_execute.is_empty() || !no_schedule.is_empty() {
        (false, no_execute.is_empty())
    } else {
        (true, true)
    };
    Eligibility { should_run, should_continue_running, failures }
}

fn is_node_health_taint(taint: &Taint) -> bool {
    taint.key == NOT_READY || taint.key == UNREACHABLE
}

fn untolerated_taint(taint: &Taint, node_name: &str, hints: &Hints<'_>) -> Reason {
    let consequence = if taint.effect == NO_EXECUTE { " (it also evicts running pods)" } else { "" };
    let hint = if is_node_health_taint(taint) {
        Some(format!(
            "the node lifecycle controller set this taint because node {node_name} stopped reporting Ready; \
             repair the node's kubelet or network, or delete the Node object if the machine is gone"
        ))
    } else {
        Some(hints.tolerate(taint))
    };
    Reason {
        cause: Cause::UntoleratedTaint {
            taint: Some(TaintRef {
                key: taint.key.clone(),
                value: taint.value.clone().filter(|v| !v.is_empty()),
                effect: Some(taint.effect.clone()),
            }),
        },
        message: format!("untolerated taint {}{consequence}", taint_string(taint)),
        hint,
    }
}

/// Context for a not-ready/unreachable taint: the Ready condition as the node last reported it.
fn node_not_ready(node: &Node) -> Reason {
    let ready =
        node.status.as_ref().and_then(|s| s.conditions.as_ref()).and_then(|c| c.iter().find(|c| c.type_ == "Ready"));
    let status = ready.map_or("Unknown", |c| c.status.as_str()).to_string();
    let since = ready.and_then(|c| c.last_transition_time.as_ref()).map(|t| t.0);
    let reason = ready.and_then(|c| c.reason.clone());
    let detail = ready.and_then(|c| c.message.clone()).unwrap_or_default();
    let mut message = format!("node is not ready (Ready={status}");
    if let Some(since) = since {
        message.push_str(&format!(" since {since}"));
    }
    message.push(')');
    if !detail.is_empty() {
        message.push_str(&format!(": {detail}"));
    }
    Reason { cause: Cause::NodeNotReady { condition_status: status, since, reason }, message, hint: None }
}

#[cfg(test)]
mod tests;
