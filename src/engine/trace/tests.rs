use serde_json::{Value, json};

use super::*;
use crate::engine::test_support::snapshot;
use crate::version::KubeVersion;

const AS_OF: &str = "2026-05-01T12:00:00Z";

fn node(name: &str, taints: Value, cpu: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": {"kubernetes.io/os": "linux"}},
           "spec": {"taints": taints},
           "status": {"allocatable": {"cpu": cpu, "memory": "4Gi", "pods": "110"},
                      "conditions": [{"type": "Ready", "status": "True"}]}})
}

fn daemonset(spec: Value) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "ns", "uid": "ds-uid", "generation": 1,
                     "annotations": {"deprecated.daemonset.template.generation": "1"}},
        "spec": {"selector": {"matchLabels": {"app": "agent"}},
                 "template": {"metadata": {"labels": {"app": "agent"}}, "spec": spec}},
        "status": {"observedGeneration": 1, "desiredNumberScheduled": 0, "currentNumberScheduled": 0,
                   "numberReady": 0, "numberMisscheduled": 0}})
}

fn agent(cpu: &str) -> Value {
    json!({"containers": [{"name": "c", "image": "agent:1", "resources": {"requests": {"cpu": cpu}}}]})
}

fn run(objects: Vec<Value>, nodes: &[&str]) -> SchedulingTrace {
    let snapshot = snapshot(objects);
    let opts = Options {
        as_of: AS_OF.parse().unwrap(),
        version: KubeVersion::new(33, 0),
        stuck_after: super::super::DEFAULT_STUCK_AFTER,
    };
    let nodes: Vec<String> = nodes.iter().map(|n| n.to_string()).collect();
    trace(&snapshot, Target::Existing(&snapshot.daemonsets[0]), &opts, &nodes)
}

fn dedicated(value: &str) -> Value {
    json!([{"key": "dedicated", "value": value, "effect": "NoSchedule"}])
}

#[test]
fn a_toleration_fix_counts_the_other_nodes_it_reaches() {
    let report = run(
        vec![
            daemonset(agent("100m")),
            node("a", dedicated("infra"), "2"),
            node("b", dedicated("infra"), "2"),
            node("c", dedicated("infra"), "2"),
            node("d", dedicated("gpu"), "2"),
            node("e", json!([]), "2"),
        ],
        &["a"],
    );
    let fix = &report.nodes[0].fixes[0];
    assert_eq!(fix.effect, "places the pod on a; also places it on 2 other nodes: b, c");
    assert_eq!(fix.other_nodes, ["b", "c"]);
    assert_eq!(
        fix.yaml.as_deref(),
        Some("tolerations:\n- key: dedicated\n  operator: Equal\n  value: infra\n  effect: NoSchedule\n")
    );
}

#[test]
fn excluded_nodes_group_by_their_whole_set_of_causes() {
    let report = run(
        vec![
            daemonset(agent("100m")),
            node("a", dedicated("infra"), "2"),
            node("b", dedicated("infra"), "2"),
            node(
                "c",
                json!([{"key": "dedicated", "value": "infra", "effect": "NoSchedule"},
                             {"key": "zone", "value": "dmz", "effect": "NoExecute"}]),
                "2",
            ),
            node("d", dedicated("gpu"), "2"),
        ],
        &[],
    );
    let groups: Vec<(u32, Vec<String>)> = report.excluded.iter().map(|g| (g.count, g.nodes.clone())).collect();
    assert_eq!(
        groups,
        [(2, vec!["a".to_string(), "b".to_string()]), (1, vec!["c".to_string()]), (1, vec!["d".to_string()])]
    );
    // dedicated=infra alone leaves c out: its NoExecute taint still fails.
    assert_eq!(report.excluded[0].fixes[0].effect, "places the pod on these 2 nodes; changes no other node");
    // Two taints, one patch that adds both tolerations, which also covers a and b.
    let both = &report.excluded[1].fixes[0];
    assert_eq!(both.effect, "places the pod on c; also places it on 2 other nodes: a, b");
    let command = both.command.as_deref().unwrap();
    assert!(command.contains(r#""key":"dedicated""#) && command.contains(r#""key":"zone""#), "{command}");
}

#[test]
fn a_resource_fix_lowers_the_request_only_as_far_as_needed() {
    let report =
        run(vec![daemonset(agent("1500m")), node("small", json!([]), "1"), node("tiny", json!([]), "600m")], &[]);
    let small = report.nodes.iter().find(|n| n.node == "small").unwrap();
    let cpu = small.rules.iter().find(|r| r.subject.as_deref() == Some("cpu")).unwrap();
    assert_eq!(
        (cpu.passed, cpu.evidence.as_str()),
        (Some(false), "requests 1500m, 1 free of 1 allocatable (0 requested by 0 other pods)")
    );
    assert_eq!(
        small.fixes[0].command.as_deref(),
        Some("kubectl set resources daemonset agent -n ns -c c --requests=cpu=1")
    );
    assert!(small.fixes[0].other_nodes.is_empty(), "1 cpu does not fit tiny's 600m");
    let tiny = report.nodes.iter().find(|n| n.node == "tiny").unwrap();
    assert_eq!(tiny.fixes[0].other_nodes, ["small"], "600m fits both");
}

#[test]
fn controller_rules_fail_exactly_when_the_node_is_excluded() {
    let report = run(
        vec![
            daemonset(json!({"nodeSelector": {"kubernetes.io/os": "linux"},
                             "tolerations": [{"key": "dedicated", "operator": "Exists", "effect": "NoExecute"}],
                             "containers": [{"name": "c", "image": "agent:1"}]})),
            node("ok", json!([]), "2"),
            node("tainted", dedicated("x"), "2"),
        ],
        &["ok", "tainted"],
    );
    for trace in &report.nodes {
        let fails = trace.rules.iter().any(|r| r.stage == Stage::Controller && r.passed == Some(false));
        assert_eq!(fails, trace.should_run == Some(false), "{}", trace.node);
    }
    let tainted = report.nodes.iter().find(|n| n.node == "tainted").unwrap();
    let taint = tainted.rules.iter().find(|r| r.name == "taint").unwrap();
    assert_eq!(
        taint.evidence,
        "not tolerated: no new pod here; a running one is left alone; nearest toleration {key: dedicated, \
         operator: Exists, effect: NoExecute} differs in effect (the taint's is NoSchedule)"
    );
}

// The kubelet's words (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables: "couldn't find key
// %v in ConfigMap %v/%v", "couldn't find key %v in Secret %v/%v"; NotFound from the secret and
// configmap managers; the volume plugins' MountVolume.SetUp errors).
#[test]
fn missing_objects_from_kubelet_messages() {
    let key = |kind, name: &str, key: &str| MissingObject::Key {
        kind,
        namespace: "ops".to_string(),
        name: name.to_string(),
        key: key.to_string(),
    };
    let object = |kind, name: &str| MissingObject::Object { kind, name: name.to_string() };
    let cases = [
        (
            "couldn't find key api-token in Secret ops/agent-credentials",
            Some(key("Secret", "agent-credentials", "api-token")),
        ),
        (
            "Error: couldn't find key log.level in ConfigMap ops/agent-config",
            Some(key("ConfigMap", "agent-config", "log.level")),
        ),
        // Before 1.6 the kubelet capitalised it.
        ("Couldn't find key token in Secret ops/creds", Some(key("Secret", "creds", "token"))),
        ("secret \"agent-credentials\" not found", Some(object("Secret", "agent-credentials"))),
        ("Error: configmap \"agent-config\" not found", Some(object("ConfigMap", "agent-config"))),
        ("secrets \"tls\" not found", Some(object("Secret", "tls"))),
        (
            "MountVolume.SetUp failed for volume \"config\" : configmap \"agent-config\" not found",
            Some(object("ConfigMap", "agent-config")),
        ),
        ("MountVolume.SetUp failed for volume \"data\" : mount failed: exit status 32", None),
        ("failed to sync secret cache: timed out waiting for the condition", None),
    ];
    for (message, want) in cases {
        assert_eq!(MissingObject::parse(message), want, "{message}");
    }
}

// pod-security-admission: "violates PodSecurity %q: %s" (1.25+), "pod violates PodSecurity %q:
// %s" (1.22-1.24), the level rendered as "<level>:<version>".
#[test]
fn pod_security_levels_from_admission_messages() {
    let cases = [
        (
            "pods \"agent-x7k2p\" is forbidden: violates PodSecurity \"baseline:latest\": host namespaces (hostNetwork=true)",
            Some("baseline"),
        ),
        (
            "pods \"agent-\" is forbidden: pod violates PodSecurity \"restricted:v1.23\": allowPrivilegeEscalation != false",
            Some("restricted"),
        ),
        (
            "pods \"agent-\" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=10, limited: pods=10",
            None,
        ),
    ];
    for (message, want) in cases {
        assert_eq!(pod_security_level(message), want, "{message}");
    }
}

#[test]
fn patch_paths_escape_map_keys() {
    assert_eq!(pointer("kubernetes.io/os"), "kubernetes.io~1os");
    assert_eq!(pointer("a~b/c"), "a~0b~1c");
}

#[test]
fn new_requests_round_down_to_units_people_write() {
    assert_eq!(round_down("cpu", 1_234), 1_234);
    assert_eq!(round_down("memory", (300 << 20) * 1000 + 12_345_000), (300 << 20) * 1000);
    assert_eq!(round_down("memory", 5000 * 1000), 4 * 1024 * 1000);
    assert_eq!(round_down("memory", -5), 0);
}

#[test]
fn long_lists_of_names_end_with_a_count() {
    let list: Vec<String> = (1..=7).map(|i| format!("n{i}")).collect();
    assert_eq!(names(&list), "n1, n2, n3, n4, n5 and 2 more");
    assert_eq!(names(&list[..2]), "n1, n2");
}

// The 1.20.2 scheduler's message of tests/why_live.rs: the taint entry is another node's, which
// only the node's own reasons can tell.
#[test]
fn fit_error_entries_are_split_between_this_node_and_the_others() {
    let message = "0/5 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, \
                   1 node(s) had taint {dedicated: infra}, that the pod didn't tolerate, 3 node(s) didn't match \
                   Pod's node affinity.";
    let own = [Reason {
        cause: Cause::HostPortConflict { port: Some(8080), protocol: Some("TCP".to_string()), held_by: None },
        message: String::new(),
        hint: None,
    }];
    assert_eq!(
        read_fit_error(message, &own),
        " → for this node: HostPortConflict; the other 4 nodes: 1 untolerated taint dedicated, 3 NodeAffinity \
         (the pod is pinned to this node)"
    );
    assert_eq!(
        read_fit_error(message, &[]),
        " → no entry matches what the snapshot shows for this node now: 1 no free host port, 1 untolerated taint \
         dedicated, 3 NodeAffinity (the pod is pinned to this node)"
    );
    assert_eq!(read_fit_error("running PreBind plugin \"VolumeBinding\": timed out", &own), "");
}
