//! Builders for the engine's unit tests. Objects come from JSON literals so that a case reads
//! like the manifest in the Kubernetes test it was taken from.

use std::collections::BTreeMap;

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{Node, Pod, PodSpec};
use serde::de::DeserializeOwned;

use super::hints::Hints;

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
