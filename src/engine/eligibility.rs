//! `NodeShouldRunDaemonPod` (pkg/controller/daemon): whether the controller wants a pod on a
//! node (`shouldRun`) and whether it keeps an existing one (`shouldContinueRunning`).
//!
//! Since 1.18 the controller checks only the template's nodeName, nodeSelector plus required node
//! affinity, and NoSchedule/NoExecute taints against the pod's tolerations plus the defaults it
//! adds. Conditions, cordons, resources and ports are left to the scheduler.

use k8s_openapi::api::core::v1::{Node, PodSpec, Taint, Toleration};

use super::affinity::{ParsedNodeSelector, node_selector_checks, node_selector_misses, required_affinity};
use super::hints::Hints;
use super::tolerations::{
    NO_EXECUTE, NO_SCHEDULE, NOT_READY, UNREACHABLE, daemon_pod_tolerations, is_daemon_default, nearest_toleration,
    taint_string, tolerated_by, toleration_string, untolerated,
};
use crate::report::trace::{Rule, Stage};
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
    pub affinity: Option<ParsedNodeSelector>,
}

impl<'a> DaemonTemplate<'a> {
    pub fn new(spec: Option<&'a PodSpec>) -> Self {
        Self {
            spec,
            tolerations: daemon_pod_tolerations(spec),
            affinity: spec.and_then(required_affinity).map(ParsedNodeSelector::new),
        }
    }
}

pub fn node_should_run(node: &Node, template: &DaemonTemplate<'_>, hints: &Hints<'_>) -> Eligibility {
    evaluate(node, template, Some(hints))
}

/// [`node_should_run`]'s decision without its reasons (`failures` stays empty): the rules run
/// the same, but nothing is written for a node whose row nobody reads.
pub fn decide(node: &Node, template: &DaemonTemplate<'_>) -> Eligibility {
    evaluate(node, template, None)
}

/// `reasons`: how to word the failures, or `None` to only decide.
fn evaluate(node: &Node, template: &DaemonTemplate<'_>, reasons: Option<&Hints<'_>>) -> Eligibility {
    let node_name = node.metadata.name.as_deref().unwrap_or_default();
    let empty = Default::default();
    let labels = node.metadata.labels.as_ref().unwrap_or(&empty);
    let pinned_elsewhere =
        template.spec.and_then(|s| s.node_name.as_deref()).filter(|pinned| !pinned.is_empty() && *pinned != node_name);
    let selector = template.spec.and_then(|s| s.node_selector.as_ref());
    let selector_fails = selector.is_some_and(|s| s.iter().any(|(key, wanted)| labels.get(key) != Some(wanted)));
    let affinity_fails = template.affinity.as_ref().is_some_and(|a| !a.matches(node_name, labels));
    let taints = node.spec.as_ref().and_then(|s| s.taints.as_deref()).unwrap_or_default();
    let no_execute = untolerated(taints, &template.tolerations, |t| t.effect == NO_EXECUTE);
    let no_schedule = untolerated(taints, &template.tolerations, |t| t.effect == NO_SCHEDULE);

    let (should_run, should_continue_running) = if pinned_elsewhere.is_some() || selector_fails || affinity_fails {
        (false, false)
    } else if !no_execute.is_empty() || !no_schedule.is_empty() {
        (false, no_execute.is_empty())
    } else {
        (true, true)
    };
    let Some(hints) = reasons.filter(|_| !should_run) else {
        return Eligibility { should_run, should_continue_running, failures: Vec::new() };
    };

    let mut failures = Vec::new();
    if let Some(pinned) = pinned_elsewhere {
        failures.push(Reason {
            cause: Cause::NodeNameMismatch { node_name: pinned.to_string() },
            message: format!("the pod template pins spec.nodeName to {pinned}"),
            hint: Some(
                "remove spec.template.spec.nodeName so that the DaemonSet runs on every eligible node".to_string(),
            ),
        });
    }
    for miss in selector.filter(|_| selector_fails).map(|s| node_selector_misses(s, labels)).unwrap_or_default() {
        let message = match &miss.actual {
            Some(actual) => format!("nodeSelector wants {}={}, node has {}={actual}", miss.key, miss.wanted, miss.key),
            None => format!("nodeSelector wants {}={}, node has no label {}", miss.key, miss.wanted, miss.key),
        };
        failures.push(Reason {
            hint: Some(hints.label_node(node_name, &miss.key, &miss.wanted, miss.actual.is_some())),
            cause: Cause::NodeSelectorMismatch { key: miss.key, wanted: miss.wanted, actual: miss.actual },
            message,
        });
    }
    if let Some(affinity) = template.affinity.as_ref().filter(|_| affinity_fails)
        && let Err(terms) = affinity.match_node(node_name, labels)
    {
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
    let mut reported_not_ready = false;
    for taint in no_execute.iter().chain(&no_schedule) {
        failures.push(untolerated_taint(taint, node_name, hints));
        if is_node_health_taint(taint) && !reported_not_ready {
            reported_not_ready = true;
            failures.push(node_not_ready(node));
        }
    }
    Eligibility { should_run, should_continue_running, failures }
}

/// Every rule `NodeShouldRunDaemonPod` applies to the node, in its order, passing or not, with
/// what it compared: the template's nodeName, each nodeSelector entry against the node's label,
/// each affinity term and requirement, each NoSchedule/NoExecute taint with the toleration that
/// matched or the one that almost did. Agrees with [`node_should_run`]: some rule fails exactly
/// when `should_run` is false.
pub fn controller_rules(node: &Node, template: &DaemonTemplate<'_>) -> Vec<Rule> {
    let node_name = node.metadata.name.as_deref().unwrap_or_default();
    let empty = Default::default();
    let labels = node.metadata.labels.as_ref().unwrap_or(&empty);
    let rule = |name: &str, subject: Option<String>, passed: bool, evidence: String| {
        Rule::new(Stage::Controller, name, subject, Some(passed), evidence)
    };
    let mut rules = Vec::new();

    rules.push(match template.spec.and_then(|s| s.node_name.as_deref()).filter(|n| !n.is_empty()) {
        None => rule("nodeName", None, true, "the template sets no spec.nodeName".to_string()),
        Some(pinned) if pinned == node_name => {
            rule("nodeName", None, true, "the template pins spec.nodeName to this node".to_string())
        }
        Some(pinned) => rule(
            "nodeName",
            None,
            false,
            format!("the template pins spec.nodeName to {pinned}: the controller checks nothing else here"),
        ),
    });

    let selector = template.spec.and_then(|s| s.node_selector.as_ref()).filter(|s| !s.is_empty());
    match selector {
        None => rules.push(rule("nodeSelector", None, true, "the template has no nodeSelector".to_string())),
        Some(selector) => {
            for check in node_selector_checks(selector, labels) {
                let evidence = match &check.actual {
                    Some(actual) => format!("node has {}={actual}", check.key),
                    None => format!("node has no label {}", check.key),
                };
                let subject = Some(format!("{}={}", check.key, check.wanted));
                rules.push(rule("nodeSelector", subject, check.passed(), evidence));
            }
        }
    }

    match &template.affinity {
        None => rules.push(rule("nodeAffinity", None, true, "the template has no required node affinity".to_string())),
        Some(affinity) => {
            let terms = affinity.check(node_name, labels);
            // Once a term matches the others do not matter; show only that one.
            let shown: Vec<_> = match terms.iter().find(|t| t.matches()) {
                Some(matching) => vec![matching],
                None => terms.iter().collect(),
            };
            for term in shown {
                if let Some(error) = &term.error {
                    rules.push(rule("nodeAffinity", Some(format!("term {}", term.term)), false, error.clone()));
                }
                for expression in &term.expressions {
                    let evidence = match (&expression.actual, expression.key.as_str()) {
                        (Some(actual), "metadata.name") => format!("node is named {actual}"),
                        (Some(actual), key) => format!("node has {key}={actual}"),
                        (None, key) => format!("node has no label {key}"),
                    };
                    let subject = Some(format!("term {}: {}", term.term, expression.expression));
                    rules.push(rule("nodeAffinity", subject, expression.passed, evidence));
                }
            }
            let matching: Vec<String> = terms.iter().filter(|t| t.matches()).map(|t| t.term.to_string()).collect();
            let evidence = if matching.is_empty() {
                format!("none of {} term(s) matches (terms are ORed, a term's requirements ANDed)", terms.len())
            } else {
                format!("term {} matches (terms are ORed)", matching.join(", "))
            };
            rules.push(rule("nodeAffinity", None, !matching.is_empty(), evidence));
        }
    }

    let taints = node.spec.as_ref().and_then(|s| s.taints.as_deref()).unwrap_or_default();
    let relevant: Vec<&Taint> = taints.iter().filter(|t| t.effect == NO_SCHEDULE || t.effect == NO_EXECUTE).collect();
    if relevant.is_empty() {
        let ignored = taints.len();
        let evidence = if ignored == 0 {
            "node has no taints".to_string()
        } else {
            format!("node has no NoSchedule or NoExecute taints ({ignored} PreferNoSchedule, which only scores)")
        };
        rules.push(rule("taints", None, true, evidence));
    }
    for taint in relevant {
        let subject = Some(taint_string(taint));
        if let Some(toleration) = tolerated_by(taint, &template.tolerations) {
            let mut evidence = format!("tolerated by {}", toleration_string(toleration));
            if is_daemon_default(toleration) {
                evidence.push_str(", which the DaemonSet controller adds to every pod");
            }
            rules.push(rule("taint", subject, true, evidence));
            continue;
        }
        let mut evidence = if taint.effect == NO_EXECUTE {
            "not tolerated: no new pod here, and a running one is deleted".to_string()
        } else {
            "not tolerated: no new pod here; a running one is left alone".to_string()
        };
        if is_node_health_taint(taint) {
            evidence.push_str(
                "; the node lifecycle controller sets it while the node is not ready, and the \
                 DaemonSet's default toleration covers only NoExecute",
            );
        } else if let Some(near) = nearest_toleration(taint, &template.tolerations) {
            let detail: Vec<String> = near
                .differs
                .iter()
                .map(|field| match *field {
                    "effect" => format!("effect (the taint's is {})", taint.effect),
                    "value" => match taint.value.as_deref().filter(|v| !v.is_empty()) {
                        Some(value) => format!("value (the taint's is {value})"),
                        None => "value (the taint has none: use operator Exists)".to_string(),
                    },
                    other => format!("{other} (only Equal and Exists tolerate)"),
                })
                .collect();
            evidence.push_str(&format!(
                "; nearest toleration {} differs in {}",
                toleration_string(near.toleration),
                detail.join(" and ")
            ));
        } else {
            evidence.push_str("; no toleration names this key");
        }
        rules.push(rule("taint", subject, false, evidence));
    }
    rules
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
