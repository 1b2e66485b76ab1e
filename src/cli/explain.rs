//! `kubectl ds explain`: flags to options, the engine, a renderer.

use std::io::Write;

use anyhow::anyhow;
use kube_core::SelectorExt;

use super::common::{SnapshotArgs, find_daemonset, manifest_and_name};
use super::{Failure, selector};
use crate::engine::{self, Target};
use crate::render::{self, ColorChoice, TextOptions};
use crate::report::{Explanation, NodeStatus};
use crate::snapshot::Snapshot;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    Table,
    Wide,
    Json,
    Yaml,
    /// node/NAME per row, for piping into kubectl (e.g. --status Missing -o name | xargs kubectl describe)
    Name,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # Why is log-agent missing on some nodes? (state from a dump)
  kubectl ds explain log-agent -n kube-system --from cluster.yaml

  # Only the nodes with problems, as JSON
  kubectl ds explain log-agent --from dump/ --status Stuck,Missing -o json

  # What would this manifest do if applied?
  kubectl ds explain -f new-agent.yaml --from cluster.yaml")]
pub struct ExplainArgs {
    /// The DaemonSet's name (with -f: picks one DaemonSet of the manifest)
    #[arg(value_name = "NAME", required_unless_present = "filename")]
    pub name: Option<String>,

    /// Evaluate a DaemonSet manifest that is not applied (what-if); - reads stdin
    #[arg(short = 'f', long = "filename", value_name = "FILE")]
    pub filename: Option<String>,

    #[command(flatten)]
    pub snapshot: SnapshotArgs,

    /// Output format
    #[arg(short = 'o', long = "output", value_enum, default_value = "table")]
    pub output: Output,

    /// Only these nodes (repeatable, or comma-separated)
    #[arg(long = "node", value_delimiter = ',', value_name = "NODE")]
    pub nodes: Vec<String>,

    /// Only nodes with these statuses (repeatable, or comma-separated)
    #[arg(long = "status", value_delimiter = ',', value_name = "STATUS", value_parser = parse_status)]
    pub statuses: Vec<NodeStatus>,

    /// Only nodes whose labels match this selector (e.g. node-role.kubernetes.io/worker,zone in (a,b))
    #[arg(short = 'l', long = "selector", value_name = "SELECTOR")]
    pub selector: Option<String>,

    /// Exit 1 when an eligible node lacks a healthy pod (what-if: would be Pending, or would lose its pod)
    #[arg(long = "exit-code")]
    pub exit_code: bool,

    /// Omit the table header
    #[arg(long = "no-headers")]
    pub no_headers: bool,

    /// When to colour: auto (a terminal, unless NO_COLOR is set), always, never
    #[arg(long = "color", value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorChoice,
}

fn parse_status(text: &str) -> Result<NodeStatus, String> {
    NodeStatus::ALL.into_iter().find(|s| s.as_str().eq_ignore_ascii_case(text)).ok_or_else(|| {
        let all: Vec<&str> = NodeStatus::ALL.iter().map(|s| s.as_str()).collect();
        format!("unknown status {text:?}: one of {}", all.join(", "))
    })
}

pub fn run(args: ExplainArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let label_selector =
        args.selector.as_deref().map(selector::parse).transpose().map_err(|e| Failure::usage(anyhow!(e)))?;
    let (manifest, name) = manifest_and_name(args.filename.as_deref(), args.name.as_deref(), &args.snapshot)?;
    let loaded = args.snapshot.load_for_daemonset(&name, manifest.as_ref())?;
    let snapshot = loaded.snapshot;
    let opts = args.snapshot.engine_options(&snapshot);

    let target = match &manifest {
        Some(manifest) => {
            let existing = snapshot.daemonsets.iter().find(|ds| {
                ds.metadata.namespace == manifest.metadata.namespace && ds.metadata.name == manifest.metadata.name
            });
            Target::WhatIf { manifest, existing }
        }
        None => Target::Existing(find_daemonset(&snapshot, &name, loaded.namespace.as_deref())?),
    };
    let mut report = engine::explain(&snapshot, target, &opts);
    filter_rows(&mut report, &snapshot, &args, label_selector.as_ref());

    let failed = args.exit_code && verdict_fails(&report);
    match args.output {
        Output::Json => render::json(out, &report),
        Output::Yaml => render::yaml(out, &report),
        Output::Name => report.nodes.iter().try_for_each(|node| writeln!(out, "node/{}", node.node)),
        Output::Table | Output::Wide => {
            let text = TextOptions::for_stdout(args.output == Output::Wide, args.color, args.no_headers);
            render::explain::write_text(out, &report, &text)
        }
    }
    .map_err(|e| Failure { code: 2, error: e.into() })?;
    Ok(u8::from(failed))
}

fn verdict_fails(report: &Explanation) -> bool {
    report.nodes.iter().any(|node| {
        node.status.lacks_healthy_pod()
            || (report.header.daemon_set.what_if
                && !node.pods.is_empty()
                && node.should_continue_running == Some(false))
    })
}

fn filter_rows(
    report: &mut Explanation,
    snapshot: &Snapshot,
    args: &ExplainArgs,
    selector: Option<&kube_core::Selector>,
) {
    let empty = Default::default();
    report.nodes.retain(|row| {
        let by_name = args.nodes.is_empty() || args.nodes.contains(&row.node);
        let by_status = args.statuses.is_empty() || args.statuses.contains(&row.status);
        let by_labels = selector.is_none_or(|selector| {
            snapshot
                .nodes
                .iter()
                .find(|n| n.metadata.name.as_deref() == Some(row.node.as_str()))
                .is_some_and(|n| selector.matches(n.metadata.labels.as_ref().unwrap_or(&empty)))
        });
        by_name && by_status && by_labels
    });
}
