//! `kubectl ds lint` for people: findings grouped per DaemonSet, each with `file:line` so an
//! editor or a terminal can jump to it, then one summary line.

use std::io::{self, Write};

use owo_colors::OwoColorize;

use crate::engine::lint::{CATALOGUE, Severity, policy};
use crate::report::lint::{LintFinding, LintReport, ObjectRef};

fn severity_label(severity: Severity, color: bool) -> String {
    let text = format!("{:<7}", severity.as_str());
    if !color {
        return text;
    }
    match severity {
        Severity::Error => text.red().bold().to_string(),
        Severity::Warning => text.yellow().to_string(),
        Severity::Info => text.blue().to_string(),
    }
}

fn object_label(object: &ObjectRef) -> String {
    match &object.namespace {
        Some(ns) => format!("{} {ns}/{}", object.kind, object.name),
        None => format!("{} {} (no namespace)", object.kind, object.name),
    }
}

fn place(file: Option<&str>, line: Option<u64>) -> Option<String> {
    match (file, line) {
        (Some(file), Some(line)) => Some(format!("{file}:{line}")),
        (Some(file), None) => Some(file.to_string()),
        _ => None,
    }
}

pub fn write_text(out: &mut dyn Write, report: &LintReport, color: bool) -> io::Result<()> {
    for object in &report.objects {
        let findings: Vec<&LintFinding> = report.findings.iter().filter(|f| f.object == object.object).collect();
        let mut heading = object_label(&object.object);
        if let Some(at) = place(object.file.as_deref(), object.line) {
            heading.push_str(&format!("  {at}"));
        }
        if object.node_agent {
            heading.push_str("  [node agent]");
        }
        if color {
            heading = heading.bold().to_string();
        }
        writeln!(out, "{heading}")?;
        if findings.is_empty() {
            writeln!(out, "  no findings")?;
        }
        for (i, finding) in findings.iter().enumerate() {
            // Findings of one rule that share a fix (one per container, say) print the fix once.
            let next = findings.get(i + 1);
            let same_fix_follows = next.is_some_and(|n| n.rule == finding.rule && n.hint == finding.hint);
            write_finding(out, finding, color, !same_fix_follows)?;
        }
        writeln!(out)?;
    }
    write_summary(out, report, color)
}

fn write_finding(out: &mut dyn Write, finding: &LintFinding, color: bool, with_fix: bool) -> io::Result<()> {
    let at = place(finding.file.as_deref(), finding.line).map(|p| format!("{p}: ")).unwrap_or_default();
    let suppressed = if finding.suppressed.is_some() { " (suppressed)" } else { "" };
    writeln!(
        out,
        "  {at}{} {} {}{suppressed}: {}",
        severity_label(finding.severity, color),
        finding.rule,
        finding.name,
        finding.message
    )?;
    if let Some(hint) = finding.hint.as_ref().filter(|_| with_fix) {
        // A YAML snippet keeps its shape, indented under the finding.
        let text = format!("fix: {}", hint.replace('\n', "\n           "));
        writeln!(out, "      {}", if color { text.dimmed().to_string() } else { text })?;
    }
    if let Some(policy::Suppression { by, reason }) = &finding.suppressed {
        let reason = if reason.is_empty() { "no reason given" } else { reason.as_str() };
        writeln!(out, "      suppressed by {by}: {reason}")?;
    }
    Ok(())
}

fn count(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn write_summary(out: &mut dyn Write, report: &LintReport, color: bool) -> io::Result<()> {
    let s = &report.summary;
    let mut line = format!(
        "{}: {}, {}, {}",
        count(s.objects, "DaemonSet", "DaemonSets"),
        count(s.errors, "error", "errors"),
        count(s.warnings, "warning", "warnings"),
        count(s.infos, "info", "infos"),
    );
    if s.suppressed > 0 {
        line.push_str(&format!(" ({} suppressed)", s.suppressed));
    }
    if let Some(at) = s.fail_on {
        let verdict = if s.failed { "failed" } else { "passed" };
        line.push_str(&format!("; {verdict} (--fail-on {})", at.as_str()));
    }
    writeln!(out, "{}", if color && s.failed { line.red().to_string() } else { line })?;
    if !s.rules_not_run.is_empty() {
        writeln!(out, "Rules that could not run:")?;
        for skip in &s.rules_not_run {
            writeln!(out, "  {} ({}): {}", skip.rule, count(skip.objects, "object", "objects"), skip.reason)?;
        }
    }
    for note in &report.notes {
        writeln!(out, "note: {note}")?;
    }
    Ok(())
}

/// `--list-rules`: the catalogue, one rule per line.
pub fn write_rules(out: &mut dyn Write) -> io::Result<()> {
    let rows = CATALOGUE.iter().map(|rule| {
        let mut summary = rule.summary.to_string();
        if !rule.enabled_by_default {
            summary.push_str(" (off by default)");
        }
        vec![
            rule.id.to_string(),
            rule.name.to_string(),
            rule.severity.as_str().to_string(),
            format!("{:?}", rule.mode).to_lowercase(),
            summary,
        ]
    });
    let opts = super::TextOptions { wide: true, color: false, no_headers: false, width: None };
    super::write_table(out, vec!["ID", "NAME", "SEVERITY", "NEEDS", "CHECKS"], rows, &opts)
}
