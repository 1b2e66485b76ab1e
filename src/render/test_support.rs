//! A lint report with every case the renderers must handle, shared by their tests.

use crate::engine::lint::Severity;
use crate::engine::lint::policy::Suppression;
use crate::report::lint::{LintFinding, LintReport, LintSource, LintedObject, ObjectRef, RuleNotRun};

pub(crate) fn daemon_set(namespace: Option<&str>, name: &str) -> ObjectRef {
    ObjectRef { kind: "DaemonSet", namespace: namespace.map(str::to_string), name: name.to_string() }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn finding(
    rule: &'static str,
    severity: Severity,
    object: &ObjectRef,
    file: Option<&str>,
    line: Option<u64>,
    field: Option<&str>,
    message: &str,
    hint: Option<&str>,
) -> LintFinding {
    LintFinding {
        rule,
        name: crate::engine::lint::catalogue::info(rule).name,
        severity,
        object: object.clone(),
        file: file.map(str::to_string),
        line,
        field: field.map(str::to_string),
        message: message.to_string(),
        hint: hint.map(str::to_string),
        suppressed: None,
    }
}

/// Two DaemonSets: one from a file with a finding of every severity, a suppression annotation
/// and a rule that could not run; one live (no file) whose only finding a config exempts.
pub(crate) fn sample() -> LintReport {
    let agent = daemon_set(Some("kube-system"), "node-agent");
    let exporter = daemon_set(Some("monitoring"), "exporter");
    let file = Some("deploy/agent.yaml");
    let mut privileged = finding(
        "DS401",
        Severity::Warning,
        &agent,
        file,
        Some(31),
        Some("spec.template.spec.containers[0].securityContext.privileged"),
        "container agent is privileged.",
        Some("drop privileged and add only the capabilities the agent needs."),
    );
    privileged.suppressed =
        Some(Suppression { by: "annotation kubectl-ds.io/ignore-DS401".to_string(), reason: "loads eBPF".to_string() });
    let mut no_liveness = finding(
        "DS208",
        Severity::Info,
        &exporter,
        None,
        None,
        Some("spec.template.spec.containers[0]"),
        "container exporter has no livenessProbe.",
        None,
    );
    no_liveness.suppressed = Some(Suppression { by: "config".to_string(), reason: "restarts itself".to_string() });

    let mut report = LintReport::new(
        LintSource { files: vec!["deploy/agent.yaml".to_string()], cluster: "none" },
        "latest".to_string(),
    );
    report.findings = vec![
        finding(
            "DS101",
            Severity::Error,
            &agent,
            file,
            Some(9),
            Some("spec.selector"),
            "spec.selector matches app=agent but the template is labelled app=node-agent.",
            Some("make spec.selector.matchLabels a subset of the template's labels."),
        ),
        finding(
            "DS202",
            Severity::Warning,
            &agent,
            file,
            Some(20),
            Some("spec.template.spec.containers[0]"),
            "container agent has no readinessProbe.",
            Some("add a readinessProbe."),
        ),
        finding(
            "DS111",
            Severity::Warning,
            &agent,
            file,
            Some(24),
            None,
            "LOG_LEVEL is set twice in container agent.",
            None,
        ),
        finding(
            "DS111",
            Severity::Warning,
            &agent,
            file,
            Some(27),
            None,
            "NODE is set twice in container agent.",
            None,
        ),
        privileged,
        finding(
            "DS203",
            Severity::Info,
            &agent,
            file,
            Some(0),
            Some("spec.minReadySeconds"),
            "minReadySeconds is 0.",
            None,
        ),
        no_liveness,
    ];
    report.objects = vec![
        LintedObject {
            object: agent,
            file: file.map(str::to_string),
            line: Some(1),
            node_agent: true,
            rules_run: vec!["DS101", "DS102", "DS111", "DS202", "DS203", "DS401"],
            not_run: vec![RuleNotRun { rule: "DS305", reason: "needs a cluster view (live or --from)".to_string() }],
        },
        LintedObject {
            object: exporter,
            file: None,
            line: None,
            node_agent: false,
            rules_run: vec!["DS202", "DS208"],
            not_run: Vec::new(),
        },
    ];
    report.summary.objects = 2;
    report.summary.errors = 1;
    report.summary.warnings = 3;
    report.summary.infos = 1;
    report.summary.suppressed = 2;
    report
}
