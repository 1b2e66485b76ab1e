use super::*;
use crate::engine::test_support::{hints, node, spec, ts};
use serde_json::{Value, json};

// daemon_controller_test.go: simpleDaemonSetLabel, simpleDaemonSetLabel2, simpleNodeLabel.
fn simple_daemon_set_label() -> Value {
    json!({"name": "simple-daemon", "type": "production"})
}

fn simple_daemon_set_label2() -> Value {
    json!({"name": "simple-daemon", "type": "test"})
}

fn simple_node_label() -> Value {
    json!({"color": "blue", "speed": "fast"})
}

/// daemon_controller_test.go newNode: Ready=True, 100 pods allocatable.
fn new_node(name: &str, labels: Value) -> Value {
    json!({
        "metadata": {"name": name, "labels": labels},
        "spec": {},
        "status": {
            "conditions": [{"type": "Ready", "status": "True"}],
            "allocatable": {"pods": "100"},
        },
    })
}

fn with(mut base: Value, pointer: &str, value: Value) -> Value {
    let mut target = &mut base;
    for part in pointer.trim_start_matches('/').split('/') {
        if target.get(part).is_none() {
            target[part] = json!({});
        }
        target = &mut target[part];
    }
    *target = value;
    base
}

/// daemon_controller_test.go resourcePodSpec.
fn resource_pod_spec(node_name: &str, memory: &str, cpu: &str) -> Value {
    json!({
        "nodeName": node_name,
        "containers": [{"name": "c", "resources": {"requests": {"memory": memory, "cpu": cpu}}}],
    })
}

fn run(node_value: Value, spec_value: Value) -> Eligibility {
    let node = node(node_value);
    let spec = spec(spec_value);
    node_should_run(&node, &DaemonTemplate::new(Some(&spec)), &hints())
}

fn codes(eligibility: &Eligibility) -> Vec<&'static str> {
    eligibility.failures.iter().map(Reason::code).collect()
}

fn affinity(key: &str, value: &str) -> Value {
    json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchExpressions": [{"key": key, "operator": "In", "values": [value]}]}
    ]}}})
}

// daemon_controller_test.go TestNodeShouldRunDaemonPod, every row (node "test-node" labelled
// simpleDaemonSetLabel, allocatable 100M/1 cpu). The host-port and insufficient-resource rows
// expect (true, true): the controller leaves those to the scheduler, so podsOnNode cannot change
// the outcome and are omitted.
#[test]
fn node_should_run_daemon_pod() {
    let test_node = || {
        let n = new_node("test-node", simple_daemon_set_label());
        with(n, "/status/allocatable", json!({"memory": "100M", "cpu": "1", "pods": "100"}))
    };
    let host_port_spec = json!({"containers": [{"name": "c", "ports": [{"hostPort": 666, "containerPort": 666}]}]});
    let cases = [
        ("ShouldRunDaemonPod", test_node(), resource_pod_spec("", "50M", "0.5"), true, true, vec![]),
        ("InsufficientResourceError", test_node(), resource_pod_spec("", "200M", "0.5"), true, true, vec![]),
        (
            "ErrPodNotMatchHostName",
            test_node(),
            resource_pod_spec("other-node", "50M", "0.5"),
            false,
            false,
            vec!["NodeNameMismatch"],
        ),
        ("ErrPodNotFitsHostPorts", test_node(), host_port_spec, true, true, vec![]),
        (
            "InsufficientResourceError with pods on node",
            test_node(),
            resource_pod_spec("", "100M", "0.5"),
            true,
            true,
            vec![],
        ),
        ("ShouldRunDaemonPod with pods on node", test_node(), resource_pod_spec("", "50M", "0.5"), true, true, vec![]),
        (
            "ErrNodeSelectorNotMatch",
            test_node(),
            json!({"containers": [], "nodeSelector": simple_daemon_set_label2()}),
            false,
            false,
            vec!["NodeSelectorMismatch"],
        ),
        (
            "ShouldRunDaemonPod (nodeSelector matches)",
            test_node(),
            json!({"containers": [], "nodeSelector": simple_daemon_set_label()}),
            true,
            true,
            vec![],
        ),
        (
            "ErrPodAffinityNotMatch",
            test_node(),
            json!({"containers": [], "affinity": affinity("type", "test")}),
            false,
            false,
            vec!["NodeAffinityMismatch"],
        ),
        (
            "ShouldRunDaemonPod (affinity matches)",
            test_node(),
            json!({"containers": [], "affinity": affinity("type", "production")}),
            true,
            true,
            vec![],
        ),
        (
            "ShouldRunDaemonPodOnUnschedulableNode",
            with(test_node(), "/spec/unschedulable", json!(true)),
            resource_pod_spec("", "50M", "0.5"),
            true,
            true,
            vec![],
        ),
    ];
    for (name, node_value, spec_value, should_run, should_continue_running, want_codes) in cases {
        let got = run(node_value, spec_value);
        assert_eq!((got.should_run, got.should_continue_running), (should_run, should_continue_running), "{name}");
        assert_eq!(codes(&got), want_codes, "{name}");
    }
}

// daemon_controller_test.go TestNodeShouldRunDaemonPod "ErrNodeSelectorNotMatch": the report names
// the label that differs and the command that would fix it.
#[test]
fn node_selector_mismatch_detail() {
    let got = run(
        new_node("test-node", simple_daemon_set_label()),
        json!({"containers": [], "nodeSelector": simple_daemon_set_label2()}),
    );
    assert_eq!(got.failures.len(), 1);
    assert_eq!(
        got.failures[0].cause,
        Cause::NodeSelectorMismatch {
            key: "type".to_string(),
            wanted: "test".to_string(),
            actual: Some("production".to_string()),
        }
    );
    assert_eq!(got.failures[0].hint.as_deref(), Some("kubectl label node test-node type=test --overwrite"));
}

// daemon_controller_test.go taint tests, each a whole-controller test whose create/delete counts
// follow from (shouldRun, shouldContinueRunning):
//   TestTaintedNodeDaemonDoesNotLaunchIntolerantPod (0 creates) and
//   TestNoScheduleTaintedDoesntEvicitRunningIntolerantPod (0 deletes): NoSchedule -> (false, true);
//   TestNoExecuteTaintedDoesEvicitRunningIntolerantPod (1 delete): NoExecute -> (false, false);
//   TestTaintedNodeDaemonLaunchesToleratePod and TestNodeDaemonLaunchesToleratePod (1 create);
//   TestNotReadyNodeDaemonLaunchesPod / TestUnreachableNodeDaemonLaunchesPod: the default
//   tolerations cover not-ready:NoExecute and unreachable:NoExecute;
//   TestTaintPressureNodeDaemonLaunchesPod: disk/memory/pid pressure NoSchedule are tolerated;
//   TestNotReadyNodeDaemonDoesLaunchPod / TestNetworkUnavailableNodeDaemonLaunchesPod: conditions
//   alone never matter.
#[test]
fn taints_and_tolerations() {
    let no_schedule_tolerations = json!([{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}]);
    let tainted = |taints: Value| with(new_node("tainted", Value::Null), "/spec/taints", taints);
    let plain = json!({"containers": []});
    let tolerating = json!({"containers": [], "tolerations": no_schedule_tolerations});
    let cases = [
        (
            "TestTaintedNodeDaemonDoesNotLaunchIntolerantPod",
            tainted(json!([{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}])),
            plain.clone(),
            (false, true),
        ),
        (
            "TestNoExecuteTaintedDoesEvicitRunningIntolerantPod",
            tainted(json!([{"key": "dedicated", "value": "user1", "effect": "NoExecute"}])),
            plain.clone(),
            (false, false),
        ),
        (
            "TestTaintedNodeDaemonLaunchesToleratePod",
            tainted(json!([{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}])),
            tolerating.clone(),
            (true, true),
        ),
        ("TestNodeDaemonLaunchesToleratePod", new_node("node-0", Value::Null), tolerating, (true, true)),
        (
            "TestNotReadyNodeDaemonLaunchesPod",
            with(
                tainted(
                    json!([{"key": "node.kubernetes.io/not-ready", "effect": "NoExecute", "timeAdded": "2024-01-01T00:00:00Z"}]),
                ),
                "/status/conditions",
                json!([{"type": "Ready", "status": "False"}]),
            ),
            plain.clone(),
            (true, true),
        ),
        (
            "TestUnreachableNodeDaemonLaunchesPod",
            with(
                tainted(json!([{"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}])),
                "/status/conditions",
                json!([{"type": "Ready", "status": "Unknown"}]),
            ),
            plain.clone(),
            (true, true),
        ),
        (
            "TestTaintPressureNodeDaemonLaunchesPod",
            tainted(json!([
                {"key": "node.kubernetes.io/disk-pressure", "effect": "NoSchedule"},
                {"key": "node.kubernetes.io/memory-pressure", "effect": "NoSchedule"},
                {"key": "node.kubernetes.io/pid-pressure", "effect": "NoSchedule"},
            ])),
            json!({"containers": [], "priorityClassName": "system-node-critical", "priority": 2000001000}),
            (true, true),
        ),
        (
            "TestNotReadyNodeDaemonDoesLaunchPod",
            with(
                new_node("not-ready", Value::Null),
                "/status/conditions",
                json!([{"type": "Ready", "status": "False"}]),
            ),
            plain.clone(),
            (true, true),
        ),
        (
            "TestNetworkUnavailableNodeDaemonLaunchesPod",
            with(
                new_node("network-unavailable", Value::Null),
                "/status/conditions",
                json!([{"type": "NetworkUnavailable", "status": "True"}]),
            ),
            plain,
            (true, true),
        ),
    ];
    for (name, node_value, spec_value, want) in cases {
        let got = run(node_value, spec_value);
        assert_eq!((got.should_run, got.should_continue_running), want, "{name}");
        assert_eq!(got.failures.is_empty(), want.0, "{name}: {:?}", got.failures);
    }
}

// DaemonSet semantics §3 (AddOrUpdateDaemonPodTolerations adds no NoSchedule toleration for
// not-ready/unreachable, network-unavailable only with hostNetwork, nothing for the control plane)
// and §2 rule 4 (PreferNoSchedule is ignored, tolerationSeconds does not limit tolerating).
#[test]
fn default_toleration_consequences() {
    let tainted = |taints: Value| with(new_node("n", Value::Null), "/spec/taints", taints);
    let plain = json!({"containers": []});
    let cases = [
        (
            "NotReady node: not-ready NoSchedule is not covered by the default NoExecute toleration",
            tainted(json!([
                {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"},
                {"key": "node.kubernetes.io/not-ready", "effect": "NoExecute"},
            ])),
            plain.clone(),
            (false, true),
        ),
        (
            "cordoned node",
            with(
                tainted(json!([{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}])),
                "/spec/unschedulable",
                json!(true),
            ),
            plain.clone(),
            (true, true),
        ),
        (
            "network-unavailable without hostNetwork",
            tainted(json!([{"key": "node.kubernetes.io/network-unavailable", "effect": "NoSchedule"}])),
            plain.clone(),
            (false, true),
        ),
        (
            "network-unavailable with hostNetwork",
            tainted(json!([{"key": "node.kubernetes.io/network-unavailable", "effect": "NoSchedule"}])),
            json!({"containers": [], "hostNetwork": true}),
            (true, true),
        ),
        (
            "control-plane taint",
            tainted(json!([{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}])),
            plain.clone(),
            (false, true),
        ),
        (
            "PreferNoSchedule is ignored",
            tainted(json!([{"key": "dedicated", "value": "user1", "effect": "PreferNoSchedule"}])),
            plain.clone(),
            (true, true),
        ),
        (
            "tolerationSeconds still tolerates",
            tainted(json!([{"key": "dedicated", "value": "user1", "effect": "NoExecute"}])),
            json!({"containers": [], "tolerations": [
                {"key": "dedicated", "operator": "Equal", "value": "user1", "effect": "NoExecute", "tolerationSeconds": 60}
            ]}),
            (true, true),
        ),
        (
            "a NoSchedule toleration does not cover NoExecute",
            tainted(json!([{"key": "dedicated", "value": "user1", "effect": "NoExecute"}])),
            json!({"containers": [], "tolerations": [{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}]}),
            (false, false),
        ),
        (
            "Gt toleration is inert without the alpha gate",
            tainted(json!([{"key": "sla", "value": "950", "effect": "NoSchedule"}])),
            json!({"containers": [], "tolerations": [{"key": "sla", "operator": "Gt", "value": "750", "effect": "NoSchedule"}]}),
            (false, true),
        ),
    ];
    for (name, node_value, spec_value, want) in cases {
        let got = run(node_value, spec_value);
        assert_eq!((got.should_run, got.should_continue_running), want, "{name}");
    }
}

// DaemonSet semantics §2 precedence (name -> selector -> affinity -> NoExecute -> NoSchedule): all
// failing rules are listed in that order; any placement failure gives (false, false) even when
// only NoSchedule taints would otherwise keep the pod.
#[test]
fn failures_in_controller_precedence() {
    let n = with(
        new_node("node-1", json!({"type": "production"})),
        "/spec/taints",
        json!([
            {"key": "a", "effect": "NoSchedule"},
            {"key": "b", "effect": "NoExecute"},
        ]),
    );
    let got = run(
        n.clone(),
        json!({
            "containers": [],
            "nodeName": "node-2",
            "nodeSelector": {"type": "test"},
            "affinity": affinity("zone", "a"),
        }),
    );
    assert_eq!((got.should_run, got.should_continue_running), (false, false));
    assert_eq!(
        codes(&got),
        vec![
            "NodeNameMismatch",
            "NodeSelectorMismatch",
            "NodeAffinityMismatch",
            "UntoleratedTaint",
            "UntoleratedTaint"
        ]
    );
    let taint_keys: Vec<_> = got
        .failures
        .iter()
        .filter_map(|r| match &r.cause {
            Cause::UntoleratedTaint { taint: Some(t) } => Some((t.key.as_str(), t.effect.as_deref())),
            _ => None,
        })
        .collect();
    assert_eq!(taint_keys, vec![("b", Some("NoExecute")), ("a", Some("NoSchedule"))]);

    let only_no_schedule = with(n, "/spec/taints", json!([{"key": "a", "effect": "NoSchedule"}]));
    let got = run(only_no_schedule, json!({"containers": [], "nodeSelector": {"type": "test"}}));
    assert_eq!((got.should_run, got.should_continue_running), (false, false));
    assert_eq!(codes(&got), vec!["NodeSelectorMismatch", "UntoleratedTaint"]);
}

// A not-ready/unreachable taint is explained by the Ready condition the node last reported (once,
// however many such taints there are), and the hint is about the node, not a toleration.
#[test]
fn not_ready_taint_reports_ready_condition_once() {
    let n = json!({
        "metadata": {"name": "n"},
        "spec": {"taints": [
            {"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"},
            {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"},
        ]},
        "status": {"conditions": [{
            "type": "Ready", "status": "Unknown", "reason": "NodeStatusUnknown",
            "message": "Kubelet stopped posting node status.",
            "lastTransitionTime": "2024-05-01T10:00:00Z",
        }]},
    });
    let got = run(n, json!({"containers": []}));
    assert_eq!((got.should_run, got.should_continue_running), (false, true));
    assert_eq!(codes(&got), vec!["UntoleratedTaint", "NodeNotReady", "UntoleratedTaint"]);
    assert_eq!(
        got.failures[1].cause,
        Cause::NodeNotReady {
            condition_status: "Unknown".to_string(),
            since: Some(ts("2024-05-01T10:00:00Z")),
            reason: Some("NodeStatusUnknown".to_string()),
        }
    );
    assert!(got.failures[0].hint.as_deref().is_some_and(|h| !h.contains("kubectl patch")));
}

// daemon_controller_test.go name/selector/affinity launch tests, counted over their node sets:
// 4 unlabelled nodes (node-0..3) and 3 with simpleNodeLabel (node-4..6); the expected creates are
// the number of nodes with shouldRun.
#[test]
fn launch_counts_over_node_sets() {
    let nodes: Vec<Node> = (0..7)
        .map(|i| {
            let labels = if i >= 4 { simple_node_label() } else { Value::Null };
            node(new_node(&format!("node-{i}"), labels))
        })
        .collect();
    let count = |spec_value: Value| {
        let spec = spec(spec_value);
        let template = DaemonTemplate::new(Some(&spec));
        nodes.iter().filter(|n| node_should_run(n, &template, &hints()).should_run).count()
    };
    let cases = [
        ("TestSelectorDaemonLaunchesPods", json!({"containers": [], "nodeSelector": simple_node_label()}), 3),
        (
            "TestBadSelectorDaemonDoesNothing",
            json!({"containers": [], "nodeSelector": {"color": "red", "speed": "fast"}}),
            0,
        ),
        ("TestNameDaemonSetLaunchesPods", json!({"containers": [], "nodeName": "node-0"}), 1),
        ("TestBadNameDaemonSetDoesNothing", json!({"containers": [], "nodeName": "node-10"}), 0),
        (
            "TestNameAndSelectorDaemonSetLaunchesPods",
            json!({"containers": [], "nodeName": "node-6", "nodeSelector": simple_node_label()}),
            1,
        ),
        (
            "TestInconsistentNameSelectorDaemonSetDoesNothing",
            json!({"containers": [], "nodeName": "node-0", "nodeSelector": simple_node_label()}),
            0,
        ),
        ("TestNodeAffinityDaemonLaunchesPods", json!({"containers": [], "affinity": affinity("color", "blue")}), 3),
        ("TestSimpleDaemonSetLaunchesPods", json!({"containers": []}), 7),
    ];
    for (name, spec_value, want) in cases {
        assert_eq!(count(spec_value), want, "{name}");
    }
}

// nodeaffinity_test.go TestPodMatchesNodeSelectorAndAffinityTerms: NodeShouldRunDaemonPod applies
// the same GetRequiredNodeAffinity(pod).Match(node), nodeSelector ANDed with required affinity.
#[test]
fn pod_matches_node_selector_and_affinity_terms() {
    let req = |terms: Value| json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": terms}}});
    let expr = |key: &str, operator: &str, values: Value| json!({"key": key, "operator": operator, "values": values});
    let exists = |key: &str| json!({"key": key, "operator": "Exists"});
    let name_in = |name: &str| json!({"key": "metadata.name", "operator": "In", "values": [name]});
    let foo_bar = json!({"foo": "bar"});
    let cases = [
        ("no selector", json!({}), Value::Null, "", true),
        ("missing labels", json!({"nodeSelector": {"foo": "bar"}}), Value::Null, "", false),
        ("same labels", json!({"nodeSelector": {"foo": "bar"}}), foo_bar.clone(), "", true),
        (
            "node labels are superset",
            json!({"nodeSelector": {"foo": "bar"}}),
            json!({"foo": "bar", "baz": "blah"}),
            "",
            true,
        ),
        ("node labels are subset", json!({"nodeSelector": {"foo": "bar", "baz": "blah"}}), foo_bar.clone(), "", false),
        (
            "matchExpressions In matches",
            json!({"affinity": req(json!([{"matchExpressions": [expr("foo", "In", json!(["bar", "value2"]))]}]))}),
            foo_bar.clone(),
            "",
            true,
        ),
        (
            "matchExpressions Gt matches",
            json!({"affinity": req(json!([{"matchExpressions": [expr("kernel-version", "Gt", json!(["0204"]))]}]))}),
            json!({"kernel-version": "0206"}),
            "",
            true,
        ),
        (
            "matchExpressions NotIn matches",
            json!({"affinity": req(json!([{"matchExpressions": [expr("mem-type", "NotIn", json!(["DDR", "DDR2"]))]}]))}),
            json!({"mem-type": "DDR3"}),
            "",
            true,
        ),
        (
            "matchExpressions Exists matches",
            json!({"affinity": req(json!([{"matchExpressions": [exists("GPU")]}]))}),
            json!({"GPU": "NVIDIA-GRID-K1"}),
            "",
            true,
        ),
        (
            "affinity that doesn't match node's labels",
            json!({"affinity": req(json!([{"matchExpressions": [expr("foo", "In", json!(["value1", "value2"]))]}]))}),
            foo_bar.clone(),
            "",
            false,
        ),
        ("nil []NodeSelectorTerm", json!({"affinity": req(Value::Null)}), foo_bar.clone(), "", false),
        ("empty []NodeSelectorTerm", json!({"affinity": req(json!([]))}), foo_bar.clone(), "", false),
        (
            "empty MatchExpressions",
            json!({"affinity": req(json!([{"matchExpressions": []}]))}),
            foo_bar.clone(),
            "",
            false,
        ),
        ("no Affinity", json!({}), foo_bar.clone(), "", true),
        ("Affinity but nil NodeSelector", json!({"affinity": {"nodeAffinity": {}}}), foo_bar.clone(), "", true),
        (
            "multiple matchExpressions ANDed that match",
            json!({"affinity": req(json!([{"matchExpressions": [exists("GPU"), expr("GPU", "NotIn", json!(["AMD", "INTER"]))]}]))}),
            json!({"GPU": "NVIDIA-GRID-K1"}),
            "",
            true,
        ),
        (
            "multiple matchExpressions ANDed that don't match",
            json!({"affinity": req(json!([{"matchExpressions": [exists("GPU"), expr("GPU", "In", json!(["AMD", "INTER"]))]}]))}),
            json!({"GPU": "NVIDIA-GRID-K1"}),
            "",
            false,
        ),
        (
            "multiple NodeSelectorTerms ORed",
            json!({"affinity": req(json!([
                {"matchExpressions": [expr("foo", "In", json!(["bar", "value2"]))]},
                {"matchExpressions": [expr("diffkey", "In", json!(["wrong", "value2"]))]},
            ]))}),
            foo_bar.clone(),
            "",
            true,
        ),
        (
            "Affinity and nodeSelector both satisfied",
            json!({"nodeSelector": {"foo": "bar"}, "affinity": req(json!([{"matchExpressions": [exists("foo")]}]))}),
            foo_bar.clone(),
            "",
            true,
        ),
        (
            "Affinity matches but nodeSelector is not satisfied",
            json!({"nodeSelector": {"foo": "bar"}, "affinity": req(json!([{"matchExpressions": [exists("foo")]}]))}),
            json!({"foo": "barrrrrr"}),
            "",
            false,
        ),
        (
            "invalid value in Affinity term",
            json!({"affinity": req(json!([{"matchExpressions": [expr("foo", "NotIn", json!(["invalid value: ___@#$%^"]))]}]))}),
            foo_bar.clone(),
            "",
            false,
        ),
        (
            "matchFields In matches",
            json!({"affinity": req(json!([{"matchFields": [name_in("node_1")]}]))}),
            Value::Null,
            "node_1",
            true,
        ),
        (
            "matchFields In does not match",
            json!({"affinity": req(json!([{"matchFields": [name_in("node_1")]}]))}),
            Value::Null,
            "node_2",
            false,
        ),
        (
            "two terms: matchFields does not match, but matchExpressions matches",
            json!({"affinity": req(json!([
                {"matchFields": [name_in("node_1")]},
                {"matchExpressions": [expr("foo", "In", json!(["bar"]))]},
            ]))}),
            foo_bar.clone(),
            "node_2",
            true,
        ),
        (
            "one term: matchFields does not match, but matchExpressions matches",
            json!({"affinity": req(json!([{
                "matchFields": [name_in("node_1")],
                "matchExpressions": [expr("foo", "In", json!(["bar"]))],
            }]))}),
            foo_bar.clone(),
            "node_2",
            false,
        ),
        (
            "one term: both matchFields and matchExpressions match",
            json!({"affinity": req(json!([{
                "matchFields": [name_in("node_1")],
                "matchExpressions": [expr("foo", "In", json!(["bar"]))],
            }]))}),
            foo_bar.clone(),
            "node_1",
            true,
        ),
        (
            "two terms: both matchFields and matchExpressions do not match",
            json!({"affinity": req(json!([
                {"matchFields": [name_in("node_1")]},
                {"matchExpressions": [expr("foo", "In", json!(["not-match-to-bar"]))]},
            ]))}),
            foo_bar,
            "node_2",
            false,
        ),
    ];
    for (name, pod_spec, node_labels, node_name, want) in cases {
        let spec_value = with(pod_spec, "/containers", json!([]));
        let node_value = json!({"metadata": {"name": node_name, "labels": node_labels}});
        let got = run(node_value, spec_value);
        assert_eq!((got.should_run, got.should_continue_running), (want, want), "{name}");
    }
}

// NewPod: a template without a spec (a malformed manifest) still gets the default tolerations,
// and nothing else restricts it.
#[test]
fn missing_template_spec() {
    let n = node(with(
        new_node("n", Value::Null),
        "/spec/taints",
        json!([{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]),
    ));
    let got = node_should_run(&n, &DaemonTemplate::new(None), &hints());
    assert_eq!((got.should_run, got.should_continue_running), (true, true));
    assert!(got.failures.is_empty());
}

// controller_rules on the TestNodeShouldRunDaemonPod rows: a rule fails exactly when the verdict
// is "no", and the failing rule is the one the verdict's first reason names.
#[test]
fn controller_rules_agree_with_node_should_run_daemon_pod() {
    let test_node = || new_node("test-node", simple_daemon_set_label());
    let cases = [
        ("ShouldRunDaemonPod", test_node(), resource_pod_spec("", "50M", "0.5"), None),
        ("ErrPodNotMatchHostName", test_node(), resource_pod_spec("other-node", "50M", "0.5"), Some("nodeName")),
        (
            "ErrNodeSelectorNotMatch",
            test_node(),
            json!({"containers": [], "nodeSelector": simple_daemon_set_label2()}),
            Some("nodeSelector"),
        ),
        (
            "ErrPodAffinityNotMatch",
            test_node(),
            json!({"containers": [], "affinity": affinity("type", "test")}),
            Some("nodeAffinity"),
        ),
        (
            "ShouldRunDaemonPod (affinity matches)",
            test_node(),
            json!({"containers": [], "affinity": affinity("type", "production")}),
            None,
        ),
        (
            "ShouldRunDaemonPodOnUnschedulableNode",
            with(
                with(test_node(), "/spec/unschedulable", json!(true)),
                "/spec/taints",
                json!([{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]),
            ),
            resource_pod_spec("", "50M", "0.5"),
            None,
        ),
        (
            "TaintedNodeDaemonDoesNotLaunchIntolerantPod",
            with(test_node(), "/spec/taints", json!([{"key": "dedicated", "value": "x", "effect": "NoSchedule"}])),
            json!({"containers": []}),
            Some("taint"),
        ),
    ];
    for (name, node_value, spec_value, failing) in cases {
        let node = node(node_value);
        let spec = spec(spec_value);
        let template = DaemonTemplate::new(Some(&spec));
        let rules = controller_rules(&node, &template);
        let verdict = node_should_run(&node, &template, &hints());
        let failed: Vec<&str> = rules.iter().filter(|r| r.passed == Some(false)).map(|r| r.name.as_str()).collect();
        assert_eq!(failed.is_empty(), verdict.should_run, "{name}: {rules:#?}");
        assert_eq!(failed.first().copied(), failing, "{name}");
        assert!(rules.iter().all(|r| r.stage == Stage::Controller), "{name}");
    }
}

// The evidence names the node's own value: the label it has, or that it has none.
#[test]
fn controller_rules_show_the_node_side() {
    let node = node(new_node("n", json!({"type": "production", "zone": "b"})));
    let spec = spec(json!({
        "containers": [],
        "nodeSelector": {"type": "test", "color": "blue"},
        "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]},
            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["other"]}]},
        ]}}},
    }));
    let rules = controller_rules(&node, &DaemonTemplate::new(Some(&spec)));
    let shown: Vec<(Option<&str>, Option<bool>, &str)> =
        rules.iter().map(|r| (r.subject.as_deref(), r.passed, r.evidence.as_str())).collect();
    assert_eq!(
        shown,
        [
            (None, Some(true), "the template sets no spec.nodeName"),
            (Some("color=blue"), Some(false), "node has no label color"),
            (Some("type=test"), Some(false), "node has type=production"),
            (Some("term 0: zone in (a)"), Some(false), "node has zone=b"),
            (Some("term 1: metadata.name=other"), Some(false), "node is named n"),
            (None, Some(false), "none of 2 term(s) matches (terms are ORed, a term's requirements ANDed)"),
            (None, Some(true), "node has no taints"),
        ]
    );
}

/// `decide` is `node_should_run` without the reasons: the same decision on every fixture node for
/// every fixture DaemonSet, and `node_should_run` gives reasons exactly when the pod is refused.
#[test]
fn deciding_alone_agrees_with_the_reasoned_verdict() {
    let mut refused = 0;
    for (file, snapshot) in crate::engine::test_support::fixture_snapshots() {
        for ds in &snapshot.daemonsets {
            let template = DaemonTemplate::new(ds.spec.template.spec.as_ref());
            for node in &snapshot.nodes {
                let reasoned = node_should_run(node, &template, &hints());
                let decided = decide(node, &template);
                let case = format!("{file}: {:?} on {:?}", ds.metadata.name, node.metadata.name);
                assert_eq!(decided.should_run, reasoned.should_run, "{case}");
                assert_eq!(decided.should_continue_running, reasoned.should_continue_running, "{case}");
                assert!(decided.failures.is_empty(), "{case}");
                assert_eq!(reasoned.failures.is_empty(), reasoned.should_run, "{case}");
                refused += usize::from(!reasoned.should_run);
            }
        }
    }
    assert!(refused > 10, "the fixtures refuse only {refused} nodes: the test would prove little");
}
