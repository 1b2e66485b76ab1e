//! Every DaemonSet at once: the overview and one node's view, both built from `explain` so that
//! they say what `explain` says.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::DaemonSet;

use super::{Options, Rows, explain_each};
use crate::report::overview::{NodeView, NodeViewRow, Overview, OverviewRow, TopReason};
use crate::report::{API_VERSION, Explanation, NodeStatus};
use crate::snapshot::Snapshot;

fn sorted(daemonsets: &[DaemonSet]) -> Vec<&DaemonSet> {
    let mut all: Vec<&DaemonSet> = daemonsets.iter().collect();
    all.sort_by_key(|ds| (ds.metadata.namespace.clone(), ds.metadata.name.clone()));
    all
}

/// `explain` for each DaemonSet (in namespace/name order), and the gaps they report, once each.
fn explained<'a>(
    snapshot: &Snapshot,
    daemonsets: impl Iterator<Item = &'a DaemonSet>,
    opts: &Options,
    rows: Rows<'_>,
) -> (Vec<Explanation>, Vec<String>) {
    let daemonsets: Vec<&DaemonSet> = daemonsets.collect();
    let explanations = explain_each(snapshot, &daemonsets, opts, rows);
    let mut gaps = Vec::new();
    for gap in explanations.iter().flat_map(|e| &e.header.gaps) {
        if !gaps.contains(gap) {
            gaps.push(gap.clone());
        }
    }
    (explanations, gaps)
}

fn top_reason(explanation: &Explanation) -> Option<TopReason> {
    let mut counts: BTreeMap<&'static str, (u32, String)> = BTreeMap::new();
    for node in explanation.nodes.iter().filter(|n| n.status.lacks_healthy_pod()) {
        if let Some(reason) = node.reasons.first() {
            let entry = counts.entry(reason.code()).or_insert((0, reason.message.clone()));
            entry.0 += 1;
        }
    }
    let (code, (nodes, message)) = counts.into_iter().max_by_key(|(_, (n, _))| *n)?;
    Some(TopReason { code, message, nodes })
}

/// One row per DaemonSet of the snapshot (those of `namespace` when given).
pub fn overview(snapshot: &Snapshot, namespace: Option<&str>, opts: &Options) -> Overview {
    let in_scope = sorted(&snapshot.daemonsets)
        .into_iter()
        .filter(|ds| namespace.is_none_or(|ns| ds.metadata.namespace.as_deref() == Some(ns)));
    let (explanations, gaps) = explained(snapshot, in_scope, opts, Rows::LackingHealthyPod);
    let rows = explanations
        .into_iter()
        .map(|explanation| OverviewRow {
            namespace: explanation.header.daemon_set.namespace.clone(),
            name: explanation.header.daemon_set.name.clone(),
            top_reason: top_reason(&explanation),
            summary: explanation.summary,
        })
        .collect();
    Overview {
        api_version: API_VERSION,
        kind: "Overview",
        source: snapshot.origin.clone(),
        kubernetes_version: opts.version.to_string(),
        as_of: Some(opts.as_of),
        gaps,
        notes: snapshot.notes.clone(),
        daemon_sets: rows,
    }
}

/// Every DaemonSet of the snapshot as `node` sees it: whether it belongs there, its pod, and why.
pub fn node_view(snapshot: &Snapshot, node: &str, opts: &Options) -> NodeView {
    let (explanations, gaps) = explained(snapshot, sorted(&snapshot.daemonsets).into_iter(), opts, Rows::Node(node));
    let rows = explanations
        .iter()
        .map(|explanation| {
            let row = explanation.nodes.iter().find(|n| n.node == node);
            NodeViewRow {
                namespace: explanation.header.daemon_set.namespace.clone(),
                name: explanation.header.daemon_set.name.clone(),
                should_run: row.and_then(|r| r.should_run),
                status: row.map_or(NodeStatus::Unknown, |r| r.status),
                pods: row.map(|r| r.pods.clone()).unwrap_or_default(),
                reasons: row.map(|r| r.reasons.clone()).unwrap_or_default(),
            }
        })
        .collect();
    NodeView {
        api_version: API_VERSION,
        kind: "NodeView",
        source: snapshot.origin.clone(),
        kubernetes_version: opts.version.to_string(),
        as_of: Some(opts.as_of),
        gaps,
        notes: snapshot.notes.clone(),
        node: node.to_string(),
        daemon_sets: rows,
    }
}
