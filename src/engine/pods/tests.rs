use super::*;
use crate::engine::test_support::{from_json, pod, ts};
use serde_json::{Value, json};

const V1_23: KubeVersion = KubeVersion::new(23, 0);
const V1_24: KubeVersion = KubeVersion::new(24, 0);
const V1_27: KubeVersion = KubeVersion::new(27, 9);
const V1_28: KubeVersion = KubeVersion::new(28, 0);
const V1_33: KubeVersion = KubeVersion::new(33, 4);
const V1_34: KubeVersion = KubeVersion::new(34, 0);

// daemon_controller_test.go simpleDaemonSetLabel / simpleDaemonSetLabel2.
fn label1() -> Value {
    json!({"name": "simple-daemon", "type": "production"})
}

fn label2() -> Value {
    json!({"name": "simple-daemon", "type": "test"})
}

/// daemon_controller_test.go newDaemonSet: namespace default, selector simpleDaemonSetLabel.
fn new_daemon_set(name: &str) -> DaemonSet {
    from_json(json!({
        "metadata": {"name": name, "namespace": "default", "uid": format!("uid-{name}")},
        "spec": {
            "selector": {"matchLabels": label1()},
            "template": {"metadata": {"labels": label1()}, "spec": {"containers": [{"name": "c", "image": "foo/bar"}]}},
        },
    }))
}

/// daemon_controller_test.go newPod: namespace default, a controller ownerRef when `owner` is set.
fn new_pod(name: &str, node: &str, labels: Value, owner: Option<&DaemonSet>) -> Value {
    let mut value = json!({
        "metadata": {"name": name, "namespace": "default", "labels": labels},
        "spec": {"containers": [{"name": "c", "image": "foo/bar"}]},
    });
    if !node.is_empty() {
        value["spec"]["nodeName"] = json!(node);
    }
    if let Some(ds) = owner {
        value["metadata"]["ownerReferences"] = json!([{
            "apiVersion": "apps/v1", "kind": "DaemonSet",
            "name": ds.metadata.name, "uid": ds.metadata.uid,
            "controller": true, "blockOwnerDeletion": true,
        }]);
    }
    value
}

fn set(mut value: Value, pointer: &[&str], new: Value) -> Value {
    let mut target = &mut value;
    for part in pointer {
        target = &mut target[*part];
    }
    *target = new;
    value
}

fn names(map: &BTreeMap<&str, Vec<&Pod>>) -> BTreeMap<String, Vec<String>> {
    map.iter()
        .map(|(node, pods)| {
            let mut names: Vec<String> = pods.iter().map(|p| p.metadata.name.clone().unwrap_or_default()).collect();
            names.sort();
            (node.to_string(), names)
        })
        .collect()
}

fn pin(values: Value) -> Value {
    json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": values}]}
    ]}}})
}

// daemonset_util_test.go TestGetTargetNodeName: nodeName wins; else the single value of the
// metadata.name In matchFields; two values or no pin is an error (the pod is ignored).
#[test]
fn get_target_node_name() {
    let cases = [
        ("pod1", json!({"containers": [], "nodeName": "node-1"}), Some("node-1")),
        ("pod2", json!({"containers": [], "affinity": pin(json!(["node-1"]))}), Some("node-1")),
        ("pod3", json!({"containers": [], "affinity": pin(json!(["node-1", "node-2"]))}), None),
        ("pod4", json!({"containers": []}), None),
    ];
    for (name, spec, want) in cases {
        let p = pod(json!({"metadata": {"name": name, "namespace": "default"}, "spec": spec}));
        assert_eq!(target_node(&p), want, "{name}");
    }
}

// daemonset_util.go GetTargetNodeName walks every term's matchFields and returns at the first
// metadata.name/In requirement: a non-unique one is an error even if a later term pins a node.
// NotIn, other keys and matchExpressions never pin.
#[test]
fn target_node_first_pin_decides() {
    let spec = |terms: Value| {
        json!({"containers": [], "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": terms
        }}}})
    };
    let cases = [
        (
            "non-unique first pin",
            spec(json!([
                {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["a", "b"]}]},
                {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["c"]}]},
            ])),
            None,
        ),
        (
            "NotIn and other keys are skipped",
            spec(json!([
                {"matchFields": [
                    {"key": "metadata.name", "operator": "NotIn", "values": ["a"]},
                    {"key": "metadata.foo", "operator": "In", "values": ["b"]},
                ]},
                {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["c"]}]},
            ])),
            Some("c"),
        ),
        (
            "matchExpressions on a hostname label do not pin",
            spec(json!([{"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": ["a"]}]}])),
            None,
        ),
        (
            "empty nodeName falls back to the pin",
            set(
                spec(json!([
                    {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["d"]}]}
                ])),
                &["nodeName"],
                json!(""),
            ),
            Some("d"),
        ),
    ];
    for (name, spec, want) in cases {
        let p = pod(json!({"metadata": {"name": "p"}, "spec": spec}));
        assert_eq!(target_node(&p), want, "{name}");
    }
}

// daemon_controller_test.go TestGetNodesToDaemonPods: owned and orphan pods that match the
// selector are grouped by node; pods that no longer match (released), pods of another DaemonSet and
// (since 1.28, #118716) terminal pods being deleted are left out. Before 1.28 the deleted terminal
// pods still count, as the "include deleted terminal pods" row shows.
#[test]
fn get_nodes_to_daemon_pods() {
    let ds = new_daemon_set("foo");
    let ds2 = new_daemon_set("foo2");
    let deleted = |v: Value, phase: &str| {
        set(
            set(v, &["metadata", "deletionTimestamp"], json!("2024-01-01T00:00:00Z")),
            &["status"],
            json!({"phase": phase}),
        )
    };
    let pods: Vec<Pod> = [
        new_pod("matching-owned-0", "node-0", label1(), Some(&ds)),
        new_pod("matching-orphan-0", "node-0", label1(), None),
        new_pod("matching-owned-1", "node-1", label1(), Some(&ds)),
        new_pod("matching-orphan-1", "node-1", label1(), None),
        set(
            new_pod("matching-owned-succeeded-pod-0", "node-0", label1(), Some(&ds)),
            &["status"],
            json!({"phase": "Succeeded"}),
        ),
        set(
            new_pod("matching-owned-failed-pod-1", "node-1", label1(), Some(&ds)),
            &["status"],
            json!({"phase": "Failed"}),
        ),
        new_pod("non-matching-owned-0", "node-0", label2(), Some(&ds)),
        new_pod("non-matching-orphan-1", "node-1", label2(), None),
        new_pod("matching-owned-by-other-0", "node-0", label1(), Some(&ds2)),
        deleted(new_pod("matching-owned-succeeded-deleted-pod-0", "node-0", label1(), Some(&ds)), "Succeeded"),
        deleted(new_pod("matching-owned-failed-deleted-pod-1", "node-1", label1(), Some(&ds)), "Failed"),
        deleted(new_pod("matching-owned-running-deleted-pod-1", "node-1", label1(), Some(&ds)), "Running"),
    ]
    .into_iter()
    .map(pod)
    .collect();
    let to_map = |pairs: &[(&str, &[&str])]| -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(node, pods)| {
                let mut pods: Vec<String> = pods.iter().map(|p| p.to_string()).collect();
                pods.sort();
                (node.to_string(), pods)
            })
            .collect()
    };
    let exclude = to_map(&[
        ("node-0", &["matching-owned-0", "matching-orphan-0", "matching-owned-succeeded-pod-0"]),
        (
            "node-1",
            &[
                "matching-owned-1",
                "matching-orphan-1",
                "matching-owned-failed-pod-1",
                "matching-owned-running-deleted-pod-1",
            ],
        ),
    ]);
    let include = to_map(&[
        (
            "node-0",
            &[
                "matching-owned-0",
                "matching-orphan-0",
                "matching-owned-succeeded-pod-0",
                "matching-owned-succeeded-deleted-pod-0",
            ],
        ),
        (
            "node-1",
            &[
                "matching-owned-1",
                "matching-orphan-1",
                "matching-owned-failed-pod-1",
                "matching-owned-failed-deleted-pod-1",
                "matching-owned-running-deleted-pod-1",
            ],
        ),
    ]);
    for (version, want) in [(V1_28, &exclude), (V1_33, &exclude), (V1_27, &include), (V1_23, &include)] {
        assert_eq!(&names(&pods_by_node(&ds, &pods, version)), want, "{version}");
    }
}

// daemon_controller_test.go TestDealsWithExistingPods: node-4's pods carry simpleDaemonSetLabel2, so
// the controller releases them and they hold no node; ControllerRefManager adopts matching orphans
// only while the DaemonSet is not being deleted; another namespace is never looked at.
#[test]
fn ownership_and_adoption() {
    let ds = new_daemon_set("foo");
    let pods: Vec<Pod> = [
        new_pod("node-1-a", "node-1", label1(), Some(&ds)),
        new_pod("node-4-a", "node-4", label2(), Some(&ds)),
        new_pod("node-4-b", "node-4", label2(), Some(&ds)),
        new_pod("orphan", "node-2", label1(), None),
        set(new_pod("other-ns", "node-3", label1(), Some(&ds)), &["metadata", "namespace"], json!("kube-system")),
        new_pod("unpinned", "", label1(), Some(&ds)),
    ]
    .into_iter()
    .map(pod)
    .collect();
    let got = names(&pods_by_node(&ds, &pods, V1_33));
    let want: BTreeMap<String, Vec<String>> = [("node-1", vec!["node-1-a"]), ("node-2", vec!["orphan"])]
        .map(|(n, p)| (n.to_string(), p.iter().map(|s| s.to_string()).collect()))
        .into();
    assert_eq!(got, want);

    let mut deleting = ds.clone();
    deleting.metadata.deletion_timestamp =
        Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(ts("2024-01-01T00:00:00Z")));
    let got = names(&pods_by_node(&deleting, &pods, V1_33));
    assert_eq!(got.keys().collect::<Vec<_>>(), vec!["node-1"]);

    // A manifest without a uid: the owner is matched by kind and name.
    let mut no_uid = ds.clone();
    no_uid.metadata.uid = None;
    let got = names(&pods_by_node(&no_uid, &pods, V1_33));
    assert_eq!(got.keys().collect::<Vec<_>>(), vec!["node-1", "node-2"]);

    // The snapshot's ownership index reads only the pods each may own, and finds the same.
    let mut snapshot = crate::snapshot::Snapshot::empty(crate::snapshot::Origin::Offline { paths: vec![] });
    let other = new_daemon_set("bar");
    snapshot.pods = pods.clone();
    snapshot.pods.push(pod(new_pod("bars", "node-1", label1(), Some(&other))));
    for owner in [&ds, &deleting, &no_uid, &other] {
        let scanned = names(&pods_by_node(owner, &snapshot.pods, V1_33));
        assert_eq!(names(&daemonset_pods(&snapshot, owner, V1_33)), scanned, "{:?}", owner.metadata.name);
    }
    assert_eq!(names(&daemonset_pods(&snapshot, &other, V1_33))["node-1"], vec!["bars"]);
}

// daemon_controller_test.go TestPodIsNotDeletedByDaemonsetWithEmptyLabelSelector: an empty selector
// selects all pods, so the controller refuses to sync and claims nothing.
#[test]
fn empty_selector_claims_nothing() {
    let mut ds = new_daemon_set("foo");
    ds.spec.selector = Default::default();
    let pods = vec![pod(new_pod("p", "node1", json!({"bang": "boom"}), None))];
    assert!(daemon_selector(&ds).is_none());
    assert!(pods_by_node(&ds, &pods, V1_33).is_empty());
}

// daemon_controller.go podByCreationTimestampAndPhase.Less: scheduled pods first, then the older
// creationTimestamp, then the smaller name; a missing timestamp is Go's zero time, the oldest.
// (TestSurgePreservesReadyOldPods relies on the older pod being first.)
#[test]
fn pods_sorted_like_the_controller() {
    let ds = new_daemon_set("foo");
    let created = |v: Value, at: &str| set(v, &["metadata", "creationTimestamp"], json!(at));
    let pods: Vec<Pod> = [
        created(new_pod("b-pod", "node-1", label1(), Some(&ds)), "2024-01-01T00:01:40Z"),
        created(new_pod("a-pod", "node-1", label1(), Some(&ds)), "2024-01-01T00:01:40Z"),
        created(new_pod("z-old", "node-1", label1(), Some(&ds)), "2024-01-01T00:00:50Z"),
        set(
            created(new_pod("pending", "", label1(), Some(&ds)), "2024-01-01T00:00:10Z"),
            &["spec", "affinity"],
            pin(json!(["node-1"])),
        ),
        new_pod("no-time", "node-1", label1(), Some(&ds)),
    ]
    .into_iter()
    .map(pod)
    .collect();
    let by_node = pods_by_node(&ds, &pods, V1_33);
    let order: Vec<&str> = by_node["node-1"].iter().filter_map(|p| p.metadata.name.as_deref()).collect();
    assert_eq!(order, vec!["no-time", "z-old", "a-pod", "b-pod", "pending"]);
}

/// pod/util_test.go newPod(now, ready, beforeSec).
fn ready_pod(now: Timestamp, ready: bool, before_sec: i64) -> Pod {
    let since = now - SignedDuration::from_secs(before_sec);
    pod(json!({
        "metadata": {"name": "p"},
        "status": {"conditions": [{
            "type": "Ready",
            "status": if ready { "True" } else { "False" },
            "lastTransitionTime": since.to_string(),
        }]},
    }))
}

// pkg/api/v1/pod util_test.go TestIsPodAvailable, the ≈1.34 version (#132122) whose
// 51s-ready/minReadySeconds=51 row is available (`<= now`); before 1.34 the comparison was
// `Before(now)`, so that row is unavailable there. A Ready condition without lastTransitionTime
// is never available while minReadySeconds > 0.
#[test]
fn is_pod_available() {
    let now = ts("2024-01-01T00:10:00Z");
    let zero_time = {
        let mut p = ready_pod(now, true, 0);
        if let Some(conditions) = p.status.as_mut().and_then(|s| s.conditions.as_mut()) {
            conditions[0].last_transition_time = None;
        }
        p
    };
    let cases = [
        ("not ready", ready_pod(now, false, 0), 0, false, false, None, None),
        ("ready now, minReadySeconds 1", ready_pod(now, true, 0), 1, false, false, Some(1), Some(1)),
        ("zero lastTransitionTime", zero_time, 1, false, false, Some(1), Some(1)),
        ("ready now, minReadySeconds 0", ready_pod(now, true, 0), 0, true, true, None, None),
        ("ready 51s, minReadySeconds 50", ready_pod(now, true, 51), 50, true, true, None, None),
        ("ready 51s, minReadySeconds 51", ready_pod(now, true, 51), 51, false, true, Some(1), None),
        ("ready 51s, minReadySeconds 52", ready_pod(now, true, 51), 52, false, false, Some(1), Some(1)),
        ("ready 10s, minReadySeconds 40", ready_pod(now, true, 10), 40, false, false, Some(30), Some(30)),
    ];
    for (name, p, min_ready, before_134, since_134, wait_133, wait_134) in cases {
        assert_eq!(is_available(&p, min_ready, now, V1_33), before_134, "{name} at 1.33");
        assert_eq!(is_available(&p, min_ready, now, V1_34), since_134, "{name} at 1.34");
        assert_eq!(available_in(&p, min_ready, now, V1_33), wait_133, "{name} wait at 1.33");
        assert_eq!(available_in(&p, min_ready, now, V1_34), wait_134, "{name} wait at 1.34");
    }
}

// pod/util.go IsPodReady: only a Ready condition with status "True" counts, not phase.
#[test]
fn is_pod_ready() {
    let cases = [
        (json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}), true),
        (json!({"phase": "Pending", "conditions": [{"type": "Ready", "status": "True"}]}), true),
        (json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "Unknown"}]}), false),
        (json!({"phase": "Running", "conditions": [{"type": "ContainersReady", "status": "True"}]}), false),
        (json!({"phase": "Running"}), false),
    ];
    for (status, want) in cases {
        assert_eq!(is_ready(&pod(json!({"status": status.clone()}))), want, "{status}");
    }
}

// daemonset_util_test.go TestIsPodUpdated (hash "55555", templateGeneration 12345). Before
// ≈1.24 (#107241) IsPodUpdated compared the label with fmt.Sprint of an *int64, so only the hash
// ever matched: the rows that rely on the generation flip to false there.
#[test]
fn is_pod_updated() {
    let labels = json!({"pod-template-generation": "12345", "controller-revision-hash": "55555"});
    let labels_no_hash = json!({"pod-template-generation": "12345"});
    let pod_with = |labels: Value| {
        pod(json!({"metadata": {"name": "pod1", "labels": labels}, "spec": {"containers": [], "nodeName": "node1"}}))
    };
    let cases = [
        ("templateGeneration and hash both match", "12345", labels.clone(), "55555", true, true),
        ("templateGeneration matches, hash doesn't", "12345", labels.clone(), "55555123", true, false),
        ("templateGeneration matches, no hash label, has hash", "12345", labels_no_hash.clone(), "55555", true, false),
        ("templateGeneration matches, no hash label, no hash", "12345", labels_no_hash, "", true, false),
        ("templateGeneration matches, has hash label, no hash", "12345", labels.clone(), "", true, false),
        ("templateGeneration doesn't match, hash does", "12350", labels.clone(), "55555", true, true),
        ("templateGeneration and hash don't match", "12350", labels, "55555123", false, false),
        ("empty labels, no hash", "12345", json!({}), "", false, false),
        ("empty labels", "12345", json!({}), "55555", false, false),
        ("no labels", "12345", Value::Null, "55555", false, false),
    ];
    for (name, generation, pod_labels, hash, since_124, before_124) in cases {
        let revision =
            CurrentRevision { hash: Some(hash.to_string()), template_generation: Some(generation.to_string()) };
        let p = pod_with(pod_labels);
        assert_eq!(revision.is_updated(&p, V1_24), since_124, "{name} at 1.24");
        assert_eq!(revision.is_updated(&p, V1_23), before_124, "{name} at 1.23");
    }

    // A DaemonSet without the deprecated.daemonset.template.generation annotation (nil generation).
    let no_generation = CurrentRevision { hash: None, template_generation: None };
    let p = pod_with(json!({"pod-template-generation": "12345"}));
    assert!(!no_generation.is_updated(&p, V1_34));
}

// daemon_controller_test.go TestDaemonKillFailedPods / the 1.28 rule: Succeeded and Failed are the
// terminal phases; a pod without a phase is Pending.
#[test]
fn phases() {
    let cases = [
        (json!({"phase": "Succeeded"}), "Succeeded", true),
        (json!({"phase": "Failed"}), "Failed", true),
        (json!({"phase": "Running"}), "Running", false),
        (json!({"phase": "Unknown"}), "Unknown", false),
        (json!({}), "Pending", false),
    ];
    for (status, want_phase, want_terminal) in cases {
        let p = pod(json!({"status": status}));
        assert_eq!(phase(&p), want_phase);
        assert_eq!(is_terminal(&p), want_terminal, "{want_phase}");
    }
    assert_eq!(phase(&pod(json!({}))), "Pending");
}

// DaemonSet semantics §10: a Pending DaemonSet pod carries PodScheduled=False, reason Unschedulable,
// with the scheduler's FitError as its message; other PodScheduled states are not that.
#[test]
fn unschedulable_message_from_pod_scheduled() {
    let message = "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].";
    let cases = [
        (
            json!({"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": message}),
            Some(message),
        ),
        (json!({"type": "PodScheduled", "status": "False", "reason": "Unschedulable"}), Some("")),
        (json!({"type": "PodScheduled", "status": "False", "reason": "SchedulerError", "message": "x"}), None),
        (json!({"type": "PodScheduled", "status": "True"}), None),
    ];
    for (condition, want) in cases {
        let p = pod(json!({"status": {"phase": "Pending", "conditions": [condition.clone()]}}));
        assert_eq!(unschedulable_message(&p).as_deref(), want, "{condition}");
    }
}

// update.go controlledHistories: the DaemonSet's revisions are those it controls plus matching
// orphans it adopts; once observed, the current one has the highest .revision.
#[test]
fn owned_revisions_newest_first() {
    let ds = new_daemon_set("foo");
    let other = new_daemon_set("foo2");
    let revision = |name: &str, number: i64, labels: Value, owner: Option<&DaemonSet>| -> ControllerRevision {
        let mut value =
            json!({"metadata": {"name": name, "namespace": "default", "labels": labels}, "revision": number});
        if let Some(ds) = owner {
            value["metadata"]["ownerReferences"] = json!([{
                "apiVersion": "apps/v1", "kind": "DaemonSet", "name": ds.metadata.name, "uid": ds.metadata.uid, "controller": true,
            }]);
        }
        from_json(value)
    };
    let with_hash = |hash: &str| {
        let mut labels = label1();
        labels["controller-revision-hash"] = json!(hash);
        labels
    };
    let revisions = vec![
        revision("foo-1", 1, with_hash("h1"), Some(&ds)),
        revision("foo-3", 3, with_hash("h3"), Some(&ds)),
        revision("foo-2", 2, with_hash("h2"), Some(&ds)),
        revision("foo2-9", 9, with_hash("h9"), Some(&other)),
        revision("orphan-4", 4, with_hash("h4"), None),
        revision("orphan-other-labels", 8, label2(), None),
    ];
    let owned = owned_revisions(&ds, &revisions);
    let got: Vec<(Option<&str>, Option<String>)> =
        owned.iter().map(|r| (r.metadata.name.as_deref(), revision_hash(r))).collect();
    let want = vec![
        (Some("orphan-4"), Some("h4".to_string())),
        (Some("foo-3"), Some("h3".to_string())),
        (Some("foo-2"), Some("h2".to_string())),
        (Some("foo-1"), Some("h1".to_string())),
    ];
    assert_eq!(got, want);
}

// conversion.go: apps/v1 keeps templateGeneration in the deprecated.daemonset.template.generation
// annotation; IsPodUpdated compares it as a string.
#[test]
fn template_generation_annotation() {
    let mut ds = new_daemon_set("foo");
    assert_eq!(template_generation(&ds), None);
    ds.metadata.annotations = Some(BTreeMap::from([(TEMPLATE_GENERATION_ANNOTATION.to_string(), "7".to_string())]));
    assert_eq!(template_generation(&ds).as_deref(), Some("7"));
}

// kubectl get pods RESTARTS column: the sum over containers.
#[test]
fn restarts_sum_container_statuses() {
    let p = pod(json!({"status": {"containerStatuses": [
        {"name": "a", "ready": true, "restartCount": 2, "image": "i", "imageID": ""},
        {"name": "b", "ready": false, "restartCount": 5, "image": "i", "imageID": ""},
    ]}}));
    assert_eq!(restarts(&p), 7);
    assert_eq!(restarts(&pod(json!({}))), 0);
}

// PodsOnNodes reads a bound pod's node from the pods' index and looks the others' up by name:
// it must group exactly as `pods_by_node` does, by node position. nodeName wins over a pin; a
// pod for a node the snapshot lacks is kept apart; of two nodes with one name, the first holds
// the pods.
#[test]
fn pods_on_nodes_group_as_the_controller() {
    use crate::engine::test_support::snapshot;
    let ds = new_daemon_set("foo");
    let node = |name: &str, uid: &str| json!({"kind": "Node", "metadata": {"name": name, "uid": uid}});
    let with_kind = |v: Value| set(v, &["kind"], json!("Pod"));
    let snapshot = snapshot(vec![
        node("node-10", "a"),
        node("node-1", "b"),
        node("node-1", "c"),
        with_kind(new_pod("bound", "node-1", label1(), Some(&ds))),
        with_kind(new_pod("bound-10", "node-10", label1(), Some(&ds))),
        with_kind(set(new_pod("pinned", "", label1(), Some(&ds)), &["spec", "affinity"], pin(json!(["node-10"])))),
        with_kind(set(
            new_pod("bound-not-pin", "node-1", label1(), None),
            &["spec", "affinity"],
            pin(json!(["node-10"])),
        )),
        with_kind(new_pod("gone", "node-9", label1(), Some(&ds))),
        with_kind(set(new_pod("pinned-gone", "", label1(), Some(&ds)), &["spec", "affinity"], pin(json!(["node-8"])))),
        with_kind(new_pod("other-labels", "node-1", label2(), Some(&ds))),
    ]);
    let current = CurrentRevision::default();
    let grouped = PodsOnNodes::of(&snapshot, &ds, V1_34, &current);
    let named = |pods: &[&Pod]| pods.iter().map(|p| p.metadata.name.clone().unwrap_or_default()).collect::<Vec<_>>();
    assert_eq!(named(grouped.on(0)), ["bound-10", "pinned"]);
    assert_eq!(named(grouped.on(1)), ["bound", "bound-not-pin"]);
    assert!(grouped.on(2).is_empty(), "the second node-1 holds nothing");
    let elsewhere = BTreeMap::from([
        ("node-8".to_string(), vec!["pinned-gone".to_string()]),
        ("node-9".to_string(), vec!["gone".to_string()]),
    ]);
    assert_eq!(names(&grouped.elsewhere), elsewhere);
    let expected = pods_by_node(&ds, &snapshot.pods, V1_34);
    let mut on_nodes: BTreeMap<&str, Vec<&Pod>> = BTreeMap::new();
    for (position, node) in [(0, "node-10"), (1, "node-1")] {
        on_nodes.insert(node, grouped.on(position).to_vec());
    }
    on_nodes.extend(grouped.elsewhere.iter().map(|(node, pods)| (*node, pods.clone())));
    assert_eq!(names(&on_nodes), names(&expected));
}
