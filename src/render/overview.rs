//! The overview and the node view as kubectl-style tables.

use std::io::{self, Write};

use super::TextOptions;
use super::explain::status_text;
use crate::report::overview::{NodeView, Overview};

pub fn write_overview(
    out: &mut dyn Write,
    report: &Overview,
    all_namespaces: bool,
    opts: &TextOptions,
) -> io::Result<()> {
    if report.daemon_sets.is_empty() {
        return writeln!(out, "No DaemonSets found.");
    }
    let mut header = vec!["NAME", "DESIRED", "READY", "UPDATED", "AVAILABLE", "MISSING", "STUCK", "TOP REASON"];
    if all_namespaces {
        header.insert(0, "NAMESPACE");
    }
    let rows = report.daemon_sets.iter().map(|row| {
        let s = &row.summary;
        let reason = row.top_reason.as_ref().map_or("-".to_string(), |r| {
            let text = if opts.wide { r.message.clone() } else { r.code.to_string() };
            format!("{text} ({} nodes)", r.nodes)
        });
        let mut cells = vec![
            row.name.clone(),
            s.desired.to_string(),
            s.ready.to_string(),
            s.updated.to_string(),
            s.available.to_string(),
            s.missing.to_string(),
            s.stuck.to_string(),
            reason,
        ];
        if all_namespaces {
            cells.insert(0, row.namespace.clone());
        }
        cells
    });
    super::write_table(out, header, rows, opts)?;
    write_gaps_and_notes(out, &report.gaps, &report.notes)
}

pub fn write_node_view(out: &mut dyn Write, report: &NodeView, opts: &TextOptions) -> io::Result<()> {
    if !opts.no_headers {
        writeln!(out, "Node {}: {} DaemonSets", report.node, report.daemon_sets.len())?;
        writeln!(out)?;
    }
    let header = vec!["NAMESPACE", "NAME", "BELONGS", "STATUS", "POD", "REASON"];
    let rows = report.daemon_sets.iter().map(|row| {
        let pod = row.pods.iter().find(|p| p.counted).map_or("-".to_string(), |p| p.name.clone());
        let reason = row.reasons.first().map_or("-".to_string(), |r| {
            if opts.wide { r.message.clone() } else { format!("{}: {}", r.code(), r.message) }
        });
        vec![
            row.namespace.clone(),
            row.name.clone(),
            row.should_run.map_or("?".to_string(), |b| if b { "yes".into() } else { "no".into() }),
            status_text(row.status, opts.color),
            pod,
            reason,
        ]
    });
    super::write_table(out, header, rows, opts)?;
    write_gaps_and_notes(out, &report.gaps, &report.notes)
}

/// Below the table, as a line each: what the snapshot lacked, and what the reading noticed
/// (skipped kinds, copies that disagree), which explain shows in its header.
fn write_gaps_and_notes(out: &mut dyn Write, gaps: &[String], notes: &[String]) -> io::Result<()> {
    for gap in gaps {
        writeln!(out, "gap: {gap}")?;
    }
    for note in notes {
        writeln!(out, "note: {note}")?;
    }
    Ok(())
}
