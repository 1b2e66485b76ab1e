use serde_json::{Value, json};

use super::super::tests::{daemonset, lint_static, lint_with, of_rule};
use super::super::{Finding, Severity};
use crate::engine::test_support::snapshot;
use crate::snapshot::Snapshot;

const CONTAINER: &str = "spec.template.spec.containers[0]";

fn one(container: Value) -> Value {
    let mut base = json!({"name": "agent", "image": "agent:1"});
    if let (Value::Object(base), Value::Object(extra)) = (&mut base, container) {
        base.extend(extra);
    }
    json!({"containers": [base]})
}

fn findings_in(rule: &str, ds: &k8s_openapi::api::apps::v1::DaemonSet) -> Vec<Finding> {
    of_rule(&lint_static(ds), rule).into_iter().cloned().collect()
}

fn findings(rule: &str, template_spec: Value, patch: Value) -> Vec<Finding> {
    findings_in(rule, &daemonset(template_spec, patch))
}

fn fields(findings: &[Finding]) -> Vec<&str> {
    findings.iter().filter_map(|f| f.field.as_deref()).collect()
}

fn rolling(values: Value) -> Value {
    json!({"spec": {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": values}}})
}

fn node(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": {"kubernetes.io/os": "linux"}},
           "status": {"allocatable": {"cpu": "2", "memory": "4Gi", "pods": "110"},
                      "conditions": [{"type": "Ready", "status": "True"}]}})
}

fn nodes(count: usize) -> Snapshot {
    snapshot((0..count).map(|i| node(&format!("n{i}"))).collect())
}

// DS201: k8s#106417.
#[test]
fn surge_with_a_host_port_stalls_the_rollout() {
    let surge = rolling(json!({"maxUnavailable": 0, "maxSurge": 1}));
    let found = findings("DS201", one(json!({"ports": [{"containerPort": 80, "hostPort": 8080}]})), surge.clone());
    assert_eq!(fields(&found), ["spec.updateStrategy.rollingUpdate.maxSurge"]);
    assert_eq!(found[0].severity, Severity::Error);
    assert!(found[0].message.contains("hostPort 8080 in container agent"), "{}", found[0].message);

    // hostNetwork turns every containerPort into a host port.
    let host_network = json!({"hostNetwork": true, "containers": [
        {"name": "agent", "image": "agent:1", "ports": [{"containerPort": 9100}, {"containerPort": 9101}]}]});
    let found = findings(
        "DS201",
        host_network,
        json!({"spec": {"updateStrategy": {"rollingUpdate": {"maxUnavailable": 0, "maxSurge": "10%"}}}}),
    );
    assert_eq!(found.len(), 1);
    assert!(found[0].message.contains("port 9100 in container agent and 1 more"), "{}", found[0].message);
}

#[test]
fn host_ports_without_surge_and_surge_without_host_ports_are_fine() {
    let host_port = one(json!({"ports": [{"containerPort": 80, "hostPort": 8080}]}));
    assert_eq!(findings("DS201", host_port.clone(), json!({})), vec![]);
    assert_eq!(findings("DS201", host_port.clone(), rolling(json!({"maxUnavailable": 1, "maxSurge": 0}))), vec![]);
    assert_eq!(findings("DS201", host_port, rolling(json!({"maxUnavailable": 0, "maxSurge": "0%"}))), vec![]);
    let container_port = one(json!({"ports": [{"containerPort": 80}]}));
    assert_eq!(findings("DS201", container_port, rolling(json!({"maxUnavailable": 0, "maxSurge": 1}))), vec![]);
    // A regular init container's port is gone before the pod runs.
    let init = json!({"hostNetwork": false,
        "initContainers": [{"name": "setup", "image": "s:1", "ports": [{"containerPort": 80, "hostPort": 80}]}],
        "containers": [{"name": "agent", "image": "agent:1"}]});
    assert_eq!(findings("DS201", init, rolling(json!({"maxUnavailable": 0, "maxSurge": 1}))), vec![]);
}

// DS202 / DS208.
#[test]
fn containers_without_probes_are_named_once() {
    let spec = json!({"initContainers": [{"name": "setup", "image": "s:1"}],
                      "containers": [{"name": "agent", "image": "agent:1",
                                      "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}}},
                                     {"name": "exporter", "image": "e:1"},
                                     {"name": "reloader", "image": "r:1"}]});
    let readiness = findings("DS202", spec.clone(), json!({}));
    assert_eq!(fields(&readiness), ["spec.template.spec.containers[1]"]);
    assert_eq!(readiness[0].severity, Severity::Warning);
    assert!(readiness[0].message.contains("exporter, reloader") && !readiness[0].message.contains("setup"));

    let liveness = findings("DS208", spec, json!({}));
    assert_eq!(fields(&liveness), [CONTAINER]);
    assert_eq!(liveness[0].severity, Severity::Info);
    assert!(liveness[0].message.contains("agent, exporter, reloader"));
}

#[test]
fn containers_with_probes_pass() {
    let probed = one(json!({"readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}},
                            "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}}}));
    assert_eq!(findings("DS202", probed.clone(), json!({})), vec![]);
    assert_eq!(findings("DS208", probed, json!({})), vec![]);
}

// DS203.
#[test]
fn min_ready_seconds_zero_or_unset_is_reported() {
    let unset = findings("DS203", one(json!({})), json!({}));
    assert_eq!(fields(&unset), ["spec"]);
    assert_eq!(unset[0].severity, Severity::Info);
    let zero = findings("DS203", one(json!({})), json!({"spec": {"minReadySeconds": 0}}));
    assert_eq!(fields(&zero), ["spec.minReadySeconds"]);
}

#[test]
fn min_ready_seconds_set_or_on_delete_passes() {
    assert_eq!(findings("DS203", one(json!({})), json!({"spec": {"minReadySeconds": 10}})), vec![]);
    assert_eq!(findings("DS203", one(json!({})), json!({"spec": {"updateStrategy": {"type": "OnDelete"}}})), vec![]);
}

// DS204.
#[test]
fn half_the_nodes_or_more_at_once_is_too_many() {
    for value in ["50%", "100%"] {
        let found = findings("DS204", one(json!({})), rolling(json!({"maxUnavailable": value})));
        assert_eq!(fields(&found), ["spec.updateStrategy.rollingUpdate.maxUnavailable"], "{value}");
        assert_eq!(found[0].severity, Severity::Warning);
    }
    for value in [json!("49%"), json!("10%"), json!(5)] {
        let found = findings("DS204", one(json!({})), rolling(json!({"maxUnavailable": value.clone()})));
        assert_eq!(found, vec![], "{value} without a cluster");
    }
}

#[test]
fn with_the_cluster_a_count_reaching_the_node_count_is_too_many() {
    let ds = daemonset(one(json!({})), rolling(json!({"maxUnavailable": 3})));
    let all = lint_with(&ds, Some(&nodes(3)), false);
    let found = of_rule(&all, "DS204");
    assert_eq!(found.len(), 1);
    assert!(found[0].message.contains("at least the 3 nodes"), "{}", found[0].message);

    assert!(of_rule(&lint_with(&ds, Some(&nodes(4)), false), "DS204").is_empty(), "3 of 4 nodes");
    // One node: nothing gentler exists.
    let single = daemonset(one(json!({})), rolling(json!({"maxUnavailable": 1})));
    assert!(of_rule(&lint_with(&single, Some(&nodes(1)), false), "DS204").is_empty());
}

#[test]
fn with_the_cluster_a_percentage_names_the_node_count() {
    let ds = daemonset(one(json!({})), rolling(json!({"maxUnavailable": "50%"})));
    let all = lint_with(&ds, Some(&nodes(5)), false);
    let found = of_rule(&all, "DS204");
    assert_eq!(found.len(), 1);
    assert!(found[0].message.contains("on 3 of the 5 nodes"), "{}", found[0].message);
}

// DS205.
fn live_daemonset() -> Value {
    json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "kube-system", "uid": "ds-uid", "generation": 2,
                     "annotations": {"deprecated.daemonset.template.generation": "2"}},
        "spec": {"selector": {"matchLabels": {"app": "agent"}}, "updateStrategy": {"type": "OnDelete"},
                 "template": {"metadata": {"labels": {"app": "agent"}},
                              "spec": {"containers": [{"name": "agent", "image": "agent:2"}]}}},
        "status": {"observedGeneration": 2, "desiredNumberScheduled": 3, "currentNumberScheduled": 3,
                   "numberReady": 3, "numberMisscheduled": 0}})
}

fn live_pod(name: &str, node: &str, generation: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": "kube-system", "uid": format!("uid-{name}"),
                     "creationTimestamp": "2025-12-01T10:00:00Z",
                     "labels": {"app": "agent", "pod-template-generation": generation},
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent",
                                          "uid": "ds-uid", "controller": true}]},
        "spec": {"nodeName": node, "containers": [{"name": "agent", "image": "agent:1"}]},
        "status": {"phase": "Running", "conditions": [
            {"type": "Ready", "status": "True", "lastTransitionTime": "2025-12-01T10:01:00Z"}]}})
}

#[test]
fn on_delete_is_reported_and_with_the_cluster_counts_old_pods() {
    let on_delete = json!({"spec": {"updateStrategy": {"type": "OnDelete"}}});
    let found = findings("DS205", one(json!({})), on_delete.clone());
    assert_eq!(fields(&found), ["spec.updateStrategy.type"]);
    assert_eq!(found[0].severity, Severity::Info);
    assert!(!found[0].message.contains("old revision"));

    let cluster = snapshot(vec![
        node("n0"),
        node("n1"),
        node("n2"),
        live_daemonset(),
        live_pod("a", "n0", "1"),
        live_pod("b", "n1", "1"),
        live_pod("c", "n2", "2"),
    ]);
    let ds = daemonset(one(json!({})), on_delete);
    let all = lint_with(&ds, Some(&cluster), false);
    let found = of_rule(&all, "DS205");
    assert_eq!(found.len(), 1);
    assert!(found[0].message.contains("2 of 3 pods run an old revision"), "{}", found[0].message);
}

#[test]
fn rolling_update_is_not_on_delete() {
    assert_eq!(findings("DS205", one(json!({})), rolling(json!({"maxUnavailable": 1}))), vec![]);
    assert_eq!(findings("DS205", one(json!({})), json!({})), vec![]);
}

// DS206.
#[test]
fn a_missing_update_strategy_is_reported() {
    let found = findings("DS206", one(json!({})), json!({}));
    assert_eq!(fields(&found), ["spec"]);
    assert_eq!(found[0].severity, Severity::Info);
    assert!(found[0].hint.as_deref().is_some_and(|h| h.contains("maxUnavailable: 10%")));
    let empty = findings("DS206", one(json!({})), json!({"spec": {"updateStrategy": {}}}));
    assert_eq!(fields(&empty), ["spec.updateStrategy"]);
}

#[test]
fn an_explicit_update_strategy_passes() {
    assert_eq!(
        findings("DS206", one(json!({})), json!({"spec": {"updateStrategy": {"type": "RollingUpdate"}}})),
        vec![]
    );
    assert_eq!(findings("DS206", one(json!({})), rolling(json!({"maxUnavailable": 1}))), vec![]);
}

// DS207: kube-score's pod-probes-identical.
#[test]
fn identical_liveness_and_readiness_are_reported() {
    let probe = json!({"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 10});
    // Defaults make the written-out and the omitted timings the same probe.
    let mut explicit = probe.clone();
    explicit["timeoutSeconds"] = json!(1);
    explicit["failureThreshold"] = json!(3);
    let found = findings("DS207", one(json!({"livenessProbe": probe, "readinessProbe": explicit})), json!({}));
    assert_eq!(fields(&found), ["spec.template.spec.containers[0].livenessProbe"]);
    assert_eq!(found[0].severity, Severity::Info);
}

#[test]
fn probes_differing_in_handler_or_timing_pass() {
    let liveness = json!({"httpGet": {"path": "/healthz", "port": 8080}});
    let other_path = json!({"httpGet": {"path": "/ready", "port": 8080}});
    let slower = json!({"httpGet": {"path": "/healthz", "port": 8080}, "failureThreshold": 6});
    for readiness in [other_path, slower] {
        let container = one(json!({"livenessProbe": liveness.clone(), "readinessProbe": readiness.clone()}));
        assert_eq!(findings("DS207", container, json!({})), vec![], "{readiness}");
    }
}

// DS209.
#[test]
fn zero_revision_history_is_reported_and_other_limits_pass() {
    let found = findings("DS209", one(json!({})), json!({"spec": {"revisionHistoryLimit": 0}}));
    assert_eq!(fields(&found), ["spec.revisionHistoryLimit"]);
    assert_eq!(found[0].severity, Severity::Warning);
    assert_eq!(findings("DS209", one(json!({})), json!({"spec": {"revisionHistoryLimit": 1}})), vec![]);
    assert_eq!(findings("DS209", one(json!({})), json!({})), vec![]);
}

// DS210.
#[test]
fn extreme_grace_periods_are_reported() {
    for seconds in [0, 301, 3600] {
        let spec =
            json!({"terminationGracePeriodSeconds": seconds, "containers": [{"name": "agent", "image": "agent:1"}]});
        let found = findings("DS210", spec, json!({}));
        assert_eq!(fields(&found), ["spec.template.spec.terminationGracePeriodSeconds"], "{seconds}");
        assert_eq!(found[0].severity, Severity::Info);
    }
    for seconds in [1, 30, 300] {
        let spec =
            json!({"terminationGracePeriodSeconds": seconds, "containers": [{"name": "agent", "image": "agent:1"}]});
        assert_eq!(findings("DS210", spec, json!({})), vec![], "{seconds}");
    }
}
