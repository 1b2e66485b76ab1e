//! The rollout rules against Kubernetes' own tests: kubectl's status viewer
//! (rollout_status_test.go), the controller's budget (update_test.go `TestGetUnavailableNumbers`)
//! and its syncs during rolling updates with and without surge (update_test.go,
//! daemon_controller_test.go `TestSurge*`), each sync counted as `expectSyncDaemonSets` counts it.

use jiff::Timestamp;
use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::{Value, json};

use super::budget::{self, Limits};
use super::kubectl::{ONLY_ROLLING_UPDATE, StatusCounters, status_viewer};
use super::sync::{self, Action, NodePods, Plan, World};
use super::*;
use crate::engine::DEFAULT_STUCK_AFTER;
use crate::engine::eligibility::{DaemonTemplate, node_should_run};
use crate::engine::hints::Hints;
use crate::engine::pods::pods_by_node;
use crate::report::rollout::RolloutState::*;
use crate::snapshot::Origin;
use crate::version::KubeVersion;

const NEWEST: KubeVersion = KubeVersion::NEWEST_KNOWN;
const V1_20: KubeVersion = KubeVersion::new(20, 2);

fn from<T: serde::de::DeserializeOwned>(value: Value) -> T {
    match serde_json::from_value(value) {
        Ok(object) => object,
        Err(error) => panic!("test literal does not deserialize: {error}"),
    }
}

fn at(seconds: i64) -> Timestamp {
    match Timestamp::from_second(seconds) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    }
}

// ---------------------------------------------------------------------------------------------
// kubectl: TestDaemonSetStatusViewerStatus, TestDaemonSetStatusViewerStatusWithWrongUpdateStrategyType
// ---------------------------------------------------------------------------------------------

#[test]
fn kubectl_status_viewer_cases() {
    let status = |observed, updated, desired, available| StatusCounters {
        observed_generation: observed,
        desired,
        updated,
        available,
    };
    let cases = [
        (
            "test1",
            0,
            status(1, 0, 1, 0),
            "Waiting for daemon set \"foo\" rollout to finish: 0 out of 1 new pods have been updated...",
            false,
        ),
        (
            "test2",
            1,
            status(1, 2, 2, 1),
            "Waiting for daemon set \"foo\" rollout to finish: 1 of 2 updated pods are available...",
            false,
        ),
        ("test3", 1, status(1, 2, 2, 2), "daemon set \"foo\" successfully rolled out", true),
        ("test4", 2, status(1, 2, 2, 2), "Waiting for daemon set spec update to be observed...", false),
    ];
    for (name, generation, counters, message, done) in cases {
        let verdict = status_viewer("foo", "RollingUpdate", generation, counters);
        assert_eq!((verdict.message.as_str(), verdict.done, verdict.error), (message, done, false), "{name}");
    }
    let verdict = status_viewer("foo", "OnDelete", 0, StatusCounters::default());
    assert_eq!(verdict.message, "rollout status is only available for RollingUpdate strategy type");
    assert_eq!((verdict.message.as_str(), verdict.done, verdict.error), (ONLY_ROLLING_UPDATE, true, true));
    // kubectl never looks at misscheduled or unavailable counts: nothing desired is done at once.
    assert!(status_viewer("foo", "RollingUpdate", 1, status(1, 0, 0, 0)).done);
}

// ---------------------------------------------------------------------------------------------
// The budget: TestGetUnavailableNumbers (update_test.go), the percentages of the spec
// ---------------------------------------------------------------------------------------------

fn strategy_ds(strategy: Value) -> DaemonSet {
    from(json!({"metadata": {"name": "x", "namespace": "default"},
        "spec": {"selector": {"matchLabels": {"app": "x"}}, "updateStrategy": strategy,
                 "template": {"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}}))
}

fn unavailable(value: Value) -> DaemonSet {
    strategy_ds(json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": value}}))
}

/// `newUpdateSurge`: maxUnavailable 0 and this maxSurge.
fn surge(value: Value) -> DaemonSet {
    strategy_ds(json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": value}}))
}

#[test]
fn budget_cases_of_get_unavailable_numbers() {
    // name, DaemonSet, desired, (maxSurge, maxUnavailable)
    let cases = [
        ("No nodes", unavailable(json!(0)), 0, (0, 0)),
        ("Two nodes with ready pods", unavailable(json!(1)), 2, (0, 1)),
        ("Two nodes, one node without pods", unavailable(json!(0)), 2, (0, 1)),
        ("Two nodes, one node without pods, surge", surge(json!(0)), 2, (0, 1)),
        ("Two nodes with pods, MaxUnavailable in percents", unavailable(json!("50%")), 2, (0, 1)),
        ("Two nodes with pods, MaxUnavailable in percents, surge", surge(json!("50%")), 2, (1, 0)),
        ("Two nodes with pods, MaxUnavailable is 100%, surge", surge(json!("100%")), 2, (2, 0)),
        ("Two nodes with pods, MaxUnavailable in percents, pod terminating", unavailable(json!("50%")), 3, (0, 2)),
    ];
    for (name, ds, desired, (max_surge, max_unavailable)) in cases {
        assert_eq!(budget::limits(&ds, desired, NEWEST), Ok(Limits { max_unavailable, max_surge }), "{name}");
    }
}

#[test]
fn percentages_round_up_and_both_zero_falls_back_to_one() {
    for (value, total, expected) in
        [("50%", 3, 2), ("30%", 5, 2), ("100%", 2, 2), ("10%", 7, 1), ("1%", 1, 1), ("0%", 9, 0)]
    {
        assert_eq!(budget::scaled(&IntOrString::String(value.into()), total), Ok(expected), "{value} of {total}");
    }
    let zero = surge(json!(0));
    assert_eq!(budget::limits(&zero, 4, NEWEST), Ok(Limits { max_unavailable: 1, max_surge: 0 }));
    assert_eq!(budget::limits(&zero, 0, NEWEST), Ok(Limits { max_unavailable: 0, max_surge: 0 }), "nothing desired");
    // Before 1.21 there is no fallback: GetValueFromIntOrPercent's 0 stands.
    assert_eq!(budget::limits(&unavailable(json!(0)), 4, V1_20), Ok(Limits { max_unavailable: 0, max_surge: 0 }));
    // The API's defaults stand in for a strategy written without values.
    let bare = strategy_ds(json!({"type": "RollingUpdate"}));
    assert_eq!(budget::limits(&bare, 3, NEWEST), Ok(Limits { max_unavailable: 1, max_surge: 0 }));
}

#[test]
fn surge_needs_its_feature_and_any_percentage_allows_it() {
    let ds = surge(json!("1%"));
    assert!(budget::allows_surge(&ds, NEWEST), "AllowsSurge scales against one node: 1% of 1 rounds up");
    assert_eq!(budget::limits(&ds, 300, NEWEST), Ok(Limits { max_unavailable: 0, max_surge: 3 }));
    assert!(!budget::allows_surge(&ds, KubeVersion::new(21, 0)), "alpha and off in 1.21");
    assert!(budget::allows_surge(&ds, KubeVersion::new(22, 0)), "beta and on from 1.22");
    assert!(!budget::allows_surge(&ds, V1_20), "1.20 drops the field");
    assert!(!budget::allows_surge(&surge(json!(0)), NEWEST));
}

#[test]
fn values_the_controller_rejects_are_errors() {
    let error = budget::limits(&unavailable(json!("ten")), 3, NEWEST);
    assert_eq!(error, Err("invalid maxUnavailable: \"ten\" is neither an integer nor a percentage".to_string()));
    assert!(budget::limits(&unavailable(json!("x%")), 3, NEWEST).is_err());
    assert!(budget::limits(&unavailable(json!(-1)), 3, NEWEST).is_err());
}

// ---------------------------------------------------------------------------------------------
// One sync at a time: a fake controller store, as in the controller's unit tests
// ---------------------------------------------------------------------------------------------

/// The pods, nodes and DaemonSet of a controller unit test. `sync` runs one sync through the
/// engine and applies it the way the tests' fake pod control does: deletions leave the store at
/// once, creations arrive unscheduled (pinned by affinity), not ready, stamped with the clock.
struct Sim {
    ds: Value,
    nodes: Vec<Value>,
    pods: Vec<Value>,
    revisions: Vec<Value>,
    hash: String,
    clock: i64,
    version: KubeVersion,
    created: usize,
}

impl Sim {
    /// `newDaemonSet("foo")` (OnDelete) and `addNodes(0, n)`.
    fn new(nodes: usize) -> Sim {
        let mut sim = Sim {
            ds: json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
                "metadata": {"name": "foo", "namespace": "default", "uid": "foo-uid", "generation": 1},
                "spec": {"selector": {"matchLabels": {"name": "simple-daemon", "type": "production"}},
                         "updateStrategy": {"type": "OnDelete"},
                         "template": {"metadata": {"labels": {"name": "simple-daemon", "type": "production"}},
                                      "spec": {"containers": [{"name": "c", "image": "foo/bar"}]}}}}),
            nodes: (0..nodes).map(|i| node(&format!("node-{i}"))).collect(),
            pods: Vec::new(),
            revisions: Vec::new(),
            hash: String::new(),
            clock: 1,
            version: NEWEST,
            created: 0,
        };
        sim.new_revision();
        sim
    }

    fn at_version(mut self, version: KubeVersion) -> Self {
        self.version = version;
        self
    }

    fn new_revision(&mut self) {
        let number = self.revisions.len() + 1;
        self.hash = format!("h{number}");
        let labels = json!({"name": "simple-daemon", "type": "production", "controller-revision-hash": self.hash});
        self.revisions.push(json!({"apiVersion": "apps/v1", "kind": "ControllerRevision",
            "metadata": {"name": format!("foo-h{number}"), "namespace": "default", "labels": labels,
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "foo", "uid": "foo-uid", "controller": true}]},
            "revision": number, "data": {"spec": {"template": self.ds["spec"]["template"].clone()}}}));
    }

    /// A new template (the image) and strategy, as the tests' `dsStore.Update(ds)`.
    fn update(&mut self, image: &str, strategy: Value) {
        self.ds["spec"]["template"]["spec"]["containers"][0]["image"] = json!(image);
        self.ds["spec"]["updateStrategy"] = strategy;
        self.new_revision();
    }

    fn daemonset(&self) -> DaemonSet {
        from(self.ds.clone())
    }

    fn pod_objects(&self) -> Vec<Pod> {
        self.pods.iter().map(|p| from(p.clone())).collect()
    }

    /// One pod the way the tests' `newPod` makes it (scheduled), or the fake pod control
    /// (`nodeName` empty, pinned by affinity).
    fn pod(&mut self, node: &str, hash: Option<&str>, created: i64, scheduled: bool) -> Value {
        self.created += 1;
        let mut labels = json!({"name": "simple-daemon", "type": "production"});
        if let Some(hash) = hash {
            labels["controller-revision-hash"] = json!(hash);
        }
        let mut spec = json!({"containers": [{"name": "c", "image": "foo/bar"}]});
        if scheduled {
            spec["nodeName"] = json!(node);
        } else {
            spec["affinity"] = json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]}}});
        }
        json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": format!("{node}-{:04}", self.created), "namespace": "default", "uid": format!("uid-{}", self.created),
                         "labels": labels, "creationTimestamp": at(created).to_string(),
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "foo", "uid": "foo-uid", "controller": true}]},
            "spec": spec, "status": {"phase": "Running"}})
    }

    fn world<'a>(
        &self,
        ds: &'a DaemonSet,
        nodes: &'a [Node],
        pods: &'a [Pod],
        revision: &'a CurrentRevision,
    ) -> (World<'a>, std::collections::BTreeMap<&'a str, Vec<&'a Pod>>) {
        let template = DaemonTemplate::new(ds.spec.template.spec.as_ref());
        let hints = Hints { namespace: "default", name: "foo", has_tolerations: false };
        let by_node = pods_by_node(ds, pods, self.version);
        let eligibility: Vec<_> = nodes.iter().map(|n| node_should_run(n, &template, &hints)).collect();
        let desired = eligibility.iter().filter(|e| e.should_run).count() as u32;
        let world = World {
            nodes: nodes
                .iter()
                .zip(&eligibility)
                .map(|(n, e)| {
                    let name = n.metadata.name.as_deref().unwrap_or_default();
                    NodePods {
                        node: name,
                        should_run: e.should_run,
                        should_continue_running: e.should_continue_running,
                        pods: by_node.get(name).cloned().unwrap_or_default(),
                    }
                })
                .collect(),
            orphans: Vec::new(),
            limits: (ds.spec.update_strategy.as_ref().and_then(|s| s.type_.as_deref()) == Some("RollingUpdate"))
                .then(|| budget::limits(ds, desired, self.version).ok())
                .flatten(),
            allows_surge: budget::allows_surge(ds, self.version),
            revision,
            min_ready_seconds: ds.spec.min_ready_seconds.unwrap_or(0),
            as_of: at(self.clock),
            version: self.version,
        };
        (world, by_node)
    }

    fn snapshot(&self) -> Snapshot {
        let mut snapshot = Snapshot::empty(Origin::Offline { paths: vec![] });
        for kind in [Kind::Node, Kind::Pod, Kind::DaemonSet, Kind::ControllerRevision, Kind::Event] {
            snapshot.present.insert(kind);
        }
        snapshot.nodes = self.nodes.iter().map(|n| from(n.clone())).collect();
        snapshot.pods = self.pod_objects();
        snapshot.daemonsets = vec![self.daemonset()];
        snapshot.revisions = self.revisions.iter().map(|r| from::<ControllerRevision>(r.clone())).collect();
        snapshot
    }

    fn options(&self) -> Options {
        Options { as_of: at(self.clock), version: self.version, stuck_after: DEFAULT_STUCK_AFTER }
    }

    /// What the whole command says about the same state.
    fn report(&self) -> RolloutStatus {
        rollout_status(&self.snapshot(), &self.daemonset(), &self.options())
    }

    /// One sync: the engine's plan, checked against the command's report, applied to the store.
    fn sync(&mut self) -> (usize, usize) {
        let ds = self.daemonset();
        let nodes: Vec<Node> = self.nodes.iter().map(|n| from(n.clone())).collect();
        let pods = self.pod_objects();
        let revision = CurrentRevision { hash: Some(self.hash.clone()), template_generation: None };
        let (world, by_node) = self.world(&ds, &nodes, &pods, &revision);
        let plan = sync::plan(&world);
        let report = self.report();
        assert_eq!(
            (report.next_step.creates as usize, report.next_step.deletes as usize),
            (plan.creates(), plan.deletes()),
            "the command and the engine agree"
        );
        let mut deleted: Vec<String> = plan.deletes.keys().cloned().collect();
        let mut created: Vec<String> = plan.creates.iter().cloned().collect();
        for pick in &plan.picks {
            for node in pick.candidates.iter().take(pick.count) {
                match pick.action {
                    Action::Create => created.push(node.clone()),
                    Action::Delete => {
                        let old =
                            by_node.get(node.as_str()).into_iter().flatten().find(|p| {
                                p.metadata.deletion_timestamp.is_none() && !revision.is_updated(p, self.version)
                            });
                        deleted.extend(old.and_then(|p| p.metadata.name.clone()));
                    }
                }
            }
        }
        self.pods.retain(|p| !deleted.iter().any(|d| p["metadata"]["name"] == json!(d)));
        let hash = self.hash.clone();
        for node in created {
            let pod = self.pod(&node, Some(&hash), self.clock, false);
            self.pods.push(pod);
        }
        (plan.creates(), plan.deletes())
    }

    #[track_caller]
    fn expect(&mut self, creates: usize, deletes: usize) {
        assert_eq!(self.sync(), (creates, deletes), "creates, deletes at clock {}", self.clock);
    }

    /// `markPodsReady`: every pod that is not ready turns ready now.
    fn mark_pods_ready(&mut self) {
        let clock = self.clock;
        self.set_readiness(true, usize::MAX, |_| true, clock);
    }

    /// `setPodReadiness`: up to `count` pods that are not yet so and match, in store order.
    fn set_readiness(&mut self, ready: bool, count: usize, matches: impl Fn(&Value) -> bool, since: i64) -> usize {
        let mut changed = 0;
        for pod in self.pods.iter_mut() {
            if changed == count {
                break;
            }
            let is_ready = pod["status"]["conditions"][0]["status"] == json!("True");
            if is_ready == ready || !pod["metadata"]["deletionTimestamp"].is_null() || !matches(pod) {
                continue;
            }
            pod["status"]["conditions"] = json!([{"type": "Ready", "status": if ready { "True" } else { "False" },
                                                   "lastTransitionTime": at(since).to_string()}]);
            changed += 1;
        }
        changed
    }

    fn hash_of(pod: &Value) -> Option<&str> {
        pod["metadata"]["labels"]["controller-revision-hash"].as_str()
    }

    fn node_of(pod: &Value) -> String {
        pod["spec"]["nodeName"]
            .as_str()
            .or_else(|| {
                pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
                    ["nodeSelectorTerms"][0]["matchFields"][0]["values"][0]
                    .as_str()
            })
            .unwrap_or_default()
            .to_string()
    }
}

fn node(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
           "status": {"allocatable": {"pods": "100"}, "conditions": [{"type": "Ready", "status": "True"}]}})
}

fn rolling(max_unavailable: Value) -> Value {
    json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": max_unavailable}})
}

fn surging(max_surge: Value) -> Value {
    json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": max_surge}})
}

#[test]
fn updates_pods() {
    // TestDaemonSetUpdatesPods, with the rules of 1.20 (before surge) and of today.
    for version in [V1_20, NEWEST] {
        let mut sim = Sim::new(5).at_version(version);
        sim.expect(5, 0);
        sim.mark_pods_ready();
        sim.update("foo2/bar2", rolling(json!(2)));
        sim.expect(0, 2);
        sim.expect(2, 0);
        sim.mark_pods_ready();
        sim.expect(0, 2);
        sim.expect(2, 0);
        sim.mark_pods_ready();
        sim.expect(0, 1);
        sim.expect(1, 0);
        sim.mark_pods_ready();
        sim.expect(0, 0);
        assert!(sim.report().complete, "{version}");
    }
}

#[test]
fn updates_pods_with_max_surge() {
    // TestDaemonSetUpdatesPodsWithMaxSurge.
    let mut sim = Sim::new(5);
    sim.expect(5, 0);
    sim.mark_pods_ready();
    let max_surge = 2;
    sim.update("foo2/bar2", surging(json!(max_surge)));
    sim.expect(max_surge, 0);
    sim.expect(0, 0);
    sim.mark_pods_ready();
    sim.expect(max_surge, max_surge);
    sim.expect(0, 0);
    sim.mark_pods_ready();
    sim.expect(5 % max_surge, max_surge);
    sim.expect(0, 0);
    sim.mark_pods_ready();
    sim.expect(0, 5 % max_surge);
    sim.expect(0, 0);
    assert!(sim.report().complete);
}

#[test]
fn updates_pods_not_matching_taints_with_max_surge() {
    // TestDaemonSetUpdatesPodsNotMatchTainstWithMaxSurge: node-0 loses its toleration with the
    // update; its pod goes once a pod elsewhere is available.
    let mut sim = Sim::new(5);
    sim.ds["spec"]["updateStrategy"] = surging(json!(1));
    sim.ds["spec"]["template"]["spec"]["tolerations"] =
        json!([{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists"}]);
    sim.revisions.clear();
    sim.new_revision();
    sim.nodes[0]["spec"] =
        json!({"taints": [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]});
    sim.expect(5, 0);
    sim.mark_pods_ready();
    sim.ds["spec"]["template"]["spec"]["tolerations"] = Value::Null;
    sim.new_revision();
    sim.expect(1, 1);
    sim.expect(0, 0);
    for _ in 0..3 {
        sim.mark_pods_ready();
        sim.expect(1, 1);
        sim.expect(0, 0);
    }
    sim.mark_pods_ready();
    sim.expect(0, 1);
    sim.expect(0, 0);
    let report = sim.report();
    assert!(report.complete);
    assert_eq!(report.nodes.iter().find(|n| n.node == "node-0").map(|n| n.state), Some(NotEligible));
}

#[test]
fn updates_when_new_pods_are_not_ready() {
    // TestDaemonSetUpdatesWhenNewPodIsNotReady.
    for version in [V1_20, NEWEST] {
        let mut sim = Sim::new(5).at_version(version);
        sim.expect(5, 0);
        sim.mark_pods_ready();
        sim.update("foo2/bar2", rolling(json!(3)));
        sim.expect(0, 3);
        sim.expect(3, 0);
        sim.expect(0, 0);
        let report = sim.report();
        assert_eq!(report.budget.map(|b| (b.max_unavailable, b.unavailable)), Some((3, 3)), "{version}");
        assert!(!report.complete);
    }
}

#[test]
fn updates_some_old_pods_not_ready() {
    // TestDaemonSetUpdatesSomeOldPodsNotReady: a second update replaces the unready pods first
    // and leaves the three available ones alone.
    let mut sim = Sim::new(5);
    sim.expect(5, 0);
    sim.mark_pods_ready();
    sim.update("foo2/bar2", rolling(json!(2)));
    sim.expect(0, 2);
    sim.expect(2, 0);
    sim.expect(0, 0);
    sim.update("foo2/bar3", rolling(json!(2)));
    sim.expect(0, 2);
    sim.expect(2, 0);
    sim.expect(0, 0);
    let ready = sim.pods.iter().filter(|p| p["status"]["conditions"][0]["status"] == json!("True")).count();
    assert_eq!(ready, 5 - 2);
}

#[test]
fn updates_save_old_healthy_pods() {
    // TestDaemonSetUpdatesSaveOldHealthyPods, with each maxUnavailable the test draws at random.
    let mut sim = Sim::new(20);
    sim.expect(20, 0);
    sim.mark_pods_ready();
    sim.update("foo2/bar2", rolling(json!(10)));
    sim.expect(0, 10);
    sim.expect(10, 0);
    sim.expect(0, 0);
    let old_ready: Vec<Value> =
        sim.pods.iter().filter(|p| p["status"]["conditions"][0]["status"] == json!("True")).cloned().collect();
    for max_unavailable in 0..10 {
        sim.update(&format!("foo2/bar3-{max_unavailable}"), rolling(json!(max_unavailable)));
        sim.expect(0, 10);
        sim.expect(10, 0);
        sim.expect(0, 0);
        assert!(old_ready.iter().all(|p| sim.pods.contains(p)), "maxUnavailable {max_unavailable}");
    }
    sim.update("foo2/bar4", rolling(json!(11)));
    sim.expect(0, 11);
    sim.expect(11, 0);
    sim.expect(0, 0);
    let ready = sim.pods.iter().filter(|p| p["status"]["conditions"][0]["status"] == json!("True")).count();
    assert_eq!(ready, 9);
}

#[test]
fn updates_all_old_not_ready_pods_and_new_not_ready_pods() {
    // TestDaemonSetUpdatesAllOldNotReadyPodsAndNewNotReadyPods: 100 nodes, maxUnavailable 10;
    // then 10 available old, 2 unavailable old and 88 unavailable new pods.
    let mut sim = Sim::new(100);
    sim.expect(100, 0);
    sim.mark_pods_ready();
    let hash1 = sim.hash.clone();
    sim.update("foo2/bar2", rolling(json!(10)));
    for _ in 0..10 {
        sim.expect(0, 10);
        sim.expect(10, 0);
        sim.mark_pods_ready();
    }
    sim.expect(0, 0);
    let mut old_unavailable = Vec::new();
    for (i, pod) in sim.pods.iter_mut().enumerate() {
        if i >= 10 {
            pod["status"]["conditions"] = json!([{"type": "Ready", "status": "False"}]);
        }
        if i < 12 {
            pod["metadata"]["labels"]["controller-revision-hash"] = json!(hash1);
            if i >= 10 {
                old_unavailable.push(pod["metadata"]["name"].clone());
            }
        }
    }
    sim.expect(0, 2);
    sim.expect(2, 0);
    sim.expect(0, 0);
    assert!(sim.pods.iter().all(|p| !old_unavailable.contains(&p["metadata"]["name"])));
}

#[test]
fn updates_all_old_pods_not_ready() {
    // TestDaemonSetUpdatesAllOldPodsNotReady: unavailable old pods go regardless of the budget.
    for version in [V1_20, NEWEST] {
        let mut sim = Sim::new(5).at_version(version);
        sim.expect(5, 0);
        sim.update("foo2/bar2", rolling(json!(3)));
        sim.expect(0, 5);
        sim.expect(5, 0);
        sim.expect(0, 0);
    }
}

#[test]
fn updates_all_old_pods_not_ready_with_max_surge() {
    // TestDaemonSetUpdatesAllOldPodsNotReadyMaxSurge, with its fake clock.
    let mut sim = Sim::new(5);
    sim.expect(5, 0);
    sim.update("foo2/bar2", surging(json!(3)));
    sim.clock = 100;
    sim.expect(5, 0);
    sim.clock = 200;
    sim.expect(0, 5);
    sim.set_readiness(true, 5, |_| true, 200);
    sim.ds["spec"]["minReadySeconds"] = json!(15);
    sim.update("foo3/bar3", surging(json!(3)));
    sim.clock = 300;
    sim.expect(3, 0);
    let hash = sim.hash.clone();
    let current_nodes: Vec<String> =
        sim.pods.iter().filter(|p| Sim::hash_of(p) == Some(&hash)).map(Sim::node_of).collect();
    assert_eq!(sim.set_readiness(true, 2, |p| Sim::hash_of(p) == Some(&hash), 300), 2);
    let unready = sim.set_readiness(
        false,
        1,
        |p| Sim::hash_of(p) != Some(&hash) && !current_nodes.contains(&Sim::node_of(p)),
        300,
    );
    assert_eq!(unready, 1);
    sim.clock = 310;
    sim.expect(1, 0);
    sim.clock = 320;
    sim.expect(1, 3);
    assert_eq!(sim.set_readiness(true, 3, |p| Sim::hash_of(p) == Some(&hash), 320), 3);
    sim.clock = 340;
    sim.expect(0, 2);
    sim.clock = 350;
    sim.expect(0, 0);
    assert!(sim.report().complete);
}

#[test]
fn no_template_change_no_update() {
    // TestDaemonSetUpdatesNoTemplateChanged.
    let mut sim = Sim::new(5);
    sim.expect(5, 0);
    sim.ds["spec"]["updateStrategy"] = rolling(json!(3));
    sim.expect(0, 0);
}

/// daemon_controller_test.go's surge cases: five nodes, maxSurge 1, pods placed by hand.
fn surge_sim(min_ready: i64, clock: i64) -> Sim {
    let mut sim = Sim::new(5);
    sim.ds["spec"]["updateStrategy"] = surging(json!(1));
    sim.ds["spec"]["minReadySeconds"] = json!(min_ready);
    sim.clock = clock;
    sim
}

fn ready_since(pod: &mut Value, ready: bool, since: Option<i64>) {
    let mut condition = json!({"type": "Ready", "status": if ready { "True" } else { "False" }});
    if let Some(since) = since {
        condition["lastTransitionTime"] = json!(at(since).to_string());
    }
    pod["status"]["conditions"] = json!([condition]);
}

fn deletes(sim: &Sim) -> Vec<String> {
    let ds = sim.daemonset();
    let nodes: Vec<Node> = sim.nodes.iter().map(|n| from(n.clone())).collect();
    let pods = sim.pod_objects();
    let revision = CurrentRevision { hash: Some(sim.hash.clone()), template_generation: None };
    let plan: Plan = sync::plan(&sim.world(&ds, &nodes, &pods, &revision).0);
    plan.deletes.keys().cloned().collect()
}

#[test]
fn surge_deals_with_existing_pods() {
    // TestSurgeDealsWithExistingPods: pods that do not match the selector are not the DaemonSet's.
    let mut sim = surge_sim(0, 1);
    let hash = sim.hash.clone();
    for (node, count) in [("node-1", 1), ("node-2", 2), ("node-3", 5)] {
        for _ in 0..count {
            let pod = sim.pod(node, Some(&hash), 1, true);
            sim.pods.push(pod);
        }
    }
    for _ in 0..2 {
        let mut pod = sim.pod("node-4", Some(&hash), 1, true);
        pod["metadata"]["labels"]["type"] = json!("test");
        sim.pods.push(pod);
    }
    sim.expect(2, 5);
}

/// The node-1 pods of TestSurgePreservesReadyOldPods and its siblings: a current pod created
/// at 100, and two old ones, the oldest at 50, the excess one at 60.
fn node_1_pods(sim: &mut Sim, new_ready: Option<i64>, oldest_ready: bool) -> (String, String) {
    let hash = sim.hash.clone();
    let mut new = sim.pod("node-1", Some(&hash), 100, true);
    if let Some(since) = new_ready {
        ready_since(&mut new, true, Some(since));
    }
    let mut oldest = sim.pod("node-1", None, 50, true);
    ready_since(&mut oldest, oldest_ready, None);
    let mut excess = sim.pod("node-1", None, 60, true);
    ready_since(&mut excess, true, None);
    let names = (
        oldest["metadata"]["name"].as_str().unwrap_or_default().to_string(),
        excess["metadata"]["name"].as_str().unwrap_or_default().to_string(),
    );
    sim.pods.extend([new, oldest, excess]);
    let node_2 = sim.pod("node-2", Some(&hash), 1, true);
    sim.pods.push(node_2);
    names
}

#[test]
fn surge_preserves_ready_old_pods() {
    // TestSurgePreservesReadyOldPods.
    let mut sim = surge_sim(0, 1000);
    let (_, excess) = node_1_pods(&mut sim, None, true);
    assert_eq!(deletes(&sim), [excess]);
    sim.expect(3, 1);
}

#[test]
fn surge_deletes_unready_old_pods() {
    // TestSurgeDeletesUnreadyOldPods.
    let mut sim = surge_sim(0, 1000);
    let (oldest, excess) = node_1_pods(&mut sim, None, false);
    let mut expected = vec![oldest, excess];
    expected.sort();
    assert_eq!(deletes(&sim), expected);
    sim.expect(3, 2);
}

#[test]
fn surge_preserves_old_ready_with_unsatisfied_min_ready() {
    // TestSurgePreservesOldReadyWithUnsatisfiedMinReady: the new pod went ready at 50, the clock
    // is at 60, minReadySeconds is 15.
    let mut sim = surge_sim(15, 50 + 10);
    let (_, excess) = node_1_pods(&mut sim, Some(50), true);
    assert_eq!(deletes(&sim), [excess]);
    sim.expect(3, 1);
}

#[test]
fn surge_deletes_old_ready_with_satisfied_min_ready() {
    // TestSurgeDeletesOldReadyWithUnsatisfiedMinReady: at 70 the new pod is available.
    let mut sim = surge_sim(15, 50 + 20);
    let (oldest, excess) = node_1_pods(&mut sim, Some(50), true);
    let mut expected = vec![oldest, excess];
    expected.sort();
    assert_eq!(deletes(&sim), expected);
    sim.expect(3, 2);
}

#[test]
fn surge_creates_new_pod_when_at_max_surge_and_old_pod_deleted() {
    // TestSurgeCreatesNewPodWhenAtMaxSurgeAndOldPodDeleted.
    let mut sim = surge_sim(0, 1000);
    let hash = sim.hash.clone();
    let mut new = sim.pod("node-0", Some(&hash), 100, true);
    ready_since(&mut new, false, None);
    let mut old = sim.pod("node-0", None, 50, true);
    ready_since(&mut old, true, None);
    sim.pods.extend([new, old]);
    for i in 1..5 {
        let mut old = sim.pod(&format!("node-{i}"), None, 1, true);
        ready_since(&mut old, true, None);
        if i == 4 {
            old["metadata"]["deletionTimestamp"] = json!(at(31).to_string());
            old["metadata"]["deletionGracePeriodSeconds"] = json!(30);
        }
        sim.pods.push(old);
    }
    sim.expect(1, 0);
}

// ---------------------------------------------------------------------------------------------
// What the command reports: node states, completeness, kubectl's line, the next step
// ---------------------------------------------------------------------------------------------

fn states(report: &RolloutStatus) -> Vec<(String, RolloutState)> {
    let mut states: Vec<_> = report.nodes.iter().map(|n| (n.node.clone(), n.state)).collect();
    states.sort();
    states
}

fn codes(report: &RolloutStatus, node: &str) -> Vec<&'static str> {
    report
        .nodes
        .iter()
        .find(|n| n.node == node)
        .map(|n| n.reasons.iter().map(Reason::code).collect())
        .unwrap_or_default()
}

/// Five nodes running revision 1, ready, with a status the controller wrote; then revision 2.
fn rolled(strategy: Value) -> Sim {
    let mut sim = Sim::new(5);
    sim.clock = 1000;
    sim.ds["spec"]["updateStrategy"] = strategy.clone();
    sim.revisions.clear();
    sim.new_revision();
    sim.expect(5, 0);
    sim.mark_pods_ready();
    sim.update("foo2/bar2", strategy);
    sim.ds["metadata"]["generation"] = json!(2);
    sim.ds["status"] = json!({"observedGeneration": 2, "desiredNumberScheduled": 5, "currentNumberScheduled": 5,
        "numberReady": 5, "updatedNumberScheduled": 0, "numberAvailable": 5, "numberMisscheduled": 0});
    sim
}

#[test]
fn old_available_pods_wait_for_their_turn_and_candidates_are_a_set() {
    let sim = rolled(rolling(json!(2)));
    let report = sim.report();
    assert_eq!(
        report.message,
        "Waiting for daemon set \"foo\" rollout to finish: 0 out of 5 new pods have been updated..."
    );
    assert!(!report.done && !report.complete);
    assert!(states(&report).iter().all(|(_, s)| *s == Waiting));
    let step = &report.next_step;
    assert_eq!((step.creates, step.deletes), (0, 2));
    assert!(step.deletes_pods.is_empty(), "the controller picks 2 of 5 at random: never name them");
    assert_eq!(step.candidates, ["node-0", "node-1", "node-2", "node-3", "node-4"]);
    assert_eq!(report.budget, Some(Budget { max_unavailable: 2, max_surge: 0, unavailable: 0, surging: 0 }));
    assert!(codes(&report, "node-0").contains(&"Outdated"));
}

#[test]
fn a_crash_looping_new_pod_blocks_and_uses_up_the_budget() {
    let mut sim = rolled(rolling(json!(1)));
    sim.expect(0, 1);
    sim.expect(1, 0);
    let new = sim.pods.iter_mut().find(|p| p["metadata"]["labels"]["controller-revision-hash"] == json!("h2"));
    let Some(new) = new else { panic!("no new pod") };
    let node = Sim::node_of(new);
    new["spec"]["nodeName"] = json!(node);
    new["status"] = json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "False"}],
        "containerStatuses": [{"name": "c", "image": "foo2/bar2", "imageID": "", "ready": false, "restartCount": 4,
            "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off"}},
            "lastState": {"terminated": {"exitCode": 2, "reason": "Error"}}}]});
    let report = sim.report();
    assert_eq!(states(&report).iter().filter(|(_, s)| *s == Blocking).count(), 1);
    assert_eq!(codes(&report, &node), ["CrashLoopBackOff"]);
    assert_eq!(states(&report).iter().filter(|(_, s)| *s == Waiting).count(), 4);
    let step = &report.next_step;
    assert_eq!((step.creates, step.deletes), (0, 0));
    let waiting = step.waiting_for.as_deref().unwrap_or_default();
    assert!(
        waiting.starts_with(&format!(
            "maxUnavailable 1 is used up by 1 unavailable node(s): {node} (new pod not available)"
        )),
        "{waiting}"
    );
    assert!(waiting.contains(&format!("blocked on {node} (CrashLoopBackOff)")), "{waiting}");
}

#[test]
fn a_surge_pod_that_cannot_share_the_host_port_blocks_next_to_the_old_pod() {
    let mut sim = Sim::new(2);
    sim.clock = 1000;
    let strategy = surging(json!(1));
    sim.ds["spec"]["updateStrategy"] = strategy.clone();
    sim.ds["spec"]["template"]["spec"]["containers"][0]["ports"] = json!([{"containerPort": 80, "hostPort": 80}]);
    sim.revisions.clear();
    sim.new_revision();
    sim.expect(2, 0);
    sim.mark_pods_ready();
    for pod in sim.pods.iter_mut() {
        let node = Sim::node_of(pod);
        pod["spec"]["nodeName"] = json!(node);
        pod["spec"]["containers"][0]["ports"] = json!([{"containerPort": 80, "hostPort": 80}]);
    }
    sim.update("foo2/bar2", strategy);
    sim.expect(1, 0);
    let new = sim.pods.iter_mut().find(|p| p["metadata"]["labels"]["controller-revision-hash"] == json!("h2"));
    let Some(new) = new else { panic!("no surge pod") };
    let node = Sim::node_of(new);
    new["spec"]["containers"][0]["ports"] = json!([{"containerPort": 80, "hostPort": 80}]);
    new["status"] = json!({"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
        "message": "0/2 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 1 node(s) didn't match Pod's node affinity/selector."}]});
    sim.nodes.iter_mut().for_each(|n| n["status"]["allocatable"] = json!({"pods": "100", "cpu": "4", "memory": "8Gi"}));
    let report = sim.report();
    let row = report.nodes.iter().find(|n| n.node == node);
    let Some(row) = row else { panic!("no row for {node}") };
    assert_eq!(row.state, Blocking);
    assert_eq!(row.reasons[0].code(), "HostPortConflict", "{:?}", row.reasons);
    assert!(row.reasons[0].message.contains("default/node-"), "the old pod holds the port: {}", row.reasons[0].message);
    assert!(row.reasons.iter().any(|r| r.code() == "Outdated"), "the old pod is still there");
    assert_eq!(report.budget.map(|b| (b.max_surge, b.surging)), Some((1, 1)));
    assert_eq!((report.next_step.creates, report.next_step.deletes), (0, 0));
}

#[test]
fn on_delete_waits_for_someone_to_delete_each_old_pod() {
    let mut sim = rolled(json!({"type": "OnDelete"}));
    let report = sim.report();
    assert_eq!((report.message.as_str(), report.done, report.kubectl_error), (ONLY_ROLLING_UPDATE, true, true));
    assert!(!report.complete);
    assert_eq!(report.budget, None);
    assert!(states(&report).iter().all(|(_, s)| *s == Blocking));
    let outdated = report.nodes[0].reasons.iter().find(|r| r.code() == "Outdated");
    let hint = outdated.and_then(|r| r.hint.as_deref()).unwrap_or_default();
    assert!(hint.starts_with("the strategy is OnDelete: kubectl delete pod "), "{hint}");
    assert_eq!((report.next_step.creates, report.next_step.deletes), (0, 0));
    // Someone deletes every old pod: manage makes new ones, and once they are available the
    // rollout is complete, while kubectl still answers with its error.
    sim.pods.clear();
    sim.expect(5, 0);
    sim.mark_pods_ready();
    let report = sim.report();
    assert!(report.complete && report.kubectl_error);
}

#[test]
fn an_unreachable_node_holds_an_old_pod_that_never_goes() {
    // The node went NotReady: the unreachable taint makes it ineligible and 1.20's rolling
    // update deletes its unavailable old pod, which hangs in Terminating without a kubelet.
    // kubectl counts only the desired nodes and reports success.
    let mut sim = rolled(rolling(json!(1))).at_version(V1_20);
    sim.nodes[4]["spec"] = json!({"taints": [{"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"},
                                               {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}]});
    sim.nodes[4]["status"]["conditions"] = json!([{"type": "Ready", "status": "Unknown"}]);
    for pod in sim.pods.iter_mut().filter(|p| Sim::node_of(p) == "node-4") {
        ready_since(pod, false, Some(900));
    }
    let report = sim.report();
    assert_eq!(report.next_step.deletes_pods.len(), 1, "the unavailable old pod goes outside the budget");
    for pod in sim.pods.iter_mut().filter(|p| Sim::node_of(p) == "node-4") {
        pod["metadata"]["deletionTimestamp"] = json!(at(1030).to_string());
    }
    for _ in 0..4 {
        sim.expect(0, 1);
        sim.expect(1, 0);
        sim.mark_pods_ready();
    }
    sim.ds["status"] = json!({"observedGeneration": 2, "desiredNumberScheduled": 4, "currentNumberScheduled": 4,
        "numberReady": 4, "updatedNumberScheduled": 4, "numberAvailable": 4, "numberMisscheduled": 1});
    let report = sim.report();
    assert_eq!((report.message.as_str(), report.done), ("daemon set \"foo\" successfully rolled out", true));
    assert!(!report.complete);
    assert_eq!(states(&report).iter().filter(|(_, s)| *s == Updated).count(), 4);
    assert_eq!(codes(&report, "node-4").first(), Some(&"UntoleratedTaint"));
    assert_eq!(report.nodes[0].node, "node-4");
    assert_eq!(report.nodes[0].state, Blocking);
}

#[test]
fn an_unobserved_generation_is_never_complete() {
    let mut sim = rolled(rolling(json!(1)));
    for _ in 0..5 {
        sim.expect(0, 1);
        sim.expect(1, 0);
        sim.mark_pods_ready();
    }
    sim.ds["status"] = json!({"observedGeneration": 2, "desiredNumberScheduled": 5, "currentNumberScheduled": 5,
        "numberReady": 5, "updatedNumberScheduled": 5, "numberAvailable": 5, "numberMisscheduled": 0});
    let report = sim.report();
    assert!(report.complete && report.done);
    assert_eq!(report.next_step.waiting_for, None);
    // A new template the controller has not seen: no ControllerRevision holds it yet.
    sim.ds["metadata"]["generation"] = json!(3);
    sim.ds["spec"]["template"]["spec"]["containers"][0]["image"] = json!("foo2/bar3");
    let report = sim.report();
    assert_eq!((report.message.as_str(), report.done), ("Waiting for daemon set spec update to be observed...", false));
    assert!(!report.complete);
    assert_eq!(
        report.next_step.waiting_for.as_deref(),
        Some("the controller to observe generation 3 (observedGeneration 2)")
    );
    let current: Vec<_> = report.revisions.iter().map(|r| (r.name.clone(), r.current)).collect();
    assert_eq!(current, [(None, true), (Some("foo-h2".to_string()), false), (Some("foo-h1".to_string()), false)]);
    assert_eq!(report.revisions[0].changes, ["container c: image foo2/bar2 → foo2/bar3"]);
}

#[test]
fn a_stripped_status_is_recomputed_and_said_so() {
    let mut sim = rolled(rolling(json!(1)));
    sim.ds.as_object_mut().map(|ds| ds.remove("status"));
    let report = sim.report();
    assert_eq!(
        report.message,
        "Waiting for daemon set \"foo\" rollout to finish: 0 out of 5 new pods have been updated..."
    );
    assert!(
        report
            .header
            .gaps
            .contains(&"status stripped: kubectl's verdict is computed from the objects' counts".to_string())
    );
    assert!(!report.header.gaps.iter().any(|g| g.contains("compare with")));
}

#[test]
fn without_nodes_nothing_is_complete() {
    let sim = rolled(rolling(json!(1)));
    let mut snapshot = sim.snapshot();
    snapshot.nodes.clear();
    snapshot.present.remove(&Kind::Node);
    let report = rollout_status(&snapshot, &sim.daemonset(), &sim.options());
    assert!(!report.complete);
    assert!(report.next_step.waiting_for.as_deref().unwrap_or_default().contains("Node objects"));
}

#[test]
fn revisions_from_pod_template_generations_without_controller_revisions() {
    let mut sim = rolled(rolling(json!(1)));
    sim.ds["metadata"]["annotations"] = json!({"deprecated.daemonset.template.generation": "2"});
    sim.expect(0, 1);
    sim.expect(1, 0);
    for pod in sim.pods.iter_mut() {
        let generation = if pod["metadata"]["labels"]["controller-revision-hash"] == json!("h2") { "2" } else { "1" };
        pod["metadata"]["labels"]["pod-template-generation"] = json!(generation);
        if generation == "1" {
            pod["spec"]["containers"][0]["image"] = json!("foo/bar");
        }
    }
    let mut snapshot = sim.snapshot();
    snapshot.revisions.clear();
    snapshot.present.remove(&Kind::ControllerRevision);
    let report = rollout_status(&snapshot, &sim.daemonset(), &sim.options());
    let generations: Vec<_> =
        report.revisions.iter().map(|r| (r.template_generation.clone(), r.current, r.pods)).collect();
    assert_eq!(generations, [(Some("2".to_string()), true, 1), (Some("1".to_string()), false, 4)]);
    assert_eq!(report.revisions[0].changes, ["container c: image foo/bar → foo2/bar2"]);
}

// ---------------------------------------------------------------------------------------------
// What a revision changed
// ---------------------------------------------------------------------------------------------

#[test]
fn template_changes_name_images_env_resources_and_other_fields() {
    let old: PodTemplateSpec = from(json!({"metadata": {"labels": {"app": "a"}}, "spec": {"containers": [
        {"name": "agent", "image": "agent:1", "env": [{"name": "LEVEL", "value": "info"}, {"name": "GONE", "value": "x"}],
         "resources": {"requests": {"cpu": "100m"}, "limits": {"memory": "128Mi"}}, "args": ["--a"]},
        {"name": "sidecar", "image": "side:1"}]}}));
    let new: PodTemplateSpec = from(json!({"metadata": {"labels": {"app": "a"}, "annotations": {"x": "y"}}, "spec": {
        "volumes": [{"name": "v", "emptyDir": {}}],
        "containers": [
        {"name": "agent", "image": "agent:2", "env": [{"name": "LEVEL", "value": "debug"},
            {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}],
         "resources": {"requests": {"cpu": "200m", "memory": "64Mi"}}, "args": ["--b"]}],
        "initContainers": [{"name": "init", "image": "init:1"}]}}));
    assert_eq!(
        changes::template_changes(&old, &new, true),
        [
            "init container init added (init:1)",
            "container agent: image agent:1 → agent:2",
            "container agent: env LEVEL info → debug",
            "container agent: env TOKEN=<secret s/k> added",
            "container agent: env GONE removed",
            "container agent: requests cpu 100m → 200m",
            "container agent: requests memory 64Mi added",
            "container agent: limits memory removed",
            "container agent: args changed",
            "container sidecar removed",
            "pod template metadata.annotations, spec.volumes changed",
        ]
    );
    assert_eq!(changes::template_changes(&old, &old, true), Vec::<String>::new());
    let without_others = changes::template_changes(&old, &new, false);
    assert!(!without_others.iter().any(|c| c.contains("args") || c.contains("pod template")), "{without_others:?}");
}

#[test]
fn the_next_step_is_counted_once_when_manage_and_the_rolling_update_agree() {
    // A surge node whose new pod is available: manage and the rolling update both delete the old
    // pod; it is one deletion.
    let mut sim = Sim::new(1);
    sim.ds["spec"]["updateStrategy"] = surging(json!(1));
    sim.revisions.clear();
    sim.new_revision();
    sim.expect(1, 0);
    sim.mark_pods_ready();
    sim.update("foo2/bar2", surging(json!(1)));
    sim.expect(1, 0);
    sim.mark_pods_ready();
    sim.clock += 1;
    let report = sim.report();
    assert_eq!((report.next_step.creates, report.next_step.deletes, report.next_step.deletes_pods.len()), (0, 1, 1));
}
