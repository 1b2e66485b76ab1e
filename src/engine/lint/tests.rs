use super::catalogue::{CATALOGUE, find};

#[test]
fn catalogue_has_every_rule_once_in_order() {
    assert_eq!(CATALOGUE.len(), 62);
    let ids: Vec<&str> = CATALOGUE.iter().map(|r| r.id).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted);
    assert_eq!(find("ds304").map(|r| r.name), Some("selector-matches-no-nodes"));
    assert_eq!(find("host-namespaces").map(|r| r.id), Some("DS402"));
}

use k8s_openapi::api::apps::v1::DaemonSet;

use super::{Environment, Finding, Subject, lint};
use crate::engine::test_support::from_json;
use crate::snapshot::Snapshot;

/// A DaemonSet from a JSON literal: `template_spec` is the pod spec; the rest is a minimal
/// valid apps/v1 DaemonSet named `agent` in `kube-system` that `patch` (merged over it) adjusts.
pub(crate) fn daemonset(template_spec: serde_json::Value, patch: serde_json::Value) -> DaemonSet {
    let mut base = serde_json::json!({
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "kube-system"},
        "spec": {
            "selector": {"matchLabels": {"app": "agent"}},
            "template": {
                "metadata": {"labels": {"app": "agent"}},
                "spec": template_spec,
            },
        },
    });
    merge(&mut base, patch);
    from_json(base)
}

fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
    match (base, patch) {
        (serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
            for (key, value) in patch {
                match base.get_mut(&key) {
                    Some(existing) if value.is_object() => merge(existing, value),
                    _ => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, patch) => *base = patch,
    }
}

pub(crate) fn options() -> crate::engine::Options {
    crate::engine::Options {
        as_of: crate::engine::test_support::ts("2026-01-01T00:00:00Z"),
        version: crate::version::KubeVersion::NEWEST_KNOWN,
        stuck_after: crate::engine::DEFAULT_STUCK_AFTER,
    }
}

/// The findings of every rule, without a cluster.
pub(crate) fn lint_static(ds: &DaemonSet) -> Vec<Finding> {
    lint_with(ds, None, false)
}

/// The findings of every rule; with a snapshot, as if it were the cluster.
pub(crate) fn lint_with(ds: &DaemonSet, snapshot: Option<&Snapshot>, node_agent: bool) -> Vec<Finding> {
    let opts = options();
    let subject = Subject::new(ds, Some("apps/v1"), node_agent);
    let empty = Snapshot::empty(crate::snapshot::Origin::Offline { paths: vec![] });
    let live = snapshot.and_then(|s| {
        s.daemonsets
            .iter()
            .find(|d| d.metadata.name == ds.metadata.name && d.metadata.namespace == ds.metadata.namespace)
    });
    let env = Environment {
        snapshot: snapshot.unwrap_or(&empty),
        cluster: snapshot.is_some(),
        namespace: "kube-system",
        live,
        is_live_object: false,
        opts: &opts,
    };
    lint(&subject, &env).findings
}

/// The findings of one rule.
pub(crate) fn of_rule<'a>(findings: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.rule == rule).collect()
}
