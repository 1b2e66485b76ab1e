//! `kubectl ds lint`'s report: `kind: LintReport` in the `kubectl-ds/v1` contract.

use serde::Serialize;

use super::API_VERSION;
use crate::engine::lint::Severity;
use crate::engine::lint::policy::Suppression;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintReport {
    pub api_version: &'static str,
    pub kind: &'static str,
    /// Where the DaemonSets and the cluster view came from.
    pub source: LintSource,
    /// The Kubernetes version whose rules applied (`latest` without a cluster).
    pub kubernetes_version: String,
    /// Findings in object order, then by severity (errors first) and rule.
    pub findings: Vec<LintFinding>,
    pub objects: Vec<LintedObject>,
    pub summary: LintSummary,
    /// What reading the input noticed, and gaps in the cluster view.
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintSource {
    /// Files given with `-f`; empty when the DaemonSets came from the cluster or `--from`.
    pub files: Vec<String>,
    /// `live`, `offline` (a `--from` snapshot), or `none` (static rules only).
    pub cluster: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    pub kind: &'static str,
    /// `None` when the manifest leaves it to `-n` or the context.
    pub namespace: Option<String>,
    pub name: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintFinding {
    pub rule: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub object: ObjectRef,
    pub file: Option<String>,
    pub line: Option<u64>,
    /// The offending field, e.g. `spec.template.spec.containers[0].image`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
    pub hint: Option<String>,
    /// Present only with `--show-suppressed`, on findings a suppression hides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Suppression>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintedObject {
    pub object: ObjectRef,
    pub file: Option<String>,
    pub line: Option<u64>,
    pub node_agent: bool,
    /// Rules that ran on this object (every finding's rule is among them).
    pub rules_run: Vec<&'static str>,
    pub not_run: Vec<RuleNotRun>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleNotRun {
    pub rule: &'static str,
    pub reason: String,
}

#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintSummary {
    pub objects: u32,
    pub errors: u32,
    pub warnings: u32,
    pub infos: u32,
    /// Findings hidden by suppressions (annotations or config), counted whether shown or not.
    pub suppressed: u32,
    pub fail_on: Option<Severity>,
    /// Some finding is at or above `failOn`: the exit code is 1.
    pub failed: bool,
    /// Rules that could not run on at least one object, with why and on how many.
    pub rules_not_run: Vec<RuleNotRunSummary>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleNotRunSummary {
    pub rule: &'static str,
    pub reason: String,
    pub objects: u32,
}

impl LintReport {
    pub fn new(source: LintSource, kubernetes_version: String) -> Self {
        LintReport {
            api_version: API_VERSION,
            kind: "LintReport",
            source,
            kubernetes_version,
            findings: Vec::new(),
            objects: Vec::new(),
            summary: LintSummary::default(),
            notes: Vec::new(),
        }
    }
}
