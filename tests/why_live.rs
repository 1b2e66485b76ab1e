//! `kubectl ds why-not-scheduled` against a real control plane (Kubernetes 1.20, built by
//! testenv/testenv.sh): the real controller decides, the real scheduler writes its messages, and
//! the trace has to read them.

mod common;

use std::sync::OnceLock;
use std::time::Duration;

use common::cluster::{TestCluster, failure_mode_manifests, prepare_failure_mode_nodes, wait_for};
use common::{kubectl_ds_env, valid_json};
use serde_json::Value;

const NS: &str = "why";

/// Five fake nodes: fake-node-1 tainted dedicated=infra:NoSchedule, fake-node-2 labelled
/// disk=ssd and holding host port 8080, fake-node-3 cordoned, fake-node-4 stops its kubelet once
/// the pods run, fake-node-5 has 1 cpu.
const DAEMONSETS: &[(&str, &str, &str)] = &[
    // name, pod spec lines, container lines (YAML flow style)
    ("plain", "tolerations: [{key: dedicated, operator: Equal, value: monitoring, effect: NoSchedule}]", ""),
    ("selector", "nodeSelector: {disk: ssd}", ""),
    ("hostport", "", "ports: [{containerPort: 8080, hostPort: 8080}]"),
    ("cpu", "", "resources: {requests: {cpu: 1500m}}"),
    ("crashloop", "", "image: registry.local/crashloop:1"),
    ("imagepull", "", "image: registry.local/imagepullbackoff:1"),
];

fn why(cluster: &TestCluster, args: &[&str]) -> Value {
    let kubeconfig = cluster.kubeconfig("admin");
    let run = kubectl_ds_env(
        &[&["why-not-scheduled", "-n", NS, "-o", "json"], args].concat(),
        &[("KUBECONFIG", kubeconfig.as_str())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    valid_json(&run.stdout)
}

fn trace<'a>(report: &'a Value, node: &str) -> &'a Value {
    report["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"] == node)
        .unwrap_or_else(|| panic!("no trace for {node}: {:#}", report["nodes"]))
}

fn group<'a>(report: &'a Value, member: &str) -> &'a Value {
    report["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["nodes"].as_array().unwrap().iter().any(|n| n == member))
        .unwrap_or_else(|| panic!("no excluded group holds {member}: {:#}", report["excluded"]))
}

fn codes(trace: &Value) -> Vec<&str> {
    trace["reasons"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect()
}

fn rule<'a>(trace: &'a Value, name: &str) -> Vec<&'a Value> {
    trace["rules"].as_array().unwrap().iter().filter(|r| r["name"] == name).collect()
}

/// Every scenario applied and settled, then fake-node-4 unreachable.
fn scenario() -> &'static TestCluster {
    static READY: OnceLock<()> = OnceLock::new();
    let cluster = TestCluster::shared(5);
    READY.get_or_init(|| {
        prepare_failure_mode_nodes(cluster);
        let manifests = failure_mode_manifests(NS, DAEMONSETS);
        cluster.apply(&manifests);
        // Settled: every eligible node has a pod, and the unschedulable ones have the
        // scheduler's FailedScheduling event to show.
        for (name, ..) in DAEMONSETS {
            wait_for(&format!("{name} to settle"), Duration::from_secs(60), || {
                let report = why(cluster, &[name]);
                let s = &report["summary"];
                (s["desired"].as_u64() > Some(0) && s["current"] == s["desired"]).then_some(())
            });
        }
        for (name, node) in [("hostport", "fake-node-2"), ("cpu", "fake-node-5")] {
            wait_for(&format!("the scheduler's event for {name}"), Duration::from_secs(30), || {
                let report = why(cluster, &[name, "--node", node]);
                let events = rule(trace(&report, node), "event");
                events.iter().any(|e| e["subject"] == "FailedScheduling").then_some(())
            });
        }
        cluster.kubectl_ok(&["label", "node", "fake-node-4", "fake-kubelet/stopped=true"]);
        wait_for("fake-node-4 to be tainted unreachable", Duration::from_secs(60), || {
            let taints = cluster.kubectl_ok(&["get", "node", "fake-node-4", "-o", "jsonpath={.spec.taints}"]);
            taints.contains("node.kubernetes.io/unreachable").then_some(())
        });
    });
    cluster
}

#[test]
fn a_taint_is_excluded_with_the_toleration_that_almost_matched() {
    let cluster = scenario();
    let report = why(cluster, &["plain"]);
    let infra = group(&report, "fake-node-1");
    assert_eq!(codes(infra), ["UntoleratedTaint"]);
    let taint = rule(infra, "taint")[0];
    assert_eq!(taint["subject"], "dedicated=infra:NoSchedule");
    assert!(taint["evidence"].as_str().unwrap().contains("differs in value (the taint's is infra)"), "{taint}");
    let fix = &infra["fixes"][0];
    assert_eq!(fix["effect"], "places the pod on fake-node-1; changes no other node");
    assert!(fix["command"].as_str().unwrap().starts_with("kubectl patch daemonset plain -n why --type=json"));
}

#[test]
fn a_selector_mismatch_names_the_label_and_the_nodes_a_fix_would_add() {
    let cluster = scenario();
    let report = why(cluster, &["selector"]);
    let unlabelled = group(&report, "fake-node-3");
    let members: Vec<&str> = unlabelled["nodes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    assert!(members.contains(&"fake-node-5") && !members.contains(&"fake-node-2"), "{members:?}");
    let selector = rule(unlabelled, "nodeSelector")[0];
    assert_eq!(
        (selector["subject"].as_str(), selector["evidence"].as_str()),
        (Some("disk=ssd"), Some("node has no label disk"))
    );
    assert!(unlabelled["fixes"][0]["command"].as_str().unwrap().starts_with("kubectl label nodes "));
}

#[test]
fn a_cordoned_node_still_runs_the_pod_and_the_trace_says_why() {
    let cluster = scenario();
    let report = why(cluster, &["plain", "--node", "fake-node-3"]);
    let cordoned = trace(&report, "fake-node-3");
    assert_eq!(cordoned["status"], "Healthy");
    let taint = rule(cordoned, "taint")[0];
    assert_eq!(taint["subject"], "node.kubernetes.io/unschedulable:NoSchedule");
    assert!(
        taint["evidence"].as_str().unwrap().ends_with("which the DaemonSet controller adds to every pod"),
        "{taint}"
    );
    let binding = rule(cordoned, "binding")[0];
    assert_eq!(binding["passed"], true);
    assert!(binding["evidence"].as_str().unwrap().ends_with("the node is cordoned, and DaemonSet pods tolerate that"));
}

#[test]
fn an_unreachable_node_is_misscheduled_and_needs_repair_not_a_toleration() {
    let cluster = scenario();
    let report = wait_for("plain to count fake-node-4 as misscheduled", Duration::from_secs(60), || {
        let report = why(cluster, &["plain"]);
        let found = report["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["node"] == "fake-node-4" && n["status"] == "Misscheduled");
        found.then_some(report)
    });
    let lost = trace(&report, "fake-node-4");
    assert_eq!(codes(lost), ["UntoleratedTaint", "NodeNotReady"]);
    let unreachable =
        rule(lost, "taint").into_iter().find(|r| r["subject"] == "node.kubernetes.io/unreachable:NoSchedule").unwrap();
    assert!(unreachable["evidence"].as_str().unwrap().contains("default toleration covers only NoExecute"));
    assert_eq!(lost["fixes"][0]["command"], "kubectl describe node fake-node-4");
    assert!(lost["fixes"].as_array().unwrap().iter().all(|f| f["yaml"].is_null()));
}

/// Whether the scheduler's FitError was read with `ours` as this node's entry and the other four
/// nodes' entries as theirs: fake-node-1's taint, and the nodes the pod is not pinned to. Once
/// the scenario stops fake-node-4, the scheduler may try the pod again before the test reads it,
/// and then names fake-node-4's unreachable taint (DaemonSet pods tolerate only its NoExecute
/// half) instead of one of the NodeAffinity refusals.
fn read_for_this_node(evidence: &str, ours: &str) -> bool {
    let pinned = "NodeAffinity (the pod is pinned to this node)";
    let others = [
        format!("1 untolerated taint dedicated, 3 {pinned}"),
        format!("1 untolerated taint dedicated, 1 untolerated taint node.kubernetes.io/unreachable, 2 {pinned}"),
    ];
    others.iter().any(|others| evidence.ends_with(&format!("→ for this node: {ours}; the other 4 nodes: {others}")))
}

#[test]
fn a_held_host_port_reads_the_real_schedulers_message() {
    let cluster = scenario();
    let report = why(cluster, &["hostport"]);
    let held = trace(&report, "fake-node-2");
    assert_eq!((held["status"].as_str(), codes(held)), (Some("Stuck"), vec!["HostPortConflict"]));
    let ports = rule(held, "NodePorts")[0];
    assert_eq!(
        (ports["passed"].as_bool(), ports["evidence"].as_str()),
        (Some(false), Some("held by pod why/port-holder"))
    );
    let scheduled = rule(held, "PodScheduled")[0];
    let evidence = scheduled["evidence"].as_str().unwrap();
    // The 1.20 scheduler's own words, read for the pod's node.
    assert!(evidence.contains("didn't have free ports for the requested pod ports"), "{evidence}");
    assert!(
        read_for_this_node(evidence, "HostPortConflict"),
        "the taint is fake-node-1's, not this node's: {evidence}"
    );
    let event = rule(held, "event").into_iter().find(|e| e["subject"] == "FailedScheduling").unwrap();
    assert!(event["evidence"].as_str().unwrap().starts_with("0/5 nodes are available"), "{event}");
}

#[test]
fn insufficient_cpu_shows_requested_free_and_allocatable() {
    let cluster = scenario();
    let report = why(cluster, &["cpu"]);
    let small = trace(&report, "fake-node-5");
    assert_eq!(codes(small), ["InsufficientResources"]);
    let cpu = rule(small, "NodeResourcesFit").into_iter().find(|r| r["subject"] == "cpu").unwrap();
    assert_eq!(cpu["passed"], false);
    assert!(cpu["evidence"].as_str().unwrap().starts_with("requests 1500m, 1 free of 1 allocatable"), "{cpu}");
    let evidence = rule(small, "PodScheduled")[0]["evidence"].as_str().unwrap();
    assert!(read_for_this_node(evidence, "InsufficientResources (cpu)"), "{evidence}");
    assert_eq!(small["fixes"][0]["command"], "kubectl set resources daemonset cpu -n why -c main --requests=cpu=1");
}

#[test]
fn crash_loops_and_image_pulls_come_from_the_pod_status() {
    let cluster = scenario();
    let report = why(cluster, &["crashloop", "--node", "fake-node-2"]);
    let looping = trace(&report, "fake-node-2");
    assert_eq!(codes(looping), ["CrashLoopBackOff"]);
    let container = rule(looping, "container")[0];
    assert!(container["evidence"].as_str().unwrap().contains("last exit code 2 (Error)"), "{container}");
    assert_eq!(
        looping["fixes"][0]["command"],
        format!("kubectl logs -n why {} -c main --previous", looping["pods"][0]["name"].as_str().unwrap())
    );

    let report = why(cluster, &["imagepull", "--node", "fake-node-2"]);
    let pulling = trace(&report, "fake-node-2");
    assert_eq!(codes(pulling), ["ImagePullBackOff"]);
    assert!(rule(pulling, "container")[0]["evidence"].as_str().unwrap().starts_with("waiting, ImagePullBackOff"));
}

#[test]
fn live_text_is_the_dump_text() {
    let cluster = scenario();
    let dump = cluster.kubectl_ok(&["get", "nodes,ds,pods,controllerrevisions,events", "-A", "-o", "yaml"]);
    let path = cluster.run.join("why-dump.yaml");
    std::fs::write(&path, dump).unwrap();
    let as_of = "2030-01-01T00:00:00Z";
    for name in ["hostport", "selector"] {
        let mut live = why(cluster, &[name, "--as-of", as_of]);
        let mut offline = why(cluster, &[name, "--as-of", as_of, "--from", &path.display().to_string()]);
        for report in [&mut live, &mut offline] {
            let object = report.as_object_mut().unwrap();
            object.remove("source");
            object.remove("asOf");
        }
        assert_eq!(live, offline, "{name}");
    }
}

#[test]
fn access_failures_exit_3() {
    let cluster = scenario();
    let run = kubectl_ds_env(
        &["why-not-scheduled", "plain", "-n", NS],
        &[("KUBECONFIG", &cluster.kubeconfig("nobody-token"))],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim(),
        "error: cannot get daemonsets.apps in namespace why (forbidden): needs get on daemonsets.apps"
    );
}

/// The audit log's events sent with the tool's user agent.
fn the_tools_requests(cluster: &TestCluster) -> Vec<Value> {
    cluster
        .audit_log()
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|e| e["userAgent"].as_str().is_some_and(|ua| ua.starts_with("kubectl-ds/")))
        .collect()
}

/// A copy of the admin kubeconfig that impersonates `user` (a cluster admin through
/// system:masters), so that the audit log tells which command sent each request.
fn kubeconfig_as(cluster: &TestCluster, user: &str) -> String {
    let admin = std::fs::read_to_string(cluster.kubeconfig("admin")).unwrap();
    let text = admin.replacen("  user:\n", &format!("  user:\n    as: {user}\n    as-groups: [system:masters]\n"), 1);
    assert_ne!(text, admin, "the admin kubeconfig has a user");
    let path = cluster.run.join(format!("kubeconfig-as-{user}"));
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Every subcommand that reads the cluster, the watch and the completion protocol included, sends
/// only get, list and watch requests, and no exec, attach, port-forward or proxy (which are gets).
#[test]
fn every_subcommand_only_reads() {
    let cluster = scenario();
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(common::kubectl_ds(&["completion", "install", "--dir", &dir.path().display().to_string()]).code, 0);
    let manifest = "tests/fixtures/lint/broken.yaml";
    let commands: &[(&str, &[&[&str]])] = &[
        ("overview", &[&["-n", NS], &["-A"]]),
        ("node", &[&["node", "fake-node-2", "-n", NS]]),
        ("explain", &[&["explain", "plain", "-n", NS], &["explain", "hostport", "-n", NS, "--node", "fake-node-2"]]),
        ("why-not-scheduled", &[&["why-not-scheduled", "hostport", "-n", NS]]),
        ("rollout-status", &[&["rollout-status", "hostport", "-n", NS, "--watch=false"]]),
        // Never complete (fake-node-2's port is held): watches until --timeout.
        ("rollout-status-watch", &[&["rollout-status", "hostport", "-n", NS, "--timeout", "3s"]]),
        ("lint", &[&["lint", "hostport", "-n", NS], &["lint", "-A"], &["lint", "-f", manifest, "--live"]]),
        ("version", &[&["version"]]),
        // kubectl's plugin completion: the DaemonSets, nodes and namespaces come from the cluster.
        (
            "completion",
            &[
                &["__complete", "ds", "explain", "-n", NS, ""],
                &["__complete", "ds", "explain", "plain", "-n", NS, "--node", ""],
                &["__complete", "ds", "-n", ""],
                &["__complete", "ds", "node", ""],
            ],
        ),
    ];
    for (user, runs) in commands {
        let kubeconfig = kubeconfig_as(cluster, &format!("audit-{user}"));
        for args in *runs {
            let run = if args[0] == "__complete" {
                common::kubectl_env(args, dir.path(), &[("KUBECONFIG", &kubeconfig)])
            } else {
                kubectl_ds_env(args, &[("KUBECONFIG", &kubeconfig)])
            };
            assert!(run.code == 0 || run.code == 1, "{args:?}: {}", run.stderr);
            if args[0] == "__complete" {
                assert!(run.stdout.lines().count() > 1, "{args:?} completed names from the cluster: {}", run.stdout);
            }
        }
    }
    let of = |user: &str| -> Vec<Value> {
        let user = format!("audit-{user}");
        the_tools_requests(cluster).into_iter().filter(|e| e["impersonatedUser"]["username"] == user.as_str()).collect()
    };
    for (user, _) in commands {
        // The audit log is written as the API server answers: allow it a moment.
        wait_for(&format!("{user}'s requests in the audit log"), Duration::from_secs(10), || {
            (!of(user).is_empty()).then_some(())
        });
    }
    let watch_verbs: Vec<String> =
        of("rollout-status-watch").iter().filter_map(|e| e["verb"].as_str().map(str::to_string)).collect();
    assert!(watch_verbs.iter().any(|v| v == "watch"), "the watch uses the watch verb: {watch_verbs:?}");
    std::thread::sleep(Duration::from_secs(1));
    let requests = the_tools_requests(cluster);
    let not_reads: Vec<String> = requests
        .iter()
        .filter(|e| {
            !matches!(e["verb"].as_str(), Some("get" | "list" | "watch"))
                || matches!(e["objectRef"]["subresource"].as_str(), Some("exec" | "attach" | "portforward" | "proxy"))
        })
        .map(|e| format!("{} {} ({})", e["verb"], e["requestURI"], e["impersonatedUser"]["username"]))
        .collect();
    assert!(not_reads.is_empty(), "the tool sent requests other than reads: {not_reads:?}");
}

fn lint(cluster: &TestCluster, args: &[&str]) -> (i32, Value) {
    let kubeconfig = cluster.kubeconfig("admin");
    let run = kubectl_ds_env(&[&["lint", "-o", "json"], args].concat(), &[("KUBECONFIG", kubeconfig.as_str())]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    (run.code, valid_json(&run.stdout))
}

fn lint_rules(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["message"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn lint_with_the_live_cluster_finds_what_explain_finds() {
    let cluster = scenario();
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("agent.yaml");
    std::fs::write(
        &manifest,
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: lint-agent, namespace: why}\nspec:\n  selector: {matchLabels: {app: lint-agent}}\n  template:\n    metadata: {labels: {app: lint-agent}}\n    spec:\n      priorityClassName: missing-class\n      containers:\n      - name: main\n        image: registry.local/agent:1\n        ports: [{containerPort: 8080, hostPort: 8080}]\n        resources: {requests: {cpu: 1500m, memory: 10Mi}}\n",
    )
    .unwrap();
    let (code, report) = lint(cluster, &["-f", manifest.to_str().unwrap(), "--live"]);
    assert_eq!(code, 1, "DS306 and DS309 are errors");
    assert_eq!(report["source"]["cluster"], "live");
    let found = lint_rules(&report);
    let message = |rule: &str| found.iter().find(|(r, _)| r == rule).map(|(_, m)| m.clone()).unwrap_or_default();
    assert!(message("DS305").contains("dedicated=infra:NoSchedule"), "{found:#?}");
    // The port-holder pod on fake-node-2, and the hostport DaemonSet's own pods elsewhere.
    let clash = message("DS312");
    assert!(clash.contains("8080/TCP is already held on") && clash.contains("why/port-holder"), "{found:#?}");
    assert!(clash.contains("fake-node-2"), "{clash}");
    assert!(message("DS306").contains("(fake-node-5)"), "{found:#?}");
    assert!(message("DS309").contains("missing-class"), "{found:#?}");
}

#[test]
fn lint_by_name_reads_the_cluster_and_reports_the_stalled_rollout() {
    let cluster = scenario();
    let (_, report) = lint(cluster, &["hostport", "-n", NS]);
    let found = lint_rules(&report);
    let stalled = found.iter().find(|(r, _)| r == "DS314").map(|(_, m)| m.as_str()).unwrap_or_default();
    assert!(stalled.contains("fake-node-2"), "{found:#?}");
    assert!(report["summary"]["rulesNotRun"].as_array().unwrap().iter().all(|r| r["rule"] != "DS305"));
}

#[test]
fn kubectl_completes_daemonset_node_and_namespace_names_from_the_cluster() {
    let cluster = scenario();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().display().to_string();
    assert_eq!(common::kubectl_ds(&["completion", "install", "--dir", &target]).code, 0);
    let kubeconfig = cluster.kubeconfig("admin");
    let complete = |words: &[&str]| {
        let run =
            common::kubectl_env(&[&["__complete", "ds"], words].concat(), dir.path(), &[("KUBECONFIG", &kubeconfig)]);
        run.stdout.lines().map(str::to_string).collect::<Vec<_>>()
    };
    let daemonsets = complete(&["explain", "-n", NS, "p"]);
    assert_eq!(daemonsets, ["plain", ":4"]);
    let nodes = complete(&["explain", "plain", "-n", NS, "--node", "fake-node-"]);
    assert_eq!(nodes.len(), 6, "{nodes:?}");
    assert_eq!(complete(&["node", "fake-node-"]), nodes, "`kubectl ds node <TAB>` completes node names");
    let namespaces = complete(&["-n", "wh"]);
    assert_eq!(namespaces, ["why", ":4"]);
}
