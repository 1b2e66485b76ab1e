//! `kubectl ds lint`: DaemonSet-specific checks. One function per rule family, each pushing
//! [`Finding`]s with the rule's stable ID; the catalogue ([`catalogue::CATALOGUE`]) is the list.
//!
//! Rules that need the cluster read the [`Environment`]'s snapshot and reuse the engine
//! ([`crate::engine::explain`]), so that lint and explain never disagree.

pub mod catalogue;
mod host;
mod images;
mod placement;
pub mod policy;
pub mod pss;
mod rollout;
#[cfg(test)]
mod tests;
mod validity;

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Container, PodSpec};
use serde::Serialize;

use std::collections::BTreeMap;

use super::{Options, explain};
use crate::report::Explanation;
use crate::report::lint as lint_report;
use crate::snapshot::Snapshot;

pub use catalogue::{CATALOGUE, Mode, RuleInfo};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One thing a rule found. `field` is the path of the offending field in the DaemonSet, in the
/// form `spec.template.spec.containers[0].image`, so that a source with positions can name its
/// line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub hint: Option<String>,
    pub field: Option<String>,
}

impl Finding {
    /// A finding at the rule's catalogue severity.
    pub fn new(rule: &'static str, message: impl Into<String>) -> Self {
        Finding { rule, severity: catalogue::info(rule).severity, message: message.into(), hint: None, field: None }
    }

    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// What the DaemonSet is meant to cover, declared with `kubectl-ds.io/intent`. It decides how
/// loudly the toleration rules speak.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Intent {
    #[default]
    Unspecified,
    AllNodes,
    SelectedNodes,
}

pub const NODE_AGENT_ANNOTATION: &str = "kubectl-ds.io/node-agent";
pub const INTENT_ANNOTATION: &str = "kubectl-ds.io/intent";

/// The DaemonSet under lint and what is known about it without the cluster.
pub struct Subject<'a> {
    pub ds: &'a DaemonSet,
    pub spec: &'a PodSpec,
    /// `None` when the manifest leaves the namespace to `-n` or the context.
    pub namespace: Option<&'a str>,
    pub name: &'a str,
    /// The apiVersion the manifest was written with, before the loader read it as apps/v1.
    pub api_version: Option<&'a str>,
    /// Declared a node agent (annotation or config): host access is expected of it.
    pub node_agent: bool,
    pub intent: Intent,
}

static EMPTY_SPEC: std::sync::LazyLock<PodSpec> = std::sync::LazyLock::new(PodSpec::default);

impl<'a> Subject<'a> {
    pub fn new(ds: &'a DaemonSet, api_version: Option<&'a str>, node_agent: bool) -> Self {
        let annotation = |key: &str| {
            ds.metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(key))
                .or_else(|| ds.spec.template.metadata.as_ref()?.annotations.as_ref()?.get(key))
        };
        let intent = match annotation(INTENT_ANNOTATION).map(String::as_str) {
            Some("all-nodes") => Intent::AllNodes,
            Some("selected-nodes") => Intent::SelectedNodes,
            _ => Intent::Unspecified,
        };
        Subject {
            ds,
            spec: ds.spec.template.spec.as_ref().unwrap_or(&EMPTY_SPEC),
            namespace: ds.metadata.namespace.as_deref(),
            name: ds.metadata.name.as_deref().unwrap_or_default(),
            api_version,
            node_agent: node_agent || annotation(NODE_AGENT_ANNOTATION).is_some_and(|v| v == "true"),
            intent,
        }
    }

    /// Every container with the path of its entry: init containers (sidecars included) first,
    /// then the regular ones, as the kubelet starts them.
    pub fn containers(&self) -> impl Iterator<Item = (String, &'a Container)> {
        let spec: &'a PodSpec = self.spec;
        let init = spec.init_containers.iter().flatten().enumerate();
        let main = spec.containers.iter().enumerate();
        init.map(|(i, c)| (format!("{TEMPLATE_SPEC}.initContainers[{i}]"), c))
            .chain(main.map(|(i, c)| (format!("{TEMPLATE_SPEC}.containers[{i}]"), c)))
    }

    /// The regular containers only (what runs for the pod's lifetime).
    pub fn main_containers(&self) -> impl Iterator<Item = (String, &'a Container)> {
        let spec: &'a PodSpec = self.spec;
        spec.containers.iter().enumerate().map(|(i, c)| (format!("{TEMPLATE_SPEC}.containers[{i}]"), c))
    }

    /// How a person reads a container's name in a message.
    pub fn container_label(path: &str, container: &Container) -> String {
        if path.contains("initContainers") {
            format!("init container {}", container.name)
        } else {
            format!("container {}", container.name)
        }
    }
}

pub const TEMPLATE_SPEC: &str = "spec.template.spec";

/// What is known around the DaemonSet: the other objects of the linted files (ServiceAccounts,
/// PriorityClasses, Namespaces, other DaemonSets) and, when `cluster` is set, the cluster's state
/// (live or a `--from` snapshot) too. Without a cluster the cluster rules report their static
/// form or nothing, and say so.
pub struct Environment<'a> {
    pub snapshot: &'a Snapshot,
    /// The snapshot holds a cluster view (nodes, pods, ...), not only the files' objects.
    pub cluster: bool,
    /// The namespace the DaemonSet lands in (its own, else `-n` or the context's).
    pub namespace: &'a str,
    /// The cluster's DaemonSet of the same namespace and name, when the subject is a manifest.
    pub live: Option<&'a DaemonSet>,
    /// The subject is the cluster's own object (linted by name), not a manifest.
    pub is_live_object: bool,
    pub opts: &'a Options,
}

/// A rule that could not run, and why; the summary lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotRun {
    pub rule: &'static str,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub not_run: Vec<NotRun>,
}

impl Outcome {
    fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    fn skip(&mut self, rule: &'static str, reason: impl Into<String>) {
        self.not_run.push(NotRun { rule, reason: reason.into() });
    }
}

/// The engine's verdicts the cluster rules read, computed once per DaemonSet.
pub struct ClusterView<'a> {
    pub snapshot: &'a Snapshot,
    pub namespace: &'a str,
    pub opts: &'a Options,
    /// The subject evaluated on every node as if applied now (what-if): placement and fit.
    pub placement: Explanation,
    /// The cluster's own DaemonSet as it runs today (the subject itself when linted by name).
    pub current: Option<Explanation>,
    /// The cluster's DaemonSet of the subject's name, when the subject is a manifest.
    pub live: Option<&'a DaemonSet>,
}

impl<'a> ClusterView<'a> {
    pub fn new(subject: &Subject<'_>, env: &Environment<'a>) -> Option<Self> {
        if !env.cluster {
            return None;
        }
        let snapshot = env.snapshot;
        let live = if env.is_live_object { Some(subject.ds) } else { env.live };
        let mut manifest = subject.ds.clone();
        manifest.metadata.namespace = Some(env.namespace.to_string());
        let placement = explain(snapshot, super::Target::WhatIf { manifest: &manifest, existing: env.live }, env.opts);
        let current = live.map(|ds| explain(snapshot, super::Target::Existing(ds), env.opts));
        Some(ClusterView { snapshot, namespace: env.namespace, opts: env.opts, placement, current, live: env.live })
    }
}

/// Every rule on one DaemonSet, before suppressions and config (see [`policy`]).
pub fn lint(subject: &Subject<'_>, env: &Environment<'_>) -> Outcome {
    let cluster = ClusterView::new(subject, env);
    let cluster = cluster.as_ref();
    let mut out = Outcome::default();
    validity::check(subject, &mut out);
    rollout::check(subject, cluster, &mut out);
    placement::check(subject, env, cluster, &mut out);
    host::check(subject, &mut out);
    images::check(subject, &mut out);
    policy::check_suppressions(subject, &mut out);
    out
}

/// Where the fields of a written object are: a field path (`spec.template.spec.containers[0]`) to
/// its line, or its nearest written ancestor's.
pub trait Positions {
    fn line_of(&self, field: &str) -> Option<u64>;
}

/// One DaemonSet to lint, and where it was written.
pub struct Target<'a> {
    pub ds: &'a DaemonSet,
    pub file: Option<&'a str>,
    pub line: Option<u64>,
    /// The apiVersion as written (manifests), for DS108.
    pub api_version: Option<&'a str>,
    /// Lines of the written object's fields, when the parser kept positions.
    pub positions: Option<&'a dyn Positions>,
    /// The namespace it lands in: its own, else `-n` or the context's.
    pub namespace: &'a str,
    pub live: Option<&'a DaemonSet>,
    pub is_live_object: bool,
}

/// How the findings are judged and shown.
pub struct Settings<'a> {
    pub config: &'a policy::LintConfig,
    /// Findings at or above this severity fail the run; `None`: never.
    pub fail_on: Option<Severity>,
    pub show_suppressed: bool,
    pub opts: &'a Options,
}

/// Lints the targets against the snapshot (a cluster view when `cluster`, else the files'
/// context objects) and adds them to the report. Call [`finish`] once every target is in.
pub fn lint_into(
    report: &mut lint_report::LintReport,
    targets: &[Target<'_>],
    snapshot: &Snapshot,
    cluster: bool,
    settings: &Settings<'_>,
) {
    for target in targets {
        let ns = target.namespace;
        let name = target.ds.metadata.name.as_deref().unwrap_or_default();
        let subject = Subject::new(target.ds, target.api_version, settings.config.is_node_agent(ns, name));
        let env = Environment {
            snapshot,
            cluster,
            namespace: ns,
            live: target.live,
            is_live_object: target.is_live_object,
            opts: settings.opts,
        };
        let outcome = lint(&subject, &env);
        let object = lint_report::ObjectRef {
            kind: "DaemonSet",
            namespace: target.ds.metadata.namespace.clone(),
            name: name.to_string(),
        };
        let skipped: Vec<lint_report::RuleNotRun> = outcome
            .not_run
            .iter()
            .filter(|n| catalogue::find(n.rule).is_some_and(|r| settings.config.enabled(r)))
            .map(|n| lint_report::RuleNotRun { rule: n.rule, reason: n.reason.clone() })
            .collect();
        let mut judged = settings.config.judge(&subject, ns, outcome.findings);
        judged.sort_by(|a, b| {
            (b.finding.severity, a.finding.rule, &a.finding.field).cmp(&(
                a.finding.severity,
                b.finding.rule,
                &b.finding.field,
            ))
        });
        for policy::Judged { finding, suppressed } in judged {
            if suppressed.is_some() {
                report.summary.suppressed += 1;
                if !settings.show_suppressed {
                    continue;
                }
            } else {
                match finding.severity {
                    Severity::Error => report.summary.errors += 1,
                    Severity::Warning => report.summary.warnings += 1,
                    Severity::Info => report.summary.infos += 1,
                }
                report.summary.failed |= settings.fail_on.is_some_and(|at| finding.severity >= at);
            }
            let line = finding.field.as_deref().and_then(|f| target.positions?.line_of(f)).or(target.line);
            report.findings.push(lint_report::LintFinding {
                rule: finding.rule,
                name: catalogue::info(finding.rule).name,
                severity: finding.severity,
                object: object.clone(),
                file: target.file.map(str::to_string),
                line,
                field: finding.field,
                message: finding.message,
                hint: finding.hint,
                suppressed,
            });
        }
        let skipped_ids: Vec<&str> = skipped.iter().map(|s| s.rule).collect();
        report.objects.push(lint_report::LintedObject {
            object,
            file: target.file.map(str::to_string),
            line: target.line,
            node_agent: subject.node_agent,
            rules_run: policy::enabled_rules(settings.config)
                .map(|r| r.id)
                .filter(|id| !skipped_ids.contains(id))
                .collect(),
            not_run: skipped,
        });
    }
}

/// The summary's totals over every object linted.
pub fn finish(report: &mut lint_report::LintReport, fail_on: Option<Severity>) {
    let mut not_run: BTreeMap<(&'static str, String), u32> = BTreeMap::new();
    for skip in report.objects.iter().flat_map(|o| &o.not_run) {
        *not_run.entry((skip.rule, skip.reason.clone())).or_default() += 1;
    }
    report.summary.objects = report.objects.len() as u32;
    report.summary.fail_on = fail_on;
    report.summary.rules_not_run = not_run
        .into_iter()
        .map(|((rule, reason), objects)| lint_report::RuleNotRunSummary { rule, reason, objects })
        .collect();
}
