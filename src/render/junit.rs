//! `kubectl ds lint -o junit`: JUnit XML for CI systems that show test results (GitLab, Jenkins,
//! Azure DevOps). Each linted DaemonSet is a suite and each rule a test case, so that the CI's
//! history of a rule on an object stays one line however its findings change.

use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use crate::engine::lint::catalogue;
use crate::report::lint::{LintFinding, LintReport, LintedObject, ObjectRef};

pub fn write(out: &mut dyn Write, report: &LintReport) -> io::Result<()> {
    junit(report).serialize(&mut *out).map_err(io::Error::other)?;
    writeln!(out)
}

pub fn junit(report: &LintReport) -> Report {
    let mut junit = Report::new("kubectl-ds lint");
    junit.add_test_suites(report.objects.iter().map(|object| suite(object, &report.findings)));
    junit
}

fn suite(object: &LintedObject, findings: &[LintFinding]) -> TestSuite {
    let name = suite_name(&object.object);
    let mut suite = TestSuite::new(name.clone());
    if let Some(file) = &object.file {
        suite.add_property(Property::new("file", file.clone()));
    }
    let ours: Vec<&LintFinding> =
        findings.iter().filter(|f| f.object == object.object && f.file == object.file).collect();
    // The report promises every finding's rule is in rulesRun; a finding outside it still gets a
    // test case rather than vanishing from CI.
    let mut rules: Vec<&'static str> = object.rules_run.clone();
    for finding in &ours {
        if !rules.contains(&finding.rule) {
            rules.push(finding.rule);
        }
    }
    for rule in rules {
        let of_rule: Vec<&LintFinding> = ours.iter().copied().filter(|f| f.rule == rule).collect();
        let mut case = TestCase::new(case_name(rule), status(&of_rule));
        case.set_classname(name.clone());
        suite.add_test_case(case);
    }
    for not_run in &object.not_run {
        let mut status = TestCaseStatus::skipped();
        status.set_type("not run").set_message(not_run.reason.clone());
        let mut case = TestCase::new(case_name(not_run.rule), status);
        case.set_classname(name.clone());
        suite.add_test_case(case);
    }
    suite
}

/// A rule's findings on one object become one outcome: JUnit has one failure per test case, so
/// several findings share it, each described in the body.
fn status(findings: &[&LintFinding]) -> TestCaseStatus {
    let (shown, suppressed): (Vec<&LintFinding>, Vec<&LintFinding>) =
        findings.iter().copied().partition(|f| f.suppressed.is_none());
    if let Some(worst) = shown.iter().map(|f| f.severity).max() {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        let message = shown.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join(" ");
        let body = findings.iter().map(|f| describe(f)).collect::<Vec<_>>().join("\n\n");
        status.set_type(worst.as_str()).set_message(message).set_description(body);
        return status;
    }
    if suppressed.is_empty() {
        return TestCaseStatus::success();
    }
    let mut status = TestCaseStatus::skipped();
    let why = suppressed
        .iter()
        .filter_map(|f| f.suppressed.as_ref())
        .map(|s| format!("suppressed by {}: {}", s.by, s.reason));
    let body = suppressed.iter().map(|f| describe(f)).collect::<Vec<_>>().join("\n\n");
    status.set_type("suppressed").set_message(why.collect::<Vec<_>>().join("; ")).set_description(body);
    status
}

fn describe(finding: &LintFinding) -> String {
    let mut lines = vec![format!("{}: {}", finding.severity.as_str(), finding.message)];
    // Lines count from 1; a 0 is no position.
    match (&finding.file, finding.line.filter(|line| *line >= 1)) {
        (Some(file), Some(line)) => lines.push(format!("at: {file}:{line}")),
        (Some(file), None) => lines.push(format!("at: {file}")),
        (None, _) => {}
    }
    if let Some(field) = &finding.field {
        lines.push(format!("field: {field}"));
    }
    if let Some(hint) = &finding.hint {
        lines.push(format!("fix: {hint}"));
    }
    if let Some(suppressed) = &finding.suppressed {
        lines.push(format!("suppressed by {}: {}", suppressed.by, suppressed.reason));
    }
    lines.join("\n")
}

fn suite_name(object: &ObjectRef) -> String {
    match &object.namespace {
        Some(namespace) => format!("{} {namespace}/{}", object.kind, object.name),
        None => format!("{} {}", object.kind, object.name),
    }
}

fn case_name(rule: &str) -> String {
    match catalogue::find(rule) {
        Some(info) => format!("{} {}", info.id, info.name),
        None => rule.to_string(),
    }
}

#[cfg(test)]
mod tests;
