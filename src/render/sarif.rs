//! `kubectl ds lint -o sarif`: SARIF 2.1.0 for code-scanning dashboards (GitHub, GitLab, IDEs).
//! The catalogue goes out whole as the driver's rules, so that a dashboard can describe a rule
//! that found nothing this time.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::Value;
use serde_sarif::sarif::{
    ArtifactLocation, Location, LogicalLocation, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingConfiguration, ReportingConfigurationLevel, ReportingDescriptor, Result as SarifResult, ResultLevel, Run,
    Sarif, Suppression as SarifSuppression, SupressionKind, Tool, ToolComponent, Version,
};

use crate::engine::lint::policy::Suppression;
use crate::engine::lint::{CATALOGUE, RuleInfo, Severity};
use crate::report::lint::{LintFinding, LintReport, ObjectRef};

/// What GitHub code scanning and VS Code's SARIF viewer recognise as SARIF 2.1.0.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The partialFingerprints key; versioned so that a change of what it is made of starts fresh alerts
/// instead of silently merging unrelated ones.
const FINGERPRINT_KEY: &str = "kubectlDs/v1";

pub fn write(out: &mut dyn Write, report: &LintReport) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &sarif(report))?;
    writeln!(out)
}

pub fn sarif(report: &LintReport) -> Sarif {
    let driver = ToolComponent::builder()
        .name("kubectl-ds")
        .information_uri(env!("CARGO_PKG_REPOSITORY"))
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(CATALOGUE.iter().map(rule_descriptor).collect::<Vec<_>>())
        .build();
    let run = Run::builder().tool(Tool::from(driver)).results(results(&report.findings)).build();
    Sarif::builder().schema(SCHEMA_URI).version(Value::String(Version::V2_1_0.to_string())).runs(vec![run]).build()
}

fn rule_descriptor(rule: &RuleInfo) -> ReportingDescriptor {
    let level = match rule.severity {
        Severity::Error => ReportingConfigurationLevel::Error,
        Severity::Warning => ReportingConfigurationLevel::Warning,
        Severity::Info => ReportingConfigurationLevel::Note,
    };
    let mut configuration = ReportingConfiguration::builder().level(Value::String(level.to_string())).build();
    // SARIF's default is enabled; only the opt-in rules need saying.
    configuration.enabled = (!rule.enabled_by_default).then_some(false);
    ReportingDescriptor::builder()
        .id(rule.id)
        .name(rule.name)
        .short_description(MultiformatMessageString::builder().text(rule.summary).build())
        .default_configuration(configuration)
        .build()
}

fn results(findings: &[LintFinding]) -> Vec<SarifResult> {
    // Two findings can share rule, object and field (one per container without a field path);
    // numbering repeats in report order keeps each fingerprint unique and still stable.
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    findings
        .iter()
        .map(|finding| {
            let base = fingerprint(finding);
            let count = seen.entry(base.clone()).or_insert(0);
            *count += 1;
            let print = if *count == 1 { base } else { format!("{base}#{count}") };
            result(finding, print)
        })
        .collect()
}

fn result(finding: &LintFinding, fingerprint: String) -> SarifResult {
    let text = match &finding.hint {
        Some(hint) => format!("{} Fix: {hint}", finding.message),
        None => finding.message.clone(),
    };
    let level = match finding.severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    };
    let mut result = SarifResult::builder()
        .rule_id(finding.rule)
        .level(level)
        .message(Message::builder().text(text).build())
        .locations(vec![location(finding)])
        .partial_fingerprints(BTreeMap::from([(FINGERPRINT_KEY.to_string(), fingerprint)]))
        .build();
    result.rule_index = CATALOGUE.iter().position(|rule| rule.id == finding.rule).and_then(|i| i64::try_from(i).ok());
    result.suppressions = finding.suppressed.as_ref().map(|suppressed| vec![suppression(suppressed)]);
    result
}

/// A file position when the finding came from a manifest; a live object has only its name, which
/// a logical location still carries.
fn location(finding: &LintFinding) -> Location {
    let logical = LogicalLocation::builder()
        .name(object_name(&finding.object))
        .fully_qualified_name(format!("{}/{}", finding.object.kind, object_name(&finding.object)))
        .kind("object")
        .build();
    let mut location = Location::builder().logical_locations(vec![logical]).build();
    location.physical_location = finding.file.as_ref().map(|file| {
        let mut physical = PhysicalLocation::builder()
            .artifact_location(ArtifactLocation::builder().uri(file.clone()).build())
            .build();
        // SARIF lines start at 1; a 0 or an unrepresentable line is no position at all.
        let start_line = finding.line.and_then(|line| i64::try_from(line).ok()).filter(|line| *line >= 1);
        physical.region = start_line.map(|line| Region::builder().start_line(line).build());
        physical
    });
    location
}

/// `namespace/name`, or the bare name when the manifest leaves the namespace to `-n`.
fn object_name(object: &ObjectRef) -> String {
    match &object.namespace {
        Some(namespace) => format!("{namespace}/{}", object.name),
        None => object.name.clone(),
    }
}

/// Rule, object and field, never the line or the message: editing the file above the object, or
/// rewording a message, must not reopen an alert GitHub already knows.
fn fingerprint(finding: &LintFinding) -> String {
    let object = &finding.object;
    format!(
        "{}|{}|{}|{}|{}",
        finding.rule,
        object.kind,
        object.namespace.as_deref().unwrap_or(""),
        object.name,
        finding.field.as_deref().unwrap_or("")
    )
}

fn suppression(suppressed: &Suppression) -> SarifSuppression {
    // An annotation sits in the manifest itself; a config exemption lives elsewhere.
    let kind =
        if suppressed.by.starts_with("annotation") { SupressionKind::InSource } else { SupressionKind::External };
    SarifSuppression::builder().kind(Value::String(kind.to_string())).justification(suppressed.reason.clone()).build()
}

#[cfg(test)]
mod tests;
