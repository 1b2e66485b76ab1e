//! `kubectl ds why-not-scheduled` as text: per node, the verdict, each rule with pass or FAIL
//! and its evidence, then the fixes; excluded nodes one group per cause. Wrapped to a width
//! (100 columns unless the terminal says otherwise), except commands, which stay copyable.

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets};
use owo_colors::OwoColorize;

use super::explain::status_text;
use crate::report::trace::{Blocker, ExcludedGroup, Fix, NodeTrace, Rule, SchedulingTrace, Stage};
use crate::report::{NodeStatus, Reason};
use crate::snapshot::Origin;

pub struct TextOptions {
    pub color: bool,
    /// Columns to wrap prose to.
    pub width: u16,
}

/// How many node names an excluded group lists.
const GROUP_NAMES: usize = 5;

pub fn write_text(out: &mut dyn Write, report: &SchedulingTrace, opts: &TextOptions) -> io::Result<()> {
    let mut w = Writer { out, opts };
    w.header(report)?;
    if !report.blockers.is_empty() {
        w.blank()?;
        w.title("Blocks every node")?;
        for blocker in &report.blockers {
            w.blocker(blocker)?;
        }
    }
    for node in &report.nodes {
        w.blank()?;
        w.node(node)?;
    }
    if report.nodes.is_empty() {
        w.blank()?;
        let blocked = report.blockers.iter().any(|b| !b.nodes.is_empty());
        let text = if blocked {
            "No other node lacks a healthy pod."
        } else if report.summary.desired == 0 && report.summary.misscheduled == 0 {
            "No node should run the pod."
        } else if report.header.daemon_set.what_if {
            "Every node the manifest would run on would get a pod."
        } else {
            "Every node that should run the pod has a healthy one, and no pod runs where it should not."
        };
        w.prose(text, 0, 0)?;
    }
    if !report.excluded.is_empty() {
        w.blank()?;
        let count: u32 = report.excluded.iter().map(|g| g.count).sum();
        w.title(&format!(
            "Excluded: {count} node{} in {} group{}, by cause (the controller creates no pod there)",
            plural(count as usize),
            report.excluded.len(),
            plural(report.excluded.len())
        ))?;
        for group in &report.excluded {
            w.blank()?;
            w.group(group)?;
        }
    }
    Ok(())
}

/// `missing`, `would be pending`: a status in a sentence.
fn status_words(status: NodeStatus) -> String {
    let mut words = String::new();
    for c in status.as_str().chars() {
        if c.is_uppercase() && !words.is_empty() {
            words.push(' ');
        }
        words.push(c.to_ascii_lowercase());
    }
    words
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

struct Writer<'a> {
    out: &'a mut dyn Write,
    opts: &'a TextOptions,
}

impl Writer<'_> {
    fn blank(&mut self) -> io::Result<()> {
        writeln!(self.out)
    }

    fn title(&mut self, text: &str) -> io::Result<()> {
        let text = if self.opts.color { text.bold().to_string() } else { text.to_string() };
        writeln!(self.out, "{text}")
    }

    /// Word-wrapped text: the first line indented by `first`, the rest by `rest`.
    fn prose(&mut self, text: &str, first: usize, rest: usize) -> io::Result<()> {
        for line in wrap(text, usize::from(self.opts.width), first, rest) {
            writeln!(self.out, "{line}")?;
        }
        Ok(())
    }

    fn header(&mut self, report: &SchedulingTrace) -> io::Result<()> {
        let ds = &report.header.daemon_set;
        let what_if = if ds.what_if { " (what-if: manifest not applied)" } else { "" };
        writeln!(self.out, "DaemonSet:   {}/{}{what_if}", ds.namespace, ds.name)?;
        let s = &report.summary;
        if !ds.what_if {
            writeln!(
                self.out,
                "Counts:      DESIRED {}  CURRENT {}  READY {}  UP-TO-DATE {}  AVAILABLE {}  MISSCHEDULED {}",
                s.desired, s.current, s.ready, s.updated, s.available, s.misscheduled
            )?;
        }
        let mut by_status: Vec<(NodeStatus, usize)> = Vec::new();
        for node in &report.nodes {
            match by_status.iter_mut().find(|(status, _)| *status == node.status) {
                Some((_, n)) => *n += 1,
                None => by_status.push((node.status, 1)),
            }
        }
        let mut parts: Vec<String> =
            by_status.iter().map(|(status, n)| format!("{n} {}", status_words(*status))).collect();
        if let Some(blocked) = report.blockers.iter().map(|b| b.nodes.len()).max().filter(|n| *n > 0) {
            parts.push(format!("{blocked} missing (blocked, see below)"));
        }
        let excluded: u32 = report.excluded.iter().map(|g| g.count).sum();
        if excluded > 0 {
            parts.push(format!(
                "{excluded} excluded ({} cause{})",
                report.excluded.len(),
                plural(report.excluded.len())
            ));
        }
        let traced = if parts.is_empty() { "nothing to trace".to_string() } else { parts.join(", ") };
        writeln!(self.out, "Nodes:       {} nodes: {traced}", s.nodes)?;
        let source = match &report.header.source {
            Origin::Live { context } => {
                format!("live{}", context.as_deref().map(|c| format!(", context {c}")).unwrap_or_default())
            }
            Origin::Offline { paths } => format!("offline: {}", paths.join(", ")),
        };
        let as_of = report.header.as_of.map_or("unknown".to_string(), |t| t.to_string());
        self.prose(
            &format!("As of:       {as_of} ({source}; rules of Kubernetes {})", report.header.kubernetes_version),
            0,
            13,
        )?;
        for (i, gap) in report.header.gaps.iter().enumerate() {
            self.prose(&format!("{}{gap}", if i == 0 { "Gaps:        " } else { "             " }), 0, 13)?;
        }
        for (i, note) in report.header.notes.iter().enumerate() {
            self.prose(&format!("{}{note}", if i == 0 { "Notes:       " } else { "             " }), 0, 13)?;
        }
        Ok(())
    }

    fn blocker(&mut self, blocker: &Blocker) -> io::Result<()> {
        let code = format!("{:?}", blocker.code);
        let code = if self.opts.color { code.red().bold().to_string() } else { code };
        self.prose(&format!("{code}: {}", blocker.message), 2, 4)?;
        for line in &blocker.evidence {
            self.prose(line, 4, 6)?;
        }
        if !blocker.nodes.is_empty() {
            let shown = blocker.nodes.iter().take(GROUP_NAMES).cloned().collect::<Vec<_>>().join(", ");
            let more = blocker.nodes.len().saturating_sub(GROUP_NAMES);
            let more = if more > 0 { format!(" and {more} more") } else { String::new() };
            self.prose(
                &format!(
                    "Keeps {} node{} without a pod: {shown}{more}",
                    blocker.nodes.len(),
                    plural(blocker.nodes.len())
                ),
                4,
                6,
            )?;
        }
        self.fixes(&blocker.fixes, 2)
    }

    fn node(&mut self, node: &NodeTrace) -> io::Result<()> {
        let pod = match node.pods.iter().find(|p| p.counted) {
            Some(pod) if node.pods.len() > 1 => format!("pod {} (+{} more)", pod.name, node.pods.len() - 1),
            Some(pod) => format!("pod {}", pod.name),
            None => "no pod".to_string(),
        };
        let now = node.current.map(|c| format!(" (today {})", c.as_str())).unwrap_or_default();
        let name = if self.opts.color { node.node.bold().to_string() } else { node.node.clone() };
        writeln!(self.out, "{name}: {}{now}, {pod}", status_text(node.status, self.opts.color))?;
        self.reasons(&node.reasons)?;
        self.rules(&node.rules, node.should_run == Some(false))?;
        self.fixes(&node.fixes, 2)
    }

    fn reasons(&mut self, reasons: &[Reason]) -> io::Result<()> {
        for (i, reason) in reasons.iter().enumerate() {
            let label = if i == 0 { "  Why: " } else { "       " };
            self.prose(&format!("{label}{} [{}]", reason.message, reason.code()), 0, 7)?;
        }
        Ok(())
    }

    fn rules(&mut self, rules: &[Rule], excluded: bool) -> io::Result<()> {
        let mut stages: Vec<Stage> = rules.iter().map(|r| r.stage).collect();
        stages.dedup();
        for stage in [Stage::Controller, Stage::Scheduler, Stage::Pod] {
            let of_stage: Vec<&Rule> = rules.iter().filter(|r| r.stage == stage).collect();
            if of_stage.is_empty() {
                if stage == Stage::Scheduler && excluded && stages.contains(&Stage::Controller) {
                    writeln!(self.out, "  Scheduler: not reached, the controller creates no pod here")?;
                }
                continue;
            }
            writeln!(self.out, "  {}", stage.title())?;
            self.rule_table(&of_stage)?;
        }
        Ok(())
    }

    fn rule_table(&mut self, rules: &[&Rule]) -> io::Result<()> {
        let mut table = Table::new();
        table.load_preset(presets::NOTHING);
        table.set_content_arrangement(ContentArrangement::Dynamic).set_width(self.opts.width.saturating_sub(4));
        for rule in rules {
            let mark = match rule.passed {
                Some(true) => {
                    if self.opts.color {
                        "pass".green().to_string()
                    } else {
                        "pass".to_string()
                    }
                }
                Some(false) => {
                    if self.opts.color {
                        "FAIL".red().bold().to_string()
                    } else {
                        "FAIL".to_string()
                    }
                }
                None => {
                    if self.opts.color {
                        "?".yellow().to_string()
                    } else {
                        "?".to_string()
                    }
                }
            };
            let evidence = match &rule.subject {
                Some(subject) => format!("{subject}: {}", rule.evidence),
                None => rule.evidence.clone(),
            };
            table.add_row(vec![mark, rule.name.clone(), evidence]);
        }
        for column in table.column_iter_mut() {
            column.set_padding((0, 2));
        }
        for line in table.lines() {
            writeln!(self.out, "    {}", line.trim_end())?;
        }
        Ok(())
    }

    fn fixes(&mut self, fixes: &[Fix], indent: usize) -> io::Result<()> {
        if fixes.is_empty() {
            return Ok(());
        }
        let pad = " ".repeat(indent);
        writeln!(self.out, "{pad}Fix")?;
        for (i, fix) in fixes.iter().enumerate() {
            let number = format!("{}. ", i + 1);
            self.prose(&format!("{number}{}", fix.action), indent + 2, indent + 2 + number.len())?;
            let inner = indent + 2 + number.len();
            if let Some(yaml) = &fix.yaml {
                for line in yaml.lines() {
                    writeln!(self.out, "{}{line}", " ".repeat(inner + 2))?;
                }
            }
            if let Some(command) = &fix.command {
                let text = command_lines(command, usize::from(self.opts.width), inner);
                for line in text {
                    let line = if self.opts.color { line.cyan().to_string() } else { line };
                    writeln!(self.out, "{line}")?;
                }
            }
            self.prose(&format!("effect: {}", fix.effect), inner, inner + 8)?;
        }
        Ok(())
    }

    fn group(&mut self, group: &ExcludedGroup) -> io::Result<()> {
        let shown = group.nodes.iter().take(GROUP_NAMES).cloned().collect::<Vec<_>>().join(", ");
        let more = group.nodes.len().saturating_sub(GROUP_NAMES);
        let more = if more > 0 { format!(" and {more} more") } else { String::new() };
        let head = format!("{} node{}: {shown}{more}", group.count, plural(group.count as usize));
        let head = if self.opts.color { head.bold().to_string() } else { head };
        self.prose(&head, 0, 2)?;
        self.reasons(&group.reasons)?;
        if group.count > 1 {
            self.prose(&format!("  Rules, as evaluated on {}:", group.example_node), 0, 4)?;
        }
        self.rules(&group.rules, true)?;
        self.fixes(&group.fixes, 2)
    }
}

/// A command on one line when it fits; otherwise a JSON patch argument is spread over lines
/// inside its single quotes (JSON allows the line breaks, the shell keeps them), so that it
/// stays copyable. Other long commands stay whole.
fn command_lines(command: &str, width: usize, indent: usize) -> Vec<String> {
    let pad = " ".repeat(indent);
    if command.len() + indent <= width {
        return vec![format!("{pad}{command}")];
    }
    let split = command.find(" -p '").and_then(|at| {
        let json = command[at + 5..].strip_suffix('\'')?;
        let value: serde_json::Value = serde_json::from_str(json).ok()?;
        Some((&command[..at], value))
    });
    let Some((head, value)) = split else { return vec![format!("{pad}{command}")] };
    let mut lines = vec![format!("{pad}{head} -p '")];
    layout(&value, indent, width, &mut lines);
    if let Some(last) = lines.last_mut() {
        last.push('\'');
    }
    lines
}

/// JSON with `, ` and `: `, on one line.
fn inline(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Array(items) => format!("[{}]", items.iter().map(inline).collect::<Vec<_>>().join(", ")),
        serde_json::Value::Object(map) => {
            let fields: Vec<String> = map.iter().map(|(k, v)| format!("{}: {}", json_string(k), inline(v))).collect();
            format!("{{{}}}", fields.join(", "))
        }
        other => other.to_string(),
    }
}

fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

/// Appends `value` to the last line when it fits there. Otherwise an array puts each element on
/// its own line, one level deeper; an object fills lines with as many fields as fit, aligned
/// after its brace, and breaks a field that fits no line the same way, recursively.
fn layout(value: &serde_json::Value, indent: usize, width: usize, lines: &mut Vec<String>) {
    let column = |lines: &Vec<String>| lines.last().map_or(0, |l| l.chars().count());
    let append = |lines: &mut Vec<String>, text: &str| {
        if let Some(last) = lines.last_mut() {
            last.push_str(text);
        }
    };
    let flat = inline(value);
    if column(lines) + flat.len() < width {
        append(lines, &flat);
        return;
    }
    match value {
        serde_json::Value::Array(items) if !items.is_empty() => {
            append(lines, "[");
            for (i, item) in items.iter().enumerate() {
                lines.push(" ".repeat(indent + 2));
                layout(item, indent + 2, width, lines);
                if i + 1 < items.len() {
                    append(lines, ",");
                }
            }
            lines.push(format!("{}]", " ".repeat(indent)));
        }
        serde_json::Value::Object(map) if !map.is_empty() => {
            append(lines, "{");
            let mut align = column(lines);
            for (i, (key, child)) in map.iter().enumerate() {
                let end = if i + 1 == map.len() { "}" } else { "," };
                let field = format!("{}: {}{end}", json_string(key), inline(child));
                let at_start = i == 0;
                if (at_start && column(lines) + field.len() < width)
                    || (!at_start && column(lines) + 1 + field.len() < width)
                {
                    append(lines, &if at_start { field } else { format!(" {field}") });
                    continue;
                }
                if at_start {
                    // Nothing fits after the brace: the fields go one level deeper instead.
                    align = indent + 2;
                }
                lines.push(" ".repeat(align));
                if column(lines) + field.len() < width {
                    append(lines, &field);
                } else {
                    append(lines, &format!("{}: ", json_string(key)));
                    layout(child, align, width, lines);
                    append(lines, end);
                }
            }
        }
        _ => append(lines, &flat),
    }
}

/// Greedy word wrap; a word longer than the line stays whole.
fn wrap(text: &str, width: usize, first: usize, rest: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = " ".repeat(first);
    let mut empty = true;
    for word in text.split(' ') {
        let visible = line.chars().count();
        if !empty && visible + 1 + word.chars().count() > width {
            lines.push(std::mem::replace(&mut line, " ".repeat(rest)));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    lines.push(line);
    lines
}
