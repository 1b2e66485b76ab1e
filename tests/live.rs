//! `kubectl ds` against a real API server, controller-manager and scheduler (Kubernetes 1.20,
//! built by testenv/testenv.sh), started by this test binary on 127.0.0.1.

mod common;

use std::sync::OnceLock;
use std::time::Duration;

use common::cluster::{TestCluster, failure_mode_manifests, prepare_failure_mode_nodes, wait_for};
use common::{Run, kubectl_ds_env, valid_json};
use serde_json::Value;

const NS: &str = "live";

/// One DaemonSet per failure mode, on five fake nodes:
/// fake-node-1 tainted dedicated=infra:NoSchedule, fake-node-2 labelled disk=ssd and holding host
/// port 8080, fake-node-3 cordoned, fake-node-4 stops its kubelet once the pods run, fake-node-5
/// has only 1 cpu.
const DAEMONSETS: &[(&str, &str, &str)] = &[
    // name, pod spec lines, container lines (YAML flow style)
    ("plain", "", ""),
    ("selector", "nodeSelector: {disk: ssd}", ""),
    (
        "affinity",
        "affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: disk, operator: NotIn, values: [ssd]}]}]}}}",
        "",
    ),
    ("crashloop", "", "image: registry.local/crashloop:1"),
    ("imagepull", "", "image: registry.local/imagepullbackoff:1"),
    ("hostport", "", "ports: [{containerPort: 8080, hostPort: 8080}]"),
    ("cpu", "", "resources: {requests: {cpu: 1500m}}"),
];

fn explain_json(cluster: &TestCluster, args: &[&str]) -> Value {
    let kubeconfig = cluster.kubeconfig("admin");
    let run =
        kubectl_ds_env(&[&["explain", "-n", NS, "-o", "json"], args].concat(), &[("KUBECONFIG", kubeconfig.as_str())]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    valid_json(&run.stdout)
}

fn status_of(report: &Value, node: &str) -> (String, Vec<String>) {
    let row =
        report["nodes"].as_array().unwrap().iter().find(|n| n["node"] == node).unwrap_or_else(|| panic!("no {node}"));
    let codes = row["reasons"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_string()).collect();
    (row["status"].as_str().unwrap().to_string(), codes)
}

/// The cluster with every scenario applied and settled; shared by the tests of this binary.
fn scenario() -> &'static TestCluster {
    static READY: OnceLock<()> = OnceLock::new();
    let cluster = TestCluster::shared(5);
    READY.get_or_init(|| {
        prepare_failure_mode_nodes(cluster);
        let manifests = failure_mode_manifests(NS, DAEMONSETS);
        cluster.apply(&manifests);
        // Every DaemonSet settled: the real controller's status equals what kubectl ds computes.
        for (name, ..) in DAEMONSETS {
            wait_for(&format!("{name} to settle"), Duration::from_secs(90), || {
                let report = explain_json(cluster, &[name]);
                let settled = report["statusMismatches"] == Value::Array(vec![])
                    && report["daemonSet"]["observedGeneration"] == report["daemonSet"]["generation"]
                    && report["summary"]["desired"].as_u64() > Some(0)
                    && report["summary"]["current"] == report["summary"]["desired"];
                settled.then_some(())
            });
        }
        // Then one node loses its kubelet: the node controller taints it unreachable.
        cluster.kubectl_ok(&["label", "node", "fake-node-4", "fake-kubelet/stopped=true"]);
        wait_for("fake-node-4 to be tainted unreachable", Duration::from_secs(90), || {
            let taints = cluster.kubectl_ok(&["get", "node", "fake-node-4", "-o", "jsonpath={.spec.taints}"]);
            taints.contains("node.kubernetes.io/unreachable").then_some(())
        });
        wait_for("the plain DaemonSet to count fake-node-4 as misscheduled", Duration::from_secs(60), || {
            let report = explain_json(cluster, &["plain"]);
            (report["statusMismatches"] == Value::Array(vec![]) && report["summary"]["misscheduled"] == 1).then_some(())
        });
    });
    cluster
}

#[test]
fn each_failure_mode_gets_its_verdict_from_the_real_cluster() {
    let cluster = scenario();
    let expected = [
        ("plain", "fake-node-1", "Excluded", "UntoleratedTaint"),
        ("plain", "fake-node-3", "Healthy", ""),
        ("plain", "fake-node-4", "Misscheduled", "UntoleratedTaint"),
        ("selector", "fake-node-1", "Excluded", "NodeSelectorMismatch"),
        ("selector", "fake-node-2", "Healthy", ""),
        ("affinity", "fake-node-2", "Excluded", "NodeAffinityMismatch"),
        ("affinity", "fake-node-5", "Healthy", ""),
        ("crashloop", "fake-node-2", "Stuck", "CrashLoopBackOff"),
        ("imagepull", "fake-node-2", "Stuck", "ImagePullBackOff"),
        ("hostport", "fake-node-2", "Stuck", "HostPortConflict"),
        ("hostport", "fake-node-5", "Healthy", ""),
        ("cpu", "fake-node-5", "Stuck", "InsufficientResources"),
        ("cpu", "fake-node-2", "Healthy", ""),
    ];
    for (ds, node, status, code) in expected {
        let report = explain_json(cluster, &[ds]);
        let (actual, codes) = status_of(&report, node);
        assert_eq!(actual, status, "{ds} on {node}: {codes:?}");
        assert_eq!(codes.first().map_or("", String::as_str), code, "{ds} on {node}: {codes:?}");
    }
    let plain = explain_json(cluster, &["plain"]);
    assert!(status_of(&plain, "fake-node-4").1.contains(&"NodeNotReady".to_string()));
    assert_eq!(plain["kubernetesVersion"], "v1.20.2", "the server's version decides the rules");
    let hostport = explain_json(cluster, &["hostport"]);
    let reason =
        &hostport["nodes"].as_array().unwrap().iter().find(|n| n["node"] == "fake-node-2").unwrap()["reasons"][0];
    assert_eq!(reason["heldBy"], "live/port-holder", "{reason}");
}

#[test]
fn counts_equal_the_status_the_real_controller_wrote() {
    let cluster = scenario();
    for (name, ..) in DAEMONSETS {
        let report = explain_json(cluster, &[name]);
        let status: Value =
            serde_json::from_str(&cluster.kubectl_ok(&["get", "ds", name, "-n", NS, "-o", "json"])).unwrap();
        let status = &status["status"];
        let summary = &report["summary"];
        for (ours, theirs) in [
            ("desired", "desiredNumberScheduled"),
            ("current", "currentNumberScheduled"),
            ("ready", "numberReady"),
            ("updated", "updatedNumberScheduled"),
            ("misscheduled", "numberMisscheduled"),
        ] {
            assert_eq!(summary[ours].as_i64(), Some(status[theirs].as_i64().unwrap_or(0)), "{name}: {ours}");
        }
    }
}

#[test]
fn live_and_dump_give_the_same_report() {
    let cluster = scenario();
    let dump = cluster.kubectl_ok(&["get", "nodes,ds,pods,controllerrevisions,events", "-A", "-o", "yaml"]);
    let path = cluster.run.join("dump.yaml");
    std::fs::write(&path, dump).unwrap();
    let as_of = "2030-01-01T00:00:00Z";
    for name in ["plain", "hostport", "cpu", "crashloop"] {
        let mut live = explain_json(cluster, &[name, "--as-of", as_of]);
        let mut offline = explain_json(cluster, &[name, "--as-of", as_of, "--from", &path.display().to_string()]);
        for report in [&mut live, &mut offline] {
            let object = report.as_object_mut().unwrap();
            object.remove("source");
            object.remove("asOf");
        }
        assert_eq!(live, offline, "{name}");
    }
}

fn explain_as(kubeconfig: &str, args: &[&str]) -> Run {
    kubectl_ds_env(&[&["explain", "plain", "-n", NS], args].concat(), &[("KUBECONFIG", kubeconfig)])
}

#[test]
fn a_user_who_may_not_list_nodes_gets_what_the_pods_allow() {
    let cluster = scenario();
    cluster.apply(&format!(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {{name: ds-reader, namespace: {NS}}}\nrules:\n- apiGroups: [apps]\n  resources: [daemonsets, controllerrevisions]\n  verbs: [get, list, watch]\n- apiGroups: ['']\n  resources: [pods, events]\n  verbs: [get, list, watch]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {{name: ds-reader, namespace: {NS}}}\nroleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: ds-reader}}\nsubjects: [{{kind: Group, name: test-viewers, apiGroup: rbac.authorization.k8s.io}}]\n"
    ));
    let viewer = cluster.kubeconfig("viewer-token");
    let run = wait_for("the viewer's RBAC to apply", Duration::from_secs(30), || {
        let run = explain_as(&viewer, &["-o", "json"]);
        (run.code == 0).then_some(run)
    });
    let report = valid_json(&run.stdout);
    assert_eq!(
        report["gaps"][0],
        format!("no Node objects: taints and labels unknown (cannot list nodes (forbidden): needs get/list on nodes)")
    );
    let rows = report["nodes"].as_array().unwrap();
    assert!(!rows.is_empty() && rows.iter().all(|r| r["status"] == "Unknown"), "{rows:?}");
}

#[test]
fn access_failures_exit_3_with_one_clear_line() {
    let cluster = scenario();
    let run = explain_as(&cluster.kubeconfig("nobody-token"), &[]);
    assert_eq!(
        (run.code, run.stderr.trim()),
        (3, "error: cannot get daemonsets.apps in namespace live (forbidden): needs get on daemonsets.apps")
    );
    let run = explain_as(&cluster.kubeconfig("bad-token"), &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("rejected the credentials (401 Unauthorized)"), "{}", run.stderr);
    assert!(!run.stderr.contains("not-a-token"), "credentials never appear in output");
    let closed = format!(
        "https://127.0.0.1:{}",
        std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
    );
    let run = explain_as(&cluster.kubeconfig("admin"), &["--server", &closed, "--request-timeout", "5s"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.starts_with(&format!("error: cannot reach the server at {closed}")), "{}", run.stderr);
    let run = kubectl_ds_env(&["explain", "plain", "--kubeconfig", "/nonexistent/config"], &[]);
    assert_eq!((run.code, run.stderr.trim()), (3, "error: kubeconfig /nonexistent/config: no such file"));
}

#[test]
fn a_missing_daemonset_names_the_ones_that_exist() {
    let cluster = scenario();
    let kubeconfig = cluster.kubeconfig("admin");
    let run = kubectl_ds_env(&["explain", "plian", "-n", NS], &[("KUBECONFIG", kubeconfig.as_str())]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim(),
        "error: daemonset \"plian\" not found in namespace \"live\"; did you mean \"plain\"?; DaemonSets in \"live\": affinity, cpu, crashloop, hostport, imagepull, plain, selector"
    );
    let run = kubectl_ds_env(&["explain", "plain", "-n", "default"], &[("KUBECONFIG", kubeconfig.as_str())]);
    assert!(run.stderr.contains("it exists in namespace live (use -n)"), "{}", run.stderr);
}

#[test]
fn the_tool_only_ever_reads() {
    let cluster = scenario();
    // Make sure this test's own requests are in the log, whatever else ran.
    let _ = explain_json(cluster, &["plain"]);
    let _ = explain_json(cluster, &["cpu"]);
    let log = cluster.audit_log();
    let ours: Vec<Value> = log
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|event| event["userAgent"].as_str().is_some_and(|ua| ua.starts_with("kubectl-ds/")))
        .collect();
    assert!(ours.len() > 10, "the audit log holds the tool's requests ({} found)", ours.len());
    let writes: Vec<String> = ours
        .iter()
        .filter(|e| !matches!(e["verb"].as_str(), Some("get" | "list" | "watch")))
        .map(|e| format!("{} {}", e["verb"], e["requestURI"]))
        .collect();
    assert!(writes.is_empty(), "the tool sent non-read requests: {writes:?}");
}

#[test]
fn tls_failures_and_silent_servers_end_with_exit_3() {
    let cluster = scenario();
    // A leaf certificate is no CA: the server's chain cannot be verified.
    let wrong_ca = cluster.run.join("pki/apiserver.crt").display().to_string();
    let run = explain_as(&cluster.kubeconfig("admin"), &["--certificate-authority", &wrong_ca]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!("error: TLS with the server at {} failed", cluster.server())),
        "{}",
        run.stderr
    );

    // A server that accepts connections and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("https://{}", silent.local_addr().unwrap());
    std::thread::spawn(move || {
        let held: Vec<_> = silent.incoming().take(4).collect();
        std::thread::sleep(Duration::from_secs(30));
        drop(held);
    });
    let started = std::time::Instant::now();
    let run = explain_as(&cluster.kubeconfig("admin"), &["--server", &address, "--request-timeout", "1s"]);
    assert_eq!(
        (run.code, run.stderr.trim()),
        (3, format!("error: no answer from the server at {address} within 1s (--request-timeout)").as_str())
    );
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
}

#[test]
fn kubeconfig_lists_skip_missing_files_like_kubectl() {
    let cluster = scenario();
    let list = format!("/nonexistent/a.yaml:{}:/nonexistent/b.yaml", cluster.kubeconfig("admin"));
    let run = kubectl_ds_env(&["explain", "plain", "-n", NS, "-o", "json"], &[("KUBECONFIG", list.as_str())]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = valid_json(&run.stdout);
    assert_eq!(report["source"], serde_json::json!({"type": "live", "context": "test"}));
    let run = kubectl_ds_env(&["explain", "plain"], &[("KUBECONFIG", "/nonexistent/a.yaml:/nonexistent/b.yaml")]);
    assert_eq!(
        (run.code, run.stderr.trim()),
        (3, "error: none of the kubeconfig files in KUBECONFIG exists (/nonexistent/a.yaml, /nonexistent/b.yaml)")
    );
}
