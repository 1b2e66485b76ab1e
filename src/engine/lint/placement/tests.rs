use serde_json::{Value, json};

use crate::engine::lint::Severity;
use crate::engine::lint::tests::{daemonset, lint_static, lint_with, of_rule};
use crate::engine::test_support::snapshot;

fn container() -> Value {
    json!({"name": "agent", "image": "agent:1", "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}})
}

fn spec(extra: Value) -> Value {
    let mut spec = json!({"containers": [container()], "priorityClassName": "system-node-critical",
        "nodeSelector": {"kubernetes.io/os": "linux"},
        "tolerations": [{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"}]});
    if let (Value::Object(base), Value::Object(extra)) = (&mut spec, extra) {
        base.extend(extra);
    }
    spec
}

fn node(name: &str, labels: Value, taints: Value, cpu: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels},
           "spec": {"taints": taints},
           "status": {"allocatable": {"cpu": cpu, "memory": "4Gi", "pods": "110"},
                      "conditions": [{"type": "Ready", "status": "True"}]}})
}

fn linux(name: &str) -> Value {
    node(name, json!({"kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"}), json!([]), "2")
}

fn rules(findings: &[crate::engine::lint::Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.rule).collect()
}

#[test]
fn a_well_placed_agent_has_no_placement_findings() {
    let ds = daemonset(spec(json!({})), json!({}));
    let cluster = snapshot(vec![linux("a"), linux("b")]);
    let findings = lint_with(&ds, Some(&cluster), false);
    let placement: Vec<&str> = rules(&findings).into_iter().filter(|r| r.starts_with("DS3")).collect();
    assert_eq!(placement, Vec::<&str>::new());
}

#[test]
fn ds301_control_plane_taint_not_tolerated_and_the_stale_master_taint() {
    let ds = daemonset(spec(json!({"tolerations": []})), json!({}));
    let found = lint_static(&ds);
    let hits = of_rule(&found, "DS301");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].severity, Severity::Info);

    let stale = json!({"tolerations": [{"key": "node-role.kubernetes.io/master", "operator": "Exists", "effect": "NoSchedule"}]});
    let annotated = json!({"metadata": {"annotations": {"kubectl-ds.io/intent": "all-nodes"}}});
    let found = lint_static(&daemonset(spec(stale), annotated));
    let hits = of_rule(&found, "DS301");
    assert!(hits[0].message.contains("removed in Kubernetes 1.25"), "{}", hits[0].message);
    assert_eq!(hits[0].severity, Severity::Warning, "intent all-nodes makes it a warning");

    let gpu_only = json!({"tolerations": [], "nodeSelector": {"nvidia.com/gpu.present": "true"}});
    assert!(of_rule(&lint_static(&daemonset(spec(gpu_only), json!({}))), "DS301").is_empty());
}

#[test]
fn ds302_tolerating_everything_and_a_keyed_exists_that_is_fine() {
    let all = json!({"tolerations": [{"operator": "Exists"}]});
    let found = lint_static(&daemonset(spec(all), json!({})));
    let hits = of_rule(&found, "DS302");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].field.as_deref(), Some("spec.template.spec.tolerations[0]"));

    let effect_only = json!({"tolerations": [{"operator": "Exists", "effect": "NoSchedule"}]});
    assert!(of_rule(&lint_static(&daemonset(spec(effect_only), json!({}))), "DS302").is_empty());
}

#[test]
fn ds303_os_selector_statically_and_only_on_mixed_clusters() {
    let no_os = json!({"nodeSelector": {}});
    let ds = daemonset(spec(no_os), json!({}));
    assert_eq!(of_rule(&lint_static(&ds), "DS303").len(), 1);
    let linux_only = snapshot(vec![linux("a"), linux("b")]);
    assert!(of_rule(&lint_with(&ds, Some(&linux_only), false), "DS303").is_empty());
    let windows = node("w", json!({"kubernetes.io/os": "windows", "kubernetes.io/arch": "amd64"}), json!([]), "2");
    let mixed = snapshot(vec![linux("a"), windows]);
    let found = lint_with(&ds, Some(&mixed), false);
    let hits = of_rule(&found, "DS303");
    assert_eq!(hits.len(), 1);
    assert!(hits[0].message.contains("linux, windows"), "{}", hits[0].message);
    let with_affinity = json!({"nodeSelector": {}, "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
        {"nodeSelectorTerms": [{"matchExpressions": [{"key": "kubernetes.io/os", "operator": "In", "values": ["linux"]}]}]}}}});
    assert!(of_rule(&lint_with(&daemonset(spec(with_affinity), json!({})), Some(&mixed), false), "DS303").is_empty());
}

#[test]
fn ds304_selector_matching_no_node_in_the_cluster_and_contradictions_without_one() {
    let ds = daemonset(spec(json!({"nodeSelector": {"kubernetes.io/os": "linux", "role": "gpu"}})), json!({}));
    let cluster = snapshot(vec![linux("a"), linux("b")]);
    let found = lint_with(&ds, Some(&cluster), false);
    let hits = of_rule(&found, "DS304");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].severity, Severity::Error);
    assert!(hits[0].message.contains("none of the 2 nodes"), "{}", hits[0].message);
    let gpu = node("g", json!({"kubernetes.io/os": "linux", "role": "gpu"}), json!([]), "2");
    assert!(of_rule(&lint_with(&ds, Some(&snapshot(vec![linux("a"), gpu])), false), "DS304").is_empty());

    let contradiction = json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
        {"nodeSelectorTerms": [{"matchExpressions": [{"key": "kubernetes.io/os", "operator": "NotIn", "values": ["linux"]}]}]}}}});
    let found = lint_static(&daemonset(spec(contradiction), json!({})));
    assert_eq!(of_rule(&found, "DS304").len(), 1, "nodeSelector os=linux with NotIn linux");
    let satisfiable = json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
        {"nodeSelectorTerms": [{"matchExpressions": [{"key": "kubernetes.io/os", "operator": "NotIn", "values": ["linux"]}]},
                               {"matchExpressions": [{"key": "zone", "operator": "Exists"}]}]}}}});
    assert!(of_rule(&lint_static(&daemonset(spec(satisfiable), json!({}))), "DS304").is_empty(), "one term can match");
}

#[test]
fn ds305_untolerated_taints_counted_per_taint() {
    let ds = daemonset(spec(json!({})), json!({}));
    let tainted = |name: &str| {
        node(
            name,
            json!({"kubernetes.io/os": "linux"}),
            json!([{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]),
            "2",
        )
    };
    let found = lint_with(&ds, Some(&snapshot(vec![linux("a"), tainted("db1"), tainted("db2")])), false);
    let hits = of_rule(&found, "DS305");
    assert_eq!(hits.len(), 1);
    assert!(hits[0].message.starts_with("2 of the nodes"), "{}", hits[0].message);
    assert!(hits[0].message.contains("dedicated=db:NoSchedule"), "{}", hits[0].message);
    assert!(hits[0].hint.as_deref().is_some_and(|h| h.contains("dedicated")));
    // A taint on a node the selector excludes anyway is not the template's business.
    let windows = node(
        "w",
        json!({"kubernetes.io/os": "windows"}),
        json!([{"key": "os", "value": "windows", "effect": "NoSchedule"}]),
        "2",
    );
    assert!(of_rule(&lint_with(&ds, Some(&snapshot(vec![linux("a"), windows])), false), "DS305").is_empty());
    assert!(of_rule(&lint_static(&ds), "DS305").is_empty());
}

#[test]
fn ds306_and_ds307_requests_against_allocatable_and_free_capacity() {
    let big = json!({"containers": [{"name": "agent", "image": "agent:1", "resources": {"requests": {"cpu": "3"}}}]});
    let ds = daemonset(spec(big), json!({}));
    let small = node("small", json!({"kubernetes.io/os": "linux"}), json!([]), "2");
    let large = node("large", json!({"kubernetes.io/os": "linux"}), json!([]), "8");
    let found = lint_with(&ds, Some(&snapshot(vec![small, large.clone()])), false);
    let hits = of_rule(&found, "DS306");
    assert_eq!(hits.len(), 1);
    assert!(hits[0].message.contains("1 matching nodes (small)"), "{}", hits[0].message);
    assert!(of_rule(&found, "DS307").is_empty());

    let hog = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "hog", "namespace": "default", "uid": "hog"},
        "spec": {"nodeName": "large", "containers": [{"name": "c", "image": "x", "resources": {"requests": {"cpu": "6"}}}]},
        "status": {"phase": "Running"}});
    let found = lint_with(&ds, Some(&snapshot(vec![large, hog])), false);
    assert!(of_rule(&found, "DS306").is_empty());
    let hits = of_rule(&found, "DS307");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].severity, Severity::Warning);
}

#[test]
fn ds308_priority_class_missing_is_louder_for_node_agents() {
    let ds = daemonset(spec(json!({"priorityClassName": null})), json!({}));
    assert_eq!(of_rule(&lint_static(&ds), "DS308")[0].severity, Severity::Info);
    let found = lint_with(&ds, None, true);
    assert_eq!(of_rule(&found, "DS308")[0].severity, Severity::Warning);
    assert!(of_rule(&lint_static(&daemonset(spec(json!({})), json!({}))), "DS308").is_empty());
}

#[test]
fn ds309_and_ds310_references_checked_only_against_a_cluster_that_lists_them() {
    let ds = daemonset(spec(json!({"priorityClassName": "agents", "serviceAccountName": "agent"})), json!({}));
    let listed = |objects: Vec<Value>| {
        let mut s = snapshot(objects);
        s.present.insert(crate::snapshot::Kind::PriorityClass);
        s.present.insert(crate::snapshot::Kind::ServiceAccount);
        s
    };
    let found = lint_with(&ds, Some(&listed(vec![linux("a")])), false);
    assert_eq!(of_rule(&found, "DS309").len(), 1);
    assert_eq!(of_rule(&found, "DS310").len(), 1);
    assert!(
        of_rule(&found, "DS310")[0].hint.as_deref().is_some_and(|h| h.contains("kubectl create serviceaccount agent"))
    );

    let pc = json!({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "agents"}, "value": 1000});
    let sa = json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "agent", "namespace": "kube-system"}});
    let found = lint_with(&ds, Some(&listed(vec![linux("a"), pc, sa])), false);
    assert!(of_rule(&found, "DS309").is_empty());
    assert!(of_rule(&found, "DS310").is_empty());
    // Without a cluster the rules cannot know.
    assert!(of_rule(&lint_static(&ds), "DS309").is_empty());
}

#[test]
fn ds312_host_port_held_on_matching_nodes() {
    let ported = json!({"containers": [{"name": "agent", "image": "agent:1", "ports": [{"containerPort": 9100, "hostPort": 9100}]}]});
    let ds = daemonset(spec(ported), json!({}));
    let exporter = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "old-exporter", "namespace": "monitoring", "uid": "x"},
        "spec": {"nodeName": "a", "containers": [{"name": "c", "image": "x", "ports": [{"containerPort": 9100, "hostPort": 9100}]}]},
        "status": {"phase": "Running"}});
    let found = lint_with(&ds, Some(&snapshot(vec![linux("a"), linux("b"), exporter])), false);
    let hits = of_rule(&found, "DS312");
    assert_eq!(hits.len(), 1);
    assert!(
        hits[0].message.contains("9100/TCP is already held on 1 nodes (a) by monitoring/old-exporter"),
        "{}",
        hits[0].message
    );
    assert!(of_rule(&lint_with(&ds, Some(&snapshot(vec![linux("a")])), false), "DS312").is_empty());
}

#[test]
fn ds313_topology_spread_and_self_anti_affinity() {
    let spread = json!({"topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}]});
    assert_eq!(of_rule(&lint_static(&daemonset(spec(spread), json!({}))), "DS313").len(), 1);
    let anti = |app: &str| {
        json!({"affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
        [{"labelSelector": {"matchLabels": {"app": app}}, "topologyKey": "kubernetes.io/hostname"}]}}})
    };
    assert_eq!(of_rule(&lint_static(&daemonset(spec(anti("agent")), json!({}))), "DS313").len(), 1);
    assert!(of_rule(&lint_static(&daemonset(spec(anti("database")), json!({}))), "DS313").is_empty());
}

#[test]
fn ds311_namespace_enforcing_a_level_the_pods_do_not_meet() {
    let privileged =
        json!({"containers": [{"name": "agent", "image": "agent:1", "securityContext": {"privileged": true}}]});
    let ds = daemonset(spec(privileged), json!({}));
    let namespace = |level: &str| {
        json!({"apiVersion": "v1", "kind": "Namespace",
        "metadata": {"name": "kube-system", "labels": {"pod-security.kubernetes.io/enforce": level}}})
    };
    let found = lint_with(&ds, Some(&snapshot(vec![linux("a"), namespace("baseline")])), false);
    let hits = of_rule(&found, "DS311");
    assert_eq!(hits.len(), 1, "{found:#?}");
    assert!(hits[0].message.contains("privileged"), "{}", hits[0].message);
    assert!(
        of_rule(&lint_with(&ds, Some(&snapshot(vec![linux("a"), namespace("privileged")])), false), "DS311").is_empty()
    );
}

#[test]
fn ds314_ds315_and_ds316_read_the_live_daemonset() {
    let live = json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "kube-system", "uid": "u1", "generation": 1},
        "spec": {"selector": {"matchLabels": {"app": "agent", "tier": "node"}},
                 "template": {"metadata": {"labels": {"app": "agent", "tier": "node"}}, "spec": spec(json!({}))}},
        "status": {"observedGeneration": 1, "desiredNumberScheduled": 2, "currentNumberScheduled": 0,
                   "numberReady": 0, "numberMisscheduled": 0}});
    let cluster = snapshot(vec![linux("a"), linux("b"), live]);
    let manifest = daemonset(spec(json!({})), json!({}));
    let found = lint_with(&manifest, Some(&cluster), false);
    assert_eq!(of_rule(&found, "DS316").len(), 1, "selector changed");
    let hits = of_rule(&found, "DS314");
    assert_eq!(hits.len(), 1, "no pods on two nodes that should run one");
    assert!(hits[0].message.contains("2 of 2 nodes"), "{}", hits[0].message);
    assert!(of_rule(&found, "DS315").is_empty());
    assert!(of_rule(&lint_static(&manifest), "DS316").is_empty());
}
