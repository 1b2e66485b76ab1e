//! `kubectl ds lint`: manifests (`-f`) or the cluster's DaemonSets, with the cluster's state when
//! there is one (`--live`, `--from`, or DaemonSets named from the cluster).

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::anyhow;
use jiff::Timestamp;
use k8s_openapi::api::apps::v1::DaemonSet;

use super::Failure;
use super::common::{SnapshotArgs, find_daemonset, runtime};
use crate::engine::lint::policy::{ConfigFile, LintConfig};
use crate::engine::lint::{self, Settings, Severity, Target};
use crate::render::{self, ColorChoice};
use crate::report::lint::{LintReport, LintSource};
use crate::snapshot::{Kind, Snapshot};
use crate::source::offline::{self, Located, Need};
use crate::source::{InputError, kubeconfig, live};
use crate::version::KubeVersion;

/// The config file looked for in the current directory when `--config` is not given.
pub const CONFIG_FILE: &str = ".kubectl-ds.yaml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    Text,
    Json,
    Yaml,
    Sarif,
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// Never fail on findings (exit 0 unless the input cannot be read)
    Never,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # Lint manifests before they are applied (static rules only)
  kubectl ds lint -f deploy/

  # Rendered Helm chart, with the cluster's nodes, taints and namespaces as context
  helm template agent ./chart | kubectl ds lint -f - --live

  # Every DaemonSet of the cluster, failing on warnings, for code scanning
  kubectl ds lint -A --fail-on warning -o sarif > lint.sarif

  # The catalogue of rules
  kubectl ds lint --list-rules

Suppress a finding with an annotation on the DaemonSet or its pod template:
  ignore-check.kubectl-ds.io/DS401: \"the CNI needs it\"
Declare a node agent (host access is its job) with kubectl-ds.io/node-agent: \"true\",
or in .kubectl-ds.yaml (see the README).")]
pub struct LintArgs {
    /// DaemonSets to lint from the cluster or --from (with -f: only these of the manifests)
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,

    /// Manifests to lint: files, directories, or - for stdin (repeatable)
    #[arg(short = 'f', long = "filename", value_name = "PATH")]
    pub filenames: Vec<String>,

    /// Every DaemonSet in every namespace of the cluster or --from
    #[arg(short = 'A', long = "all-namespaces")]
    pub all_namespaces: bool,

    /// With -f: also read the live cluster (nodes, taints, namespaces, ...) for the cluster rules
    #[arg(long = "live")]
    pub live: bool,

    #[command(flatten)]
    pub snapshot: SnapshotArgs,

    /// Output format
    #[arg(short = 'o', long = "output", value_enum, default_value = "text")]
    pub output: Output,

    /// Exit 1 when a finding is at or above this severity
    #[arg(long = "fail-on", value_enum, default_value = "error")]
    pub fail_on: FailOn,

    /// Config file (default: .kubectl-ds.yaml in the current directory, if there is one)
    #[arg(long = "config", value_name = "FILE")]
    pub config: Option<String>,

    /// Also show the findings that suppressions hide
    #[arg(long = "show-suppressed")]
    pub show_suppressed: bool,

    /// Print the rule catalogue and exit
    #[arg(long = "list-rules")]
    pub list_rules: bool,

    /// Colour: auto (a terminal without NO_COLOR), always, never
    #[arg(long = "color", value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

pub fn run(args: LintArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    if args.list_rules {
        render::lint::write_rules(out)?;
        return Ok(0);
    }
    let config = load_config(args.config.as_deref())?;
    let fail_on = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let report = if args.filenames.is_empty() {
        lint_cluster_objects(&args, &config, fail_on)?
    } else {
        lint_manifests(&args, &config, fail_on)?
    };
    match args.output {
        Output::Text => render::lint::write_text(out, &report, args.color.for_stdout())?,
        Output::Json => render::json(out, &report)?,
        Output::Yaml => render::yaml(out, &report)?,
        Output::Sarif => render::sarif::write(out, &report)?,
        Output::Junit => render::junit::write(out, &report)?,
    }
    Ok(u8::from(report.summary.failed))
}

fn load_config(path: Option<&str>) -> Result<LintConfig, Failure> {
    let path = match path {
        Some(path) => path.to_string(),
        None if Path::new(CONFIG_FILE).is_file() => CONFIG_FILE.to_string(),
        None => return Ok(LintConfig::default()),
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Failure::usage(InputError::new(&path, None, format!("cannot read the config: {e}"))))?;
    let file: ConfigFile =
        serde_saphyr::from_str_with_options(&text, offline::yaml_options(text.len())).map_err(|e| {
            let line = e.location().map(|l| l.line());
            let first = e.to_string().lines().next().unwrap_or("invalid config").to_string();
            Failure::usage(InputError::new(&path, line, format!("{first} (expected the lint config: see the README)")))
        })?;
    file.lint.validate().map_err(|message| Failure::usage(InputError::new(&path, None, message)))?;
    Ok(file.lint)
}

fn settings<'a>(
    config: &'a LintConfig,
    fail_on: Option<Severity>,
    args: &LintArgs,
    opts: &'a crate::engine::Options,
) -> Settings<'a> {
    Settings { config, fail_on, show_suppressed: args.show_suppressed, opts }
}

fn version_label(snapshot: Option<&Snapshot>, args: &LintArgs) -> String {
    args.snapshot
        .kubernetes_version
        .or_else(|| snapshot.and_then(Snapshot::kubernetes_version))
        .map_or_else(|| "latest".to_string(), |v| v.to_string())
}

/// `-f`: the manifests' DaemonSets, with their other objects as context, and the cluster's state
/// from `--from` or (`--live`) the API.
fn lint_manifests(args: &LintArgs, config: &LintConfig, fail_on: Option<Severity>) -> Result<LintReport, Failure> {
    if args.filenames.iter().filter(|p| *p == offline::STDIN).count() > 1 {
        return Err(Failure::usage(anyhow!("-f - (stdin) can be given only once")));
    }
    if args.filenames.iter().any(|p| p == offline::STDIN) && args.snapshot.from.iter().any(|p| p == offline::STDIN) {
        return Err(Failure::usage(anyhow!("-f - and --from - cannot both read stdin")));
    }
    if args.all_namespaces {
        return Err(Failure::usage(anyhow!("-A lints the cluster's DaemonSets; with -f the manifests are the input")));
    }
    let mut stdin = std::io::stdin();
    if args.filenames.iter().any(|p| p == offline::STDIN) && stdin.is_terminal() {
        return Err(Failure::usage(anyhow!("-f - reads stdin, but stdin is a terminal: pipe manifests in")));
    }
    let (files, located) = offline::load_located(&args.filenames, &mut stdin)?;
    let chosen: Vec<(&DaemonSet, Option<&Located>)> = located
        .iter()
        .filter(|l| args.names.is_empty() || args.names.contains(&l.name))
        .map(|l| (&l.ds, Some(l)))
        .collect();
    if let Some(missing) =
        args.names.iter().find(|n| !chosen.iter().any(|(ds, _)| ds.metadata.name.as_deref() == Some(n)))
    {
        return Err(Failure::usage(anyhow!("no DaemonSet {missing:?} in the manifests")));
    }
    // Where each manifest lands: its own namespace, else -n, else "default" (live: the context's).
    let namespaces: Vec<String> = chosen
        .iter()
        .map(|(ds, _)| {
            let flag = args.snapshot.namespace.clone();
            ds.metadata.namespace.clone().or(flag).unwrap_or_else(|| "default".into())
        })
        .collect();
    let mut notes = files.notes.clone();
    if chosen.is_empty() {
        notes.push("the input holds no DaemonSets: nothing to lint".to_string());
    }
    let mut report = LintReport::new(
        LintSource { files: args.filenames.clone(), cluster: cluster_label(args) },
        version_label(None, args),
    );
    if !args.snapshot.from.is_empty() {
        let mut snapshot = args.snapshot.load_offline(Need::DaemonSets)?;
        add_context(&mut snapshot, &files);
        report.kubernetes_version = version_label(Some(&snapshot), args);
        add_notes(&mut notes, &snapshot);
        let opts = args.snapshot.engine_options(&snapshot);
        let lives: Vec<Option<&DaemonSet>> = chosen
            .iter()
            .zip(&namespaces)
            .map(|((ds, _), ns)| {
                snapshot.daemonsets.iter().find(|d| {
                    d.metadata.name == ds.metadata.name && d.metadata.namespace.as_deref() == Some(ns.as_str())
                })
            })
            .collect();
        let targets = targets_of(&chosen, &namespaces, &lives);
        lint::lint_into(&mut report, &targets, &snapshot, true, &settings(config, fail_on, args, &opts));
    } else if args.live {
        lint_manifests_live(args, config, fail_on, &files, &chosen, &mut report, &mut notes)?;
    } else {
        let opts = static_options(args);
        let lives = vec![None; chosen.len()];
        let targets = targets_of(&chosen, &namespaces, &lives);
        lint::lint_into(&mut report, &targets, &files, false, &settings(config, fail_on, args, &opts));
    }
    report.notes = notes;
    lint::finish(&mut report, fail_on);
    Ok(report)
}

fn cluster_label(args: &LintArgs) -> &'static str {
    if !args.snapshot.from.is_empty() {
        "offline"
    } else if args.live || args.filenames.is_empty() {
        "live"
    } else {
        "none"
    }
}

/// Without a cluster there is no clock in the data: the rules that look at time do not run.
fn static_options(args: &LintArgs) -> crate::engine::Options {
    crate::engine::Options {
        as_of: args.snapshot.as_of.unwrap_or_else(Timestamp::now),
        version: args.snapshot.kubernetes_version.unwrap_or(KubeVersion::NEWEST_KNOWN),
        stuck_after: args.snapshot.stuck_after,
    }
}

/// Objects of the linted files that the cluster view lacks (a ServiceAccount the chart creates,
/// say) join it; the kinds the cluster listed stay the only ones counted as complete.
fn add_context(snapshot: &mut Snapshot, files: &Snapshot) {
    let name_of =
        |m: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| (m.namespace.clone(), m.name.clone());
    macro_rules! merge {
        ($field:ident) => {
            for object in &files.$field {
                if !snapshot.$field.iter().any(|o| name_of(&o.metadata) == name_of(&object.metadata)) {
                    snapshot.$field.push(object.clone());
                }
            }
        };
    }
    merge!(namespaces);
    merge!(priority_classes);
    merge!(service_accounts);
    merge!(runtime_classes);
}

type Chosen<'a> = (&'a DaemonSet, Option<&'a Located>);

/// The lint targets for the chosen manifests.
fn targets_of<'a>(
    chosen: &'a [Chosen<'a>],
    namespaces: &'a [String],
    lives: &'a [Option<&'a DaemonSet>],
) -> Vec<Target<'a>> {
    chosen
        .iter()
        .zip(namespaces)
        .zip(lives)
        .map(|(((ds, place), namespace), live)| Target {
            ds,
            file: place.map(|p| p.file.as_str()),
            line: place.map(|p| p.line),
            api_version: place.and_then(|p| p.api_version.as_deref()),
            positions: place.map(|p| &p.fields as &dyn lint::Positions),
            namespace,
            live: *live,
            is_live_object: false,
        })
        .collect()
}

/// Adds what the snapshot says it lacked or noticed, once each.
fn add_notes(notes: &mut Vec<String>, snapshot: &Snapshot) {
    for note in snapshot.missing.values().chain(&snapshot.notes) {
        if !notes.contains(note) {
            notes.push(note.clone());
        }
    }
}

fn lint_manifests_live(
    args: &LintArgs,
    config: &LintConfig,
    fail_on: Option<Severity>,
    files: &Snapshot,
    chosen: &[Chosen<'_>],
    report: &mut LintReport,
    notes: &mut Vec<String>,
) -> Result<(), Failure> {
    let flags = args.snapshot.cluster.flags(args.snapshot.namespace.clone());
    let runtime = runtime()?;
    runtime.block_on(async {
        let conn = kubeconfig::connect(&flags).await.map_err(Failure::access)?;
        for (ds, place) in chosen {
            let namespace = ds.metadata.namespace.clone().unwrap_or_else(|| conn.namespace.clone());
            let conn = kubeconfig::Connection { namespace: namespace.clone(), ..conn.clone() };
            let name = ds.metadata.name.clone().unwrap_or_default();
            let mut snapshot = live::daemonset_snapshot(&conn, &name, Some(ds)).await.map_err(Failure::access)?;
            live::add_lint_context(&conn, &mut snapshot).await.map_err(Failure::access)?;
            add_context(&mut snapshot, files);
            report.kubernetes_version = version_label(Some(&snapshot), args);
            add_notes(notes, &snapshot);
            let opts = args.snapshot.engine_options(&snapshot);
            let live = snapshot.daemonsets.first().cloned();
            let one = [(*ds, *place)];
            let namespaces = [namespace];
            let lives = [live.as_ref()];
            let targets = targets_of(&one, &namespaces, &lives);
            lint::lint_into(report, &targets, &snapshot, true, &settings(config, fail_on, args, &opts));
        }
        Ok::<_, Failure>(())
    })
}

/// Names or `-A`: the cluster's own DaemonSets (from `--from`, or live).
fn lint_cluster_objects(
    args: &LintArgs,
    config: &LintConfig,
    fail_on: Option<Severity>,
) -> Result<LintReport, Failure> {
    if args.names.is_empty() && !args.all_namespaces {
        return Err(Failure::usage(anyhow!(
            "name the DaemonSets to lint, use -A for all of them, or -f for manifests"
        )));
    }
    if args.live {
        return Err(Failure::usage(anyhow!("--live goes with -f; named DaemonSets are read from the cluster anyway")));
    }
    let mut report = LintReport::new(LintSource { files: Vec::new(), cluster: cluster_label(args) }, String::new());
    if !args.snapshot.from.is_empty() {
        let snapshot = args.snapshot.load_offline(Need::DaemonSets)?;
        let opts = args.snapshot.engine_options(&snapshot);
        let chosen: Vec<&DaemonSet> = if args.names.is_empty() {
            let mut all: Vec<&DaemonSet> = snapshot
                .daemonsets
                .iter()
                .filter(|ds| args.snapshot.namespace.is_none() || ds.metadata.namespace == args.snapshot.namespace)
                .collect();
            all.sort_by_key(|ds| (ds.metadata.namespace.clone(), ds.metadata.name.clone()));
            all
        } else {
            let namespace = if args.all_namespaces { None } else { args.snapshot.namespace.as_deref() };
            args.names.iter().map(|name| find_daemonset(&snapshot, name, namespace)).collect::<Result<_, _>>()?
        };
        let targets: Vec<Target<'_>> = chosen.iter().map(|ds| live_target(ds)).collect();
        report.kubernetes_version = version_label(Some(&snapshot), args);
        lint::lint_into(&mut report, &targets, &snapshot, true, &settings(config, fail_on, args, &opts));
        add_notes(&mut report.notes, &snapshot);
    } else {
        let flags = args.snapshot.cluster.flags(args.snapshot.namespace.clone());
        let runtime = runtime()?;
        runtime.block_on(async {
            let conn = kubeconfig::connect(&flags).await.map_err(Failure::access)?;
            let wanted: Vec<(String, String)> = if args.names.is_empty() {
                let mut all: Vec<(String, String)> = live::list_daemonsets(&conn, args.all_namespaces)
                    .await
                    .map_err(Failure::access)?
                    .into_iter()
                    .map(|ds| (ds.metadata.namespace.unwrap_or_default(), ds.metadata.name.unwrap_or_default()))
                    .collect();
                all.sort();
                all
            } else {
                args.names.iter().map(|n| (conn.namespace.clone(), n.clone())).collect()
            };
            for (namespace, name) in wanted {
                let conn = kubeconfig::Connection { namespace, ..conn.clone() };
                let mut snapshot = live::daemonset_snapshot(&conn, &name, None).await.map_err(Failure::access)?;
                live::add_lint_context(&conn, &mut snapshot).await.map_err(Failure::access)?;
                let opts = args.snapshot.engine_options(&snapshot);
                report.kubernetes_version = version_label(Some(&snapshot), args);
                add_notes(&mut report.notes, &snapshot);
                let Some(ds) = snapshot.daemonsets.first() else { continue };
                let targets = [live_target(ds)];
                lint::lint_into(&mut report, &targets, &snapshot, true, &settings(config, fail_on, args, &opts));
            }
            Ok::<_, Failure>(())
        })?;
    }
    lint::finish(&mut report, fail_on);
    Ok(report)
}

fn live_target(ds: &DaemonSet) -> Target<'_> {
    Target {
        ds,
        file: None,
        line: None,
        api_version: Some(Kind::DaemonSet.api_version()),
        positions: None,
        namespace: ds.metadata.namespace.as_deref().unwrap_or("default"),
        live: None,
        is_live_object: true,
    }
}
