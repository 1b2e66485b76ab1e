//! Builders for the engine's unit tests. Objects come from JSON literals so that a case reads
//! like the manifest in the Kubernetes test it was taken from.

use std::collections::BTreeMap;

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{Node, Pod, PodSpec};
use serde::de::DeserializeOwned;

use super::hints::Hints;
use crate::snapshot::{Kind, Origin, Snapshot};

/// A Kubernetes object from a JSON literal written in the test.
pub(crate) fn from_json<T: DeserializeOwned>(value: serde_json::Value) -> T {
    match serde_json::from_value(value) {
        Ok(object) => object,
        Err(error) => panic!("test literal does not deserialize: {error}"),
    }
}

pub(crate) fn spec(value: serde_json::Value) -> PodSpec {
    from_json(value)
}

pub(crate) fn node(value: serde_json::Value) -> Node {
    from_json(value)
}

pub(crate) fn pod(value: serde_json::Value) -> Pod {
    from_json(value)
}

pub(crate) fn ts(literal: &str) -> Timestamp {
    match literal.parse() {
        Ok(timestamp) => timestamp,
        Err(error) => panic!("test literal {literal:?} is not a timestamp: {error}"),
    }
}

pub(crate) fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

pub(crate) fn hints() -> Hints<'static> {
    Hints { namespace: "default", name: "ds", has_tolerations: false }
}

/// A snapshot holding these objects, with every kind the tests use marked as listed (so that an
/// empty list means "none", not "unknown").
pub(crate) fn snapshot(objects: Vec<serde_json::Value>) -> Snapshot {
    let mut snapshot = Snapshot::empty(Origin::Offline { paths: vec![] });
    for kind in [Kind::Node, Kind::Pod, Kind::DaemonSet, Kind::Event, Kind::ControllerRevision, Kind::Namespace] {
        snapshot.present.insert(kind);
    }
    for object in objects {
        match object["kind"].as_str() {
            Some("Node") => snapshot.nodes.push(from_json(object)),
            Some("Pod") => snapshot.pods.push(from_json(object)),
            Some("DaemonSet") => snapshot.daemonsets.push(from_json(object)),
            Some("Event") => snapshot.events.push(from_json(object)),
            Some("Namespace") => snapshot.namespaces.push(from_json(object)),
            Some("ControllerRevision") => snapshot.revisions.push(from_json(object)),
            Some("PriorityClass") => {
                snapshot.present.insert(Kind::PriorityClass);
                snapshot.priority_classes.push(from_json(object));
            }
            Some("ServiceAccount") => {
                snapshot.present.insert(Kind::ServiceAccount);
                snapshot.service_accounts.push(from_json(object));
            }
            other => panic!("unexpected kind {other:?}"),
        }
    }
    snapshot
}

/// The project's fixture snapshots (tests/fixtures: the cluster, the why-not-scheduled and
/// rollout scenarios), each with its file name, for properties that must hold on every one.
pub(crate) fn fixture_snapshots() -> Vec<(String, Snapshot)> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut files = vec![format!("{root}/cluster.json")];
    for dir in ["why", "rollout"] {
        let Ok(entries) = std::fs::read_dir(format!("{root}/{dir}")) else { panic!("no fixtures in {root}/{dir}") };
        let mut found: Vec<String> = entries.flatten().map(|e| e.path().display().to_string()).collect();
        found.sort();
        files.extend(found);
    }
    files
        .into_iter()
        .map(|file| match crate::source::offline::load(std::slice::from_ref(&file), &mut std::io::empty()) {
            Ok(snapshot) => (file, snapshot),
            Err(error) => panic!("fixture {file} does not load: {error}"),
        })
        .collect()
}
