use serde_json::{Value, json};

use super::*;
use crate::engine::test_support::snapshot;
use crate::report::NodeStatus::*;
use crate::version::KubeVersion;

const AS_OF: &str = "2026-05-01T12:00:00Z";

fn node(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": {"kubernetes.io/os": "linux"}},
           "status": {"allocatable": {"cpu": "2", "memory": "4Gi", "pods": "110"},
                      "conditions": [{"type": "Ready", "status": "True"}]}})
}

fn daemonset(extra: Value) -> Value {
    let mut ds = json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "ns", "uid": "ds-uid", "generation": 1,
                     "annotations": {"deprecated.daemonset.template.generation": "1"}},
        "spec": {"selector": {"matchLabels": {"app": "agent"}},
                 "template": {"metadata": {"labels": {"app": "agent"}},
                              "spec": {"containers": [{"name": "c", "image": "agent:1",
                                        "resources": {"requests": {"cpu": "100m"}}}]}}},
        "status": {"observedGeneration": 1, "desiredNumberScheduled": 0, "currentNumberScheduled": 0,
                   "numberReady": 0, "numberMisscheduled": 0}});
    merge(&mut ds, extra);
    ds
}

fn merge(base: &mut Value, extra: Value) {
    match (base, extra) {
        (Value::Object(b), Value::Object(e)) => {
            for (k, v) in e {
                merge(b.entry(k).or_insert(Value::Null), v);
            }
        }
        (b, e) => *b = e,
    }
}

/// A pod of the DaemonSet on `node`, Running and Ready since long before AS_OF, unless `extra` says otherwise.
fn pod(name: &str, node: &str, extra: Value) -> Value {
    let mut pod = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": "ns", "uid": format!("uid-{name}"),
                     "creationTimestamp": "2026-05-01T10:00:00Z",
                     "labels": {"app": "agent", "pod-template-generation": "1"},
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent",
                                          "uid": "ds-uid", "controller": true}]},
        "spec": {"nodeName": node, "containers": [{"name": "c", "image": "agent:1",
                 "resources": {"requests": {"cpu": "100m"}}}]},
        "status": {"phase": "Running", "conditions": [
            {"type": "Ready", "status": "True", "lastTransitionTime": "2026-05-01T10:01:00Z"}]}});
    merge(&mut pod, extra);
    pod
}

fn options(version: KubeVersion) -> Options {
    Options { as_of: AS_OF.parse().unwrap(), version, stuck_after: super::super::DEFAULT_STUCK_AFTER }
}

fn run(objects: Vec<Value>) -> Explanation {
    run_at(objects, KubeVersion::new(31, 0))
}

fn run_at(objects: Vec<Value>, version: KubeVersion) -> Explanation {
    let snapshot = snapshot(objects);
    let ds = snapshot.daemonsets[0].clone();
    explain(&snapshot, Target::Existing(&ds), &options(version))
}

fn row<'a>(report: &'a Explanation, node: &str) -> &'a NodeReport {
    report.nodes.iter().find(|n| n.node == node).unwrap_or_else(|| panic!("no row for {node}"))
}

fn codes(row: &NodeReport) -> Vec<&'static str> {
    row.reasons.iter().map(Reason::code).collect()
}

#[test]
fn a_ready_updated_pod_is_healthy_and_counted_everywhere() {
    let report = run(vec![node("n1"), daemonset(json!({})), pod("p1", "n1", json!({}))]);
    assert_eq!((row(&report, "n1").status, codes(row(&report, "n1"))), (Healthy, vec![]));
    let s = &report.summary;
    assert_eq!((s.desired, s.current, s.ready, s.updated, s.available, s.unavailable), (1, 1, 1, 1, 1, 0));
    // The object's status says 0 of everything: a stale status is reported, not trusted.
    let fields: Vec<&str> = report.status_mismatches.iter().map(|m| m.field).collect();
    assert_eq!(
        fields,
        [
            "desiredNumberScheduled",
            "currentNumberScheduled",
            "numberReady",
            "updatedNumberScheduled",
            "numberAvailable"
        ]
    );
}

#[test]
fn terminating_pods_are_progressing_until_a_minute_past_their_deadline() {
    let within = pod("p1", "n1", json!({"metadata": {"deletionTimestamp": "2026-05-01T11:59:30Z"}}));
    let report = run(vec![node("n1"), daemonset(json!({})), within]);
    assert_eq!((row(&report, "n1").status, codes(row(&report, "n1"))), (Progressing, vec!["Terminating"]));
    let past =
        pod("p1", "n1", json!({"metadata": {"deletionTimestamp": "2026-05-01T11:58:59Z", "finalizers": ["x/y"]}}));
    let report = run(vec![node("n1"), daemonset(json!({})), past]);
    let r = row(&report, "n1");
    assert_eq!((r.status, codes(r)), (Stuck, vec!["Terminating"]));
    assert!(r.reasons[0].message.contains("finalizers: x/y"), "{}", r.reasons[0].message);
}

#[test]
fn a_failed_pod_is_stuck_and_the_controller_backoff_is_named() {
    let failed = pod("p1", "n1", json!({"status": {"phase": "Failed", "reason": "OutOfcpu", "conditions": []}}));
    let event = json!({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e", "namespace": "ns"},
        "involvedObject": {"kind": "DaemonSet", "name": "agent", "namespace": "ns", "uid": "ds-uid"},
        "reason": "FailedDaemonPod", "type": "Warning", "count": 4, "lastTimestamp": "2026-05-01T11:50:00Z",
        "message": "Found failed daemon pod ns/p1 on node n1, will try to kill it"});
    let report = run(vec![node("n1"), daemonset(json!({})), failed, event]);
    let r = row(&report, "n1");
    assert_eq!((r.status, codes(r)), (Stuck, vec!["Failed", "FailedPodBackoff"]));
    assert_eq!(
        r.reasons[1].cause,
        Cause::FailedPodBackoff { count: 4, last_seen: Some("2026-05-01T11:50:00Z".parse().unwrap()) }
    );
}

#[test]
fn an_unschedulable_pod_gets_the_scheduler_cause_with_our_numbers() {
    let pending = pod(
        "p1",
        "n1",
        json!({
        "spec": {"nodeName": null, "containers": [{"name": "c", "image": "agent:1", "resources": {"requests": {"cpu": "3"}}}],
                 "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                     {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n1"]}]}]}}}},
        "status": {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
            "message": "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector."}]}}),
    );
    let big = daemonset(json!({"spec": {"template": {"spec": {"containers": [
        {"name": "c", "image": "agent:1", "resources": {"requests": {"cpu": "3"}}}]}}}}));
    let report = run(vec![node("n1"), node("n2"), big, pending]);
    let r = row(&report, "n1");
    assert_eq!((r.status, codes(r)), (Stuck, vec!["InsufficientResources"]));
    assert_eq!(
        r.reasons[0].cause,
        Cause::InsufficientResources {
            resource: "cpu".into(),
            requested: Some("3".into()),
            free: Some("2".into()),
            allocatable: Some("2".into())
        }
    );
    assert_eq!(report.summary.current, 1, "a pending pod pinned by affinity counts as current");
}

#[test]
fn duplicates_keep_the_oldest_scheduled_pod() {
    let older = pod("b-older", "n1", json!({"metadata": {"creationTimestamp": "2026-05-01T09:00:00Z"}}));
    let newer = pod("a-newer", "n1", json!({"status": {"conditions": [{"type": "Ready", "status": "False"}]}}));
    let report = run(vec![node("n1"), daemonset(json!({})), newer, older]);
    let r = row(&report, "n1");
    assert_eq!((r.status, codes(r)), (Healthy, vec!["DuplicatePods"]));
    let counted: Vec<(&str, bool)> = r.pods.iter().map(|p| (p.name.as_str(), p.counted)).collect();
    assert_eq!(counted, [("b-older", true), ("a-newer", false)]);
    assert_eq!(report.summary.ready, 1);
}

#[test]
fn a_missing_pod_names_creation_failures_or_a_lagging_controller() {
    let event = json!({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e", "namespace": "ns"},
        "involvedObject": {"kind": "DaemonSet", "name": "agent", "namespace": "ns"}, "reason": "FailedCreate",
        "type": "Warning", "count": 12, "lastTimestamp": "2026-05-01T11:59:00Z",
        "message": "Error creating: pods \"agent-x\" is forbidden: violates PodSecurity \"baseline:latest\": host namespaces"});
    let report = run(vec![node("n1"), daemonset(json!({})), event]);
    let r = row(&report, "n1");
    assert_eq!((r.status, codes(r)), (Missing, vec!["FailedCreate"]));
    assert!(r.reasons[0].hint.as_deref().is_some_and(|h| h.contains("Pod Security")));

    let behind = daemonset(json!({"metadata": {"generation": 3}, "status": {"observedGeneration": 2}}));
    let report = run(vec![node("n1"), behind]);
    assert_eq!(codes(row(&report, "n1")), ["ControllerBehind"]);
}

#[test]
fn a_pod_for_a_deleted_node_is_listed_under_that_name() {
    let report = run(vec![node("n1"), daemonset(json!({})), pod("p1", "n1", json!({})), pod("p2", "gone", json!({}))]);
    let r = row(&report, "gone");
    assert_eq!((r.status, r.should_run, codes(r)), (Misscheduled, None, vec!["OrphanPod"]));
    assert_eq!(report.summary.misscheduled, 0, "status only iterates over existing nodes");
}

#[test]
fn terminal_pods_being_deleted_stop_counting_from_1_28() {
    let gone = pod(
        "p1",
        "n1",
        json!({"metadata": {"deletionTimestamp": "2026-05-01T11:59:50Z"},
                                      "status": {"phase": "Failed", "conditions": []}}),
    );
    let objects = || vec![node("n1"), daemonset(json!({})), gone.clone()];
    assert_eq!(run_at(objects(), KubeVersion::new(27, 0)).summary.current, 1);
    let report = run_at(objects(), KubeVersion::new(28, 0));
    assert_eq!((report.summary.current, row(&report, "n1").status), (0, Missing));
}

#[test]
fn the_availability_boundary_became_inclusive_in_1_34() {
    // Ready at 11:59:30 with minReadySeconds 30: available exactly at AS_OF.
    let ready = pod(
        "p1",
        "n1",
        json!({"status": {"conditions": [
        {"type": "Ready", "status": "True", "lastTransitionTime": "2026-05-01T11:59:30Z"}]}}),
    );
    let objects = || vec![node("n1"), daemonset(json!({"spec": {"minReadySeconds": 30}})), ready.clone()];
    let before = run_at(objects(), KubeVersion::new(33, 0));
    assert_eq!((before.summary.available, row(&before, "n1").status), (0, Progressing));
    let after = run_at(objects(), KubeVersion::new(34, 0));
    assert_eq!((after.summary.available, row(&after, "n1").status), (1, Healthy));
}

#[test]
fn the_template_generation_counts_as_updated_only_from_1_24() {
    let report = run_at(vec![node("n1"), daemonset(json!({})), pod("p1", "n1", json!({}))], KubeVersion::new(23, 0));
    let r = row(&report, "n1");
    assert_eq!((report.summary.updated, r.status, codes(r)), (0, Progressing, vec!["Outdated"]));
}

#[test]
fn a_pod_creating_longer_than_stuck_after_is_stuck() {
    let creating = |created: &str| {
        pod(
            "p1",
            "n1",
            json!({"metadata": {"creationTimestamp": created},
            "status": {"phase": "Pending", "conditions": [{"type": "Ready", "status": "False"}],
                       "containerStatuses": [{"name": "c", "image": "agent:1", "imageID": "", "ready": false,
                           "restartCount": 0, "state": {"waiting": {"reason": "ContainerCreating"}}}]}}),
        )
    };
    let fresh = run(vec![node("n1"), daemonset(json!({})), creating("2026-05-01T11:58:00Z")]);
    assert_eq!((row(&fresh, "n1").status, codes(row(&fresh, "n1"))), (Progressing, vec!["ContainerCreating"]));
    let old = run(vec![node("n1"), daemonset(json!({})), creating("2026-05-01T11:50:00Z")]);
    assert_eq!(row(&old, "n1").status, Stuck);
}

#[test]
fn a_namespace_default_node_selector_is_reported_though_the_controller_ignores_it() {
    let ns = json!({"apiVersion": "v1", "kind": "Namespace",
        "metadata": {"name": "ns", "annotations": {"scheduler.alpha.kubernetes.io/node-selector": "pool=infra"}}});
    let report = run(vec![node("n1"), daemonset(json!({})), ns]);
    let r = row(&report, "n1");
    assert_eq!((r.status, r.should_run, codes(r)), (Missing, Some(true), vec!["NamespaceNodeSelector"]));
    assert_eq!(r.reasons[0].hint.as_deref(), Some("kubectl label node n1 pool=infra"));
}

#[test]
fn what_if_marks_nodes_that_would_lose_their_pod() {
    let snapshot = snapshot(vec![node("n1"), node("n2"), daemonset(json!({})), pod("p1", "n1", json!({}))]);
    let mut manifest: k8s_openapi::api::apps::v1::DaemonSet = serde_json::from_value(daemonset(json!({
        "spec": {"template": {"spec": {"nodeSelector": {"pool": "new"}}}}})))
    .unwrap();
    manifest.metadata.uid = None;
    manifest.status = None;
    let existing = snapshot.daemonsets[0].clone();
    let report = explain(
        &snapshot,
        Target::WhatIf { manifest: &manifest, existing: Some(&existing) },
        &options(KubeVersion::new(31, 0)),
    );
    let r = row(&report, "n1");
    assert_eq!(
        (r.status, r.current, r.should_continue_running, r.pods.len()),
        (Excluded, Some(Healthy), Some(false), 1)
    );
    assert_eq!(row(&report, "n2").current, Some(Missing));
}

#[test]
fn other_nodes_reasons_in_an_old_scheduler_message_are_not_blamed_on_the_target() {
    // 1.20: a tainted node fails TaintToleration before NodeAffinity, so the message names the
    // taint although the pod is pinned elsewhere.
    let message = "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match node selector, 1 node(s) had taint {dedicated: infra}, that the pod didn't tolerate.";
    let pending = |cpu: &str| {
        pod(
            "p1",
            "n1",
            json!({
            "spec": {"nodeName": null, "containers": [{"name": "c", "image": "agent:1", "resources": {"requests": {"cpu": cpu}}}],
                     "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                         {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n1"]}]}]}}}},
            "status": {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False",
                "reason": "Unschedulable", "message": message}]}}),
        )
    };
    let with_cpu = |cpu: &str| {
        daemonset(json!({"spec": {"template": {"spec": {"containers": [
            {"name": "c", "image": "agent:1", "resources": {"requests": {"cpu": cpu}}}]}}}}))
    };
    let report = run(vec![node("n1"), with_cpu("3"), pending("3")]);
    assert_eq!(codes(row(&report, "n1")), ["InsufficientResources"]);
    // Our evaluation finds nothing wrong on the target: the scheduler's words, unparsed.
    let report = run(vec![node("n1"), with_cpu("100m"), pending("100m")]);
    let r = row(&report, "n1");
    assert_eq!((r.status, codes(r)), (Stuck, vec!["Unschedulable"]));
}

#[test]
fn a_surge_pod_beside_the_old_one_is_not_a_duplicate() {
    let surge = json!({"spec": {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}}});
    let old = pod(
        "a-old",
        "n1",
        json!({"metadata": {"creationTimestamp": "2026-05-01T09:00:00Z",
                                                     "labels": {"app": "agent", "pod-template-generation": "0"}}}),
    );
    let new = pod("b-new", "n1", json!({"status": {"conditions": [{"type": "Ready", "status": "False"}]}}));
    let report = run(vec![node("n1"), daemonset(surge), old.clone(), new.clone()]);
    let r = row(&report, "n1");
    assert_eq!((r.status, codes(r)), (Progressing, vec!["Outdated"]), "the old pod is counted until it goes");
    // Without surge the same pair is a duplicate the controller resolves by deleting the newer.
    let report = run(vec![node("n1"), daemonset(json!({})), old, new]);
    assert_eq!(codes(row(&report, "n1")), ["Outdated", "DuplicatePods"]);
}

/// The views that ask for fewer rows get exactly the full explanation's rows they ask for, and
/// the same summary: the overview's counts and reasons are `explain`'s.
#[test]
fn fewer_rows_are_the_full_rows_filtered_with_the_same_summary() {
    for (file, snapshot) in crate::engine::test_support::fixture_snapshots() {
        let opts = options(snapshot.kubernetes_version().unwrap_or(KubeVersion::NEWEST_KNOWN));
        let usage = SharedUsage::new(&snapshot);
        for ds in &snapshot.daemonsets {
            let full = explain(&snapshot, Target::Existing(ds), &opts);
            let mut asked = vec![Rows::LackingHealthyPod, Rows::Node("no-such-node")];
            asked.extend(full.nodes.iter().map(|row| Rows::Node(&row.node)));
            for rows in asked {
                let fewer = explain_sharing(&usage, Target::Existing(ds), &opts, rows);
                let wanted: Vec<&NodeReport> =
                    full.nodes.iter().filter(|row| rows.want(&row.node, row.status)).collect();
                let case = format!("{file}: {:?} {rows:?}", ds.metadata.name);
                assert_eq!(json(&fewer.summary), json(&full.summary), "{case}");
                assert_eq!(json(&fewer.nodes), json(&wanted), "{case}");
                assert_eq!(json(&fewer.header), json(&full.header), "{case}");
            }
        }
    }
}

fn json(value: &impl serde::Serialize) -> Value {
    match serde_json::to_value(value) {
        Ok(value) => value,
        Err(error) => panic!("report does not serialise: {error}"),
    }
}

/// Hundreds of nodes are judged in runs spread over threads: every node is counted once, the rows
/// come in name order whatever the run, and two DaemonSets judged together say what each says
/// alone.
#[test]
fn many_nodes_are_each_counted_once_and_rows_stay_in_name_order() {
    let mut objects = vec![daemonset(json!({})), daemonset(json!({"metadata": {"name": "other", "uid": "other-uid"}}))];
    // Snapshot order is not name order: n299 first.
    for i in (0..300).rev() {
        let name = format!("n{i}");
        objects.push(node(&name));
        if i % 3 != 0 {
            objects.push(pod(&format!("p{i}"), &name, json!({})));
        }
    }
    let snapshot = snapshot(objects);
    let opts = options(KubeVersion::new(31, 0));
    let agent = &snapshot.daemonsets[0];
    let alone = explain(&snapshot, Target::Existing(agent), &opts);
    let s = &alone.summary;
    assert_eq!((s.nodes, s.desired, s.current, s.ready, s.missing), (300, 300, 200, 200, 100));
    let mut names: Vec<String> = (0..300).map(|i| format!("n{i}")).collect();
    names.sort();
    let healthy: Vec<&str> = alone.nodes.iter().filter(|n| n.status == Healthy).map(|n| n.node.as_str()).collect();
    let missing: Vec<&str> = alone.nodes.iter().filter(|n| n.status == Missing).map(|n| n.node.as_str()).collect();
    let expected = |keep: fn(usize) -> bool| -> Vec<&str> {
        names.iter().filter(|n| keep(n[1..].parse().unwrap_or(0))).map(String::as_str).collect()
    };
    assert_eq!(healthy, expected(|i| i % 3 != 0));
    assert_eq!(missing, expected(|i| i % 3 == 0));
    let both: Vec<&DaemonSet> = snapshot.daemonsets.iter().collect();
    let together = explain_each(&snapshot, &both, &opts, Rows::All);
    assert_eq!(json(&together[0]), json(&alone));
    assert_eq!(json(&together[1]), json(&explain(&snapshot, Target::Existing(both[1]), &opts)));
    assert_eq!(together[1].summary.current, 0, "the other DaemonSet owns none of the agent's pods");
}
