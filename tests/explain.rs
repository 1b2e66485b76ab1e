//! `kubectl ds explain` as users run it, on the example snapshot and the fixture dumps.

mod common;

use common::{corpus, kubectl_ds, valid_json};
use serde_json::Value;

const CLUSTER: &str = "examples/cluster";

fn ok(args: &[&str]) -> String {
    let run = kubectl_ds(args);
    assert_eq!(run.code, 0, "kubectl ds {}\nstderr: {}", args.join(" "), run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    run.stdout
}

/// Node name -> (status, reason codes), the part of a report every input format must agree on.
fn verdicts(report: &Value) -> Vec<(String, String, Vec<String>)> {
    report["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| {
            let codes =
                n["reasons"].as_array().expect("reasons").iter().map(|r| r["code"].as_str().unwrap().to_string());
            (n["node"].as_str().unwrap().to_string(), n["status"].as_str().unwrap().to_string(), codes.collect())
        })
        .collect()
}

#[test]
fn text_for_a_daemonset_with_every_kind_of_problem() {
    insta::assert_snapshot!(ok(&["explain", "log-agent", "--from", CLUSTER]));
}

#[test]
fn wide_text_adds_columns_and_every_reason() {
    insta::assert_snapshot!(ok(&["explain", "log-agent", "-n", "kube-system", "--from", CLUSTER, "-o", "wide"]));
}

#[test]
fn text_for_a_rollout_in_progress() {
    insta::assert_snapshot!(ok(&["explain", "node-exporter", "--from", CLUSTER]));
}

#[test]
fn json_report_follows_the_schema() {
    let report = valid_json(&ok(&["explain", "log-agent", "--from", CLUSTER, "-o", "json"]));
    insta::assert_json_snapshot!(report);
}

#[test]
fn yaml_report_carries_the_same_data_as_json() {
    let yaml = ok(&["explain", "log-agent", "--from", CLUSTER, "-o", "yaml"]);
    let from_yaml: Value = serde_saphyr::from_str(&yaml).expect("YAML output parses");
    let from_json: Value =
        serde_json::from_str(&ok(&["explain", "log-agent", "--from", CLUSTER, "-o", "json"])).unwrap();
    assert_eq!(from_yaml, from_json);
}

#[test]
fn computed_counts_equal_the_status_the_controller_wrote() {
    for name in ["log-agent", "node-exporter"] {
        let report = valid_json(&ok(&["explain", name, "--from", CLUSTER, "-o", "json"]));
        assert_eq!(report["statusMismatches"], Value::Array(vec![]), "{name}");
        assert_eq!(report["gaps"], Value::Array(vec![]), "{name}: the example snapshot lacks nothing");
    }
}

#[test]
fn every_dump_format_gives_the_same_verdicts() {
    let reference = valid_json(&ok(&["explain", "log-agent", "--from", CLUSTER, "-o", "json"]));
    let must_gather = "tests/fixtures/must-gather";
    for source in [
        "tests/fixtures/cluster-info-dump",
        "tests/fixtures/cluster-info-dump.stdout.txt",
        must_gather,
        "tests/fixtures/streams/all.json",
        "tests/fixtures/streams/multi-doc.yaml",
    ] {
        let report = valid_json(&ok(&["explain", "log-agent", "--from", source, "-o", "json"]));
        assert_eq!(verdicts(&report), verdicts(&reference), "{source}");
        assert_eq!(report["summary"], reference["summary"], "{source}");
        assert_eq!(report["asOf"], reference["asOf"], "{source}");
    }
    // cluster-info dump and must-gather carry no ControllerRevisions: the revision comes from
    // the template generation, and the gap says so.
    let dump = valid_json(&ok(&["explain", "log-agent", "--from", "tests/fixtures/cluster-info-dump", "-o", "json"]));
    let gaps: Vec<&str> = dump["gaps"].as_array().unwrap().iter().map(|g| g.as_str().unwrap()).collect();
    assert!(gaps.contains(&"no ControllerRevisions: revision from pod-template-generation"), "{gaps:?}");
}

#[test]
fn stdin_works_as_a_source() {
    let text = std::fs::read(common::root().join("tests/fixtures/streams/all.json")).unwrap();
    let run = common::kubectl_ds_with_stdin(&["explain", "log-agent", "--from", "-", "-o", "json"], Some(&text));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = valid_json(&run.stdout);
    assert_eq!(report["source"], serde_json::json!({"type": "offline", "paths": ["-"]}));
}

#[test]
fn filters_select_rows_and_exit_code_reports_problems() {
    let stuck =
        valid_json(&ok(&["explain", "log-agent", "--from", CLUSTER, "--status", "stuck,Missing", "-o", "json"]));
    let rows: Vec<_> = verdicts(&stuck).into_iter().map(|(node, status, _)| (node, status)).collect();
    assert_eq!(rows, [("worker-2".to_string(), "Stuck".to_string()), ("worker-5".to_string(), "Missing".to_string())]);

    let by_label = ok(&["explain", "log-agent", "--from", CLUSTER, "-l", "kubernetes.io/os=windows", "--no-headers"]);
    let rows: Vec<&str> = by_label.lines().skip_while(|l| !l.is_empty()).skip(1).collect();
    assert_eq!(rows.len(), 1, "{by_label}");
    assert!(rows[0].starts_with("win-1 "), "{by_label}");

    let run = kubectl_ds(&["explain", "log-agent", "--from", CLUSTER, "--exit-code"]);
    assert_eq!(run.code, 1, "a stuck and a missing node fail --exit-code");
    let run = kubectl_ds(&["explain", "log-agent", "--from", CLUSTER, "--exit-code", "--node", "worker-1,worker-3"]);
    assert_eq!(run.code, 0, "healthy rows only: {}", run.stderr);
}

#[test]
fn colour_only_when_asked_for_or_on_a_terminal() {
    let plain = ok(&["explain", "log-agent", "--from", CLUSTER]);
    assert!(!plain.contains('\x1b'), "a pipe gets no colour");
    let coloured = ok(&["explain", "log-agent", "--from", CLUSTER, "--color", "always"]);
    assert!(coloured.contains("\x1b[31m") || coloured.contains("\x1b[1m"), "{coloured}");
}

/// Without ControllerRevisions the revision is known only by the template generation the
/// DaemonSet's annotation gives: no name, no number, and no bracket left over from either.
#[test]
fn the_revision_line_without_controller_revisions() {
    let args =
        ["explain", "log-agent", "--from", "examples/cluster/daemonsets.yaml", "--from", "examples/cluster/nodes.yaml"];
    let text = ok(&args);
    let revision: Vec<&str> = text.lines().filter(|l| l.starts_with("Revision:")).collect();
    assert_eq!(revision, ["Revision:    template generation 2"], "{text}");
    let text = ok(&["explain", "log-agent", "--from", CLUSTER]);
    assert!(text.contains("\nRevision:    log-agent-5d8c9b7f6d (revision 2, template generation 2)\n"), "{text}");
}

#[test]
fn without_nodes_every_row_is_unknown_and_says_what_is_missing() {
    let report = valid_json(&ok(&[
        "explain",
        "log-agent",
        "--from",
        "examples/cluster/daemonsets.yaml",
        "--from",
        "examples/cluster/pods.yaml",
        "-o",
        "json",
    ]));
    let rows = verdicts(&report);
    assert_eq!(rows.len(), 4, "one row per node a pod is for: {rows:?}");
    assert!(rows.iter().all(|(_, status, codes)| status == "Unknown" && codes == &["MissingData"]), "{rows:?}");
    assert_eq!(report["gaps"][0], "no Node objects: taints and labels unknown");
}

#[test]
fn what_if_an_update_gains_a_node() {
    let report = valid_json(&ok(&[
        "explain",
        "-f",
        "tests/fixtures/whatif/log-agent-tolerate-control-plane.yaml",
        "--from",
        CLUSTER,
        "-o",
        "json",
    ]));
    assert_eq!(report["daemonSet"]["whatIf"], true);
    let cp = report["nodes"].as_array().unwrap().iter().find(|n| n["node"] == "cp-1").unwrap();
    assert_eq!((cp["status"].as_str(), cp["current"].as_str()), (Some("WouldRun"), Some("Excluded")));
    insta::assert_snapshot!(ok(&[
        "explain",
        "-f",
        "tests/fixtures/whatif/log-agent-tolerate-control-plane.yaml",
        "--from",
        CLUSTER,
    ]));
}

#[test]
fn what_if_a_new_daemonset_would_stay_pending() {
    let args = ["explain", "-f", "tests/fixtures/whatif/gpu-agent.yaml", "--from", CLUSTER];
    insta::assert_snapshot!(ok(&args));
    let run = kubectl_ds(&[&args[..], &["--exit-code", "-o", "json"]].concat());
    assert_eq!(run.code, 1, "a node that would stay Pending fails --exit-code");
    let report = valid_json(&run.stdout);
    let gpu = report["nodes"].as_array().unwrap().iter().find(|n| n["node"] == "gpu-1").unwrap();
    let codes: Vec<&str> = gpu["reasons"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!(gpu["status"], "WouldBePending");
    assert_eq!(codes, ["HostPortConflict", "InsufficientResources"], "host ports are checked before resources");
}

#[test]
fn every_corpus_manifest_works_as_a_what_if() {
    let Some(files) = corpus() else {
        eprintln!("skipped: ../shared/corpus is not beside this clone");
        return;
    };
    assert_eq!(files.len(), 34, "the corpus holds 34 manifests");
    for file in files {
        let file = file.display().to_string();
        let report = valid_json(&ok(&["explain", "-f", &file, "--from", CLUSTER, "-o", "json"]));
        let statuses: Vec<String> = verdicts(&report).into_iter().map(|(_, s, _)| s).collect();
        assert_eq!(statuses.len(), 8, "{file}: a row per node");
        assert!(
            statuses.iter().all(|s| ["WouldRun", "WouldBePending", "Excluded"].contains(&s.as_str())),
            "{file}: {statuses:?}"
        );
    }
}

#[test]
fn the_overview_and_the_node_view_say_what_explain_says() {
    insta::assert_snapshot!(ok(&["--from", CLUSTER, "-A"]));
    let overview = valid_json(&ok(&["--from", CLUSTER, "-A", "-o", "json"]));
    let log_agent = valid_json(&ok(&["explain", "log-agent", "-n", "kube-system", "--from", CLUSTER, "-o", "json"]));
    let row = overview["daemonSets"].as_array().unwrap().iter().find(|r| r["name"] == "log-agent").unwrap();
    assert_eq!(row["summary"], log_agent["summary"]);
    let names = ok(&["--from", CLUSTER, "-n", "kube-system", "-o", "name"]);
    assert!(names.lines().all(|l| l.starts_with("daemonset.apps/")), "{names}");

    let stuck_node = verdicts(&log_agent).into_iter().find(|(_, s, _)| s == "Stuck").map(|(n, _, _)| n).unwrap();
    insta::assert_snapshot!(ok(&["node", &stuck_node, "--from", CLUSTER]));
    let view = valid_json(&ok(&["node", &stuck_node, "--from", CLUSTER, "-o", "json"]));
    let mine = view["daemonSets"].as_array().unwrap().iter().find(|r| r["name"] == "log-agent").unwrap();
    assert_eq!(mine["status"], "Stuck");
    let missing = kubectl_ds(&["node", "no-such-node", "--from", CLUSTER]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("not found"), "{}", missing.stderr);
}

#[test]
fn name_output_pipes_node_names_into_kubectl() {
    let names = ok(&["explain", "log-agent", "--from", CLUSTER, "--status", "Stuck,Missing", "-o", "name"]);
    assert_eq!(names, "node/worker-2\nnode/worker-5\n");
}

/// Reading one DaemonSet's pods whole and folding every other pod per node must not change a
/// single verdict, count, reason or fix: the fixtures hold port holders, full nodes, crash loops
/// and pods of other controllers.
#[test]
fn folding_other_pods_changes_no_verdict() {
    use kubectl_ds::engine::{Options, Target, explain, trace};
    use kubectl_ds::source::offline::{Need, load, load_needed};
    let mut inputs = vec![CLUSTER.to_string()];
    for dir in ["tests/fixtures/why", "tests/fixtures/rollout"] {
        for entry in std::fs::read_dir(dir).unwrap() {
            inputs.push(entry.unwrap().path().display().to_string());
        }
    }
    let mut compared = 0;
    for input in inputs {
        let whole = load(std::slice::from_ref(&input), &mut std::io::empty()).unwrap();
        let opts = Options {
            as_of: whole.as_of.unwrap(),
            version: whole.kubernetes_version().unwrap_or(kubectl_ds::version::KubeVersion::NEWEST_KNOWN),
            stuck_after: jiff::SignedDuration::from_mins(5),
        };
        for ds in &whole.daemonsets {
            let name = ds.metadata.name.clone().unwrap();
            let need = Need::DaemonSet { name: name.clone(), namespace: ds.metadata.namespace.clone() };
            let folded = load_needed(std::slice::from_ref(&input), &mut std::io::empty(), need).unwrap();
            assert!(folded.pods.len() <= whole.pods.len());
            let mine = folded.daemonsets.iter().find(|d| d.metadata == ds.metadata).unwrap();
            let a = serde_json::to_value(explain(&whole, Target::Existing(ds), &opts)).unwrap();
            let b = serde_json::to_value(explain(&folded, Target::Existing(mine), &opts)).unwrap();
            assert_eq!(a, b, "explain {name} in {input}");
            let a = serde_json::to_value(trace::trace(&whole, Target::Existing(ds), &opts, &[])).unwrap();
            let b = serde_json::to_value(trace::trace(&folded, Target::Existing(mine), &opts, &[])).unwrap();
            assert_eq!(a, b, "why-not-scheduled {name} in {input}");
            compared += 1;
        }
    }
    assert!(compared >= 10, "compared {compared} DaemonSets");
}
