use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus};

use crate::render::test_support::sample;
use crate::report::lint::LintReport;

fn xml(report: &LintReport) -> String {
    let mut out = Vec::new();
    super::write(&mut out, report).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("the XML is UTF-8")
}

fn parsed(report: &LintReport) -> Report {
    Report::deserialize_from_str(&xml(report)).expect("the output parses back as JUnit XML")
}

fn case<'a>(junit: &'a Report, suite: usize, name: &str) -> &'a TestCase {
    let cases = &junit.test_suites[suite].test_cases;
    cases.iter().find(|c| c.name.as_str() == name).unwrap_or_else(|| panic!("no test case {name:?} in {cases:#?}"))
}

#[test]
fn one_suite_per_object_one_case_per_rule() {
    let junit = parsed(&sample());
    assert_eq!(junit.name.as_ref().map(|n| n.as_str()), Some("kubectl-ds lint"));
    let suites: Vec<&str> = junit.test_suites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(suites, ["DaemonSet kube-system/node-agent", "DaemonSet monitoring/exporter"]);
    let names: Vec<&str> = junit.test_suites[0].test_cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "DS101 selector-template-mismatch",
            "DS102 selector-missing-or-empty",
            "DS111 duplicate-env-var",
            "DS202 readiness-probe-missing",
            "DS203 min-ready-seconds-zero",
            "DS401 privileged-container",
            "DS305 untolerated-taints",
        ],
        "rulesRun in order, then the rules that did not run"
    );
    for case in &junit.test_suites[0].test_cases {
        assert_eq!(case.classname.as_ref().map(|c| c.as_str()), Some("DaemonSet kube-system/node-agent"));
    }
    assert_eq!(junit.tests, 9);
    assert_eq!(junit.failures, 4, "DS101, DS111, DS202, DS203");
    assert_eq!(junit.skipped, 3, "two suppressed, one not run");
}

#[test]
fn unsuppressed_findings_fail_with_their_severity() {
    let junit = parsed(&sample());
    let TestCaseStatus::NonSuccess { kind, message, ty, description, .. } =
        &case(&junit, 0, "DS101 selector-template-mismatch").status
    else {
        panic!("DS101 should fail");
    };
    assert_eq!(*kind, NonSuccessKind::Failure);
    assert_eq!(ty.as_ref().map(|t| t.as_str()), Some("error"));
    assert_eq!(
        message.as_ref().map(|m| m.as_str()),
        Some("spec.selector matches app=agent but the template is labelled app=node-agent.")
    );
    let description = description.as_ref().map(|d| d.as_str()).unwrap_or_default();
    assert!(description.contains("at: deploy/agent.yaml:9"), "{description}");
    assert!(description.contains("field: spec.selector"), "{description}");
    assert!(description.contains("fix: make spec.selector.matchLabels"), "{description}");

    let TestCaseStatus::NonSuccess { ty, .. } = &case(&junit, 0, "DS203 min-ready-seconds-zero").status else {
        panic!("an info finding still fails its test case");
    };
    assert_eq!(ty.as_ref().map(|t| t.as_str()), Some("info"));
}

#[test]
fn several_findings_of_a_rule_share_one_failure() {
    let junit = parsed(&sample());
    let TestCaseStatus::NonSuccess { message, description, .. } = &case(&junit, 0, "DS111 duplicate-env-var").status
    else {
        panic!("DS111 should fail");
    };
    let message = message.as_ref().map(|m| m.as_str()).unwrap_or_default();
    assert!(message.contains("LOG_LEVEL") && message.contains("NODE"), "{message}");
    let description = description.as_ref().map(|d| d.as_str()).unwrap_or_default();
    assert!(description.contains("deploy/agent.yaml:24") && description.contains("deploy/agent.yaml:27"));
}

#[test]
fn suppressed_findings_skip_and_rules_without_findings_pass() {
    let junit = parsed(&sample());
    let TestCaseStatus::Skipped { message, ty, .. } = &case(&junit, 0, "DS401 privileged-container").status else {
        panic!("a suppressed finding skips its test case");
    };
    assert_eq!(ty.as_ref().map(|t| t.as_str()), Some("suppressed"));
    assert_eq!(
        message.as_ref().map(|m| m.as_str()),
        Some("suppressed by annotation kubectl-ds.io/ignore-DS401: loads eBPF")
    );
    let TestCaseStatus::Skipped { message, .. } = &case(&junit, 1, "DS208 liveness-probe-missing").status else {
        panic!("a config exemption skips too");
    };
    assert_eq!(message.as_ref().map(|m| m.as_str()), Some("suppressed by config: restarts itself"));

    assert!(matches!(case(&junit, 0, "DS102 selector-missing-or-empty").status, TestCaseStatus::Success { .. }));
    assert!(matches!(case(&junit, 1, "DS202 readiness-probe-missing").status, TestCaseStatus::Success { .. }));
}

#[test]
fn rules_that_did_not_run_skip_with_the_reason() {
    let junit = parsed(&sample());
    let TestCaseStatus::Skipped { message, ty, .. } = &case(&junit, 0, "DS305 untolerated-taints").status else {
        panic!("a rule that did not run is skipped");
    };
    assert_eq!(ty.as_ref().map(|t| t.as_str()), Some("not run"));
    assert_eq!(message.as_ref().map(|m| m.as_str()), Some("needs a cluster view (live or --from)"));
}

#[test]
fn output_is_stable_and_escaped() {
    let mut report = sample();
    report.findings[0].message = "selector <app> & \"template\" differ.".to_string();
    let text = xml(&report);
    assert_eq!(text, xml(&report), "no timestamps or ids that change between runs");
    assert!(text.starts_with("<?xml"));
    assert!(text.contains(r#"<testsuite name="DaemonSet kube-system/node-agent""#));
    assert!(text.contains("selector &lt;app&gt; &amp; &quot;template&quot; differ."), "{text}");
    assert!(!text.contains("timestamp="));
}

#[test]
fn junit_snapshot() {
    insta::assert_snapshot!(xml(&sample()));
}
