use std::sync::OnceLock;

use serde_json::Value;

use crate::engine::lint::{CATALOGUE, Severity};
use crate::render::test_support::sample;
use crate::report::lint::{LintReport, LintSource};

fn rendered(report: &LintReport) -> Value {
    let mut out = Vec::new();
    super::write(&mut out, report).expect("writing to a Vec cannot fail");
    serde_json::from_slice(&out).expect("the output is JSON")
}

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/sarif-schema-2.1.0.json");
        let text = std::fs::read_to_string(path).expect("the SARIF schema is committed");
        let schema: Value = serde_json::from_str(&text).expect("the SARIF schema is JSON");
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .build(&schema)
            .expect("the SARIF schema compiles")
    })
}

fn violations(document: &Value) -> Vec<String> {
    validator().iter_errors(document).map(|e| format!("{e} at {}", e.instance_path)).collect()
}

#[test]
fn sample_report_is_valid_sarif_2_1_0() {
    let errors = violations(&rendered(&sample()));
    assert!(errors.is_empty(), "the SARIF violates the 2.1.0 schema:\n{}", errors.join("\n"));
}

#[test]
fn an_empty_report_is_valid_sarif_too() {
    let report = LintReport::new(LintSource { files: Vec::new(), cluster: "live" }, "1.33".to_string());
    let sarif = rendered(&report);
    let errors = violations(&sarif);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]), "a scan with no findings says so");
}

#[test]
fn the_schema_rejects_what_is_not_sarif_2_1_0() {
    let mut wrong_version = rendered(&sample());
    wrong_version["version"] = Value::from("2.0");
    assert!(!violations(&wrong_version).is_empty(), "version 2.0 must fail validation");

    let mut bad_level = rendered(&sample());
    bad_level["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!violations(&bad_level).is_empty(), "an unknown level must fail validation");

    let mut no_message = rendered(&sample());
    if let Some(result) = no_message["runs"][0]["results"][0].as_object_mut() {
        result.remove("message");
    }
    assert!(!violations(&no_message).is_empty(), "a result without a message must fail validation");
}

#[test]
fn header_and_driver_name_the_tool() {
    let sarif = rendered(&sample());
    assert_eq!(sarif["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "kubectl-ds");
    assert_eq!(driver["informationUri"], env!("CARGO_PKG_REPOSITORY"));
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn rules_are_the_whole_catalogue_with_mapped_levels() {
    let sarif = rendered(&sample());
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), CATALOGUE.len());
    for (rule, info) in rules.iter().zip(CATALOGUE) {
        assert_eq!(rule["id"], info.id);
        assert_eq!(rule["name"], info.name);
        assert_eq!(rule["shortDescription"]["text"], info.summary);
        let level = match info.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "note",
        };
        assert_eq!(rule["defaultConfiguration"]["level"], level, "{}", info.id);
        let enabled = rule["defaultConfiguration"].get("enabled").cloned().unwrap_or(Value::Bool(true));
        assert_eq!(enabled, info.enabled_by_default, "{}", info.id);
    }
}

#[test]
fn results_point_at_their_rule_file_line_and_object() {
    let sarif = rendered(&sample());
    let rules = &sarif["runs"][0]["tool"]["driver"]["rules"];
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 7, "one result per finding, suppressed ones included");
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "ruleIndex points at the rule");
    }

    let selector = &results[0];
    assert_eq!(selector["ruleId"], "DS101");
    assert_eq!(selector["level"], "error");
    assert_eq!(
        selector["message"]["text"],
        "spec.selector matches app=agent but the template is labelled app=node-agent. \
         Fix: make spec.selector.matchLabels a subset of the template's labels."
    );
    let location = &selector["locations"][0];
    assert_eq!(location["physicalLocation"]["artifactLocation"]["uri"], "deploy/agent.yaml");
    assert_eq!(location["physicalLocation"]["region"]["startLine"], 9);
    assert_eq!(location["logicalLocations"][0]["name"], "kube-system/node-agent");
    assert_eq!(location["logicalLocations"][0]["kind"], "object");
    assert!(selector.get("suppressions").is_none());

    assert_eq!(results[2]["level"], "warning");
    assert_eq!(results[2]["message"]["text"], "LOG_LEVEL is set twice in container agent.", "no hint, no Fix:");
    assert_eq!(results[5]["level"], "note", "info maps to note");
    assert!(results[5]["locations"][0]["physicalLocation"].get("region").is_none(), "line 0 is no line");
}

#[test]
fn a_live_object_has_no_file_but_keeps_its_name() {
    let sarif = rendered(&sample());
    let live = &sarif["runs"][0]["results"][6];
    assert_eq!(live["ruleId"], "DS208");
    let location = &live["locations"][0];
    assert!(location.get("physicalLocation").is_none());
    assert_eq!(location["logicalLocations"][0]["name"], "monitoring/exporter");
}

#[test]
fn suppressions_say_where_they_come_from() {
    let sarif = rendered(&sample());
    let results = &sarif["runs"][0]["results"];
    assert_eq!(results[4]["ruleId"], "DS401");
    assert_eq!(results[4]["suppressions"], serde_json::json!([{"kind": "inSource", "justification": "loads eBPF"}]));
    assert_eq!(
        results[6]["suppressions"],
        serde_json::json!([{"kind": "external", "justification": "restarts itself"}])
    );
}

#[test]
fn fingerprints_are_stable_unique_and_ignore_lines_and_wording() {
    let prints = |report: &LintReport| -> Vec<Value> {
        let sarif = rendered(report);
        let results = sarif["runs"][0]["results"].as_array().cloned().unwrap_or_default();
        results.iter().map(|r| r["partialFingerprints"].clone()).collect()
    };
    let first = prints(&sample());
    assert_eq!(first, prints(&sample()), "same input, same fingerprints");
    let distinct: std::collections::BTreeSet<String> = first.iter().map(Value::to_string).collect();
    assert_eq!(distinct.len(), first.len(), "no two results share a fingerprint: {first:?}");

    let mut moved = sample();
    for finding in &mut moved.findings {
        finding.line = finding.line.map(|line| line + 10);
        finding.message.push_str(" (reworded)");
    }
    assert_eq!(first, prints(&moved), "moving or rewording a finding keeps its alert");
}

#[test]
fn results_snapshot() {
    let sarif = rendered(&sample());
    insta::assert_json_snapshot!(sarif["runs"][0]["results"]);
}
