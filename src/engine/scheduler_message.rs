//! Reads the scheduler's `FitError` message (pkg/scheduler/framework `FitError.Error`) off a
//! Pending pod's PodScheduled condition or FailedScheduling event, into reason codes.
//!
//! Shape: `0/<N> nodes are available: <c1> <reason1>, <c2> <reason2>.[ preemption: ...]`, with
//! the pairs sorted as strings. The wording of each reason changed across releases; every form
//! from 1.17 to today is recognised.

use crate::report::{Cause, Reason, TaintRef};

/// What one entry of the message says about the nodes it counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Insufficient(String),
    TooManyPods,
    HostPorts,
    /// `None`: the release no longer prints the taint (≥1.35) or never did (≤1.17).
    Taint(Option<(String, String)>),
    /// NodeAffinity, nodeSelector, or the PreFilter that narrows a DaemonSet pod to its node.
    NodeAffinity,
    NodeName,
    NodeUnschedulable,
    Other(String),
}

impl Verdict {
    /// The reason code the entry reads as, the one [`target_node_reasons`] gives it.
    pub fn code(&self) -> &'static str {
        match self {
            Verdict::Insufficient(_) | Verdict::TooManyPods => "InsufficientResources",
            Verdict::HostPorts => "HostPortConflict",
            Verdict::Taint(_) => "UntoleratedTaint",
            Verdict::NodeAffinity => "NodeAffinityMismatch",
            Verdict::NodeName | Verdict::NodeUnschedulable | Verdict::Other(_) => "Unschedulable",
        }
    }

    /// The entry in a few words.
    pub fn describe(&self) -> String {
        match self {
            Verdict::Insufficient(resource) => format!("insufficient {resource}"),
            Verdict::TooManyPods => "too many pods".to_string(),
            Verdict::HostPorts => "no free host port".to_string(),
            Verdict::Taint(Some((key, _))) => format!("untolerated taint {key}"),
            Verdict::Taint(None) => "an untolerated taint".to_string(),
            Verdict::NodeAffinity => "NodeAffinity".to_string(),
            Verdict::NodeName => "another node name".to_string(),
            Verdict::NodeUnschedulable => "unschedulable".to_string(),
            Verdict::Other(text) => text.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FitError {
    pub nodes: u32,
    pub entries: Vec<(u32, Verdict)>,
}

pub fn parse(message: &str) -> Option<FitError> {
    let message = message.trim();
    let body = match message.find(" preemption:") {
        Some(at) => &message[..at],
        None => message,
    };
    let body = body.strip_suffix(" no new claims to deallocate,").unwrap_or(body);
    let rest = body.strip_prefix("0/")?;
    let (nodes, rest) = rest.split_once(" nodes are available")?;
    let nodes = nodes.parse().ok()?;
    let list = rest.strip_prefix(':').unwrap_or(rest).trim().trim_end_matches('.');
    let mut entries = Vec::new();
    for item in split_entries(list) {
        let (count, text) = item.split_once(' ')?;
        entries.push((count.parse().ok()?, classify(text.trim())));
    }
    Some(FitError { nodes, entries })
}

/// Entries are joined by ", ", but 1.18-1.24 taint texts contain ", that the pod didn't
/// tolerate": split only where a count follows.
fn split_entries(list: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut start = 0;
    let bytes = list.as_bytes();
    let mut i = 0;
    while i + 2 < bytes.len() {
        if &bytes[i..i + 2] == b", " && bytes[i + 2].is_ascii_digit() {
            items.push(&list[start..i]);
            start = i + 2;
            i += 2;
        } else {
            i += 1;
        }
    }
    if start < list.len() {
        items.push(&list[start..]);
    }
    items
}

fn classify(text: &str) -> Verdict {
    if let Some(resource) = text.strip_prefix("Insufficient ") {
        return Verdict::Insufficient(resource.to_string());
    }
    if text == "Too many pods" {
        return Verdict::TooManyPods;
    }
    if text.contains("didn't have free ports") {
        return Verdict::HostPorts;
    }
    if text.contains("taint") {
        let taint = text
            .split_once('{')
            .and_then(|(_, rest)| rest.split_once('}'))
            .and_then(|(inner, _)| inner.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()));
        return Verdict::Taint(taint);
    }
    // VolumeBinding's "had volume node affinity conflict" (<1.33) and "didn't match
    // PersistentVolume's node affinity" are about the pod's volumes, not its node affinity; the
    // "scheduler-enforced" affinity (≥1.20) is the scheduler profile's addedAffinity, not the pod's.
    let volume = text.to_ascii_lowercase().contains("volume");
    let enforced = text.contains("scheduler-enforced");
    if !volume
        && !enforced
        && (text.contains("node affinity") || text.contains("node selector") || text.contains("[NodeAffinity]"))
    {
        return Verdict::NodeAffinity;
    }
    if text.contains("requested node name") {
        return Verdict::NodeName;
    }
    if text.contains("were unschedulable") {
        return Verdict::NodeUnschedulable;
    }
    Verdict::Other(text.to_string())
}

/// The reasons that concern the pod's own node. A DaemonSet pod is pinned to one node, so the
/// other N-1 nodes fail NodeAffinity; what remains is about the target.
pub fn target_node_reasons(message: &str) -> Vec<Reason> {
    let raw = || {
        vec![Reason {
            cause: Cause::Unschedulable { scheduler_message: message.to_string() },
            message: format!("scheduler: {message}"),
            hint: None,
        }]
    };
    let Some(fit) = parse(message) else { return raw() };
    let mut others = fit.nodes.saturating_sub(1);
    let mut reasons = Vec::new();
    for (count, verdict) in fit.entries {
        let mut count = count;
        if verdict == Verdict::NodeAffinity && others > 0 {
            let taken = count.min(others);
            others -= taken;
            count -= taken;
        }
        if count > 0 {
            reasons.push(reason_for(verdict, message));
        }
    }
    if reasons.is_empty() { raw() } else { reasons }
}

fn reason_for(verdict: Verdict, raw: &str) -> Reason {
    let (cause, message) = match verdict {
        Verdict::Insufficient(resource) => (
            Cause::InsufficientResources { resource: resource.clone(), requested: None, free: None, allocatable: None },
            format!("scheduler: Insufficient {resource}"),
        ),
        Verdict::TooManyPods => (
            Cause::InsufficientResources {
                resource: "pods".to_string(),
                requested: None,
                free: None,
                allocatable: None,
            },
            "scheduler: Too many pods".to_string(),
        ),
        Verdict::HostPorts => (
            Cause::HostPortConflict { port: None, protocol: None, held_by: None },
            "scheduler: the node has no free ports for the pod's host ports".to_string(),
        ),
        Verdict::Taint(taint) => {
            let text = match &taint {
                Some((k, v)) if v.is_empty() => format!("scheduler: untolerated taint {k}"),
                Some((k, v)) => format!("scheduler: untolerated taint {k}={v}"),
                None => "scheduler: the node has a taint the pod does not tolerate".to_string(),
            };
            let taint =
                taint.map(|(key, value)| TaintRef { key, value: Some(value).filter(|v| !v.is_empty()), effect: None });
            (Cause::UntoleratedTaint { taint }, text)
        }
        Verdict::NodeAffinity => (
            Cause::NodeAffinityMismatch { terms: Vec::new() },
            "scheduler: the node does not match the pod's node selector or affinity".to_string(),
        ),
        Verdict::NodeName | Verdict::NodeUnschedulable | Verdict::Other(_) => {
            (Cause::Unschedulable { scheduler_message: raw.to_string() }, format!("scheduler: {raw}"))
        }
    };
    Reason { cause, message, hint: None }
}

#[cfg(test)]
mod tests;
