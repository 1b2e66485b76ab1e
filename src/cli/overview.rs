//! `kubectl ds` with no subcommand (every DaemonSet at a glance) and `kubectl ds node NODE`
//! (every DaemonSet as one node sees it).

use std::io::Write;

use anyhow::anyhow;

use super::Failure;
use super::common::{SnapshotArgs, runtime};
use crate::engine::overview::{node_view, overview};
use crate::render::{self, ColorChoice, TextOptions};
use crate::snapshot::{Kind, Snapshot};
use crate::source::offline::Need;
use crate::source::{kubeconfig, live};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    Table,
    Wide,
    Json,
    Yaml,
    /// daemonset.apps/NAME per line, for piping into kubectl
    Name,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ViewArgs {
    #[command(flatten)]
    pub snapshot: SnapshotArgs,

    /// Output format
    #[arg(short = 'o', long = "output", value_enum, default_value = "table")]
    pub output: Output,

    /// Colour: auto (a terminal without NO_COLOR), always, never
    #[arg(long = "color", value_enum, default_value = "auto")]
    pub color: ColorChoice,

    /// Print the table without its header
    #[arg(long = "no-headers")]
    pub no_headers: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct OverviewArgs {
    /// Every namespace
    #[arg(short = 'A', long = "all-namespaces")]
    pub all_namespaces: bool,

    #[command(flatten)]
    pub view: ViewArgs,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # The new node that stays NotReady: is its CNI pod there, and if not, why?
  kubectl ds node ip-10-0-3-17.ec2.internal

  # From a dump
  kubectl ds node worker-3 --from cluster-dump/")]
pub struct NodeArgs {
    /// The node's name
    #[arg(value_name = "NODE")]
    pub node: String,

    #[command(flatten)]
    pub view: ViewArgs,
}

fn load(args: &SnapshotArgs, all_namespaces: bool) -> Result<(Snapshot, Option<String>), Failure> {
    if !args.is_live() {
        return Ok((args.load_offline(Need::DaemonSets)?, args.namespace.clone()));
    }
    let flags = args.cluster.flags(args.namespace.clone());
    let _spinner = super::common::Spinner::start("reading DaemonSets, nodes and pods from the cluster");
    runtime()?.block_on(async {
        let conn = kubeconfig::connect(&flags).await.map_err(Failure::access)?;
        let snapshot = live::cluster_snapshot(&conn, all_namespaces).await.map_err(Failure::access)?;
        Ok((snapshot, Some(conn.namespace.clone())))
    })
}

fn text_options(view: &ViewArgs) -> TextOptions {
    TextOptions::for_stdout(view.output == Output::Wide, view.color, view.no_headers)
}

pub fn run_overview(args: OverviewArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let (snapshot, namespace) = load(&args.view.snapshot, args.all_namespaces)?;
    let opts = args.view.snapshot.engine_options(&snapshot);
    let scope = if args.all_namespaces { None } else { namespace.as_deref() };
    let report = overview(&snapshot, scope, &opts);
    match args.view.output {
        Output::Table | Output::Wide => {
            render::overview::write_overview(out, &report, scope.is_none(), &text_options(&args.view))?
        }
        Output::Json => render::json(out, &report)?,
        Output::Yaml => render::yaml(out, &report)?,
        Output::Name => {
            for row in &report.daemon_sets {
                writeln!(out, "daemonset.apps/{}", row.name)?;
            }
        }
    }
    Ok(0)
}

pub fn run_node(args: NodeArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let (snapshot, _) = load(&args.view.snapshot, true)?;
    if snapshot.has(Kind::Node) && snapshot.node(&args.node).is_none() {
        let names = snapshot.nodes.iter().filter_map(|n| n.metadata.name.as_deref());
        let hint = super::closest_name(&args.node, names).map(|c| format!("; did you mean {c:?}?")).unwrap_or_default();
        return Err(Failure::usage(anyhow!("node {:?} not found{hint}", args.node)));
    }
    let opts = args.view.snapshot.engine_options(&snapshot);
    let report = node_view(&snapshot, &args.node, &opts);
    match args.view.output {
        Output::Table | Output::Wide => render::overview::write_node_view(out, &report, &text_options(&args.view))?,
        Output::Json => render::json(out, &report)?,
        Output::Yaml => render::yaml(out, &report)?,
        Output::Name => {
            for row in report.daemon_sets.iter().filter(|r| r.should_run == Some(true)) {
                writeln!(out, "daemonset.apps/{}", row.name)?;
            }
        }
    }
    Ok(0)
}
