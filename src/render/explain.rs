//! `kubectl ds explain` as text: a header, then one row per node, problems first.

use std::io::{self, Write};

use jiff::Timestamp;
use owo_colors::OwoColorize;

use super::TextOptions;

use crate::report::{Explanation, NodeReport, NodeStatus};
use crate::snapshot::Origin;

pub fn status_text(status: NodeStatus, color: bool) -> String {
    let text = status.as_str();
    if !color {
        return text.to_string();
    }
    match status {
        NodeStatus::Healthy | NodeStatus::WouldRun => text.green().to_string(),
        NodeStatus::Progressing => text.cyan().to_string(),
        NodeStatus::Stuck | NodeStatus::Missing | NodeStatus::WouldBePending => text.red().bold().to_string(),
        NodeStatus::Misscheduled => text.yellow().to_string(),
        NodeStatus::Unknown => text.magenta().to_string(),
        NodeStatus::Excluded => text.dimmed().to_string(),
    }
}

pub fn write_text(out: &mut dyn Write, report: &Explanation, opts: &TextOptions) -> io::Result<()> {
    write_header(out, report, opts)?;
    writeln!(out)?;
    if report.nodes.is_empty() {
        return writeln!(out, "No nodes to show.");
    }
    let what_if = report.header.daemon_set.what_if;
    let mut header = vec!["NODE", "STATUS"];
    if what_if && report.nodes.iter().any(|n| n.current.is_some()) {
        header.push("NOW");
    }
    header.push("POD");
    if opts.wide {
        header.extend(["ELIGIBLE", "READY", "UPDATED", "AGE"]);
    }
    header.push("REASON");
    let show_now = header.contains(&"NOW");
    let rows = report.nodes.iter().map(|node| row(node, report.header.as_of, show_now, opts));
    super::write_table(out, header, rows, opts)
}

fn row(node: &NodeReport, as_of: Option<Timestamp>, show_now: bool, opts: &TextOptions) -> Vec<String> {
    let counted = node.pods.iter().find(|p| p.counted);
    let mut pod = counted.map_or("-".to_string(), |p| p.name.clone());
    if node.pods.len() > 1 {
        pod.push_str(&format!(" (+{})", node.pods.len() - 1));
    }
    let mut cells = vec![node.node.clone(), status_text(node.status, opts.color)];
    if show_now {
        cells.push(node.current.map_or("-".to_string(), |s| status_text(s, opts.color)));
    }
    cells.push(pod);
    if opts.wide {
        let yes_no = |b: Option<bool>| match b {
            Some(true) => "yes",
            Some(false) => "no",
            None => "-",
        };
        cells.push(yes_no(node.should_run).to_string());
        cells.push(yes_no(counted.map(|p| p.ready)).to_string());
        cells.push(yes_no(counted.map(|p| p.updated)).to_string());
        cells.push(match (counted.and_then(|p| p.created), as_of) {
            (Some(created), Some(as_of)) => age(created, as_of),
            _ => "-".to_string(),
        });
    }
    cells.push(reason_text(node, opts.wide));
    cells
}

fn reason_text(node: &NodeReport, wide: bool) -> String {
    let Some(first) = node.reasons.first() else { return String::new() };
    if wide {
        return node.reasons.iter().map(|r| format!("{}: {}", r.code(), r.message)).collect::<Vec<_>>().join("; ");
    }
    let more = node.reasons.len() - 1;
    if more == 0 { first.message.clone() } else { format!("{} (+{more} more)", first.message) }
}

/// kubectl's short ages: 45s, 12m, 3h, 5d.
pub fn age(since: Timestamp, as_of: Timestamp) -> String {
    let seconds = as_of.duration_since(since).as_secs().max(0);
    match seconds {
        s if s < 120 => format!("{s}s"),
        s if s < 7200 => format!("{}m", s / 60),
        s if s < 172_800 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}

fn write_header(out: &mut dyn Write, report: &Explanation, opts: &TextOptions) -> io::Result<()> {
    let ds = &report.header.daemon_set;
    let strategy = &ds.update_strategy;
    let mut line = format!("{}/{}", ds.namespace, ds.name);
    if ds.what_if {
        line.push_str(" (what-if: manifest not applied)");
    }
    writeln!(out, "DaemonSet:   {line}")?;
    let strategy_text = match (&strategy.max_unavailable, &strategy.max_surge) {
        (Some(unavailable), Some(surge)) => {
            format!("{} (maxUnavailable {unavailable}, maxSurge {surge})", strategy.kind)
        }
        _ => strategy.kind.clone(),
    };
    writeln!(out, "Strategy:    {strategy_text}")?;
    if let Some(revision) = &ds.current_revision {
        let details: Vec<String> = [
            revision.revision.map(|number| format!("revision {number}")),
            revision.template_generation.as_ref().map(|generation| format!("template generation {generation}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        let text = match (&revision.name, details.is_empty()) {
            (Some(name), true) => name.clone(),
            (Some(name), false) => format!("{name} ({})", details.join(", ")),
            (None, _) => details.join(", "),
        };
        if !text.is_empty() {
            writeln!(out, "Revision:    {text}")?;
        }
    }
    let s = &report.summary;
    if ds.what_if {
        writeln!(
            out,
            "Nodes:       {} nodes, {} would run the pod, {} of them would stay Pending",
            s.nodes, s.desired, s.missing
        )?;
    } else {
        writeln!(
            out,
            "Counts:      DESIRED {}  CURRENT {}  READY {}  UP-TO-DATE {}  AVAILABLE {}  MISSCHEDULED {}",
            s.desired, s.current, s.ready, s.updated, s.available, s.misscheduled
        )?;
        writeln!(out, "Nodes:       {} nodes, {} missing a pod, {} stuck", s.nodes, s.missing, s.stuck)?;
    }
    if !report.status_mismatches.is_empty() {
        let diffs: Vec<String> = report
            .status_mismatches
            .iter()
            .map(|m| format!("{} {} (objects say {})", m.field, m.reported, m.computed))
            .collect();
        let label = if opts.color { "Stale:".yellow().to_string() } else { "Stale:".to_string() };
        writeln!(out, "{label}       .status says {}", diffs.join(", "))?;
    }
    let source = match &report.header.source {
        Origin::Live { context } => {
            format!("live{}", context.as_deref().map(|c| format!(", context {c}")).unwrap_or_default())
        }
        Origin::Offline { paths } => format!("offline: {}", paths.join(", ")),
    };
    let as_of = report.header.as_of.map_or("unknown".to_string(), |t| t.to_string());
    writeln!(out, "As of:       {as_of} ({source}; rules of Kubernetes {})", report.header.kubernetes_version)?;
    for (i, gap) in report.header.gaps.iter().enumerate() {
        writeln!(out, "{}{gap}", if i == 0 { "Gaps:        " } else { "             " })?;
    }
    for (i, note) in report.header.notes.iter().enumerate() {
        writeln!(out, "{}{note}", if i == 0 { "Notes:       " } else { "             " })?;
    }
    Ok(())
}
