//! The reports the engine produces. Their JSON is the public `-o json` contract
//! (`apiVersion: kubectl-ds/v1`), described by `schema/kubectl-ds-v1.schema.json`:
//! fields may be added within v1, never renamed or removed.

pub mod lint;
pub mod overview;
pub mod rollout;
pub mod trace;

use jiff::Timestamp;
use serde::Serialize;

use crate::snapshot::Origin;

pub const API_VERSION: &str = "kubectl-ds/v1";

/// What every report starts with: what it is, where its data came from, which rules applied,
/// what the data lacked, and the DaemonSet it is about.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Header {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub source: Origin,
    pub kubernetes_version: String,
    pub as_of: Option<Timestamp>,
    pub gaps: Vec<String>,
    /// What reading the input noticed: duplicates that disagreed, skipped kinds.
    pub notes: Vec<String>,
    pub daemon_set: DaemonSetInfo,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    #[serde(flatten)]
    pub header: Header,
    pub summary: Summary,
    /// Counters where the DaemonSet's own `.status` disagrees with what the objects say.
    pub status_mismatches: Vec<StatusMismatch>,
    pub nodes: Vec<NodeReport>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetInfo {
    pub namespace: String,
    pub name: String,
    pub generation: Option<i64>,
    pub observed_generation: Option<i64>,
    pub update_strategy: UpdateStrategy,
    pub current_revision: Option<Revision>,
    pub what_if: bool,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateStrategy {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_surge: Option<String>,
}

/// The revision pods must carry to count as updated.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Revision {
    /// The ControllerRevision's name; `None` when the snapshot has no ControllerRevisions.
    pub name: Option<String>,
    pub revision: Option<i64>,
    pub hash: Option<String>,
    /// The `deprecated.daemonset.template.generation` annotation.
    pub template_generation: Option<String>,
}

/// The `kubectl get ds` counters plus the two per-node tallies `kubectl ds` adds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub nodes: u32,
    pub desired: u32,
    pub current: u32,
    pub ready: u32,
    pub updated: u32,
    pub available: u32,
    pub unavailable: u32,
    pub misscheduled: u32,
    pub missing: u32,
    pub stuck: u32,
}

/// The counts of two sets of nodes together.
impl std::ops::AddAssign<&Summary> for Summary {
    fn add_assign(&mut self, other: &Summary) {
        self.nodes += other.nodes;
        self.desired += other.desired;
        self.current += other.current;
        self.ready += other.ready;
        self.updated += other.updated;
        self.available += other.available;
        self.unavailable += other.unavailable;
        self.misscheduled += other.misscheduled;
        self.missing += other.missing;
        self.stuck += other.stuck;
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusMismatch {
    /// The `.status` field, e.g. `numberReady`.
    pub field: &'static str,
    pub computed: i64,
    pub reported: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum NodeStatus {
    Stuck,
    Missing,
    WouldBePending,
    Misscheduled,
    Unknown,
    Progressing,
    Excluded,
    WouldRun,
    Healthy,
}

impl NodeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeStatus::Healthy => "Healthy",
            NodeStatus::Progressing => "Progressing",
            NodeStatus::Stuck => "Stuck",
            NodeStatus::Missing => "Missing",
            NodeStatus::Excluded => "Excluded",
            NodeStatus::Misscheduled => "Misscheduled",
            NodeStatus::Unknown => "Unknown",
            NodeStatus::WouldRun => "WouldRun",
            NodeStatus::WouldBePending => "WouldBePending",
        }
    }

    pub const ALL: [NodeStatus; 9] = [
        NodeStatus::Stuck,
        NodeStatus::Missing,
        NodeStatus::WouldBePending,
        NodeStatus::Misscheduled,
        NodeStatus::Unknown,
        NodeStatus::Progressing,
        NodeStatus::Excluded,
        NodeStatus::WouldRun,
        NodeStatus::Healthy,
    ];

    /// A node where the DaemonSet wants a healthy pod and has none.
    pub fn lacks_healthy_pod(self) -> bool {
        matches!(self, NodeStatus::Stuck | NodeStatus::Missing | NodeStatus::WouldBePending)
    }
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeReport {
    pub node: String,
    pub should_run: Option<bool>,
    pub should_continue_running: Option<bool>,
    pub status: NodeStatus,
    /// What-if on an existing DaemonSet: the node's status today.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<NodeStatus>,
    pub pods: Vec<PodReport>,
    pub reasons: Vec<Reason>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodReport {
    pub name: String,
    pub phase: String,
    pub ready: bool,
    pub available: bool,
    pub updated: bool,
    pub terminating: bool,
    pub restarts: i32,
    /// The pod the controller counts for this node (the oldest scheduled one).
    pub counted: bool,
    pub created: Option<Timestamp>,
}

/// One finding about a node. `code` and its fields are stable; `message` is for people.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reason {
    #[serde(flatten)]
    pub cause: Cause,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Reason {
    pub fn code(&self) -> &'static str {
        self.cause.code()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaintRef {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<String>,
}

/// A failed required node-affinity term: which expressions failed, or why it could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TermFailure {
    pub term: usize,
    pub failed: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parse_error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "code", rename_all_fields = "camelCase")]
pub enum Cause {
    NodeNameMismatch {
        node_name: String,
    },
    NodeSelectorMismatch {
        key: String,
        wanted: String,
        actual: Option<String>,
    },
    NodeAffinityMismatch {
        terms: Vec<TermFailure>,
    },
    UntoleratedTaint {
        #[serde(skip_serializing_if = "Option::is_none")]
        taint: Option<TaintRef>,
    },
    NamespaceNodeSelector {
        namespace: String,
        key: String,
        wanted: String,
        actual: Option<String>,
    },
    RuntimeClassScheduling {
        runtime_class: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        key: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        wanted: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        actual: Option<String>,
    },
    InsufficientResources {
        resource: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        requested: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        free: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        allocatable: Option<String>,
    },
    HostPortConflict {
        #[serde(skip_serializing_if = "Option::is_none")]
        port: Option<i32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        protocol: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        held_by: Option<String>,
    },
    NodeNotReady {
        condition_status: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        since: Option<Timestamp>,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    Unschedulable {
        scheduler_message: String,
    },
    ImagePullBackOff {
        container: String,
        image: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    CrashLoopBackOff {
        container: String,
        restarts: i32,
        exit_code: Option<i32>,
        last_reason: Option<String>,
    },
    CreateContainerConfigError {
        container: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    ContainerCreating {
        since: Option<Timestamp>,
        #[serde(skip_serializing_if = "Option::is_none")]
        waiting_reason: Option<String>,
    },
    NotReady {
        since: Option<Timestamp>,
        /// Ready but inside minReadySeconds: seconds until the controller counts it available.
        #[serde(skip_serializing_if = "Option::is_none")]
        available_in_seconds: Option<i64>,
    },
    Terminating {
        since: Option<Timestamp>,
        past_grace_period: bool,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        finalizers: Vec<String>,
    },
    Failed {
        #[serde(skip_serializing_if = "Option::is_none")]
        pod_reason: Option<String>,
    },
    Succeeded {},
    FailedCreate {
        count: i32,
        last_seen: Option<Timestamp>,
    },
    FailedPodBackoff {
        count: i32,
        last_seen: Option<Timestamp>,
    },
    ControllerBehind {
        generation: Option<i64>,
        observed_generation: Option<i64>,
    },
    Outdated {
        #[serde(skip_serializing_if = "Option::is_none")]
        pod_hash: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        current_hash: Option<String>,
    },
    DuplicatePods {
        pods: Vec<String>,
    },
    OrphanPod {
        pod: String,
    },
    MissingData {
        missing: String,
    },
}

impl Cause {
    pub fn code(&self) -> &'static str {
        match self {
            Cause::NodeNameMismatch { .. } => "NodeNameMismatch",
            Cause::NodeSelectorMismatch { .. } => "NodeSelectorMismatch",
            Cause::NodeAffinityMismatch { .. } => "NodeAffinityMismatch",
            Cause::UntoleratedTaint { .. } => "UntoleratedTaint",
            Cause::NamespaceNodeSelector { .. } => "NamespaceNodeSelector",
            Cause::RuntimeClassScheduling { .. } => "RuntimeClassScheduling",
            Cause::InsufficientResources { .. } => "InsufficientResources",
            Cause::HostPortConflict { .. } => "HostPortConflict",
            Cause::NodeNotReady { .. } => "NodeNotReady",
            Cause::Unschedulable { .. } => "Unschedulable",
            Cause::ImagePullBackOff { .. } => "ImagePullBackOff",
            Cause::CrashLoopBackOff { .. } => "CrashLoopBackOff",
            Cause::CreateContainerConfigError { .. } => "CreateContainerConfigError",
            Cause::ContainerCreating { .. } => "ContainerCreating",
            Cause::NotReady { .. } => "NotReady",
            Cause::Terminating { .. } => "Terminating",
            Cause::Failed { .. } => "Failed",
            Cause::Succeeded { .. } => "Succeeded",
            Cause::FailedCreate { .. } => "FailedCreate",
            Cause::FailedPodBackoff { .. } => "FailedPodBackoff",
            Cause::ControllerBehind { .. } => "ControllerBehind",
            Cause::Outdated { .. } => "Outdated",
            Cause::DuplicatePods { .. } => "DuplicatePods",
            Cause::OrphanPod { .. } => "OrphanPod",
            Cause::MissingData { .. } => "MissingData",
        }
    }
}
