//! Where each field of a YAML document sits, so that a finding about
//! `spec.template.spec.containers[0].image` can name its line. Built from the YAML parser's event
//! stream (granit-parser, the parser serde-saphyr uses), not from a second YAML reader.

use std::collections::HashMap;

use granit_parser::{Event, Parser};

/// Field path (`a.b[0].c`, as the lint rules write them) to its 1-based line in the document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldLines {
    lines: HashMap<String, u64>,
}

enum Frame {
    Mapping {
        path: String,
        key: Option<String>,
    },
    Sequence {
        path: String,
        index: usize,
    },
    /// A collection used as a key, or the value of such a key: no field path leads into it.
    Opaque {
        depth: usize,
        is_key: bool,
    },
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

impl FieldLines {
    /// Positions of the fields of one YAML document; `first_line` is the document's line in its
    /// file. A document the parser rejects yields what was read before the error (the loader has
    /// already parsed it, so this is only reached for valid text).
    pub fn of_yaml(text: &str, first_line: u64) -> Self {
        let mut lines = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut root_seen = false;
        for event in Parser::new_from_str(text) {
            let Ok((event, span)) = event else { break };
            let line = span.start.line() as u64 + first_line - 1;
            let is_start = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
            let is_node = is_start || matches!(event, Event::Scalar(..) | Event::Alias(..));
            match &event {
                Event::MappingEnd | Event::SequenceEnd => {
                    match stack.last_mut() {
                        Some(Frame::Opaque { depth, .. }) if *depth > 1 => *depth -= 1,
                        Some(Frame::Opaque { is_key: true, .. }) => {
                            stack.pop();
                            if let Some(Frame::Mapping { key, .. }) = stack.last_mut() {
                                *key = Some(String::new());
                            }
                        }
                        _ => {
                            stack.pop();
                            advance(&mut stack);
                        }
                    }
                    continue;
                }
                _ if !is_node => continue,
                _ => {}
            }
            if let Some(Frame::Opaque { depth, .. }) = stack.last_mut() {
                if is_start {
                    *depth += 1;
                }
                continue;
            }
            // Where this node goes: a key, a mapping value, a sequence item, or the root.
            let path = match stack.last_mut() {
                None if root_seen => break,
                None => {
                    root_seen = true;
                    Some(String::new())
                }
                Some(Frame::Mapping { path, key: key @ None }) => {
                    match event.scalar() {
                        Some((name, _)) => {
                            let field = child(path, name);
                            lines.entry(field.clone()).or_insert(line);
                            *key = Some(field);
                        }
                        None if is_start => stack.push(Frame::Opaque { depth: 1, is_key: true }),
                        None => *key = Some(String::new()),
                    }
                    continue;
                }
                Some(Frame::Mapping { key: Some(field), .. }) => Some(field.clone()),
                Some(Frame::Sequence { path, index }) => {
                    let item = format!("{path}[{index}]");
                    lines.entry(item.clone()).or_insert(line);
                    Some(item)
                }
                Some(Frame::Opaque { .. }) => None,
            };
            let Some(path) = path else { continue };
            if path.is_empty() && !stack.is_empty() {
                if is_start {
                    stack.push(Frame::Opaque { depth: 1, is_key: false });
                } else {
                    advance(&mut stack);
                }
                continue;
            }
            match event {
                Event::MappingStart(..) => {
                    lines.entry(path.clone()).or_insert(line);
                    stack.push(Frame::Mapping { path, key: None });
                }
                Event::SequenceStart(..) => stack.push(Frame::Sequence { path, index: 0 }),
                _ => advance(&mut stack),
            }
        }
        FieldLines { lines }
    }

    /// The line of the field, or of its nearest ancestor that the document spells out.
    pub fn line_of(&self, field: &str) -> Option<u64> {
        let mut path = field;
        loop {
            if let Some(line) = self.lines.get(path) {
                return Some(*line);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }

    /// The fields below `prefix` (an item of a List: `items[3]`), with the prefix removed.
    pub fn below(&self, prefix: &str) -> Self {
        let lines = self
            .lines
            .iter()
            .filter_map(|(path, line)| {
                let rest = path.strip_prefix(prefix)?;
                let rest = rest.strip_prefix('.').or(rest.is_empty().then_some(""))?;
                Some((rest.to_string(), *line))
            })
            .collect();
        FieldLines { lines }
    }
}

impl crate::engine::lint::Positions for FieldLines {
    fn line_of(&self, field: &str) -> Option<u64> {
        FieldLines::line_of(self, field)
    }
}

/// After a value ends: its mapping waits for the next key, its sequence for the next item.
fn advance(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Mapping { key, .. }) => *key = None,
        Some(Frame::Sequence { index, .. }) => *index += 1,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::FieldLines;

    const DOC: &str = "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  annotations:
    ignore-check.kubectl-ds.io/DS401: \"\"
spec:
  template:
    spec:
      containers:
      - name: a
        image: a:1
      - name: b
        image: b
        ports: [{containerPort: 80}]
";

    #[test]
    fn names_the_line_of_nested_fields_and_list_items() {
        let lines = FieldLines::of_yaml(DOC, 1);
        assert_eq!(lines.line_of("metadata.name"), Some(4));
        assert_eq!(lines.line_of("metadata.annotations.ignore-check.kubectl-ds.io/DS401"), Some(6));
        assert_eq!(lines.line_of("spec.template.spec.containers[0].image"), Some(12));
        assert_eq!(lines.line_of("spec.template.spec.containers[1]"), Some(13));
        assert_eq!(lines.line_of("spec.template.spec.containers[1].image"), Some(14));
        assert_eq!(lines.line_of("spec.template.spec.containers[1].ports[0].containerPort"), Some(15));
    }

    #[test]
    fn falls_back_to_the_nearest_spelled_out_ancestor() {
        let lines = FieldLines::of_yaml(DOC, 10);
        assert_eq!(lines.line_of("spec.template.spec.nodeSelector"), Some(18));
        assert_eq!(lines.line_of("spec.template.spec.containers[1].securityContext.privileged"), Some(22));
        assert_eq!(lines.line_of("status.numberReady"), None);
    }

    #[test]
    fn list_items_are_addressed_below_their_prefix() {
        let doc = "kind: List\nitems:\n- kind: DaemonSet\n  metadata:\n    name: x\n- kind: DaemonSet\n  spec: {}\n";
        let lines = FieldLines::of_yaml(doc, 1).below("items[1]");
        assert_eq!(lines.line_of("spec"), Some(7));
        assert_eq!(lines.line_of(""), Some(6));
    }

    #[test]
    fn survives_complex_keys_and_aliases() {
        let doc = "a: &x {b: 1}\n? {k: v}\n: 2\nc: *x\nd: 3\n";
        let lines = FieldLines::of_yaml(doc, 1);
        assert_eq!(lines.line_of("c"), Some(4));
        assert_eq!(lines.line_of("d"), Some(5));
    }
}
