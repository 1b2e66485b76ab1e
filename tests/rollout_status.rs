//! `kubectl ds rollout-status` as users run it, on the example snapshot and the rollout
//! fixtures (tests/fixtures/rollout/): golden text and JSON, the schema, exit codes.

mod common;

use common::{Run, kubectl_ds, valid_json};
use serde_json::Value;

const CLUSTER: &str = "examples/cluster";
const ON_DELETE: &str = "tests/fixtures/rollout/on-delete.yaml";
const SURGE: &str = "tests/fixtures/rollout/surge-hostport.yaml";
const STRIPPED: &str = "tests/fixtures/rollout/rolled-out-stripped.yaml";

/// Runs `kubectl ds rollout-status ...` and checks the exit code: offline, 0 only when complete.
fn run(args: &[&str], code: i32) -> String {
    let run: Run = kubectl_ds(&[&["rollout-status"], args].concat());
    assert_eq!(
        run.code,
        code,
        "kubectl ds rollout-status {}\nstdout: {}\nstderr: {}",
        args.join(" "),
        run.stdout,
        run.stderr
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    run.stdout
}

fn json(args: &[&str], code: i32) -> Value {
    valid_json(&run(&[args, &["-o", "json"]].concat(), code))
}

fn states(report: &Value) -> Vec<(String, String, Vec<String>)> {
    report["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| {
            let codes = n["reasons"]
                .as_array()
                .expect("reasons")
                .iter()
                .map(|r| r["code"].as_str().unwrap_or_default().to_string());
            (
                n["node"].as_str().unwrap_or_default().to_string(),
                n["state"].as_str().unwrap_or_default().to_string(),
                codes.collect(),
            )
        })
        .collect()
}

fn state_of(report: &Value, node: &str) -> (String, Vec<String>) {
    let found = states(report).into_iter().find(|(n, ..)| n == node);
    let Some((_, state, codes)) = found else { panic!("no row for {node}") };
    (state, codes)
}

#[test]
fn text_for_a_rollout_held_up_by_a_crash_loop_a_full_node_and_a_lost_node() {
    let text = run(&["log-agent", "--from", CLUSTER], 1);
    assert_eq!(
        text.lines().next(),
        Some("Waiting for daemon set \"log-agent\" rollout to finish: 3 out of 4 new pods have been updated..."),
        "the first line is kubectl's"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn text_for_a_rollout_waiting_for_min_ready_seconds_and_a_terminating_pod() {
    insta::assert_snapshot!(run(&["node-exporter", "-n", "monitoring", "--from", CLUSTER], 1));
}

#[test]
fn on_delete_gives_kubectls_error_and_the_commands_that_replace_each_old_pod() {
    let text = run(&["agent", "--from", ON_DELETE], 1);
    assert_eq!(text.lines().next(), Some("error: rollout status is only available for RollingUpdate strategy type"));
    assert!(text.contains("kubectl delete pod -n ops agent-b7r4q   # old pod on node-b"), "{text}");
    insta::assert_snapshot!(text);
    let report = json(&["agent", "--from", ON_DELETE], 1);
    assert_eq!(
        (&report["done"], &report["kubectlError"], &report["complete"], &report["budget"]),
        (&Value::Bool(true), &Value::Bool(true), &Value::Bool(false), &Value::Null)
    );
    assert_eq!(report["message"], "rollout status is only available for RollingUpdate strategy type");
    assert_eq!(state_of(&report, "node-b"), ("Blocking".to_string(), vec!["Outdated".to_string()]));
    let revisions = &report["revisions"];
    assert_eq!(
        revisions[0]["changes"],
        serde_json::json!([
            "container agent: image registry.example/agent:2.0 → registry.example/agent:2.1",
            "container agent: env LOG_LEVEL info → debug"
        ])
    );
    assert_eq!((revisions[0]["pods"].as_u64(), revisions[1]["pods"].as_u64()), (Some(1), Some(2)));
}

#[test]
fn a_surge_pod_blocked_by_the_host_port_of_its_old_pod() {
    let text = run(&["node-exporter", "--from", SURGE], 1);
    insta::assert_snapshot!(text);
    let report = json(&["node-exporter", "--from", SURGE], 1);
    let (state, codes) = state_of(&report, "node-b");
    assert_eq!((state.as_str(), codes.first().map(String::as_str)), ("Blocking", Some("HostPortConflict")));
    let node_b = report["nodes"].as_array().and_then(|n| n.iter().find(|n| n["node"] == "node-b")).cloned();
    assert_eq!(node_b.map(|n| n["reasons"][0]["heldBy"].clone()), Some(Value::from("monitoring/node-exporter-b4x7p")));
    assert_eq!(state_of(&report, "node-c").0, "Waiting");
    assert_eq!(
        report["budget"],
        serde_json::json!({"maxUnavailable": 0, "maxSurge": 1, "unavailable": 0, "surging": 1})
    );
    assert_eq!((&report["nextStep"]["creates"], &report["nextStep"]["deletes"]), (&Value::from(0), &Value::from(0)));
}

#[test]
fn a_rolled_out_daemonset_without_status_is_complete_and_the_gap_says_so() {
    let text = run(&["dns-cache", "--from", STRIPPED], 0);
    assert_eq!(text.lines().next(), Some("daemon set \"dns-cache\" successfully rolled out"));
    let report = json(&["dns-cache", "--from", STRIPPED, "--watch=false"], 0);
    assert_eq!((&report["done"], &report["complete"]), (&Value::Bool(true), &Value::Bool(true)));
    assert_eq!(report["nextStep"]["waitingFor"], Value::Null);
    let gaps: Vec<&str> = report["gaps"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    assert!(gaps.contains(&"status stripped: kubectl's verdict is computed from the objects' counts"), "{gaps:?}");
}

#[test]
fn json_report_follows_the_schema() {
    let report = json(&["log-agent", "--from", CLUSTER], 1);
    assert_eq!(
        (&report["kind"], &report["apiVersion"]),
        (&Value::from("RolloutStatus"), &Value::from("kubectl-ds/v1"))
    );
    insta::assert_json_snapshot!(report);
}

#[test]
fn every_node_gets_the_reasons_explain_gives_it() {
    for (name, source) in [("log-agent", CLUSTER), ("node-exporter", CLUSTER), ("agent", ON_DELETE)] {
        let rollout = json(&[name, "--from", source], 1);
        let explain = valid_json(&kubectl_ds(&["explain", name, "--from", source, "-o", "json"]).stdout);
        for node in explain["nodes"].as_array().into_iter().flatten() {
            let row = rollout["nodes"].as_array().and_then(|rows| rows.iter().find(|r| r["node"] == node["node"]));
            assert_eq!(row.map(|r| &r["reasons"]), Some(&node["reasons"]), "{name} on {}", node["node"]);
        }
        assert_eq!(rollout["summary"], explain["summary"], "{name}");
        assert_eq!(rollout["daemonSet"], explain["daemonSet"], "{name}");
    }
}

#[test]
fn the_next_sync_is_what_the_controller_would_do() {
    // log-agent: worker-5 has no pod, so manage creates one (it will not fit, hence Blocking);
    // the budget is spent on the crash loop, the lost node's old pod and the missing pod.
    let report = json(&["log-agent", "--from", CLUSTER], 1);
    let step = &report["nextStep"];
    assert_eq!((&step["creates"], &step["deletes"]), (&Value::from(1), &Value::from(0)));
    assert_eq!(step["createsOn"], serde_json::json!(["worker-5"]));
    assert_eq!(
        report["budget"],
        serde_json::json!({"maxUnavailable": 1, "maxSurge": 0, "unavailable": 3, "surging": 0})
    );
    assert_eq!(state_of(&report, "worker-2"), ("Blocking".to_string(), vec!["CrashLoopBackOff".to_string()]));
    assert_eq!(state_of(&report, "worker-4").0, "Blocking", "an old pod hangs terminating on the unreachable node");
    assert_eq!(state_of(&report, "worker-5"), ("Blocking".to_string(), vec!["InsufficientResources".to_string()]));
    // node-exporter: 10% of 7 rounds up to 1.
    let report = json(&["node-exporter", "--from", CLUSTER], 1);
    assert_eq!(report["budget"]["maxUnavailable"], 1);
    assert_eq!(state_of(&report, "worker-5").0, "Updating", "ready, available in 15s");
}

#[test]
fn yaml_carries_the_same_data_as_json() {
    let yaml = run(&["log-agent", "--from", CLUSTER, "-o", "yaml"], 1);
    let from_yaml: Value = serde_saphyr::from_str(&yaml).expect("YAML output parses");
    assert_eq!(from_yaml, json(&["log-agent", "--from", CLUSTER], 1));
}

#[test]
fn wide_text_shows_every_revision_and_every_reason() {
    let text = run(&["node-exporter", "--from", CLUSTER, "-o", "wide", "--no-headers"], 1);
    assert!(text.contains("node-exporter-8c6b5f9d47 (revision 1), 0 pods"), "{text}");
    assert!(text.contains("Terminating: pod is terminating"), "{text}");
    assert!(!text.contains("NODE "), "--no-headers: {text}");
}

#[test]
fn dumps_without_controller_revisions_fall_back_to_template_generations() {
    let report = json(&["log-agent", "--from", "tests/fixtures/cluster-info-dump"], 1);
    let revisions: Vec<(Value, Value, Value)> = report["revisions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| (r["templateGeneration"].clone(), r["current"].clone(), r["pods"].clone()))
        .collect();
    assert_eq!(
        revisions,
        [(Value::from("2"), Value::Bool(true), Value::from(3)), (Value::from("1"), Value::Bool(false), Value::from(1))]
    );
    assert_eq!(
        report["revisions"][0]["changes"],
        serde_json::json!(["container fluent-bit: image fluent/fluent-bit:3.1.8 → fluent/fluent-bit:3.1.9"])
    );
    let reference = json(&["log-agent", "--from", CLUSTER], 1);
    assert_eq!(states(&report), states(&reference), "the same verdicts from every dump layout");
}

#[test]
fn colour_only_when_asked_for() {
    assert!(!run(&["log-agent", "--from", CLUSTER], 1).contains('\x1b'), "a pipe gets no colour");
    let coloured = run(&["log-agent", "--from", CLUSTER, "--color", "always"], 1);
    assert!(coloured.contains("\x1b[31m") || coloured.contains("\x1b[1m"), "{coloured}");
}

#[test]
fn bad_usage_exits_2_with_one_line() {
    let cases: [(&[&str], &str); 3] = [
        (&["log-agnet", "--from", CLUSTER], "error: daemonset \"log-agnet\" not found; did you mean \"log-agent\"?"),
        (
            &["log-agent", "-n", "monitoring", "--from", CLUSTER],
            "error: daemonset \"log-agent\" not found in namespace \"monitoring\"",
        ),
        (&["log-agent", "--from", "tests/fixtures/rollout/missing.yaml"], "error: tests/fixtures/rollout/missing.yaml"),
    ];
    for (args, start) in cases {
        let run = kubectl_ds(&[&["rollout-status"], args].concat());
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(run.stderr.starts_with(start), "{args:?}: {}", run.stderr);
    }
    let run = kubectl_ds(&["rollout-status", "log-agent", "--from", CLUSTER, "--timeout", "soon"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("invalid duration \"soon\""), "{}", run.stderr);
    let run = kubectl_ds(&["rollout-status", "log-agent", "--from", CLUSTER, "--watch=maybe"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}
