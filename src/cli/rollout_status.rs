//! `kubectl ds rollout-status`: kubectl's verdict and what holds the rollout up. Offline it
//! answers once; live it watches until the rollout is complete, like kubectl.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use anyhow::anyhow;
use futures::StreamExt;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::SignedDuration;

use super::Failure;
use super::common::{SnapshotArgs, find_daemonset, parse_duration, runtime};
use crate::engine::rollout::rollout_status;
use crate::render::TextOptions;
use crate::render::rollout::{kubectl_line, tally, write_text};
use crate::render::{self, ColorChoice};
use crate::report::rollout::{RolloutState, RolloutStatus};
use crate::source::kubeconfig::connect;
use crate::source::{AccessError, live};

/// How often a watch re-reads the cluster when nothing it watches changed: node readiness and
/// minReadySeconds move without a pod or DaemonSet event.
const POLL: Duration = Duration::from_secs(5);
/// How long a complete rollout waits for the controller to write the status that says so.
const STATUS_GRACE: Duration = Duration::from_secs(10);
/// Changes come in bursts (a pod is deleted, created, scheduled, started): read once per burst.
const SETTLE: Duration = Duration::from_millis(300);

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    Table,
    Wide,
    Json,
    Yaml,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "When watching, --stuck-after also ends the watch (exit 1) once nothing moved for that long.

Exit codes: 0 complete, 1 not complete, 2 bad usage or input, 3 cluster access failure.

Examples:
  # Watch a rollout to the end (live), naming the nodes that hold it up; give up after 10 minutes
  kubectl ds rollout-status log-agent -n kube-system --timeout 10m

  # One answer, as JSON (exit 1 until the rollout is complete)
  kubectl ds rollout-status log-agent -n kube-system --watch=false -o json

  # From a dump
  kubectl ds rollout-status node-exporter --from cluster.yaml")]
pub struct RolloutStatusArgs {
    /// The DaemonSet's name
    #[arg(value_name = "NAME")]
    pub name: String,

    #[command(flatten)]
    pub snapshot: SnapshotArgs,

    /// Output format
    #[arg(short = 'o', long = "output", value_enum, default_value = "table")]
    pub output: Output,

    /// Live: watch until the rollout is complete (--watch=false answers once). Offline input is
    /// always answered once.
    #[arg(
        short = 'w',
        long = "watch",
        value_name = "BOOL",
        default_value_t = true,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        action = clap::ArgAction::Set
    )]
    pub watch: bool,

    /// Stop watching after this long and exit 1 with the blocking nodes (0: no limit)
    #[arg(long = "timeout", value_name = "DURATION", default_value = "0s", value_parser = parse_duration)]
    pub timeout: SignedDuration,

    /// Omit the table header
    #[arg(long = "no-headers")]
    pub no_headers: bool,

    /// When to colour: auto (a terminal, unless NO_COLOR is set), always, never
    #[arg(long = "color", value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorChoice,
}

pub fn run(args: RolloutStatusArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    if args.snapshot.is_live() && args.watch {
        return watch(&args, out);
    }
    let loaded = args.snapshot.load_for_daemonset(&args.name, None)?;
    let snapshot = loaded.snapshot;
    let ds = find_daemonset(&snapshot, &args.name, loaded.namespace.as_deref())?;
    let report = rollout_status(&snapshot, ds, &args.snapshot.engine_options(&snapshot));
    render_report(out, &report, &args)?;
    Ok(u8::from(!report.complete))
}

fn render_report(out: &mut dyn Write, report: &RolloutStatus, args: &RolloutStatusArgs) -> Result<(), Failure> {
    match args.output {
        Output::Json => render::json(out, report),
        Output::Yaml => render::yaml(out, report),
        Output::Table | Output::Wide => {
            let text = TextOptions::for_stdout(args.output == Output::Wide, args.color, args.no_headers);
            write_text(out, report, &text)
        }
    }
    .map_err(|e| Failure { code: 2, error: e.into() })
}

/// Why a watch ended without a complete rollout.
enum GaveUp {
    Timeout(SignedDuration),
    NoProgress(SignedDuration),
}

/// Live: read, judge, show, and read again on every change (or every few seconds) until the
/// rollout is complete, the timeout passes, or nothing moved for --stuck-after.
fn watch(args: &RolloutStatusArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let runtime = runtime()?;
    runtime.block_on(async {
        let conn =
            connect(&args.snapshot.cluster.flags(args.snapshot.namespace.clone())).await.map_err(Failure::access)?;
        let started = Instant::now();
        let timeout = positive(args.timeout);
        let stuck_after = positive(args.snapshot.stuck_after);
        let streaming = matches!(args.output, Output::Table | Output::Wide) && !std::io::stdout().is_terminal();
        let mut bars = Bars::new(std::io::stderr().is_terminal());
        let mut changes: Option<futures::stream::BoxStream<'static, ()>> = None;
        let mut last_progress = Instant::now();
        let mut fingerprint = None;
        let (mut last_line, mut last_tally) = (String::new(), String::new());
        let mut seen = false;
        let mut complete_since: Option<Instant> = None;
        loop {
            let snapshot = match live::daemonset_snapshot(&conn, &args.name, None).await {
                Ok(snapshot) => snapshot,
                Err(AccessError::NotFound(_)) if seen => {
                    bars.clear();
                    return Err(Failure {
                        code: 1,
                        error: anyhow!("daemonset {:?} was deleted while watching", args.name),
                    });
                }
                Err(error) => {
                    bars.clear();
                    return Err(Failure::access(error));
                }
            };
            seen = true;
            let Some(ds) = snapshot.daemonsets.first() else {
                return Err(Failure::access(AccessError::NotFound(format!("daemonset {:?} not found", args.name))));
            };
            let report = rollout_status(&snapshot, ds, &args.snapshot.engine_options(&snapshot));
            if changes.is_none() {
                changes = Some(live::daemonset_changes(&conn, ds));
            }
            let now = progress_fingerprint(&report);
            if fingerprint.as_ref() != Some(&now) {
                fingerprint = Some(now);
                last_progress = Instant::now();
            }
            bars.show(&report);
            if streaming {
                let line = kubectl_line(&report);
                let tally = change_line(&report);
                let mut text = String::new();
                if line != last_line {
                    text.push_str(&format!("{line}\n"));
                }
                if tally != last_tally {
                    text.push_str(&format!("  {tally}\n"));
                }
                out.write_all(text.as_bytes())
                    .and_then(|()| out.flush())
                    .map_err(|e| Failure { code: 2, error: e.into() })?;
                (last_line, last_tally) = (line, tally);
            }
            // The pods can be done a moment before the controller writes its status: give it that
            // moment, so that the last line printed is kubectl's too.
            let grace_left = if report.complete {
                STATUS_GRACE.saturating_sub(complete_since.get_or_insert_with(Instant::now).elapsed())
            } else {
                complete_since = None;
                Duration::ZERO
            };
            let status_lags = report.complete && !report.done && !report.kubectl_error && ds.status.is_some();
            let wait_for_status = status_lags && !grace_left.is_zero();
            let gave_up = if report.complete && !wait_for_status {
                None
            } else if wait_for_status {
                wait_for_change(changes.as_mut(), grace_left.min(POLL)).await;
                continue;
            } else if let Some(limit) = timeout.filter(|t| started.elapsed() >= *t) {
                Some(GaveUp::Timeout(signed(limit)))
            } else if let Some(limit) = stuck_after.filter(|s| last_progress.elapsed() >= *s) {
                Some(GaveUp::NoProgress(signed(limit)))
            } else {
                let mut wait = POLL;
                if let Some(limit) = timeout {
                    wait = wait.min(limit.saturating_sub(started.elapsed()));
                }
                if let Some(limit) = stuck_after {
                    wait = wait.min(limit.saturating_sub(last_progress.elapsed()));
                }
                wait_for_change(changes.as_mut(), wait).await;
                continue;
            };
            bars.clear();
            if streaming {
                writeln!(out).map_err(|e| Failure { code: 2, error: e.into() })?;
            }
            render_report(out, &report, args)?;
            return match gave_up {
                None => Ok(0),
                Some(why) => {
                    let _ = out.flush();
                    let message = match why {
                        GaveUp::Timeout(limit) => {
                            format!("timed out after {limit:#} (--timeout): the rollout is not complete")
                        }
                        GaveUp::NoProgress(limit) => {
                            format!("no progress for {limit:#} (--stuck-after): the rollout is not complete")
                        }
                    };
                    let _ = writeln!(std::io::stderr(), "{message}");
                    Ok(1)
                }
            };
        }
    })
}

fn positive(duration: SignedDuration) -> Option<Duration> {
    Duration::try_from(duration).ok().filter(|d| !d.is_zero())
}

fn signed(duration: Duration) -> SignedDuration {
    SignedDuration::try_from(duration).unwrap_or(SignedDuration::MAX)
}

/// Sleeps until something watched changes (then lets the burst settle) or `wait` passes. A
/// watch that ended (no permission, a failure) leaves plain polling.
async fn wait_for_change(changes: Option<&mut futures::stream::BoxStream<'static, ()>>, wait: Duration) {
    let Some(changes) = changes else { return tokio::time::sleep(wait).await };
    tokio::select! {
        _ = tokio::time::sleep(wait) => {}
        next = changes.next() => match next {
            Some(()) => tokio::time::sleep(SETTLE.min(wait)).await,
            None => tokio::time::sleep(wait).await,
        },
    }
}

/// What counts as progress: counters, node states, and which pods exist. A pod that restarts
/// again is not progress.
fn progress_fingerprint(report: &RolloutStatus) -> (u32, u32, u32, Vec<(String, RolloutState)>, Vec<String>) {
    let s = &report.summary;
    let states = report.nodes.iter().map(|n| (n.node.clone(), n.state)).collect();
    let mut pods: Vec<String> = report.nodes.iter().flat_map(|n| n.pods.iter().map(|p| p.name.clone())).collect();
    pods.sort();
    (s.updated, s.available, s.current, states, pods)
}

/// The watch's own line: node states, and what blocks.
fn change_line(report: &RolloutStatus) -> String {
    let blocking: Vec<String> = report
        .nodes
        .iter()
        .filter(|n| n.state == RolloutState::Blocking)
        .map(|n| match n.reasons.first() {
            Some(reason) => format!("{} ({})", n.node, reason.code()),
            None => n.node.clone(),
        })
        .collect();
    let mut line = format!("nodes: {}", tally(report));
    if !blocking.is_empty() {
        line.push_str(&format!("; blocking: {}", blocking.join(", ")));
    }
    line
}

/// Progress bars on stderr, drawn only on a terminal: updated and available pods of desired,
/// and kubectl's line with what blocks.
struct Bars {
    multi: Option<MultiProgress>,
    updated: ProgressBar,
    available: ProgressBar,
    status: ProgressBar,
}

impl Bars {
    fn new(terminal: bool) -> Self {
        let style = ProgressStyle::with_template("{prefix:>10} [{bar:30}] {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let bar = |prefix: &'static str| ProgressBar::hidden().with_style(style.clone()).with_prefix(prefix);
        let (updated, available) = (bar("updated"), bar("available"));
        let status = ProgressBar::hidden()
            .with_style(ProgressStyle::with_template("{msg}").unwrap_or_else(|_| ProgressStyle::default_spinner()));
        let multi = terminal.then(|| {
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            // The bars are shared handles: adding clones draws these very bars.
            for bar in [&updated, &available, &status] {
                multi.add(bar.clone());
            }
            multi
        });
        Self { multi, updated, available, status }
    }

    fn show(&mut self, report: &RolloutStatus) {
        if self.multi.is_none() {
            return;
        }
        let s = &report.summary;
        for (bar, position) in [(&self.updated, s.updated), (&self.available, s.available)] {
            bar.set_length(u64::from(s.desired));
            bar.set_position(u64::from(position.min(s.desired)));
        }
        self.status.set_message(format!("{}\n{}", kubectl_line(report), change_line(report)));
    }

    /// Takes the bars off the terminal for good: a bar left unfinished draws itself again when
    /// it is dropped, under the report.
    fn clear(&mut self) {
        if let Some(multi) = self.multi.take() {
            for bar in [&self.updated, &self.available, &self.status] {
                bar.finish_and_clear();
            }
            let _ = multi.clear();
        }
    }
}
