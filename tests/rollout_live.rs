//! `kubectl ds rollout-status` against a real control plane (Kubernetes 1.20 built by
//! testenv/testenv.sh) and the fake kubelets: rollouts that finish, stall on a crash-looping
//! image, are held up by a lost node, and are undone. Its own test binary, so its own cluster.

mod common;

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::cluster::{TestCluster, wait_for};
use common::{Run, kubectl_ds_env, valid_json};
use serde_json::Value;

const NS: &str = "rollout";

/// Four fake nodes in two lanes, so that stopping a node touches only the DaemonSet of its lane:
/// fake-node-1 and -2 run the rollouts that finish, stall and are undone; fake-node-3 and -4
/// the one a lost node holds up.
fn cluster() -> &'static TestCluster {
    static READY: OnceLock<()> = OnceLock::new();
    let cluster = TestCluster::shared(4);
    READY.get_or_init(|| {
        for (node, lane) in
            [("fake-node-1", "main"), ("fake-node-2", "main"), ("fake-node-3", "held"), ("fake-node-4", "held")]
        {
            cluster.kubectl_ok(&["label", "node", node, &format!("lane={lane}")]);
        }
        cluster.apply(&format!("apiVersion: v1\nkind: Namespace\nmetadata: {{name: {NS}}}\n"));
    });
    cluster
}

/// A DaemonSet on one lane, maxUnavailable 1 (the 1.20 default), revision 1 running `image`.
fn create(cluster: &TestCluster, name: &str, lane: &str, image: &str) {
    cluster.apply(&format!(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: {name}, namespace: {NS}}}\nspec:\n  selector: {{matchLabels: {{app: {name}}}}}\n  updateStrategy: {{type: RollingUpdate, rollingUpdate: {{maxUnavailable: 1}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n    spec:\n      nodeSelector: {{lane: {lane}}}\n      containers:\n      - name: main\n        image: {image}\n"
    ));
}

/// Waits with the real `kubectl rollout status`, as a user would before changing anything.
fn rolled_out(cluster: &TestCluster, name: &str) {
    cluster.kubectl_ok(&["rollout", "status", &format!("ds/{name}"), "-n", NS, "--timeout", "90s"]);
}

fn set_image(cluster: &TestCluster, name: &str, image: &str) {
    cluster.kubectl_ok(&["set", "image", &format!("ds/{name}"), &format!("main={image}"), "-n", NS]);
}

fn rollout_status(cluster: &TestCluster, args: &[&str]) -> Run {
    let kubeconfig = cluster.kubeconfig("admin");
    kubectl_ds_env(&[&["rollout-status", "-n", NS], args].concat(), &[("KUBECONFIG", kubeconfig.as_str())])
}

/// One answer as JSON (`--watch=false`), with its exit code.
fn report(cluster: &TestCluster, name: &str) -> (i32, Value) {
    let run = rollout_status(cluster, &[name, "--watch=false", "-o", "json"]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    (run.code, valid_json(&run.stdout))
}

/// What the real kubectl says about the same DaemonSet, once.
fn kubectls_verdict(cluster: &TestCluster, name: &str) -> String {
    let out = cluster.kubectl(&["rollout", "status", &format!("ds/{name}"), "-n", NS, "--watch=false"]);
    let text = if out.status.success() { out.stdout } else { out.stderr };
    String::from_utf8_lossy(&text).trim_end().to_string()
}

fn node<'a>(report: &'a Value, name: &str) -> &'a Value {
    let found = report["nodes"].as_array().and_then(|nodes| nodes.iter().find(|n| n["node"] == name));
    found.unwrap_or_else(|| panic!("no row for {name} in {report}"))
}

fn codes(row: &Value) -> Vec<String> {
    row["reasons"].as_array().into_iter().flatten().filter_map(|r| r["code"].as_str()).map(str::to_string).collect()
}

#[test]
fn a_rollout_is_watched_to_the_end() {
    let cluster = cluster();
    create(cluster, "smooth", "main", "registry.local/agent:1");
    rolled_out(cluster, "smooth");
    set_image(cluster, "smooth", "registry.local/agent:2");
    let started = Instant::now();
    let run = rollout_status(cluster, &["smooth", "--timeout", "90s"]);
    assert_eq!(run.code, 0, "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    assert!(started.elapsed() < Duration::from_secs(60), "took {:?}", started.elapsed());
    // On a pipe, one line per change, kubectl's lines as kubectl prints them, then the report.
    let (stream, final_report) = run.stdout.split_once("\n\n").unwrap_or_else(|| panic!("{}", run.stdout));
    let kubectl_lines: Vec<&str> = stream.lines().filter(|l| !l.starts_with("  ")).collect();
    assert!(
        kubectl_lines
            .iter()
            .all(|l| l.starts_with("Waiting for daemon set") || *l == "daemon set \"smooth\" successfully rolled out"),
        "{stream}"
    );
    assert!(kubectl_lines.len() >= 2, "the watch saw the rollout progress: {stream}");
    assert!(stream.lines().any(|l| l.starts_with("  nodes: ")), "{stream}");
    let mut lines = final_report.lines();
    assert_eq!(lines.next(), Some("daemon set \"smooth\" successfully rolled out"));
    assert_eq!(lines.next(), Some("Complete:    yes"));
    assert!(
        final_report.contains("container main: image registry.local/agent:1 → registry.local/agent:2"),
        "{final_report}"
    );

    let (code, report) = report(cluster, "smooth");
    assert_eq!((code, &report["complete"], &report["done"]), (0, &Value::Bool(true), &Value::Bool(true)));
    assert_eq!(report["message"], kubectls_verdict(cluster, "smooth"), "kubectl's verdict, word for word");
    assert_eq!(report["kubernetesVersion"], "v1.20.2");
    assert!(
        report["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|n| n["state"] == "Updated" || n["state"] == "NotEligible")
    );
}

#[test]
fn a_crash_looping_image_stalls_the_rollout_and_the_timeout_names_the_node() {
    let cluster = cluster();
    create(cluster, "stall", "main", "registry.local/agent:1");
    rolled_out(cluster, "stall");
    set_image(cluster, "stall", "registry.local/crashloop:2");
    let report = wait_for("a node to block on the crash loop", Duration::from_secs(60), || {
        let (_, report) = report(cluster, "stall");
        let blocking =
            report["nodes"].as_array()?.iter().any(|n| n["state"] == "Blocking" && codes(n) == ["CrashLoopBackOff"]);
        // The controller writes its status a moment after the pods change.
        let counted = report["message"]
            == "Waiting for daemon set \"stall\" rollout to finish: 1 out of 2 new pods have been updated...";
        (blocking && counted).then_some(report)
    });
    let blocked = report["nodes"].as_array().and_then(|n| n.iter().find(|n| n["state"] == "Blocking")).cloned();
    let blocked = blocked.unwrap_or_default();
    let node_name = blocked["node"].as_str().unwrap_or_default().to_string();
    let other = if node_name == "fake-node-1" { "fake-node-2" } else { "fake-node-1" };
    assert_eq!(node(&report, other)["state"], "Waiting", "the other old pod waits for the budget");
    assert_eq!(report["message"], kubectls_verdict(cluster, "stall"));
    assert_eq!(
        report["message"],
        "Waiting for daemon set \"stall\" rollout to finish: 1 out of 2 new pods have been updated..."
    );
    assert_eq!((&report["nextStep"]["creates"], &report["nextStep"]["deletes"]), (&Value::from(0), &Value::from(0)));
    let waiting = report["nextStep"]["waitingFor"].as_str().unwrap_or_default();
    assert!(
        waiting.starts_with(&format!(
            "maxUnavailable 1 is used up by 1 unavailable node(s): {node_name} (new pod not available)"
        )),
        "{waiting}"
    );

    let started = Instant::now();
    let run = rollout_status(cluster, &["stall", "--timeout", "4s"]);
    assert_eq!(run.code, 1, "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
    assert_eq!(run.stderr.trim(), "timed out after 4s (--timeout): the rollout is not complete");
    let row = run.stdout.lines().find(|l| l.starts_with(&format!("{node_name} "))).unwrap_or_default().to_string();
    assert!(row.contains("Blocking") && row.contains("container main is crash looping"), "{}", run.stdout);

    // Nothing moves any more: --stuck-after gives up before any --timeout would.
    let started = Instant::now();
    let run = rollout_status(cluster, &["stall", "--stuck-after", "3s", "--timeout", "5m", "-o", "json"]);
    assert_eq!(run.code, 1, "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
    assert_eq!(run.stderr.trim(), "no progress for 3s (--stuck-after): the rollout is not complete");
    assert_eq!(node(&valid_json(&run.stdout), &node_name)["state"], "Blocking");
}

#[test]
fn a_lost_node_holds_the_rollout_up_while_kubectl_reports_success() {
    let cluster = cluster();
    create(cluster, "held", "held", "registry.local/agent:1");
    rolled_out(cluster, "held");
    cluster.kubectl_ok(&["label", "node", "fake-node-4", "fake-kubelet/stopped=true"]);
    wait_for("fake-node-4 to be tainted unreachable", Duration::from_secs(60), || {
        let taints = cluster.kubectl_ok(&["get", "node", "fake-node-4", "-o", "jsonpath={.spec.taints}"]);
        taints.contains("node.kubernetes.io/unreachable").then_some(())
    });
    set_image(cluster, "held", "registry.local/agent:2");
    let report = wait_for("fake-node-3 to be updated", Duration::from_secs(60), || {
        let (_, report) = report(cluster, "held");
        (node(&report, "fake-node-3")["state"] == "Updated" && report["done"] == true).then_some(report)
    });
    // kubectl counts only the nodes the DaemonSet should run on; the lost node is not one.
    assert_eq!(kubectls_verdict(cluster, "held"), "daemon set \"held\" successfully rolled out");
    assert_eq!(report["message"], "daemon set \"held\" successfully rolled out");
    assert_eq!(report["complete"], false);
    let lost = node(&report, "fake-node-4");
    assert_eq!(lost["state"], "Blocking", "{lost}");
    assert_eq!(lost["reasons"][0]["code"], "UntoleratedTaint");
    assert_eq!(lost["reasons"][0]["taint"]["key"], "node.kubernetes.io/unreachable");
    assert!(lost["pods"].as_array().into_iter().flatten().any(|p| p["updated"] == false), "its old pod is still there");

    let run = rollout_status(cluster, &["held", "--timeout", "3s"]);
    assert_eq!(run.code, 1, "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    assert!(run.stdout.lines().any(|l| l.starts_with("fake-node-4 ") && l.contains("Blocking")), "{}", run.stdout);
}

#[test]
fn rollout_undo_goes_back_to_the_earlier_revision() {
    let cluster = cluster();
    create(cluster, "undo", "main", "registry.local/agent:1");
    rolled_out(cluster, "undo");
    let (_, first) = report(cluster, "undo");
    let first_hash = first["revisions"][0]["hash"].clone();
    set_image(cluster, "undo", "registry.local/agent:2");
    rolled_out(cluster, "undo");
    cluster.kubectl_ok(&["rollout", "undo", "ds/undo", "-n", NS]);
    let run = rollout_status(cluster, &["undo", "--timeout", "90s", "-o", "json"]);
    assert_eq!(run.code, 0, "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    let report = valid_json(&run.stdout);
    assert_eq!(report["complete"], true);
    let revisions = report["revisions"].as_array().cloned().unwrap_or_default();
    assert_eq!(revisions.len(), 2, "revision 1 was reused as revision 3: {revisions:?}");
    assert_eq!((&revisions[0]["revision"], &revisions[0]["current"]), (&Value::from(3), &Value::Bool(true)));
    assert_eq!(revisions[0]["hash"], first_hash, "the undo restores revision 1's template and hash");
    assert_eq!(
        revisions[0]["changes"],
        serde_json::json!(["container main: image registry.local/agent:2 → registry.local/agent:1"])
    );
    assert_eq!((&revisions[1]["revision"], &revisions[1]["pods"]), (&Value::from(2), &Value::from(0)));
    assert_eq!(revisions[0]["pods"], 2);
}

#[test]
fn watching_only_reads_and_watches() {
    let cluster = cluster();
    create(cluster, "audited", "main", "registry.local/crashloop:1");
    let run = rollout_status(cluster, &["audited", "--timeout", "3s"]);
    assert_eq!(run.code, 1, "a crash-looping DaemonSet never completes: {}", run.stderr);
    let ours: Vec<Value> = cluster
        .audit_log()
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|event| event["userAgent"].as_str().is_some_and(|ua| ua.starts_with("kubectl-ds/")))
        .collect();
    let verbs: std::collections::BTreeSet<&str> = ours.iter().filter_map(|e| e["verb"].as_str()).collect();
    assert!(verbs.contains("watch"), "the watch uses the watch verb: {verbs:?}");
    assert!(verbs.iter().all(|v| ["get", "list", "watch"].contains(v)), "the tool sent non-read requests: {verbs:?}");
}
