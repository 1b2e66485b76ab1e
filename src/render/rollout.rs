//! `kubectl ds rollout-status` as text: kubectl's line first, then the rollout as the
//! controller sees it, then one row per node, blocking nodes first.

use std::io::{self, Write};

use owo_colors::OwoColorize;

use super::TextOptions;

use crate::report::rollout::{RevisionEntry, RolloutNode, RolloutState, RolloutStatus};
use crate::snapshot::Origin;

pub fn state_text(state: RolloutState, color: bool) -> String {
    let text = state.as_str();
    if !color {
        return text.to_string();
    }
    match state {
        RolloutState::Updated => text.green().to_string(),
        RolloutState::Updating => text.cyan().to_string(),
        RolloutState::Waiting => text.yellow().to_string(),
        RolloutState::Blocking => text.red().bold().to_string(),
        RolloutState::NotEligible => text.dimmed().to_string(),
    }
}

/// The line `kubectl rollout status` prints for the same object.
pub fn kubectl_line(report: &RolloutStatus) -> String {
    if report.kubectl_error { format!("error: {}", report.message) } else { report.message.clone() }
}

/// How many nodes are in each state, for the header and the watch's change lines.
pub fn tally(report: &RolloutStatus) -> String {
    let parts: Vec<String> = RolloutState::ALL
        .iter()
        .filter(|s| **s != RolloutState::NotEligible)
        .map(|state| (state, report.nodes.iter().filter(|n| n.state == *state).count()))
        .filter(|(_, count)| *count > 0)
        .map(|(state, count)| format!("{count} {}", state.as_str().to_lowercase()))
        .collect();
    if parts.is_empty() { "no nodes".to_string() } else { parts.join(", ") }
}

pub fn write_text(out: &mut dyn Write, report: &RolloutStatus, opts: &TextOptions) -> io::Result<()> {
    writeln!(out, "{}", kubectl_line(report))?;
    write_header(out, report, opts)?;
    writeln!(out)?;
    if report.nodes.is_empty() {
        return writeln!(out, "No nodes to show.");
    }
    let rows = report.nodes.iter().map(|node| row(node, opts));
    super::write_table(out, vec!["NODE", "STATE", "POD", "REASON"], rows, opts)
}

fn row(node: &RolloutNode, opts: &TextOptions) -> Vec<String> {
    let counted = node.pods.iter().find(|p| p.counted);
    let mut pod = counted.map_or("-".to_string(), |p| p.name.clone());
    if node.pods.len() > 1 {
        pod.push_str(&format!(" (+{})", node.pods.len() - 1));
    }
    let reason = match node.reasons.first() {
        None => String::new(),
        Some(_) if opts.wide => {
            node.reasons.iter().map(|r| format!("{}: {}", r.code(), r.message)).collect::<Vec<_>>().join("; ")
        }
        Some(first) if node.reasons.len() > 1 => format!("{} (+{} more)", first.message, node.reasons.len() - 1),
        Some(first) => first.message.clone(),
    };
    vec![node.node.clone(), state_text(node.state, opts.color), pod, reason]
}

fn field(out: &mut dyn Write, label: &str, lines: &[String]) -> io::Result<()> {
    for (i, line) in lines.iter().enumerate() {
        if i == 0 {
            writeln!(out, "{:<13}{line}", format!("{label}:"))?;
        } else {
            writeln!(out, "{:<13}{line}", "")?;
        }
    }
    Ok(())
}

fn write_header(out: &mut dyn Write, report: &RolloutStatus, opts: &TextOptions) -> io::Result<()> {
    let s = &report.summary;
    let complete = if report.complete {
        let yes = "yes";
        if opts.color { yes.green().to_string() } else { yes.to_string() }
    } else {
        let no = "no";
        format!("{}: {}", if opts.color { no.red().bold().to_string() } else { no.to_string() }, tally(report))
    };
    field(out, "Complete", &[complete])?;
    let ds = &report.header.daemon_set;
    field(out, "DaemonSet", &[format!("{}/{}", ds.namespace, ds.name)])?;
    let strategy = match (&report.budget, &ds.update_strategy.max_unavailable, &ds.update_strategy.max_surge) {
        (Some(budget), Some(unavailable), Some(surge)) => {
            let resolved = |written: &str, number: u32| {
                if written == number.to_string() { written.to_string() } else { format!("{written} (= {number})") }
            };
            let mut text = format!(
                "{}: maxUnavailable {}, maxSurge {} (of {} desired node{}); {} unavailable now",
                report.strategy,
                resolved(unavailable, budget.max_unavailable),
                resolved(surge, budget.max_surge),
                s.desired,
                if s.desired == 1 { "" } else { "s" },
                budget.unavailable,
            );
            if budget.surging > 0 {
                text.push_str(&format!(", {} surging", budget.surging));
            }
            text
        }
        _ if report.strategy == "RollingUpdate" => {
            format!("{} (budget unknown: the update strategy does not parse)", report.strategy)
        }
        _ => format!("{}: a pod is replaced only after someone deletes it", report.strategy),
    };
    field(out, "Strategy", &[strategy])?;
    let shown: Vec<&RevisionEntry> =
        if opts.wide { report.revisions.iter().collect() } else { report.revisions.iter().take(2).collect() };
    let mut lines = Vec::new();
    for revision in shown {
        lines.push(revision_line(revision));
        if revision.current || opts.wide {
            lines.extend(revision.changes.iter().map(|c| format!("  {c}")));
        }
    }
    if report.revisions.len() > 2 && !opts.wide {
        lines.push(format!("(+{} older; -o wide shows them)", report.revisions.len() - 2));
    }
    field(out, "Revisions", &lines)?;
    field(
        out,
        "Counts",
        &[format!(
            "DESIRED {}  CURRENT {}  READY {}  UP-TO-DATE {}  AVAILABLE {}  MISSCHEDULED {}",
            s.desired, s.current, s.ready, s.updated, s.available, s.misscheduled
        )],
    )?;
    field(out, "Next sync", &[next_sync(report)])?;
    if let Some(waiting) = &report.next_step.waiting_for {
        field(out, "Waiting for", std::slice::from_ref(waiting))?;
    }
    let replace = on_delete_commands(report);
    if !replace.is_empty() {
        field(out, "Replace", &replace)?;
    }
    let source = match &report.header.source {
        Origin::Live { context } => {
            format!("live{}", context.as_deref().map(|c| format!(", context {c}")).unwrap_or_default())
        }
        Origin::Offline { paths } => format!("offline: {}", paths.join(", ")),
    };
    let as_of = report.header.as_of.map_or("unknown".to_string(), |t| t.to_string());
    field(out, "As of", &[format!("{as_of} ({source}; rules of Kubernetes {})", report.header.kubernetes_version)])?;
    field(out, "Gaps", &report.header.gaps)?;
    field(out, "Notes", &report.header.notes)
}

fn revision_line(revision: &RevisionEntry) -> String {
    let mut parts = Vec::new();
    match (&revision.name, revision.revision) {
        (Some(name), Some(number)) => parts.push(format!("{name} (revision {number})")),
        (Some(name), None) => parts.push(name.clone()),
        (None, _) => parts.push(
            revision.template_generation.as_ref().map_or("unnamed".to_string(), |g| format!("template generation {g}")),
        ),
    }
    if revision.current {
        parts.push("current".to_string());
    }
    parts.push(format!("{} pod{}", revision.pods, if revision.pods == 1 { "" } else { "s" }));
    parts.join(", ")
}

fn next_sync(report: &RolloutStatus) -> String {
    let step = &report.next_step;
    let describe = |verb: &str, total: u32, certain: &[String], noun: &str| {
        if total == 0 {
            return format!("{verb} nothing");
        }
        let plural = if total == 1 { "" } else { "s" };
        let mut text = format!("{verb} {total} pod{plural}");
        let random = total as usize - certain.len().min(total as usize);
        let mut parts = Vec::new();
        if !certain.is_empty() {
            parts.push(format!("{noun} {}", certain.join(", ")));
        }
        if random > 0 {
            parts.push(format!("{random} picked at random"));
        }
        if !parts.is_empty() {
            text.push_str(&format!(" ({})", parts.join("; ")));
        }
        text
    };
    let mut text = format!(
        "{}, {}",
        describe("creates", step.creates, &step.creates_on, "on"),
        describe("deletes", step.deletes, &step.deletes_pods, "")
    )
    .replace("( ", "(");
    if !step.candidates.is_empty() {
        text.push_str(&format!("; candidates: {}", step.candidates.join(", ")));
    }
    text
}

/// OnDelete: the command that replaces each old pod still running.
fn on_delete_commands(report: &RolloutStatus) -> Vec<String> {
    if report.strategy == "RollingUpdate" {
        return Vec::new();
    }
    let namespace = &report.header.daemon_set.namespace;
    report
        .nodes
        .iter()
        .flat_map(|node| {
            node.pods
                .iter()
                .filter(|p| !p.updated && !p.terminating)
                .map(move |p| format!("kubectl delete pod -n {namespace} {}   # old pod on {}", p.name, node.node))
        })
        .collect()
}
