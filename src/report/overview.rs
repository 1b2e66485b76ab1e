//! `kubectl ds` (no subcommand) and `kubectl ds node`: every DaemonSet at a glance, or every
//! DaemonSet as one node sees it. Same statuses and reasons as `explain`.

use jiff::Timestamp;
use serde::Serialize;

use super::{NodeStatus, PodReport, Reason, Summary};
use crate::snapshot::Origin;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub source: Origin,
    pub kubernetes_version: String,
    pub as_of: Option<Timestamp>,
    pub gaps: Vec<String>,
    pub notes: Vec<String>,
    pub daemon_sets: Vec<OverviewRow>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OverviewRow {
    pub namespace: String,
    pub name: String,
    pub summary: Summary,
    /// The most frequent first reason among the nodes lacking a healthy pod.
    pub top_reason: Option<TopReason>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TopReason {
    pub code: &'static str,
    pub message: String,
    pub nodes: u32,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeView {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub source: Origin,
    pub kubernetes_version: String,
    pub as_of: Option<Timestamp>,
    pub gaps: Vec<String>,
    pub notes: Vec<String>,
    pub node: String,
    pub daemon_sets: Vec<NodeViewRow>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeViewRow {
    pub namespace: String,
    pub name: String,
    pub should_run: Option<bool>,
    pub status: NodeStatus,
    pub pods: Vec<PodReport>,
    pub reasons: Vec<Reason>,
}
