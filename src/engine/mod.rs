//! The rules. Pure functions over a [`Snapshot`]: no I/O, no async, no clock (the moment of
//! evaluation is [`Options::as_of`]). Diagnoses are data ([`crate::report::Reason`]), not errors.
//!
//! One module per rule family, after the Kubernetes code it reproduces:
//! [`eligibility`] (`NodeShouldRunDaemonPod`), [`affinity`] and [`tolerations`] (its parts),
//! [`pods`] (ownership, ordering, ready/available/updated), [`fit`] (the scheduler's NodePorts
//! and NodeResourcesFit) on [`quantity`] (apimachinery's `ParseQuantity`), [`scheduler_message`]
//! (the scheduler's FitError text), [`explain`] (the per-node verdict and the status counters).

pub mod affinity;
pub mod eligibility;
pub mod explain;
pub mod fit;
pub mod hints;
pub mod lint;
pub mod overview;
pub mod pods;
pub mod quantity;
pub mod rollout;
pub mod scheduler_message;
#[cfg(test)]
pub(crate) mod test_support;
pub mod tolerations;
pub mod trace;

use jiff::{SignedDuration, Timestamp};

pub use explain::{Rows, Target, explain, explain_each, explain_sharing};

use crate::version::KubeVersion;

#[derive(Clone, Debug)]
pub struct Options {
    /// The moment the verdicts are for: ages, minReadySeconds and "stuck" are measured to it.
    pub as_of: Timestamp,
    /// Whose rules apply (terminal pods, the availability boundary, `IsPodUpdated`).
    pub version: KubeVersion,
    /// A pod not ready or still creating for longer than this is Stuck, not Progressing.
    pub stuck_after: SignedDuration,
}

/// How long past its deletion deadline a terminating pod may linger before it counts as stuck:
/// the kubelet's grace period has run out and the API should have removed it.
pub const TERMINATING_SLACK: SignedDuration = SignedDuration::from_secs(60);

pub const DEFAULT_STUCK_AFTER: SignedDuration = SignedDuration::from_mins(5);
