//! `kubectl rollout status daemonset/NAME`: kubectl's `DaemonSetStatusViewer.Status`
//! (kubernetes/kubectl pkg/polymorphichelpers/rollout_status.go), word for word.

/// The `.status` fields kubectl reads. Absent fields are Go's zero.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatusCounters {
    pub observed_generation: i64,
    pub desired: i64,
    pub updated: i64,
    pub available: i64,
}

/// kubectl's answer: its message (or error text), without the trailing newline, and `done`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub message: String,
    pub done: bool,
    /// kubectl returned an error, which it prints as `error: <message>` and exits 1 on.
    pub error: bool,
}

/// The error kubectl returns for any strategy but RollingUpdate. It names the StatefulSet
/// constant, whose value is the same string.
pub const ONLY_ROLLING_UPDATE: &str = "rollout status is only available for RollingUpdate strategy type";

/// `strategy` is `spec.updateStrategy.type`; `generation` is `metadata.generation` (0 when absent).
pub fn status_viewer(name: &str, strategy: &str, generation: i64, status: StatusCounters) -> Verdict {
    if strategy != "RollingUpdate" {
        return Verdict { message: ONLY_ROLLING_UPDATE.to_string(), done: true, error: true };
    }
    let waiting = |message: String| Verdict { message, done: false, error: false };
    if generation <= status.observed_generation {
        // Go's %q: the name is a DNS label, so quoting never needs escapes beyond these.
        let quoted = format!("{name:?}");
        if status.updated < status.desired {
            return waiting(format!(
                "Waiting for daemon set {quoted} rollout to finish: {} out of {} new pods have been updated...",
                status.updated, status.desired
            ));
        }
        if status.available < status.desired {
            return waiting(format!(
                "Waiting for daemon set {quoted} rollout to finish: {} of {} updated pods are available...",
                status.available, status.desired
            ));
        }
        return Verdict { message: format!("daemon set {quoted} successfully rolled out"), done: true, error: false };
    }
    waiting("Waiting for daemon set spec update to be observed...".to_string())
}
