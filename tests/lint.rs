//! `kubectl ds lint` through the real kubectl: goldens of what users read, the JSON contract,
//! exit codes, suppressions and config, and the corpus of real node agents.

mod common;

use common::{corpus, kubectl_ds, kubectl_ds_with_stdin, valid_json};
use serde_json::Value;

const CLUSTER: &str = "tests/fixtures/cluster.json";
const AGENT: &str = "tests/fixtures/lint/agent.yaml";
const BROKEN: &str = "tests/fixtures/lint/broken.yaml";
const CONFIG: &str = "tests/fixtures/lint/config.yaml";

fn lint(args: &[&str]) -> common::Run {
    let mut all = vec!["lint"];
    all.extend_from_slice(args);
    kubectl_ds(&all)
}

fn findings(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (f["rule"].as_str().unwrap_or_default().to_string(), f["severity"].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

fn rules(report: &Value) -> Vec<String> {
    findings(report).into_iter().map(|(rule, _)| rule).collect()
}

#[test]
fn text_groups_findings_per_daemonset_with_file_and_line() {
    let run = lint(&["-f", BROKEN, "-f", AGENT]);
    assert_eq!(run.code, 1, "errors fail the run by default\n{}", run.stderr);
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn json_report_follows_the_schema_and_names_lines_of_fields() {
    let run = lint(&["-f", BROKEN, "-o", "json"]);
    assert_eq!(run.code, 1);
    let report = valid_json(&run.stdout);
    let by_rule =
        |rule: &str| report["findings"].as_array().and_then(|f| f.iter().find(|f| f["rule"] == rule)).cloned();
    let surge = by_rule("DS201").expect("DS201 fires on maxSurge with a hostPort");
    assert_eq!(surge["severity"], "error");
    assert_eq!(surge["object"], serde_json::json!({"kind": "DaemonSet", "namespace": "kube-system", "name": "broken"}));
    assert_eq!(surge["file"], BROKEN);
    let mismatch = by_rule("DS101").expect("DS101 fires on the selector");
    assert_eq!(mismatch["line"], 8, "the line of spec.selector");
    insta::assert_json_snapshot!(report);
}

#[test]
fn suppressions_count_and_show_only_when_asked() {
    let report = valid_json(&lint(&["-f", AGENT, "-o", "json"]).stdout);
    assert!(!rules(&report).contains(&"DS203".to_string()), "suppressed with a reason");
    assert!(rules(&report).contains(&"DS602".to_string()), "a suppression without a reason is a finding");
    assert_eq!(report["summary"]["suppressed"], 2);
    let shown = valid_json(&lint(&["-f", AGENT, "-o", "json", "--show-suppressed"]).stdout);
    let suppressed: Vec<&Value> =
        shown["findings"].as_array().into_iter().flatten().filter(|f| f.get("suppressed").is_some()).collect();
    assert_eq!(suppressed.len(), 2);
    assert_eq!(suppressed[0]["rule"], "DS203");
    assert_eq!(suppressed[0]["suppressed"]["by"], "annotation ignore-check.kubectl-ds.io/DS203");
}

#[test]
fn the_files_context_objects_feed_the_cluster_rules() {
    // The Namespace in agent.yaml enforces baseline; the agent is privileged.
    let report = valid_json(&lint(&["-f", AGENT, "-o", "json"]).stdout);
    assert!(findings(&report).contains(&("DS311".to_string(), "error".to_string())), "{:?}", findings(&report));
    assert!(!rules(&report).contains(&"DS310".to_string()), "the ServiceAccount is in the file");
    let not_run: Vec<&str> =
        report["summary"]["rulesNotRun"].as_array().into_iter().flatten().filter_map(|r| r["rule"].as_str()).collect();
    assert!(not_run.contains(&"DS305"), "cluster-only rules say they could not run: {not_run:?}");
}

#[test]
fn fail_on_sets_the_exit_code() {
    assert_eq!(lint(&["-f", AGENT, "--fail-on", "never"]).code, 0);
    assert_eq!(lint(&["-f", BROKEN, "--fail-on", "never"]).code, 0);
    let clean_of_errors = "tests/fixtures/whatif/gpu-agent.yaml";
    let errors = valid_json(&lint(&["-f", clean_of_errors, "-o", "json"]).stdout);
    let has = |sev: &str| findings(&errors).iter().any(|(_, s)| s == sev);
    assert_eq!(lint(&["-f", clean_of_errors]).code, i32::from(has("error")));
    assert_eq!(
        lint(&["-f", clean_of_errors, "--fail-on", "info"]).code,
        i32::from(has("error") || has("warning") || has("info"))
    );
}

#[test]
fn config_file_excludes_overrides_exempts_and_declares_node_agents() {
    let plain = valid_json(&lint(&["-f", BROKEN, "-o", "json"]).stdout);
    let configured = valid_json(&lint(&["-f", BROKEN, "-o", "json", "--config", CONFIG]).stdout);
    assert!(rules(&plain).contains(&"DS206".to_string()) || !rules(&configured).contains(&"DS206".to_string()));
    assert!(!rules(&configured).contains(&"DS206".to_string()), "excluded");
    assert!(rules(&plain).contains(&"DS501".to_string()), "the untagged image is found");
    assert!(!rules(&configured).contains(&"DS501".to_string()), "and exempted by the config");
    assert!(findings(&configured).contains(&("DS308".to_string(), "warning".to_string())), "severity override");
    assert_eq!(configured["objects"][0]["nodeAgent"], true);

    let bad = lint(&["-f", BROKEN, "--config", "tests/fixtures/lint/agent.yaml"]);
    assert_eq!(bad.code, 2, "a file that is not a config: {}", bad.stderr);
    assert!(bad.stderr.contains("tests/fixtures/lint/agent.yaml"), "{}", bad.stderr);
}

#[test]
fn unrendered_templates_and_kustomizations_are_told_to_pipe() {
    let helm = lint(&["-f", "tests/fixtures/lint/helm-template.yaml"]);
    assert_eq!(helm.code, 2);
    assert!(helm.stderr.contains("helm-template.yaml:4"), "{}", helm.stderr);
    assert!(helm.stderr.contains("helm template"), "{}", helm.stderr);
    let kustomize = lint(&["-f", "tests/fixtures/lint/kustomize"]);
    assert_eq!(kustomize.code, 2);
    assert!(kustomize.stderr.contains("kustomize build"), "{}", kustomize.stderr);
    assert_eq!(kustomize.stdout, "", "nothing printed as if linted");
}

#[test]
fn stdin_and_named_daemonsets_from_a_dump() {
    let manifest = std::fs::read(BROKEN).expect("fixture");
    let run = kubectl_ds_with_stdin(&["lint", "-f", "-", "-o", "json"], Some(&manifest));
    assert_eq!(run.code, 1);
    assert_eq!(valid_json(&run.stdout)["findings"][0]["file"], "<stdin>");

    let dump = lint(&["log-agent", "-n", "kube-system", "--from", CLUSTER, "-o", "json"]);
    let report = valid_json(&dump.stdout);
    assert_eq!(report["source"]["cluster"], "offline");
    assert_eq!(report["objects"][0]["file"], Value::Null);
    assert!(report["summary"]["rulesNotRun"].as_array().is_some_and(|r| r.iter().all(|r| r["rule"] != "DS305")));

    let all = valid_json(&lint(&["-A", "--from", CLUSTER, "-o", "json", "--fail-on", "never"]).stdout);
    assert_eq!(all["summary"]["objects"].as_u64(), Some(all["objects"].as_array().map_or(0, Vec::len) as u64));
    assert!(all["summary"]["objects"].as_u64() > Some(1));

    let missing = lint(&["nope", "--from", CLUSTER]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("not found"), "{}", missing.stderr);
    let nothing = lint(&[]);
    assert_eq!(nothing.code, 2);
}

#[test]
fn a_what_if_against_a_dump_runs_the_cluster_rules() {
    let run =
        lint(&["-f", "tests/fixtures/whatif/gpu-agent.yaml", "--from", CLUSTER, "-o", "json", "--fail-on", "never"]);
    let report = valid_json(&run.stdout);
    assert_eq!(run.code, 0);
    assert_eq!(report["source"]["cluster"], "offline");
    let not_run: Vec<&str> =
        report["summary"]["rulesNotRun"].as_array().into_iter().flatten().filter_map(|r| r["rule"].as_str()).collect();
    assert!(!not_run.contains(&"DS305") && !not_run.contains(&"DS306"), "{not_run:?}");
}

#[test]
fn a_needed_cluster_that_cannot_be_reached_exits_3() {
    let run = lint(&["agent", "--server", "https://127.0.0.1:1", "--request-timeout", "2s"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("127.0.0.1:1"), "{}", run.stderr);
}

#[test]
fn list_rules_prints_the_whole_catalogue() {
    let run = lint(&["--list-rules"]);
    assert_eq!(run.code, 0);
    let rows: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("DS")).collect();
    assert_eq!(rows.len(), 62);
    assert!(rows.iter().any(|r| r.starts_with("DS505") && r.contains("off by default")));
}

/// Per corpus manifest: the rules that fire (severity initial), as declared node agents. Reviewed
/// by hand for false positives; see docs/lint-vs-checkov.md.
#[test]
fn the_corpus_of_real_node_agents() {
    let Some(files) = corpus() else {
        eprintln!("skipped: ../shared/corpus is not beside this clone");
        return;
    };
    assert_eq!(files.len(), 34);
    let mut table = String::new();
    for file in &files {
        let path = file.display().to_string();
        let run = lint(&[
            "-f",
            &path,
            "-o",
            "json",
            "--config",
            "tests/fixtures/lint/corpus-agents.yaml",
            "--fail-on",
            "never",
        ]);
        assert_eq!(run.code, 0, "{path}: {}", run.stderr);
        let report = valid_json(&run.stdout);
        for object in report["objects"].as_array().into_iter().flatten() {
            let name = object["object"]["name"].as_str().unwrap_or_default();
            let mine: Vec<String> = report["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|f| f["object"]["name"] == name)
                .map(|f| {
                    format!("{}{}", f["rule"].as_str().unwrap_or_default(), &f["severity"].as_str().unwrap_or("?")[..1])
                })
                .collect();
            let file_name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            table.push_str(&format!("{file_name} {name}: {}\n", mine.join(" ")));
        }
    }
    insta::assert_snapshot!(table);
}

#[test]
fn calico_node_as_a_declared_node_agent_does_not_drown() {
    let Some(files) = corpus() else {
        eprintln!("skipped: ../shared/corpus is not beside this clone");
        return;
    };
    let Some(calico) = files.iter().find(|f| f.ends_with("calico-node.yaml")) else { return };
    let path = calico.display().to_string();
    let run = lint(&["-f", &path, "--config", "tests/fixtures/lint/corpus-agents.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout.replace(&path, "corpus/calico-node.yaml"));
}

#[test]
fn the_rules_page_lists_the_catalogue_as_the_tool_prints_it() {
    let printed = lint(&["--list-rules"]).stdout;
    let page = std::fs::read_to_string(common::root().join("docs/lint-rules.md")).expect("docs/lint-rules.md");
    let cells =
        |row: &str| -> Vec<String> { row.split('|').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect() };
    let documented: Vec<Vec<String>> = page.lines().filter(|l| l.starts_with("| DS")).map(cells).collect();
    let listed: Vec<Vec<String>> = printed
        .lines()
        .filter(|l| l.starts_with("DS"))
        .map(|l| l.split("   ").map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect())
        .collect();
    assert_eq!(documented, listed, "regenerate docs/lint-rules.md from `kubectl ds lint --list-rules`");
}

#[test]
fn sarif_from_the_command_line_is_valid_sarif_2_1_0_and_junit_is_xml() {
    let run = lint(&["-f", BROKEN, "-f", AGENT, "-o", "sarif"]);
    assert_eq!(run.code, 1);
    let schema_text = std::fs::read_to_string(common::root().join("schema/sarif-schema-2.1.0.json")).expect("schema");
    let schema: Value = serde_json::from_str(&schema_text).expect("schema is JSON");
    let validator = jsonschema::options().with_draft(jsonschema::Draft::Draft7).build(&schema).expect("compiles");
    let sarif: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    let errors: Vec<String> = validator.iter_errors(&sarif).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().map_or(0, Vec::len);
    let json = valid_json(&lint(&["-f", BROKEN, "-f", AGENT, "-o", "json"]).stdout);
    assert_eq!(results, json["findings"].as_array().map_or(0, Vec::len), "one result per finding");

    let junit = lint(&["-f", BROKEN, "-o", "junit"]);
    assert_eq!(junit.code, 1);
    assert!(junit.stdout.starts_with("<?xml"), "{}", junit.stdout);
    assert!(
        junit.stdout.contains("DaemonSet kube-system/broken") && junit.stdout.contains("<failure"),
        "{}",
        junit.stdout
    );
}
