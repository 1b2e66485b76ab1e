//! `kubectl ds why-not-scheduled` as users run it, on one fixture snapshot per failure mode
//! (tests/fixtures/why/, each file says what it holds).

mod common;

use common::{kubectl_ds, kubectl_ds_with_stdin, valid_json};
use serde_json::Value;

const WHY: &str = "tests/fixtures/why";

fn fixture(name: &str) -> String {
    format!("{WHY}/{name}.yaml")
}

fn ok(args: &[&str]) -> String {
    let run = kubectl_ds(args);
    assert_eq!(run.code, 0, "kubectl ds {}\nstderr: {}", args.join(" "), run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    run.stdout
}

fn text(ds: &str, file: &str, extra: &[&str]) -> String {
    let path = fixture(file);
    ok(&[&["why-not-scheduled", ds, "--from", &path], extra].concat())
}

fn json(ds: &str, file: &str, extra: &[&str]) -> Value {
    let path = fixture(file);
    valid_json(&ok(&[&["why-not-scheduled", ds, "--from", &path, "-o", "json"], extra].concat()))
}

fn node<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"] == name)
        .unwrap_or_else(|| panic!("no trace for {name}: {report:#}"))
}

/// The rules of a trace (or group) with this name and subject.
fn rules<'a>(trace: &'a Value, name: &str) -> Vec<&'a Value> {
    trace["rules"].as_array().unwrap().iter().filter(|r| r["name"] == name).collect()
}

fn rule<'a>(trace: &'a Value, name: &str, subject: &str) -> &'a Value {
    rules(trace, name)
        .into_iter()
        .find(|r| r["subject"] == subject)
        .unwrap_or_else(|| panic!("no rule {name} on {subject}: {:#}", trace["rules"]))
}

fn codes(trace: &Value) -> Vec<&str> {
    trace["reasons"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect()
}

fn commands(fixes: &Value) -> Vec<&str> {
    fixes.as_array().unwrap().iter().filter_map(|f| f["command"].as_str()).collect()
}

fn group<'a>(report: &'a Value, member: &str) -> &'a Value {
    report["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["nodes"].as_array().unwrap().iter().any(|n| n == member))
        .unwrap_or_else(|| panic!("no excluded group holds {member}"))
}

/// Every (DaemonSet, fixture) pair of the golden tests.
const CASES: &[(&str, &str)] = &[
    ("node-agent", "taints"),
    ("ssd-cache", "selector"),
    ("edge-proxy", "no-match"),
    ("log-shipper", "notready"),
    ("log-shipper", "terminating"),
    ("node-exporter", "hostport"),
    ("fluent-bit", "resources"),
    ("node-agent", "crashloop"),
    ("node-agent", "imagepull"),
    ("node-agent", "config"),
    ("node-agent", "failed"),
    ("host-agent", "admission"),
    ("quota-agent", "admission"),
    ("sa-agent", "admission"),
    ("pc-agent", "admission"),
];

#[test]
fn taints_group_excluded_nodes_and_name_the_toleration_that_almost_matched() {
    insta::assert_snapshot!(text("node-agent", "taints", &[]));
    let report = json("node-agent", "taints", &[]);
    let infra = group(&report, "infra-1");
    assert_eq!(infra["count"], 3);
    assert_eq!(infra["nodes"], serde_json::json!(["infra-1", "infra-2", "infra-3"]));
    let taint = rule(infra, "taint", "dedicated=infra:NoSchedule");
    assert_eq!(taint["passed"], false);
    let evidence = taint["evidence"].as_str().unwrap();
    assert!(
        evidence
            .contains("nearest toleration {key: dedicated, operator: Equal, value: monitoring, effect: NoSchedule}")
            && evidence.contains("differs in value (the taint's is infra)"),
        "{evidence}"
    );
    let gpu = rule(group(&report, "gpu-1"), "taint", "gpu=true:NoSchedule");
    assert!(gpu["evidence"].as_str().unwrap().contains("differs in effect (the taint's is NoSchedule)"), "{gpu}");
    let fix = &infra["fixes"][0];
    assert_eq!(
        fix["yaml"],
        "tolerations:\n- key: dedicated\n  operator: Equal\n  value: infra\n  effect: NoSchedule\n"
    );
    assert_eq!(fix["effect"], "places the pod on these 3 nodes; changes no other node");

    let drain = node(&report, "drain-1");
    assert_eq!(
        (drain["status"].as_str(), drain["shouldContinueRunning"].as_bool()),
        (Some("Misscheduled"), Some(false))
    );
    assert!(report["nodes"].as_array().unwrap().iter().all(|n| n["node"] != "w1"), "healthy nodes are not traced");
}

#[test]
fn a_toleration_fix_says_which_other_nodes_it_also_reaches() {
    let report = json("node-agent", "taints", &["--node", "infra-1"]);
    let traced: Vec<&str> = report["nodes"].as_array().unwrap().iter().map(|n| n["node"].as_str().unwrap()).collect();
    assert_eq!(traced, ["infra-1"], "--node traces the node itself, not its group");
    assert!(report["excluded"].as_array().unwrap().is_empty());
    let fix = &node(&report, "infra-1")["fixes"][0];
    assert_eq!(fix["effect"], "places the pod on infra-1; also places it on 2 other nodes: infra-2, infra-3");
    assert_eq!(fix["otherNodes"], serde_json::json!(["infra-2", "infra-3"]));
    assert_eq!(
        fix["command"],
        r#"kubectl patch daemonset node-agent -n ops --type=json -p '[{"op":"add","path":"/spec/template/spec/tolerations/-","value":{"effect":"NoSchedule","key":"dedicated","operator":"Equal","value":"infra"}}]'"#
    );
    insta::assert_snapshot!(text("node-agent", "taints", &["--node", "infra-1"]));
}

#[test]
fn a_healthy_node_asked_for_passes_every_rule() {
    let report = json("node-agent", "taints", &["--node", "w1"]);
    let w1 = node(&report, "w1");
    assert_eq!(w1["status"], "Healthy");
    let failing: Vec<&Value> = w1["rules"].as_array().unwrap().iter().filter(|r| r["passed"] != true).collect();
    assert!(failing.is_empty(), "{failing:#?}");
    assert!(w1["fixes"].as_array().unwrap().is_empty());
}

#[test]
fn a_cordoned_node_runs_the_pod_and_the_trace_says_why() {
    let report = json("node-agent", "taints", &["--node", "w3"]);
    let cordoned = node(&report, "w3");
    assert_eq!(cordoned["status"], "Healthy");
    let taint = rule(cordoned, "taint", "node.kubernetes.io/unschedulable:NoSchedule");
    assert_eq!(taint["passed"], true);
    assert!(taint["evidence"].as_str().unwrap().ends_with("which the DaemonSet controller adds to every pod"));
    assert!(rules(cordoned, "binding")[0]["evidence"].as_str().unwrap().ends_with("DaemonSet pods tolerate that"));
    insta::assert_snapshot!(text("node-agent", "taints", &["--node", "w3"]));
}

#[test]
fn selector_and_affinity_show_each_entry_against_the_node_label() {
    insta::assert_snapshot!(text("ssd-cache", "selector", &[]));
    let report = json("ssd-cache", "selector", &[]);
    let hdd = group(&report, "n2");
    assert_eq!(hdd["nodes"], serde_json::json!(["n2", "n5", "n6"]));
    let selector = rule(hdd, "nodeSelector", "disk=ssd");
    assert_eq!((selector["passed"].as_bool(), selector["evidence"].as_str()), (Some(false), Some("node has disk=hdd")));
    assert_eq!(rule(group(&report, "n3"), "nodeSelector", "disk=ssd")["evidence"], "node has no label disk");
    assert_eq!(
        commands(&hdd["fixes"]),
        [
            "kubectl label nodes n2 n5 n6 disk=ssd --overwrite",
            r#"kubectl patch daemonset ssd-cache -n storage --type=json -p '[{"op":"remove","path":"/spec/template/spec/nodeSelector/disk"}]'"#,
        ]
    );
    assert_eq!(hdd["fixes"][1]["effect"], "places the pod on these 3 nodes; also places it on 1 other node: n3");

    let zone = group(&report, "n4");
    let term = rule(zone, "nodeAffinity", "term 0: topology.kubernetes.io/zone in (zone-a,zone-b)");
    assert_eq!(
        (term["passed"].as_bool(), term["evidence"].as_str()),
        (Some(false), Some("node has topology.kubernetes.io/zone=zone-c"))
    );
    assert_eq!(rule(zone, "nodeSelector", "disk=ssd")["passed"], true);
}

#[test]
fn a_selector_no_node_matches_blocks_the_daemonset() {
    insta::assert_snapshot!(text("edge-proxy", "no-match", &[]));
    let report = json("edge-proxy", "no-match", &[]);
    let blocker = &report["blockers"][0];
    assert_eq!(blocker["code"], "NoNodeMatches");
    assert_eq!(
        blocker["evidence"][0],
        "nodeSelector node-role.example.com/edge=true: 0 nodes match; the nodes have (no label) on 3, node-role.example.com/edge=false on 1"
    );
    assert_eq!(blocker["fixes"][0]["effect"], "places the pod on these 4 nodes; changes no other node");
}

#[test]
fn not_ready_nodes_name_the_taint_the_default_toleration_misses() {
    insta::assert_snapshot!(text("log-shipper", "notready", &[]));
    let report = json("log-shipper", "notready", &[]);
    let n2 = node(&report, "n2");
    assert_eq!((n2["status"].as_str(), n2["shouldContinueRunning"].as_bool()), (Some("Misscheduled"), Some(true)));
    assert_eq!(codes(n2), ["UntoleratedTaint", "NodeNotReady"]);
    let taint = rule(n2, "taint", "node.kubernetes.io/unreachable:NoSchedule");
    assert!(taint["evidence"].as_str().unwrap().contains("default toleration covers only NoExecute"), "{taint}");
    assert_eq!(rule(n2, "taint", "node.kubernetes.io/unreachable:NoExecute")["passed"], true);
    // No toleration is offered for a health taint: the node needs repair.
    assert!(n2["fixes"].as_array().unwrap().iter().all(|f| f["yaml"].is_null()), "{:#}", n2["fixes"]);
    assert_eq!(group(&report, "n3")["reasons"][1]["code"], "NodeNotReady");
}

#[test]
fn stuck_deletions_name_finalizers_and_the_unreachable_kubelet() {
    insta::assert_snapshot!(text("log-shipper", "terminating", &[]));
    let report = json("log-shipper", "terminating", &[]);
    let held = node(&report, "n1");
    assert_eq!(held["status"], "Stuck");
    assert_eq!(
        commands(&held["fixes"]),
        [r#"kubectl patch pod log-shipper-f1n4l -n ops --type=merge -p '{"metadata":{"finalizers":null}}'"#]
    );
    let gone = node(&report, "n2");
    assert!(commands(&gone["fixes"]).contains(&"kubectl delete pod log-shipper-u9r3a -n ops --grace-period=0 --force"));
    let deletion = rule(gone, "deletion", "log-shipper-u9r3a");
    assert_eq!(deletion["passed"], false);
    assert!(deletion["evidence"].as_str().unwrap().contains("no kubelet confirms the deletion"));
}

#[test]
fn a_held_host_port_names_the_holder_and_reads_the_120_scheduler_message() {
    insta::assert_snapshot!(text("node-exporter", "hostport", &[]));
    let report = json("node-exporter", "hostport", &[]);
    let n2 = node(&report, "n2");
    assert_eq!(codes(n2), ["HostPortConflict"]);
    let ports = rule(n2, "NodePorts", "9100/TCP");
    assert_eq!(
        (ports["passed"].as_bool(), ports["evidence"].as_str()),
        (Some(false), Some("held by pod default/legacy-exporter"))
    );
    let scheduled = rule(n2, "PodScheduled", "node-exporter-p3nd1");
    assert!(
        scheduled["evidence"].as_str().unwrap().ends_with(
            "→ for this node: HostPortConflict; the other 2 nodes: 2 NodeAffinity (the pod is pinned to this node)"
        ),
        "{scheduled}"
    );
    assert!(
        commands(&n2["fixes"])
            .iter()
            .any(|c| c.contains(r#""path":"/spec/template/spec/containers/0/ports/0/hostPort","value":9101"#))
    );
}

#[test]
fn insufficient_cpu_counts_sidecars_init_containers_and_overhead() {
    insta::assert_snapshot!(text("fluent-bit", "resources", &[]));
    let report = json("fluent-bit", "resources", &[]);
    let n2 = node(&report, "n2");
    assert_eq!(n2["status"], "Missing");
    let cpu = rule(n2, "NodeResourcesFit", "cpu");
    assert_eq!(
        cpu["evidence"],
        "requests 350m (containers 200m, sidecars 50m, init containers at most 100m, RuntimeClass overhead 100m), \
         200m free of 1 allocatable (800m requested by 2 other pods)"
    );
    let lower = &n2["fixes"][0];
    assert_eq!(
        lower["command"],
        "kubectl set resources daemonset fluent-bit -n logging -c fluent-bit --requests=cpu=50m"
    );
    assert_eq!(lower["otherNodes"], serde_json::json!(["n3"]), "50m also fits the cordoned n3");
    // The cordon is not the cause: DaemonSet pods tolerate it.
    let n3 = node(&report, "n3");
    let cordon = &rules(n3, "NodeUnschedulable")[0];
    assert_eq!(cordon["passed"], true);
    assert!(
        cordon["evidence"].as_str().unwrap().starts_with("node is cordoned (spec.unschedulable), but DaemonSet pods")
    );
    assert!(
        rule(n3, "PodScheduled", "fluent-bit-c9v8b")["evidence"]
            .as_str()
            .unwrap()
            .contains("→ for this node: InsufficientResources (cpu)")
    );
}

#[test]
fn crash_loops_give_the_exit_code_and_oom_kills_the_limit_to_raise() {
    insta::assert_snapshot!(text("node-agent", "crashloop", &[]));
    let report = json("node-agent", "crashloop", &[]);
    let crash = rule(node(&report, "n1"), "container", "agent");
    assert!(crash["evidence"].as_str().unwrap().contains("last exit code 1 (Error)"), "{crash}");
    let oom = node(&report, "n2");
    assert!(
        rule(oom, "container", "agent")["evidence"]
            .as_str()
            .unwrap()
            .contains("killed for exceeding its memory limit 128Mi")
    );
    assert_eq!(
        commands(&oom["fixes"]),
        [
            "kubectl set resources daemonset node-agent -n ops -c agent --limits=memory=256Mi",
            "kubectl logs -n ops node-agent-o0m1k -c agent --previous",
        ]
    );
}

#[test]
fn image_pull_errors_show_the_registry_answer_from_events() {
    insta::assert_snapshot!(text("node-agent", "imagepull", &[]));
    let report = json("node-agent", "imagepull", &[]);
    let n1 = node(&report, "n1");
    let failed =
        rules(n1, "event").into_iter().find(|r| r["evidence"].as_str().unwrap().contains("not found")).unwrap();
    assert_eq!(failed["subject"], "Failed");
    assert!(failed["evidence"].as_str().unwrap().ends_with("(5x, last 2026-03-01T11:58:00Z)"));
}

#[test]
fn missing_config_names_the_secret_key_and_the_configmap_to_create() {
    insta::assert_snapshot!(text("node-agent", "config", &[]));
    let report = json("node-agent", "config", &[]);
    assert_eq!(
        commands(&node(&report, "n1")["fixes"]),
        [r#"kubectl patch secret agent-credentials -n ops --type=merge -p '{"stringData":{"api-token":"VALUE"}}'"#]
    );
    let mounting = node(&report, "n2");
    assert_eq!(codes(mounting), ["ContainerCreating"]);
    assert_eq!(rule(mounting, "event", "FailedMount")["passed"], false);
    assert_eq!(
        commands(&mounting["fixes"]),
        ["kubectl create configmap agent-config -n ops --from-literal=agent.yaml=VALUE"]
    );
}

#[test]
fn a_failed_pod_shows_the_kubelet_rejection_and_the_controller_backoff() {
    insta::assert_snapshot!(text("node-agent", "failed", &[]));
    let report = json("node-agent", "failed", &[]);
    let n1 = node(&report, "n1");
    assert_eq!(codes(n1), ["Failed", "FailedPodBackoff"]);
    assert_eq!(rules(n1, "backoff")[0]["passed"], false);
    assert!(rules(n1, "container").is_empty(), "a pod rejected at admission ran no container");
}

#[test]
fn daemonset_level_causes_block_every_node() {
    let mut all = String::new();
    for (ds, code, command) in [
        (
            "host-agent",
            "PodSecurityRejected",
            "kubectl label namespace restricted pod-security.kubernetes.io/enforce=privileged --overwrite",
        ),
        ("quota-agent", "QuotaExceeded", "kubectl describe resourcequota pod-count -n restricted"),
        ("sa-agent", "ServiceAccountMissing", "kubectl create serviceaccount agent-sa -n restricted"),
        ("pc-agent", "PriorityClassMissing", "kubectl create priorityclass node-agent-critical --value=1000000"),
    ] {
        let report = json(ds, "admission", &[]);
        let blockers = report["blockers"].as_array().unwrap();
        assert_eq!(blockers.len(), 1, "{ds}: {blockers:#?}");
        assert_eq!(blockers[0]["code"], code, "{ds}");
        assert_eq!(commands(&blockers[0]["fixes"]), [command], "{ds}");
        assert_eq!(blockers[0]["nodes"], serde_json::json!(["n1", "n2"]), "{ds}: the nodes it keeps without a pod");
        assert!(report["nodes"].as_array().unwrap().is_empty(), "{ds}: blocked nodes are not traced one by one");
        let one = json(ds, "admission", &["--node", "n1"]);
        assert_eq!(codes(node(&one, "n1")), ["FailedCreate"], "{ds}: --node traces it");
        all.push_str(&text(ds, "admission", &[]));
        all.push('\n');
    }
    insta::assert_snapshot!(all);
}

#[test]
fn the_same_reasons_as_explain_for_every_traced_node() {
    for (ds, file) in CASES {
        let path = fixture(file);
        let explained = valid_json(&ok(&["explain", ds, "--from", &path, "-o", "json"]));
        let traced = json(ds, file, &[]);
        for trace in traced["nodes"].as_array().unwrap() {
            let row = explained["nodes"].as_array().unwrap().iter().find(|n| n["node"] == trace["node"]).unwrap();
            assert_eq!(trace["reasons"], row["reasons"], "{ds} in {file}, node {}", trace["node"]);
            assert_eq!(trace["status"], row["status"], "{ds} in {file}, node {}", trace["node"]);
        }
        for group in traced["excluded"].as_array().unwrap() {
            for member in group["nodes"].as_array().unwrap() {
                let row = explained["nodes"].as_array().unwrap().iter().find(|n| &n["node"] == member).unwrap();
                assert_eq!(row["status"], "Excluded", "{ds} in {file}");
                let key = |reasons: &Value| -> Vec<String> {
                    reasons
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|r| r["code"] != "NodeNotReady")
                        .map(|r| r["message"].to_string())
                        .collect()
                };
                assert_eq!(
                    key(&row["reasons"]),
                    key(&group["reasons"]),
                    "{ds} in {file}: {member} is grouped by its causes"
                );
            }
        }
        assert_eq!(traced["summary"], explained["summary"], "{ds} in {file}");
    }
}

#[test]
fn failing_rules_agree_with_the_verdict() {
    for (ds, file) in CASES {
        let report = json(ds, file, &[]);
        let traces = report["nodes"].as_array().unwrap().iter().chain(report["excluded"].as_array().unwrap());
        for trace in traces {
            let controller_fails =
                trace["rules"].as_array().unwrap().iter().any(|r| r["stage"] == "Controller" && r["passed"] == false);
            let should_run = trace.get("shouldRun").and_then(Value::as_bool).unwrap_or(false);
            assert_eq!(controller_fails, !should_run, "{ds} in {file}: {trace:#}");
        }
    }
}

#[test]
fn yaml_carries_the_same_data_as_json() {
    let path = fixture("resources");
    let yaml = ok(&["why-not-scheduled", "fluent-bit", "--from", &path, "-o", "yaml"]);
    let from_yaml: Value = serde_saphyr::from_str(&yaml).expect("YAML output parses");
    assert_eq!(from_yaml, json("fluent-bit", "resources", &[]));
}

/// The commands of the text, each joined back from its lines.
fn text_commands(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut open: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        match open.as_mut() {
            Some(command) => {
                command.push('\n');
                command.push_str(line);
                if trimmed.ends_with('\'') {
                    found.extend(open.take());
                }
            }
            None if trimmed.starts_with("kubectl ") => {
                let unclosed = trimmed.matches('\'').count() % 2 == 1;
                if unclosed { open = Some(trimmed.to_string()) } else { found.push(trimmed.to_string()) }
            }
            None => {}
        }
    }
    found
}

/// A command with its `-p` JSON parsed, so that line breaks inside the quotes do not matter.
fn normalised(command: &str) -> (String, Option<Value>) {
    match command.split_once(" -p '") {
        Some((head, json)) => (head.to_string(), serde_json::from_str(json.trim_end().trim_end_matches('\'')).ok()),
        None => (command.to_string(), None),
    }
}

#[test]
fn text_fits_100_columns_and_commands_stay_copyable() {
    for (ds, file) in CASES {
        let output = text(ds, file, &[]);
        let report = json(ds, file, &[]);
        let mut wanted: Vec<(String, Option<Value>)> = Vec::new();
        let fix_lists = report["blockers"]
            .as_array()
            .unwrap()
            .iter()
            .chain(report["nodes"].as_array().unwrap())
            .chain(report["excluded"].as_array().unwrap())
            .map(|t| &t["fixes"]);
        for fixes in fix_lists {
            wanted.extend(commands(fixes).into_iter().map(normalised));
        }
        let shown: Vec<(String, Option<Value>)> = text_commands(&output).iter().map(|c| normalised(c)).collect();
        assert_eq!(shown, wanted, "{ds} in {file}: the text shows each command of the JSON, whole");
        for line in output.lines() {
            let inside_command =
                line.trim_start().starts_with(['"', '{', '[']) || line.trim_start().starts_with("kubectl ");
            assert!(line.chars().count() <= 100 || inside_command, "{ds} in {file}: too wide:\n{line}");
        }
    }
}

#[test]
fn five_hundred_nodes_with_one_taint_are_one_entry() {
    let mut yaml = std::fs::read_to_string(common::root().join(fixture("taints"))).unwrap();
    for i in 1..=500 {
        yaml.push_str(&format!(
            "---\napiVersion: v1\nkind: Node\nmetadata: {{name: batch-{i:03}, labels: {{pool: batch}}}}\n\
             spec: {{taints: [{{key: pool, value: batch, effect: NoSchedule}}]}}\n\
             status: {{allocatable: {{cpu: '8', memory: 32Gi, pods: '110'}}}}\n"
        ));
    }
    let run =
        kubectl_ds_with_stdin(&["why-not-scheduled", "node-agent", "--from", "-", "-o", "json"], Some(yaml.as_bytes()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = valid_json(&run.stdout);
    let batch = group(&report, "batch-001");
    assert_eq!(batch["count"], 500);
    assert_eq!(batch["nodes"].as_array().unwrap().len(), 500);
    assert_eq!(report["excluded"][0]["exampleNode"], "batch-001", "the largest group comes first");
    assert_eq!(batch["fixes"][0]["effect"], "places the pod on these 500 nodes; changes no other node");

    let run = kubectl_ds_with_stdin(&["why-not-scheduled", "node-agent", "--from", "-"], Some(yaml.as_bytes()));
    assert!(
        run.stdout.contains("\n500 nodes: batch-001, batch-002, batch-003, batch-004, batch-005 and 495 more\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.lines().count() < 200, "500 nodes do not make 500 entries");
}

#[test]
fn a_label_fix_for_many_nodes_selects_them_by_label() {
    let mut yaml = std::fs::read_to_string(common::root().join(fixture("selector"))).unwrap();
    for i in 1..=8 {
        yaml.push_str(&format!(
            "---\napiVersion: v1\nkind: Node\nmetadata: {{name: h{i}, labels: {{disk: hdd, topology.kubernetes.io/zone: zone-a}}}}\n"
        ));
    }
    let run =
        kubectl_ds_with_stdin(&["why-not-scheduled", "ssd-cache", "--from", "-", "-o", "json"], Some(yaml.as_bytes()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = valid_json(&run.stdout);
    let hdd = group(&report, "h1");
    assert_eq!(hdd["count"], 11);
    assert_eq!(commands(&hdd["fixes"])[0], "kubectl label nodes -l disk=hdd disk=ssd --overwrite");
    let unlabelled = group(&report, "n3");
    assert_eq!(commands(&unlabelled["fixes"])[0], "kubectl label node n3 disk=ssd");
}

#[test]
fn what_if_traces_the_nodes_that_would_stay_pending() {
    let args = ["why-not-scheduled", "-f", "tests/fixtures/whatif/gpu-agent.yaml", "--from", "examples/cluster"];
    insta::assert_snapshot!(ok(&args));
    let report = valid_json(&ok(&[&args[..], &["-o", "json"]].concat()));
    assert_eq!(report["daemonSet"]["whatIf"], true);
    let gpu = node(&report, "gpu-1");
    assert_eq!(gpu["status"], "WouldBePending");
    assert_eq!(codes(gpu), ["HostPortConflict", "InsufficientResources"]);
    assert_eq!(rule(gpu, "NodeResourcesFit", "cpu")["passed"], false);
    assert!(
        gpu["fixes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["command"].as_str().is_none_or(|c| !c.starts_with("kubectl patch daemonset"))),
        "the DaemonSet does not exist: no patch for it"
    );
    assert_eq!(group(&report, "worker-1")["count"], 5);
}

#[test]
fn colour_only_when_asked() {
    let plain = text("node-agent", "crashloop", &[]);
    assert!(!plain.contains('\x1b'));
    let coloured = text("node-agent", "crashloop", &["--color", "always"]);
    assert!(coloured.contains("\x1b[31m") && coloured.contains("\x1b[32m"), "{coloured}");
}

#[test]
fn bad_input_exits_2_with_one_clear_line() {
    let path = fixture("taints");
    let run = kubectl_ds(&["why-not-scheduled", "node-agent", "--from", &path, "--node", "infra-9"]);
    assert_eq!(
        (run.code, run.stderr.trim()),
        (2, "error: node \"infra-9\" is not in the snapshot; did you mean \"infra-1\"?")
    );
    let run = kubectl_ds(&["why-not-scheduled", "node-agnet", "--from", &path]);
    assert_eq!(
        (run.code, run.stderr.trim()),
        (
            2,
            "error: daemonset \"node-agnet\" not found; did you mean \"node-agent\"?; DaemonSets in the input: ops/node-agent"
        )
    );
    let run = kubectl_ds(&["why-not-scheduled", "--from", &path]);
    assert_eq!(run.code, 2, "a name or -f is required: {}", run.stderr);
    let run = kubectl_ds(&["why-not-scheduled", "node-agent", "--from", "tests/fixtures/why/nope.yaml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.starts_with("error: tests/fixtures/why/nope.yaml"), "{}", run.stderr);
}
