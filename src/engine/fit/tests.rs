use super::*;
use crate::engine::test_support::{from_json, node, pod, spec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

use crate::snapshot::{FoldedPods, FoldedPort, Snapshot};

fn with_pods(pods: &[Pod], folded: BTreeMap<String, FoldedPods>) -> Snapshot {
    let mut snapshot = Snapshot::empty(crate::snapshot::Origin::Offline { paths: Vec::new() });
    snapshot.pods = pods.to_vec();
    snapshot.folded = folded;
    snapshot
}

/// A container requesting `cpu` millicores, `memory` bytes and the given other resources, like
/// fit_test.go newResourcePod's framework.Resource.
fn container(cpu_m: i64, memory: i64, extra: &[(&str, &str)]) -> Value {
    let mut requests = Map::new();
    if cpu_m > 0 {
        requests.insert("cpu".into(), json!(format!("{cpu_m}m")));
    }
    if memory > 0 {
        requests.insert("memory".into(), json!(memory.to_string()));
    }
    for (name, quantity) in extra {
        requests.insert(name.to_string(), json!(quantity));
    }
    json!({"name": "c", "resources": {"requests": requests}})
}

fn pod_spec(containers: Vec<Value>, init_containers: Vec<Value>) -> Value {
    json!({"containers": containers, "initContainers": init_containers})
}

/// fit_test.go makeAllocatableResources(10, 20, 32, 5, 20, 5).
fn enough_node(pods: &str) -> Node {
    node(json!({
        "metadata": {"name": "node"},
        "status": {"allocatable": {
            "cpu": "10m", "memory": "20", "pods": pods, "example.com/aaa": "5",
            "ephemeral-storage": "20", "hugepages-2Mi": "5",
        }},
    }))
}

/// The pods already on the node, as framework.NewNodeInfo(pods...) holds them.
fn existing(spec_value: Value) -> Vec<Pod> {
    let mut spec_value = spec_value;
    spec_value["nodeName"] = json!("node");
    vec![pod(json!({"metadata": {"name": "p1", "namespace": "default"}, "spec": spec_value}))]
}

fn insufficient_resources(reasons: &[Reason]) -> Vec<String> {
    reasons
        .iter()
        .map(|r| match &r.cause {
            Cause::InsufficientResources { resource, .. } => resource.clone(),
            other => format!("unexpected {}", other.code()),
        })
        .collect()
}

fn fit(new_spec: Value, on_node: Vec<Pod>, node: &Node) -> Vec<Reason> {
    let snapshot = with_pods(&on_node, BTreeMap::new());
    let usage = usage_by_node(&snapshot, |_| false);
    match check_fit(&spec(new_spec), node, usage.get("node")) {
        Some(reasons) => reasons,
        None => panic!("the node reports allocatable resources"),
    }
}

// noderesources fit_test.go TestEnoughRequests (all rows but "skip checking ignored extended
// resource": the engine has no ignoredResources configuration). Node: cpu 10m, memory 20, pods 32,
// example.com/aaa 5, ephemeral-storage 20, hugepages-2Mi 5.
#[test]
fn enough_requests() {
    let aaa = "example.com/aaa";
    let bbb = "example.com/bbb";
    let hp = "hugepages-2Mi";
    let c = container;
    let cases: Vec<(&str, Value, Value, Vec<&str>)> = vec![
        (
            "no resources requested always fits",
            pod_spec(vec![], vec![]),
            pod_spec(vec![c(10, 20, &[])], vec![]),
            vec![],
        ),
        (
            "too many resources fails",
            pod_spec(vec![c(1, 1, &[])], vec![]),
            pod_spec(vec![c(10, 20, &[])], vec![]),
            vec!["cpu", "memory"],
        ),
        (
            "too many resources fails due to init container cpu",
            pod_spec(vec![c(1, 1, &[])], vec![c(3, 1, &[])]),
            pod_spec(vec![c(8, 19, &[])], vec![]),
            vec!["cpu"],
        ),
        (
            "too many resources fails due to highest init container cpu",
            pod_spec(vec![c(1, 1, &[])], vec![c(3, 1, &[]), c(2, 1, &[])]),
            pod_spec(vec![c(8, 19, &[])], vec![]),
            vec!["cpu"],
        ),
        (
            "too many resources fails due to init container memory",
            pod_spec(vec![c(1, 1, &[])], vec![c(1, 3, &[])]),
            pod_spec(vec![c(9, 19, &[])], vec![]),
            vec!["memory"],
        ),
        (
            "too many resources fails due to highest init container memory",
            pod_spec(vec![c(1, 1, &[])], vec![c(1, 3, &[]), c(1, 2, &[])]),
            pod_spec(vec![c(9, 19, &[])], vec![]),
            vec!["memory"],
        ),
        (
            "init container fits because it's the max, not sum, of containers and init containers",
            pod_spec(vec![c(1, 1, &[])], vec![c(1, 1, &[])]),
            pod_spec(vec![c(9, 19, &[])], vec![]),
            vec![],
        ),
        (
            "multiple init containers fit because it's the max, not sum, of containers and init containers",
            pod_spec(vec![c(1, 1, &[])], vec![c(1, 1, &[]), c(1, 1, &[])]),
            pod_spec(vec![c(9, 19, &[])], vec![]),
            vec![],
        ),
        ("both resources fit", pod_spec(vec![c(1, 1, &[])], vec![]), pod_spec(vec![c(5, 5, &[])], vec![]), vec![]),
        (
            "one resource memory fits",
            pod_spec(vec![c(2, 1, &[])], vec![]),
            pod_spec(vec![c(9, 5, &[])], vec![]),
            vec!["cpu"],
        ),
        (
            "one resource cpu fits",
            pod_spec(vec![c(1, 2, &[])], vec![]),
            pod_spec(vec![c(5, 19, &[])], vec![]),
            vec!["memory"],
        ),
        ("equal edge case", pod_spec(vec![c(5, 1, &[])], vec![]), pod_spec(vec![c(5, 19, &[])], vec![]), vec![]),
        (
            "equal edge case for init container",
            pod_spec(vec![c(4, 1, &[])], vec![c(5, 1, &[])]),
            pod_spec(vec![c(5, 19, &[])], vec![]),
            vec![],
        ),
        (
            "extended resource fits",
            pod_spec(vec![c(0, 0, &[(aaa, "1")])], vec![]),
            pod_spec(vec![c(0, 0, &[])], vec![]),
            vec![],
        ),
        (
            "extended resource fits for init container",
            pod_spec(vec![c(0, 0, &[])], vec![c(0, 0, &[(aaa, "1")])]),
            pod_spec(vec![c(0, 0, &[])], vec![]),
            vec![],
        ),
        (
            "extended resource capacity enforced",
            pod_spec(vec![c(1, 1, &[(aaa, "10")])], vec![]),
            pod_spec(vec![c(0, 0, &[(aaa, "0")])], vec![]),
            vec![aaa],
        ),
        (
            "extended resource capacity enforced for init container",
            pod_spec(vec![c(0, 0, &[])], vec![c(1, 1, &[(aaa, "10")])]),
            pod_spec(vec![c(0, 0, &[(aaa, "0")])], vec![]),
            vec![aaa],
        ),
        (
            "extended resource allocatable enforced",
            pod_spec(vec![c(1, 1, &[(aaa, "1")])], vec![]),
            pod_spec(vec![c(0, 0, &[(aaa, "5")])], vec![]),
            vec![aaa],
        ),
        (
            "extended resource allocatable enforced for init container",
            pod_spec(vec![c(0, 0, &[])], vec![c(1, 1, &[(aaa, "1")])]),
            pod_spec(vec![c(0, 0, &[(aaa, "5")])], vec![]),
            vec![aaa],
        ),
        (
            "extended resource allocatable enforced for multiple containers",
            pod_spec(vec![c(1, 1, &[(aaa, "3")]), c(1, 1, &[(aaa, "3")])], vec![]),
            pod_spec(vec![c(0, 0, &[(aaa, "2")])], vec![]),
            vec![aaa],
        ),
        (
            "extended resource allocatable admits multiple init containers",
            pod_spec(vec![c(0, 0, &[])], vec![c(1, 1, &[(aaa, "3")]), c(1, 1, &[(aaa, "3")])]),
            pod_spec(vec![c(0, 0, &[(aaa, "2")])], vec![]),
            vec![],
        ),
        (
            "extended resource allocatable enforced for multiple init containers",
            pod_spec(vec![c(0, 0, &[])], vec![c(1, 1, &[(aaa, "6")]), c(1, 1, &[(aaa, "3")])]),
            pod_spec(vec![c(0, 0, &[(aaa, "2")])], vec![]),
            vec![aaa],
        ),
        (
            "extended resource allocatable enforced for unknown resource",
            pod_spec(vec![c(1, 1, &[(bbb, "1")])], vec![]),
            pod_spec(vec![c(0, 0, &[])], vec![]),
            vec![bbb],
        ),
        (
            "extended resource allocatable enforced for unknown resource for init container",
            pod_spec(vec![c(0, 0, &[])], vec![c(1, 1, &[(bbb, "1")])]),
            pod_spec(vec![c(0, 0, &[])], vec![]),
            vec![bbb],
        ),
        (
            "kubernetes.io resource capacity enforced",
            pod_spec(vec![c(1, 1, &[("kubernetes.io/something", "10")])], vec![]),
            pod_spec(vec![c(0, 0, &[])], vec![]),
            vec!["kubernetes.io/something"],
        ),
        (
            "kubernetes.io resource capacity enforced for init container",
            pod_spec(vec![c(0, 0, &[])], vec![c(1, 1, &[("subdomain.kubernetes.io/something", "10")])]),
            pod_spec(vec![c(0, 0, &[])], vec![]),
            vec!["subdomain.kubernetes.io/something"],
        ),
        (
            "hugepages resource capacity enforced",
            pod_spec(vec![c(1, 1, &[(hp, "10")])], vec![]),
            pod_spec(vec![c(0, 0, &[(hp, "0")])], vec![]),
            vec![hp],
        ),
        (
            "hugepages resource capacity enforced for init container",
            pod_spec(vec![c(0, 0, &[])], vec![c(1, 1, &[(hp, "10")])]),
            pod_spec(vec![c(0, 0, &[(hp, "0")])], vec![]),
            vec![hp],
        ),
        (
            "hugepages resource allocatable enforced for multiple containers",
            pod_spec(vec![c(1, 1, &[(hp, "3")]), c(1, 1, &[(hp, "3")])], vec![]),
            pod_spec(vec![c(0, 0, &[(hp, "2")])], vec![]),
            vec![hp],
        ),
        (
            "resources + pod overhead fits",
            {
                let mut s = pod_spec(vec![c(1, 1, &[])], vec![]);
                s["overhead"] = json!({"cpu": "3m", "memory": "13"});
                s
            },
            pod_spec(vec![c(5, 5, &[])], vec![]),
            vec![],
        ),
        (
            "requests + overhead does not fit for memory",
            {
                let mut s = pod_spec(vec![c(1, 1, &[])], vec![]);
                s["overhead"] = json!({"cpu": "1m", "memory": "15"});
                s
            },
            pod_spec(vec![c(5, 5, &[])], vec![]),
            vec!["memory"],
        ),
    ];
    let node = enough_node("32");
    for (name, new_spec, on_node, want) in cases {
        let got = insufficient_resources(&fit(new_spec, existing(on_node), &node));
        assert_eq!(got, want, "{name}");
    }
}

// fit_test.go TestEnoughRequests "too many resources fails": InsufficientResource{cpu, 1, used 10,
// capacity 10} and {memory, 1, 20, 20}, shown in kubectl describe units.
#[test]
fn insufficient_detail() {
    let reasons = fit(
        pod_spec(vec![container(1, 1, &[])], vec![]),
        existing(pod_spec(vec![container(10, 20, &[])], vec![])),
        &enough_node("32"),
    );
    let causes: Vec<&Cause> = reasons.iter().map(|r| &r.cause).collect();
    let want = [
        Cause::InsufficientResources {
            resource: "cpu".to_string(),
            requested: Some("1m".to_string()),
            free: Some("0".to_string()),
            allocatable: Some("10m".to_string()),
        },
        Cause::InsufficientResources {
            resource: "memory".to_string(),
            requested: Some("1".to_string()),
            free: Some("0".to_string()),
            allocatable: Some("20".to_string()),
        },
    ];
    assert_eq!(causes, want.iter().collect::<Vec<_>>());
    assert_eq!(reasons[0].message, "insufficient cpu: requests 1m, 0 free of 10m allocatable");
}

// fit_test.go TestNotEnoughRequests: with room for one pod and one already there, only "Too many
// pods" is reported, even when the pod requests nothing and every resource would fit.
#[test]
fn not_enough_pods() {
    let node = node(json!({
        "metadata": {"name": "node"},
        "status": {"allocatable": {"cpu": "10m", "memory": "20", "pods": "1", "example.com/aaa": "0",
            "ephemeral-storage": "0", "hugepages-2Mi": "0"}},
    }));
    let c = container;
    let cases = [
        (
            "even without specified resources predicate fails when there's no space for additional pod",
            pod_spec(vec![], vec![]),
            pod_spec(vec![c(10, 20, &[])], vec![]),
        ),
        (
            "even if both resources fit predicate fails when there's no space for additional pod",
            pod_spec(vec![c(1, 1, &[])], vec![]),
            pod_spec(vec![c(5, 5, &[])], vec![]),
        ),
        (
            "even for equal edge case predicate fails when there's no space for additional pod",
            pod_spec(vec![c(5, 1, &[])], vec![]),
            pod_spec(vec![c(5, 19, &[])], vec![]),
        ),
        (
            "even for equal edge case predicate fails when there's no space for additional pod due to init container",
            pod_spec(vec![c(5, 1, &[])], vec![c(5, 1, &[])]),
            pod_spec(vec![c(5, 19, &[])], vec![]),
        ),
    ];
    for (name, new_spec, on_node) in cases {
        let reasons = fit(new_spec, existing(on_node), &node);
        assert_eq!(insufficient_resources(&reasons), vec!["pods"], "{name}");
        assert_eq!(reasons[0].message, "too many pods: the node allows 1 and has no room left", "{name}");
    }
    // An empty node still has room for its first pod.
    let snapshot = with_pods(&[], BTreeMap::new());
    let usage = usage_by_node(&snapshot, |_| false);
    assert_eq!(check_fit(&spec(pod_spec(vec![], vec![])), &node, usage.get("node")), Some(vec![]));
}

// fit_test.go TestStorageRequests.
#[test]
fn storage_requests() {
    let c = container;
    let cases = [
        (
            "due to container scratch disk",
            pod_spec(vec![c(1, 1, &[])], vec![]),
            pod_spec(vec![c(10, 10, &[])], vec![]),
            vec!["cpu"],
        ),
        ("pod fit", pod_spec(vec![c(1, 1, &[])], vec![]), pod_spec(vec![c(2, 10, &[])], vec![]), vec![]),
        (
            "storage ephemeral local storage request exceeds allocatable",
            pod_spec(vec![c(0, 0, &[("ephemeral-storage", "25")])], vec![]),
            pod_spec(vec![c(2, 2, &[])], vec![]),
            vec!["ephemeral-storage"],
        ),
        (
            "pod fits",
            pod_spec(vec![c(0, 0, &[("ephemeral-storage", "10")])], vec![]),
            pod_spec(vec![c(2, 2, &[])], vec![]),
            vec![],
        ),
    ];
    let node = enough_node("32");
    for (name, new_spec, on_node, want) in cases {
        assert_eq!(insufficient_resources(&fit(new_spec, existing(on_node), &node)), want, "{name}");
    }
}

// NodeResourcesFit cannot be judged without allocatable figures (a Node object without status).
#[test]
fn no_allocatable_no_verdict() {
    let bare = node(json!({"metadata": {"name": "node"}}));
    assert!(check_fit(&spec(pod_spec(vec![container(1, 1, &[])], vec![])), &bare, None).is_none());
    let empty_status = node(json!({"metadata": {"name": "node"}, "status": {}}));
    assert!(check_fit(&spec(pod_spec(vec![], vec![])), &empty_status, None).is_none());
}

fn requests(value: Value) -> Vec<(String, i128)> {
    pod_requests(&spec(value)).into_iter().collect()
}

fn amounts(pairs: &[(&str, i128)]) -> Vec<(String, i128)> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

const GI: i128 = 1 << 30;

// component-helpers resource helpers_test.go TestPodRequestsAndLimits (getPod with one container)
// and TestPodResourceRequests (default options: overhead included, spec requests). Amounts are in
// thousandths. "just-limit-no-overhead" expects no request there because the test pod is not
// defaulted; a real pod is (pkg/apis/core/v1 SetDefaults_Pod copies limits into missing requests),
// and the engine simulates the pod the controller will create, so the limit counts.
#[test]
fn pod_requests_table() {
    let cpu_only = |cpu: &str| json!({"resources": {"requests": {"cpu": cpu}}, "name": "c"});
    let sidecar = |cpu: &str| json!({"resources": {"requests": {"cpu": cpu}}, "name": "s", "restartPolicy": "Always"});
    let cases = [
        (
            "just-limit-no-overhead (defaulted)",
            json!({"containers": [{"name": "c", "resources": {"limits": {"cpu": "9"}}}]}),
            amounts(&[("cpu", 9_000)]),
        ),
        (
            "just-overhead",
            json!({"containers": [{"name": "c"}], "overhead": {"cpu": "5", "memory": "5"}}),
            amounts(&[("cpu", 5_000), ("memory", 5_000)]),
        ),
        (
            "req-and-overhead",
            json!({"containers": [{"name": "c", "resources": {"requests": {"cpu": "1", "memory": "10"}}}], "overhead": {"cpu": "5", "memory": "5"}}),
            amounts(&[("cpu", 6_000), ("memory", 15_000)]),
        ),
        (
            "all-req-lim-and-overhead",
            json!({"containers": [{"name": "c", "resources": {
                "requests": {"cpu": "1", "memory": "10"}, "limits": {"cpu": "2", "memory": "12"}
            }}], "overhead": {"cpu": "5", "memory": "5"}}),
            amounts(&[("cpu", 6_000), ("memory", 15_000)]),
        ),
        (
            "req-some-lim-and-overhead",
            json!({"containers": [{"name": "c", "resources": {
                "requests": {"cpu": "1", "memory": "10"}, "limits": {"cpu": "2"}
            }}], "overhead": {"cpu": "5", "memory": "5"}}),
            amounts(&[("cpu", 6_000), ("memory", 15_000)]),
        ),
        (
            "nil options, larger init container",
            json!({"containers": [cpu_only("1")], "initContainers": [cpu_only("4")]}),
            amounts(&[("cpu", 4_000)]),
        ),
        (
            "nil options, larger containers",
            json!({"containers": [cpu_only("2"), cpu_only("3")], "initContainers": [cpu_only("2")]}),
            amounts(&[("cpu", 5_000)]),
        ),
        (
            "pod overhead included",
            json!({
                "containers": [cpu_only("2"), cpu_only("3")],
                "initContainers": [{"name": "i", "resources": {"requests": {"cpu": "2"}, "limits": {"cpu": "2"}}}],
                "overhead": {"cpu": "1", "memory": "1Gi"},
            }),
            amounts(&[("cpu", 6_000), ("memory", GI * 1000)]),
        ),
        (
            "restartable init container",
            json!({"containers": [cpu_only("1")], "initContainers": [sidecar("1")]}),
            amounts(&[("cpu", 2_000)]),
        ),
        (
            "multiple restartable init containers",
            json!({"containers": [cpu_only("1")], "initContainers": [cpu_only("5"), sidecar("1"), sidecar("2"), sidecar("3")]}),
            amounts(&[("cpu", 7_000)]),
        ),
        (
            "multiple restartable and regular init containers",
            json!({"containers": [cpu_only("1")], "initContainers": [
                cpu_only("5"), sidecar("1"), sidecar("2"), cpu_only("5"), sidecar("3")
            ]}),
            amounts(&[("cpu", 8_000)]),
        ),
        (
            "restartable-init, init and regular",
            json!({"containers": [cpu_only("100")], "initContainers": [sidecar("10"), cpu_only("200")]}),
            amounts(&[("cpu", 210_000)]),
        ),
        (
            "two container with overhead, massive init - should just be the largest init (overhead added)",
            json!({
                "containers": [
                    {"name": "foobar", "resources": {"requests": {"cpu": "1", "memory": "5"}, "limits": {"cpu": "2", "memory": "10"}}},
                    {"name": "foobar2", "resources": {"requests": {"cpu": "4", "memory": "12"}, "limits": {"cpu": "8", "memory": "24"}}},
                ],
                "initContainers": [
                    {"name": "small-init", "resources": {"requests": {"cpu": "1", "memory": "5"}, "limits": {"cpu": "1", "memory": "5"}}},
                    {"name": "big-init", "resources": {"requests": {"cpu": "40", "memory": "120"}, "limits": {"cpu": "80", "memory": "240"}}},
                ],
                "overhead": {"cpu": "3", "memory": "8"},
            }),
            amounts(&[("cpu", 43_000), ("memory", 128_000)]),
        ),
        ("no containers", json!({"containers": []}), amounts(&[])),
        // Ours: what the API server would refuse counts as unwritten.
        (
            "unreadable request, the limit counts",
            json!({"containers": [{"name": "c", "resources": {"requests": {"cpu": "lots"}, "limits": {"cpu": "2"}}}]}),
            amounts(&[("cpu", 2_000)]),
        ),
        (
            "a request for one resource, a limit for another",
            json!({"containers": [
                {"name": "a", "resources": {"requests": {"memory": "1Gi"}, "limits": {"cpu": "500m"}}},
                {"name": "b", "resources": {"requests": {"cpu": "250m"}, "limits": {"cpu": "1"}}},
            ]}),
            amounts(&[("cpu", 750), ("memory", GI * 1000)]),
        ),
    ];
    for (name, value, want) in cases {
        // Usage adds each pod's requests to the node's total, by a shorter road when it can.
        let mut total: Amounts = [("cpu".to_string(), 1), ("pods".to_string(), 7)].into();
        add_pod_requests(&mut total, &spec(value.clone()));
        let mut expected: Amounts = want.iter().cloned().collect();
        *expected.entry("cpu".to_string()).or_default() += 1;
        *expected.entry("pods".to_string()).or_default() += 7;
        assert_eq!(total, expected, "{name}: added to a node's total");
        assert_eq!(requests(value), want, "{name}");
    }
}

fn port_pod(node: &str, ports: &[&str]) -> Value {
    // node_ports_test.go newPod(host, "PROTOCOL/IP/PORT"...).
    let ports: Vec<Value> = ports
        .iter()
        .map(|p| {
            let parts: Vec<&str> = p.split('/').collect();
            let port: i32 = parts[2].parse().unwrap_or_default();
            json!({"protocol": parts[0], "hostIP": parts[1], "hostPort": port, "containerPort": port})
        })
        .collect();
    json!({"nodeName": node, "containers": [{"name": "c", "ports": ports}]})
}

fn has_port_conflict(new_spec: Value, on_node: Vec<Pod>) -> bool {
    fit(new_spec, on_node, &enough_node("32")).iter().any(|r| matches!(r.cause, Cause::HostPortConflict { .. }))
}

// nodeports node_ports_test.go TestNodePorts (≥1.3x, with the sidecar rows) and TestFits: a
// conflict needs the same protocol and port, and either the same hostIP or 0.0.0.0 on one side;
// sidecars' host ports count, ordinary init containers' do not.
#[test]
fn node_ports() {
    let on = |ports: &[&str]| existing(port_pod("node", ports));
    let cases = [
        ("skip filter", json!({"containers": [{"name": "c"}]}), existing(json!({"containers": []})), false),
        ("other port", port_pod("m1", &["UDP/127.0.0.1/8080"]), on(&["UDP/127.0.0.1/9090"]), false),
        ("same udp port", port_pod("m1", &["UDP/127.0.0.1/8080"]), on(&["UDP/127.0.0.1/8080"]), true),
        ("same tcp port", port_pod("m1", &["TCP/127.0.0.1/8080"]), on(&["TCP/127.0.0.1/8080"]), true),
        ("different host ip", port_pod("m1", &["TCP/127.0.0.1/8080"]), on(&["TCP/127.0.0.2/8080"]), false),
        ("different protocol", port_pod("m1", &["UDP/127.0.0.1/8080"]), on(&["TCP/127.0.0.1/8080"]), false),
        (
            "second udp port conflict",
            port_pod("m1", &["UDP/127.0.0.1/8000", "UDP/127.0.0.1/8080"]),
            on(&["UDP/127.0.0.1/8080"]),
            true,
        ),
        (
            "first tcp port conflict",
            port_pod("m1", &["TCP/127.0.0.1/8001", "UDP/127.0.0.1/8080"]),
            on(&["TCP/127.0.0.1/8001", "UDP/127.0.0.1/8081"]),
            true,
        ),
        (
            "first tcp port conflict due to 0.0.0.0 hostIP",
            port_pod("m1", &["TCP/0.0.0.0/8001"]),
            on(&["TCP/127.0.0.1/8001"]),
            true,
        ),
        (
            "TCP hostPort conflict due to 0.0.0.0 hostIP",
            port_pod("m1", &["TCP/10.0.10.10/8001", "TCP/0.0.0.0/8001"]),
            on(&["TCP/127.0.0.1/8001"]),
            true,
        ),
        (
            "second tcp port conflict to 0.0.0.0 hostIP",
            port_pod("m1", &["TCP/127.0.0.1/8001"]),
            on(&["TCP/0.0.0.0/8001"]),
            true,
        ),
        ("second different protocol", port_pod("m1", &["UDP/127.0.0.1/8001"]), on(&["TCP/0.0.0.0/8001"]), false),
        (
            "UDP hostPort conflict due to 0.0.0.0 hostIP",
            port_pod("m1", &["UDP/127.0.0.1/8001"]),
            on(&["TCP/0.0.0.0/8001", "UDP/0.0.0.0/8001"]),
            true,
        ),
        (
            "non-sidecar initContainer using hostPort",
            json!({"containers": [], "initContainers": [{"name": "i", "ports": [{"containerPort": 8001, "hostPort": 8001, "protocol": "TCP"}]}]}),
            on(&["TCP/0.0.0.0/8001"]),
            false,
        ),
        (
            "TCP hostPort conflict from sidecar initContainer",
            json!({"containers": [], "initContainers": [{"name": "i", "restartPolicy": "Always",
                "ports": [{"containerPort": 8001, "hostPort": 8001, "protocol": "TCP"}]}]}),
            on(&["TCP/0.0.0.0/8001"]),
            true,
        ),
        ("TestFits non-conflicting ports", port_pod("p", &["TCP/127.0.0.1/80"]), on(&["TCP/127.0.0.1/9090"]), false),
        (
            "TestFits multiple non-conflicting ports",
            port_pod("p", &["TCP/127.0.0.1/80", "TCP/127.0.1.1/80", "TCP/127.0.1.1/90", "TCP/127.0.1.1/100"]),
            on(&["TCP/127.0.0.1/9090", "TCP/127.0.0.1/9191", "TCP/127.0.1.1/8080"]),
            false,
        ),
        (
            "TestFits same ports on different protocols",
            port_pod("m1", &["TCP/127.0.0.1/80"]),
            on(&["UDP/127.0.0.1/80"]),
            false,
        ),
        ("TestFits conflicting ports", port_pod("m1", &["TCP/127.0.0.1/80"]), on(&["TCP/127.0.0.1/80"]), true),
        (
            "TestFits multiple ports, some conflicting",
            port_pod("p", &["TCP/127.0.0.1/80", "TCP/127.0.1.1/80", "TCP/127.0.1.1/90", "TCP/127.0.1.1/100"]),
            on(&["TCP/127.0.0.1/9090", "TCP/127.0.1.1/90", "TCP/127.0.1.1/8080"]),
            true,
        ),
    ];
    for (name, new_spec, on_node, want) in cases {
        assert_eq!(has_port_conflict(new_spec, on_node), want, "{name}");
    }
}

// daemon_controller_test.go TestNodeShouldRunDaemonPod "ErrPodNotFitsHostPorts" (hostPort 666 on
// both pods, no protocol or hostIP): HostPortInfo sanitizes them to TCP and 0.0.0.0, so the
// scheduler reports a conflict the controller ignores. The report names the holder.
#[test]
fn host_port_conflict_detail() {
    let bare = json!({"containers": [{"name": "c", "ports": [{"hostPort": 666, "containerPort": 666}]}]});
    let reasons = fit(bare.clone(), existing(bare), &enough_node("32"));
    assert_eq!(reasons.len(), 1);
    assert_eq!(
        reasons[0].cause,
        Cause::HostPortConflict {
            port: Some(666),
            protocol: Some("TCP".to_string()),
            held_by: Some("default/p1".to_string())
        }
    );
}

// pkg/apis/core/v1 defaults.go SetDefaults_Pod: with hostNetwork, a containerPort without hostPort
// gets hostPort = containerPort (containers and init containers); protocol defaults to TCP, and
// the scheduler treats an empty hostIP as 0.0.0.0. Ports without a host port are not host ports.
#[test]
fn host_ports_defaulting() {
    let cases = [
        (
            json!({"hostNetwork": true, "containers": [{"name": "c", "ports": [{"containerPort": 9100}]}]}),
            vec![("0.0.0.0", "TCP", 9100)],
        ),
        (json!({"containers": [{"name": "c", "ports": [{"containerPort": 9100}]}]}), vec![]),
        (
            json!({"containers": [{"name": "c", "ports": [{"containerPort": 53, "hostPort": 53, "protocol": "UDP", "hostIP": "10.0.0.1"}]}]}),
            vec![("10.0.0.1", "UDP", 53)],
        ),
        (
            json!({"hostNetwork": true,
                "initContainers": [
                    {"name": "once", "ports": [{"containerPort": 1}]},
                    {"name": "sidecar", "restartPolicy": "Always", "ports": [{"containerPort": 2}]},
                ],
                "containers": [{"name": "c", "ports": [{"containerPort": 3, "hostPort": 4}]}]}),
            vec![("0.0.0.0", "TCP", 2), ("0.0.0.0", "TCP", 4)],
        ),
    ];
    for (value, want) in cases {
        let got: Vec<(String, String, i32)> =
            host_ports(&spec(value.clone())).into_iter().map(|p| (p.ip, p.protocol, p.port)).collect();
        let want: Vec<(String, String, i32)> =
            want.into_iter().map(|(ip, proto, port)| (ip.to_string(), proto.to_string(), port)).collect();
        assert_eq!(got, want, "{value}");
    }
}

// DaemonSet semantics §10: NodeResourcesFit counts assigned, non-terminal pods (terminating ones
// still hold their requests); unbound pods hold nothing; the DaemonSet's own pods are excluded by
// the caller because a new pod would replace them.
#[test]
fn usage_by_node_counts() {
    let mk = |name: &str, node: Option<&str>, phase: &str, deleting: bool| {
        let mut value = json!({
            "metadata": {"name": name, "namespace": "default", "uid": name},
            "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": "100m"}}, "ports": [{"containerPort": 80, "hostPort": 80}]}]},
            "status": {"phase": phase},
        });
        if let Some(node) = node {
            value["spec"]["nodeName"] = json!(node);
        }
        if deleting {
            value["metadata"]["deletionTimestamp"] = json!("2024-01-01T00:00:00Z");
        }
        pod(value)
    };
    let pods = vec![
        mk("running", Some("n1"), "Running", false),
        mk("terminating", Some("n1"), "Running", true),
        mk("succeeded", Some("n1"), "Succeeded", false),
        mk("failed", Some("n1"), "Failed", false),
        mk("pending-unbound", None, "Pending", false),
        mk("own", Some("n1"), "Running", false),
        mk("elsewhere", Some("n2"), "Pending", false),
    ];
    let snapshot = with_pods(&pods, BTreeMap::new());
    let usage = usage_by_node(&snapshot, |p| p.metadata.uid.as_deref() == Some("own"));
    let n1 = &usage["n1"];
    assert_eq!(n1.pods, 2);
    assert_eq!(n1.requested.get("cpu"), Some(&200));
    let holders: Vec<String> = n1.ports.iter().map(|(_, p)| p.to_string()).collect();
    assert_eq!(holders, vec!["default/running", "default/terminating"]);
    assert_eq!(usage["n2"].pods, 1);
    assert_eq!(usage.len(), 2);
}

// The usage shared between DaemonSets is each node's usage by all its pods, summed once; a
// DaemonSet whose own pod is on the node gets that usage without it, as `Usage` gives it.
#[test]
fn shared_usage_leaves_out_only_the_asking_daemonsets_pods() {
    let mk = |name: &str, node: &str, cpu: &str| {
        pod(json!({
            "metadata": {"name": name, "namespace": "default", "uid": name},
            "spec": {"nodeName": node, "containers": [{"name": "c", "resources": {"requests": {"cpu": cpu}}}]},
            "status": {"phase": "Running"},
        }))
    };
    let mut snapshot =
        with_pods(&[mk("other", "n1", "100m"), mk("own", "n1", "200m"), mk("else", "n2", "50m")], BTreeMap::new());
    let without_nodes = snapshot.clone();
    snapshot.nodes = ["n1", "n2"]
        .map(|name| serde_json::from_value(json!({"metadata": {"name": name}})).unwrap_or_default())
        .to_vec();
    let shared = SharedUsage::new(&snapshot);
    let own: Vec<&Pod> = snapshot.pods.iter().filter(|p| p.metadata.name.as_deref() == Some("own")).collect();
    let cpu = |usage: &NodeUsage| (usage.pods, usage.requested.get("cpu").copied());
    assert_eq!(cpu(&shared.on("n1", &[])), (2, Some(300)));
    assert_eq!(cpu(&shared.on("n1", &own)), (1, Some(100)));
    assert_eq!(cpu(&shared.on("n1", &[])), (2, Some(300)), "the cache holds every pod's usage");
    // Own pods elsewhere change nothing here; a node the snapshot does not list is still summed.
    assert_eq!(cpu(&shared.on("n2", &own)), (1, Some(50)));
    let own: Vec<&Pod> = without_nodes.pods.iter().filter(|p| p.metadata.name.as_deref() == Some("own")).collect();
    assert_eq!(cpu(&SharedUsage::new(&without_nodes).on("n1", &own)), (1, Some(100)));
}

// The live source reads the DaemonSet's pods first (indexing them) and the other pods on the
// nodes that need a fit check afterwards: those count too.
#[test]
fn pods_added_after_the_index_was_read_count_on_their_node() {
    let mk = |name: &str, cpu: &str| {
        pod(json!({
            "metadata": {"name": name, "namespace": "default", "uid": name},
            "spec": {"nodeName": "n1", "containers": [{"name": "c", "resources": {"requests": {"cpu": cpu}}}]},
        }))
    };
    let mut snapshot = with_pods(&[mk("first", "100m")], BTreeMap::new());
    snapshot.nodes = vec![node(json!({"metadata": {"name": "n1"}}))];
    let cpu = |snapshot: &Snapshot| Usage::new(snapshot, |_| false).on("n1").requested.get("cpu").copied();
    assert_eq!(cpu(&snapshot), Some(100));
    snapshot.push_pod(mk("later", "50m"));
    assert_eq!(cpu(&snapshot), Some(150));
}

// apimachinery resource.Quantity: suffixes and exponents, kept exact in thousandths.
#[test]
fn milli_quantities() {
    let cases = [
        ("100m", Some(100)),
        ("0.5", Some(500)),
        ("2", Some(2_000)),
        ("1Gi", Some(GI * 1000)),
        ("50M", Some(50_000_000_000)),
        ("1e3", Some(1_000_000)),
        ("1Ki", Some(1_024_000)),
        ("not-a-quantity", None),
    ];
    for (literal, want) in cases {
        let quantity: Quantity = from_json(json!(literal));
        assert_eq!(milli(&quantity), want, "{literal}");
    }
}

// kubectl describe node style: cpu in cores or millicores, byte resources in the largest binary
// unit that keeps them whole, counts as plain numbers.
#[test]
fn format_amounts() {
    let cases = [
        ("cpu", 500, "500m"),
        ("cpu", 2_000, "2"),
        ("cpu", 1_500, "1500m"),
        ("cpu", 0, "0"),
        ("memory", GI * 1000, "1Gi"),
        ("memory", 3 * (1 << 40) * 1000, "3Ti"),
        ("memory", 1_536 * 1_024 * 1000, "1536Ki"),
        ("memory", 100 * (1 << 20) * 1000, "100Mi"),
        ("memory", 50_000_000_000, "50000000"),
        ("memory", 20_000, "20"),
        ("memory", 0, "0"),
        ("memory", 1_500, "1500m"),
        ("ephemeral-storage", 2 * GI * 1000, "2Gi"),
        ("hugepages-2Mi", 10 * (1 << 20) * 1000, "10Mi"),
        ("pods", 110_000, "110"),
        ("example.com/aaa", 5_000, "5"),
        ("nvidia.com/gpu", GI * 1000, "1073741824"),
    ];
    for (resource, amount, want) in cases {
        assert_eq!(format_amount(resource, amount), want, "{resource} {amount}");
    }
}

// PodRequests' parts add up to pod_requests on the rows of the pod_requests table's shapes:
// sidecars before and after an init container, an init container that decides, overhead.
#[test]
fn request_parts_add_up_to_pod_requests() {
    let specs = [
        json!({"containers": [{"name": "c", "resources": {"requests": {"cpu": "200m"}}}],
               "initContainers": [{"name": "i", "resources": {"requests": {"cpu": "500m"}}}]}),
        json!({"containers": [{"name": "c", "resources": {"requests": {"cpu": "200m", "memory": "1Gi"}}}],
               "initContainers": [
                   {"name": "s", "restartPolicy": "Always", "resources": {"requests": {"cpu": "50m"}}},
                   {"name": "i", "resources": {"requests": {"cpu": "100m", "memory": "2Gi"}}}],
               "overhead": {"cpu": "100m", "memory": "64Mi"}}),
        json!({"containers": [{"name": "c", "resources": {"limits": {"cpu": "1"}}}]}),
    ];
    for value in specs {
        let spec = spec(value.clone());
        let totals: Amounts = request_parts(&spec).into_iter().map(|(k, p)| (k, p.total())).collect();
        assert_eq!(totals, pod_requests(&spec), "{value}");
    }
    let parts = request_parts(&spec(json!({
        "containers": [{"name": "c", "resources": {"requests": {"cpu": "200m"}}}],
        "initContainers": [
            {"name": "s", "restartPolicy": "Always", "resources": {"requests": {"cpu": "50m"}}},
            {"name": "i", "resources": {"requests": {"cpu": "300m"}}}],
        "overhead": {"cpu": "100m"},
    })));
    assert_eq!(parts["cpu"], RequestParts { containers: 200, sidecars: 50, init_peak: 350, overhead: 100 });
    assert_eq!(parts["cpu"].total(), 450, "the init container with the sidecar before it decides");
}

// evaluate_fit shows every number, passing or not, and check_fit reads its verdict off it.
#[test]
fn evaluate_fit_shows_the_numbers_check_fit_judges() {
    let node = enough_node("32");
    let on_node = existing(pod_spec(vec![container(5, 19, &[])], vec![]));
    let snapshot = with_pods(&on_node, BTreeMap::new());
    let usage = usage_by_node(&snapshot, |_| false);
    let new = spec(pod_spec(vec![container(6, 1, &[])], vec![]));
    let check = evaluate_fit(&new, &node, usage.get("node"));
    let resources = check.resources.expect("allocatable");
    let shown: Vec<(&str, i128, i128, i128, bool)> =
        resources.iter().map(|r| (r.resource.as_str(), r.requested, r.free(), r.allocatable, r.fits())).collect();
    assert_eq!(
        shown,
        [("pods", 1000, 31_000, 32_000, true), ("cpu", 6, 5, 10, false), ("memory", 1000, 1000, 20_000, true)]
    );
    assert_eq!(insufficient_resources(&fit(pod_spec(vec![container(6, 1, &[])], vec![]), on_node, &node)), ["cpu"]);
}

// Found by fuzz/fuzz_targets/quantity.rs: 5.6e34 cpu, asked by four containers, overflowed i128
// in the sum (a panic in debug builds, a wrapped negative total in release ones).
#[test]
fn absurd_quantities_do_not_overflow() {
    let huge = "5678901256789012345634563456T";
    let asking = json!({"name": "c", "resources": {"requests": {"cpu": huge}, "limits": {"cpu": huge}}});
    let spec = spec(json!({
        "containers": [asking.clone(), asking.clone(), asking.clone(), asking.clone()],
        "initContainers": [asking.clone()],
        "overhead": {"cpu": huge},
    }));
    assert_eq!(milli(&Quantity(huge.to_string())), Some(MAX_MILLI));
    assert_eq!(milli(&Quantity(format!("-{huge}"))), Some(-MAX_MILLI));
    assert_eq!(pod_requests(&spec)["cpu"], 5 * MAX_MILLI);
    let node = node(json!({"metadata": {"name": "n"}, "status": {"allocatable": {"cpu": huge, "pods": "110"}}}));
    assert!(check_fit(&spec, &node, None).is_some());
}

#[test]
fn folded_pods_count_like_the_pods_they_were() {
    let mut others = FoldedPods::default();
    let port = |pod: &str| FoldedPort {
        ip: "0.0.0.0".to_string(),
        protocol: "TCP".to_string(),
        port: 9100,
        pod: pod.to_string(),
        owner: Some("DaemonSet exporter".to_string()),
    };
    others.add("team/a", BTreeMap::from([("cpu".to_string(), 300)]), vec![port("team/a")]);
    others.add("team/b", BTreeMap::from([("cpu".to_string(), 500)]), Vec::new());
    others.add("team/c", BTreeMap::from([("cpu".to_string(), 100)]), Vec::new());
    others.add("team/d", BTreeMap::from([("cpu".to_string(), 400)]), Vec::new());
    assert_eq!(
        others.largest["cpu"],
        [("team/b".to_string(), 500), ("team/d".to_string(), 400), ("team/a".to_string(), 300)]
    );
    let folded = BTreeMap::from([("n1".to_string(), others)]);
    let snapshot = with_pods(&[], folded);
    let usage = usage_by_node(&snapshot, |_| false);
    let n1 = &usage["n1"];
    assert_eq!((n1.pods, n1.requested["cpu"]), (4, 1300));
    assert_eq!(n1.ports[0].1.to_string(), "team/a");
}
