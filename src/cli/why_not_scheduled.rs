//! `kubectl ds why-not-scheduled`: flags to options, the snapshot (live: plus the events of the
//! pods in trouble), the trace engine, a renderer.

use std::io::{IsTerminal, Write};

use anyhow::anyhow;
use k8s_openapi::api::apps::v1::DaemonSet;

use super::Failure;
use super::common::{Session, SnapshotArgs, closest_name, find_daemonset, manifest_and_name};
use crate::engine::pods::{daemonset_pods, is_ready};
use crate::engine::{Target, trace};
use crate::render::{self, ColorChoice};
use crate::snapshot::{Kind, Snapshot};
use crate::source::live;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    Text,
    Json,
    Yaml,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # Why does log-agent have no healthy pod on some nodes? Every rule, the evidence, the fix
  kubectl ds why-not-scheduled log-agent -n kube-system

  # One node, from a dump
  kubectl ds why-not-scheduled log-agent --node worker-5 --from cluster.yaml

  # Why would a manifest not run where I expect it to?
  kubectl ds why-not-scheduled -f agent.yaml --from cluster.yaml -o json")]
pub struct WhyNotScheduledArgs {
    /// The DaemonSet's name (with -f: picks one DaemonSet of the manifest)
    #[arg(value_name = "NAME", required_unless_present = "filename")]
    pub name: Option<String>,

    /// Trace a DaemonSet manifest that is not applied (what-if); - reads stdin
    #[arg(short = 'f', long = "filename", value_name = "FILE")]
    pub filename: Option<String>,

    /// Trace these nodes, whatever their status (repeatable, or comma-separated). Default: every
    /// node that is Missing, Stuck or Misscheduled, and the excluded ones grouped by cause
    #[arg(long = "node", value_delimiter = ',', value_name = "NODE")]
    pub nodes: Vec<String>,

    #[command(flatten)]
    pub snapshot: SnapshotArgs,

    /// Output format
    #[arg(short = 'o', long = "output", value_enum, default_value = "text")]
    pub output: Output,

    /// When to colour: auto (a terminal, unless NO_COLOR is set), always, never
    #[arg(long = "color", value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorChoice,
}

/// Prose wraps to this width unless a terminal says otherwise.
const TEXT_WIDTH: u16 = 100;

pub fn run(args: WhyNotScheduledArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let (manifest, name) = manifest_and_name(args.filename.as_deref(), args.name.as_deref(), &args.snapshot)?;
    let loaded = args.snapshot.load_for_daemonset(&name, manifest.as_ref())?;
    let mut snapshot = loaded.snapshot;
    let target_ds = match &manifest {
        Some(manifest) => manifest.clone(),
        None => find_daemonset(&snapshot, &name, loaded.namespace.as_deref())?.clone(),
    };
    if let Some(session) = &loaded.session {
        add_live_details(session, &target_ds, &mut snapshot)?;
    }
    check_nodes(&snapshot, &args.nodes)?;
    let opts = args.snapshot.engine_options(&snapshot);
    let target = match &manifest {
        Some(manifest) => {
            let existing = snapshot.daemonsets.iter().find(|ds| {
                ds.metadata.namespace == manifest.metadata.namespace && ds.metadata.name == manifest.metadata.name
            });
            Target::WhatIf { manifest, existing }
        }
        None => Target::Existing(&target_ds),
    };
    let report = trace::trace(&snapshot, target, &opts, &args.nodes);
    match args.output {
        Output::Json => render::json(out, &report),
        Output::Yaml => render::yaml(out, &report),
        Output::Text => {
            let terminal = std::io::stdout().is_terminal();
            let width = terminal
                .then(|| std::env::var("COLUMNS").ok()?.parse::<u16>().ok())
                .flatten()
                .map_or(TEXT_WIDTH, |columns| columns.clamp(60, TEXT_WIDTH));
            let text = render::trace::TextOptions { color: args.color.for_stdout(), width };
            render::trace::write_text(out, &report, &text)
        }
    }
    .map_err(|e| Failure { code: 2, error: e.into() })?;
    Ok(0)
}

/// Names that are not nodes of the snapshot (nor nodes the DaemonSet's pods are for) are a
/// usage error, with the closest name.
fn check_nodes(snapshot: &Snapshot, nodes: &[String]) -> Result<(), Failure> {
    if !snapshot.has(Kind::Node) {
        return Ok(());
    }
    let known: Vec<&str> = snapshot
        .nodes
        .iter()
        .filter_map(|n| n.metadata.name.as_deref())
        .chain(snapshot.pods.iter().filter_map(|p| p.spec.as_ref()?.node_name.as_deref()))
        .collect();
    for node in nodes {
        if !known.contains(&node.as_str()) {
            let mut message = format!("node {node:?} is not in the snapshot");
            if let Some(candidate) =
                closest_name(node, snapshot.nodes.iter().filter_map(|n| n.metadata.name.as_deref()))
            {
                message.push_str(&format!("; did you mean {candidate:?}?"));
            }
            return Err(Failure::usage(anyhow!(message)));
        }
    }
    Ok(())
}

/// Live only: the events of the DaemonSet's pods that are not ready (the explain read takes only
/// the DaemonSet's own), and its PriorityClass, so the trace can show FailedScheduling,
/// FailedMount and pull errors, and a class that does not exist.
fn add_live_details(session: &Session, ds: &DaemonSet, snapshot: &mut Snapshot) -> Result<(), Failure> {
    let version = snapshot.kubernetes_version().unwrap_or(crate::version::KubeVersion::NEWEST_KNOWN);
    let troubled: Vec<String> = daemonset_pods(snapshot, ds, version)
        .values()
        .flatten()
        .filter(|p| !is_ready(p) || p.metadata.deletion_timestamp.is_some())
        .filter_map(|p| p.metadata.name.clone())
        .collect();
    let priority_class = ds
        .spec
        .template
        .spec
        .as_ref()
        .and_then(|s| s.priority_class_name.clone())
        .filter(|c| !matches!(c.as_str(), "system-node-critical" | "system-cluster-critical"));
    if troubled.is_empty() && priority_class.is_none() {
        return Ok(());
    }
    let conn = &session.conn;
    session.runtime.block_on(async {
        if !troubled.is_empty() {
            let (events, note) = live::pod_events(conn, &troubled).await.map_err(Failure::access)?;
            let known: std::collections::HashSet<String> =
                snapshot.events.iter().filter_map(|e| e.metadata.uid.clone()).collect();
            snapshot
                .events
                .extend(events.into_iter().filter(|e| e.metadata.uid.as_ref().is_none_or(|u| !known.contains(u))));
            snapshot.notes.extend(note);
        }
        if let Some(class) = priority_class
            && let Some(found) = live::priority_class(conn, &class).await.map_err(Failure::access)?
        {
            snapshot.present.insert(Kind::PriorityClass);
            snapshot.priority_classes.extend(found);
        }
        Ok(())
    })
}
