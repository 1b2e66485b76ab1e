//! `kubectl ds rollout-status -o json`: `kind: RolloutStatus`, in the same v1 contract as the
//! explain report (`schema/kubectl-ds-v1.schema.json`, `$defs/RolloutStatus`).

use serde::Serialize;

use super::{Header, PodReport, Reason, Summary};

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutStatus {
    #[serde(flatten)]
    pub header: Header,
    /// `kubectl rollout status`'s verdict, word for word: its `done`, and its message or error
    /// text without the trailing newline.
    pub done: bool,
    pub message: String,
    /// kubectl answers with an error here (OnDelete): it prints `error: <message>` and exits 1.
    pub kubectl_error: bool,
    /// Every eligible node runs an available pod of the current revision, and no old-revision
    /// or misscheduled pod is left.
    pub complete: bool,
    /// `spec.updateStrategy.type` (RollingUpdate when unset, as the API defaults it).
    pub strategy: String,
    /// Newest first.
    pub revisions: Vec<RevisionEntry>,
    /// `None` unless the strategy is RollingUpdate.
    pub budget: Option<Budget>,
    pub summary: Summary,
    pub nodes: Vec<RolloutNode>,
    pub next_step: NextStep,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RevisionEntry {
    /// The ControllerRevision; `None` when the snapshot has none and the revision comes from
    /// the pods' `pod-template-generation`.
    pub name: Option<String>,
    pub revision: Option<i64>,
    pub hash: Option<String>,
    pub template_generation: Option<String>,
    pub current: bool,
    /// The DaemonSet's pods that carry this revision.
    pub pods: u32,
    /// What this revision changed against the one before it (image, env, resources, other fields).
    pub changes: Vec<String>,
}

/// The rolling update's limits resolved to numbers, as the controller resolves them against
/// `desiredNumberScheduled`, and what uses them up now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Budget {
    pub max_unavailable: u32,
    pub max_surge: u32,
    /// Nodes the rolling update counts as unavailable before it deletes anything.
    pub unavailable: u32,
    /// Nodes whose surge pod is not available yet, or that hold more pods than allowed.
    pub surging: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum RolloutState {
    /// The rollout cannot pass this node on its own: the new pod fails, the node is down, an
    /// old pod hangs terminating, or (OnDelete) nobody has deleted the old pod.
    Blocking,
    /// The node is being updated: a pod is being replaced, created or is starting.
    Updating,
    /// An old pod waits for its turn under the budget.
    Waiting,
    /// An available pod of the current revision and nothing else.
    Updated,
    /// The DaemonSet does not run here and nothing of it is left.
    NotEligible,
}

impl RolloutState {
    pub const ALL: [RolloutState; 5] = [
        RolloutState::Blocking,
        RolloutState::Updating,
        RolloutState::Waiting,
        RolloutState::Updated,
        RolloutState::NotEligible,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RolloutState::Blocking => "Blocking",
            RolloutState::Updating => "Updating",
            RolloutState::Waiting => "Waiting",
            RolloutState::Updated => "Updated",
            RolloutState::NotEligible => "NotEligible",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutNode {
    pub node: String,
    pub state: RolloutState,
    pub pods: Vec<PodReport>,
    /// The reasons `explain` gives for this node (for a surge node, those of its new pod first).
    pub reasons: Vec<Reason>,
}

/// What the controller does at its next sync: the decisions of `manage` and of the rolling
/// update over this snapshot, counted as Kubernetes' unit tests count one sync.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NextStep {
    pub creates: u32,
    pub deletes: u32,
    /// Nodes that certainly get a new pod.
    pub creates_on: Vec<String>,
    /// Pods that are certainly deleted.
    pub deletes_pods: Vec<String>,
    /// Nodes the controller picks from at random for the rest of `creates` or `deletes`.
    pub candidates: Vec<String>,
    /// Why the rollout does not move further, when it is not complete.
    pub waiting_for: Option<String>,
}
