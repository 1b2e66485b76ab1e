//! `kind: SchedulingTrace`, the report of `kubectl ds why-not-scheduled`: for each node that lacks
//! a healthy pod, every rule in the order Kubernetes applies it, with its evidence, the same
//! `reasons` as `explain`, and the fixes with what they would do to the other nodes.

use jiff::Timestamp;
use serde::Serialize;

use super::{Header, NodeStatus, PodReport, Reason, Summary};

pub const KIND: &str = "SchedulingTrace";

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SchedulingTrace {
    #[serde(flatten)]
    pub header: Header,
    pub summary: Summary,
    /// Causes that stop the pod on every node, not on one: admission refusing the pods, a quota,
    /// a missing ServiceAccount or PriorityClass, a selector no node matches.
    pub blockers: Vec<Blocker>,
    /// One entry per node traced: Missing, Stuck, Misscheduled (what-if: WouldBePending), or the
    /// nodes `--node` named.
    pub nodes: Vec<NodeTrace>,
    /// Nodes the controller does not want a pod on, one entry per distinct set of causes.
    pub excluded: Vec<ExcludedGroup>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeTrace {
    pub node: String,
    pub should_run: Option<bool>,
    pub should_continue_running: Option<bool>,
    pub status: NodeStatus,
    /// What-if on an existing DaemonSet: the node's status today.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<NodeStatus>,
    pub pods: Vec<PodReport>,
    /// The same reasons `explain` gives for this node.
    pub reasons: Vec<Reason>,
    pub rules: Vec<Rule>,
    pub fixes: Vec<Fix>,
}

/// Who applies a rule: the DaemonSet controller (should a pod exist here?), the scheduler (can
/// the pod be bound here?), or the kubelet and the pod's own state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Stage {
    Controller,
    Scheduler,
    Pod,
}

impl Stage {
    pub fn title(self) -> &'static str {
        match self {
            Stage::Controller => "DaemonSet controller (NodeShouldRunDaemonPod)",
            Stage::Scheduler => "Scheduler (filters that still apply to DaemonSet pods)",
            Stage::Pod => "Pod and kubelet",
        }
    }
}

/// One evaluated rule: which, on what, whether it held, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub stage: Stage,
    pub name: String,
    /// What the rule was applied to: a selector entry, a taint, a resource, a container.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// `None`: the snapshot lacks what the rule needs (no allocatable, no events).
    pub passed: Option<bool>,
    pub evidence: String,
}

impl Rule {
    pub fn new(stage: Stage, name: &str, subject: Option<String>, passed: Option<bool>, evidence: String) -> Self {
        Self { stage, name: name.to_string(), subject, passed, evidence }
    }
}

/// A change that would alter the verdict, ready to copy, and what it does elsewhere.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fix {
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub yaml: Option<String>,
    /// What the change does to the other nodes (or that it touches only this one).
    pub effect: String,
    /// Nodes besides the ones the fix is for whose verdict would change.
    pub other_nodes: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExcludedGroup {
    /// The causes, as one line.
    pub cause: String,
    pub count: u32,
    pub nodes: Vec<String>,
    /// The node whose rules and reasons stand for the group.
    pub example_node: String,
    pub reasons: Vec<Reason>,
    pub rules: Vec<Rule>,
    pub fixes: Vec<Fix>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum BlockerCode {
    PodSecurityRejected,
    QuotaExceeded,
    ServiceAccountMissing,
    PriorityClassMissing,
    NoNodeMatches,
    FailedCreate,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Blocker {
    pub code: BlockerCode,
    pub message: String,
    pub evidence: Vec<String>,
    /// From events: how often and when last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<Timestamp>,
    /// The nodes that lack their pod for this reason alone (not traced one by one).
    pub nodes: Vec<String>,
    pub fixes: Vec<Fix>,
}
