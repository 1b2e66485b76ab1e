//! `nodeSelector` and required node affinity, as component-helpers' `GetRequiredNodeAffinity`
//! evaluates them, keeping the detail of what failed so the report can name it.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PodSpec};

use crate::report::TermFailure;

/// One `nodeSelector` entry the node does not satisfy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectorMiss {
    pub key: String,
    pub wanted: String,
    pub actual: Option<String>,
}

/// `nodeSelector` is a plain map: every key must be present with exactly that value.
pub fn node_selector_misses(
    selector: &BTreeMap<String, String>,
    labels: &BTreeMap<String, String>,
) -> Vec<SelectorMiss> {
    selector
        .iter()
        .filter(|(key, wanted)| labels.get(*key) != Some(*wanted))
        .map(|(key, wanted)| SelectorMiss {
            key: key.clone(),
            wanted: wanted.clone(),
            actual: labels.get(key).cloned(),
        })
        .collect()
}

/// One `nodeSelector` entry next to the node's value for its key, whether it holds or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectorCheck {
    pub key: String,
    pub wanted: String,
    pub actual: Option<String>,
}

impl SelectorCheck {
    pub fn passed(&self) -> bool {
        self.actual.as_deref() == Some(self.wanted.as_str())
    }
}

/// Every `nodeSelector` entry with the node's value, in key order.
pub fn node_selector_checks(
    selector: &BTreeMap<String, String>,
    labels: &BTreeMap<String, String>,
) -> Vec<SelectorCheck> {
    selector
        .iter()
        .map(|(key, wanted)| SelectorCheck {
            key: key.clone(),
            wanted: wanted.clone(),
            actual: labels.get(key).cloned(),
        })
        .collect()
}

/// The required node affinity of a pod spec, if it has one.
pub fn required_affinity(spec: &PodSpec) -> Option<&NodeSelector> {
    spec.affinity.as_ref()?.node_affinity.as_ref()?.required_during_scheduling_ignored_during_execution.as_ref()
}

/// `LazyErrorNodeSelector.Match`: the terms are ORed, empty terms select nothing, a term that
/// does not parse is skipped (the controller ignores the error). `Ok(())` when some term
/// matches; otherwise what each term got wrong.
pub fn match_node_selector(
    selector: &NodeSelector,
    node_name: &str,
    labels: &BTreeMap<String, String>,
) -> Result<(), Vec<TermFailure>> {
    ParsedNodeSelector::new(selector).match_node(node_name, labels)
}

/// One requirement of a term against the node: its selector text, whether it holds, and what
/// the node has for it (the label's value, or the node's name for `matchFields`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpressionCheck {
    pub expression: String,
    pub key: String,
    pub passed: bool,
    pub actual: Option<String>,
}

/// One `nodeSelectorTerm` against the node: every requirement, or why the term cannot match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermCheck {
    pub term: usize,
    pub expressions: Vec<ExpressionCheck>,
    /// A parse error, or an empty term (which selects nothing).
    pub error: Option<String>,
}

impl TermCheck {
    pub fn matches(&self) -> bool {
        self.error.is_none() && self.expressions.iter().all(|e| e.passed)
    }
}

/// Every term of a required node affinity, each fully evaluated (no short cut after a match),
/// so that a report can show what each term and requirement made of the node.
pub fn check_node_selector(
    selector: &NodeSelector,
    node_name: &str,
    labels: &BTreeMap<String, String>,
) -> Vec<TermCheck> {
    ParsedNodeSelector::new(selector).check(node_name, labels)
}

/// A required node affinity parsed once, so that matching it against thousands of nodes
/// neither parses nor allocates; the detail is built only for the nodes it refuses.
pub struct ParsedNodeSelector {
    terms: Vec<ParsedTerm>,
}

enum ParsedTerm {
    /// Does not parse, or is empty (selects nothing): why.
    Refused(String),
    Requirements {
        labels: Vec<LabelRequirement>,
        fields: Vec<FieldRequirement>,
    },
}

impl ParsedNodeSelector {
    pub fn new(selector: &NodeSelector) -> Self {
        if selector.node_selector_terms.is_empty() {
            return Self { terms: vec![ParsedTerm::Refused("no nodeSelectorTerms: selects no node".to_string())] };
        }
        let terms = selector.node_selector_terms.iter().map(ParsedTerm::parse).collect();
        Self { terms }
    }

    pub fn matches(&self, node_name: &str, labels: &BTreeMap<String, String>) -> bool {
        self.terms.iter().any(|term| match term {
            ParsedTerm::Refused(_) => false,
            ParsedTerm::Requirements { labels: wanted, fields } => {
                wanted.iter().all(|r| r.matches(labels)) && fields.iter().all(|r| r.matches(node_name))
            }
        })
    }

    pub fn match_node(&self, node_name: &str, labels: &BTreeMap<String, String>) -> Result<(), Vec<TermFailure>> {
        if self.matches(node_name, labels) {
            return Ok(());
        }
        Err(self
            .check(node_name, labels)
            .into_iter()
            .map(|check| TermFailure {
                term: check.term,
                failed: check.expressions.into_iter().filter(|e| !e.passed).map(|e| e.expression).collect(),
                parse_error: check.error,
            })
            .collect())
    }

    pub fn check(&self, node_name: &str, labels: &BTreeMap<String, String>) -> Vec<TermCheck> {
        self.terms
            .iter()
            .enumerate()
            .map(|(index, term)| match term {
                ParsedTerm::Refused(error) => {
                    TermCheck { term: index, expressions: Vec::new(), error: Some(error.clone()) }
                }
                ParsedTerm::Requirements { labels: wanted, fields } => {
                    let mut expressions: Vec<ExpressionCheck> = wanted
                        .iter()
                        .map(|r| ExpressionCheck {
                            expression: r.to_string(),
                            key: r.key.clone(),
                            passed: r.matches(labels),
                            actual: labels.get(&r.key).cloned(),
                        })
                        .collect();
                    expressions.extend(fields.iter().map(|r| ExpressionCheck {
                        expression: r.to_string(),
                        key: r.key.clone(),
                        passed: r.matches(node_name),
                        actual: (r.key == "metadata.name").then(|| node_name.to_string()),
                    }));
                    TermCheck { term: index, expressions, error: None }
                }
            })
            .collect()
    }
}

impl ParsedTerm {
    /// The whole term is parsed before it is matched, as Kubernetes does.
    fn parse(term: &NodeSelectorTerm) -> Self {
        if is_empty_term(term) {
            return ParsedTerm::Refused("empty term selects no node".to_string());
        }
        let expressions = term.match_expressions.as_deref().unwrap_or_default();
        let fields = term.match_fields.as_deref().unwrap_or_default();
        let parsed =
            expressions.iter().map(LabelRequirement::parse).collect::<Result<Vec<_>, _>>().and_then(|labels| {
                let fields = fields.iter().map(FieldRequirement::parse).collect::<Result<Vec<_>, _>>()?;
                Ok(ParsedTerm::Requirements { labels, fields })
            });
        parsed.unwrap_or_else(ParsedTerm::Refused)
    }
}

fn is_empty_term(term: &NodeSelectorTerm) -> bool {
    term.match_expressions.as_ref().is_none_or(Vec::is_empty) && term.match_fields.as_ref().is_none_or(Vec::is_empty)
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum LabelOp {
    In(Vec<String>),
    NotIn(Vec<String>),
    Exists,
    DoesNotExist,
    Gt(i64),
    Lt(i64),
}

/// A parsed `matchExpressions` entry (apimachinery `labels.NewRequirement`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct LabelRequirement {
    key: String,
    op: LabelOp,
}

impl LabelRequirement {
    fn parse(req: &NodeSelectorRequirement) -> Result<Self, String> {
        let key = req.key.clone();
        validate_qualified_name(&key).map_err(|e| format!("key {key:?}: {e}"))?;
        let values = req.values.clone().unwrap_or_default();
        for value in &values {
            validate_label_value(value).map_err(|e| format!("value {value:?} of {key:?}: {e}"))?;
        }
        let single_integer = |op: &str| -> Result<i64, String> {
            match values.as_slice() {
                [v] => v.parse::<i64>().map_err(|_| format!("{key} {op}: the value must be an integer, got {v:?}")),
                _ => Err(format!("{key} {op}: exactly one value is required")),
            }
        };
        let op = match req.operator.as_str() {
            "In" | "NotIn" if values.is_empty() => {
                return Err(format!("{key} {}: at least one value is required", req.operator));
            }
            "In" => LabelOp::In(values.clone()),
            "NotIn" => LabelOp::NotIn(values.clone()),
            "Exists" | "DoesNotExist" if !values.is_empty() => {
                return Err(format!("{key} {}: values must be empty", req.operator));
            }
            "Exists" => LabelOp::Exists,
            "DoesNotExist" => LabelOp::DoesNotExist,
            "Gt" => LabelOp::Gt(single_integer("Gt")?),
            "Lt" => LabelOp::Lt(single_integer("Lt")?),
            other => {
                return Err(format!(
                    "{key}: operator {other:?} is not supported (In, NotIn, Exists, DoesNotExist, Gt, Lt)"
                ));
            }
        };
        Ok(Self { key, op })
    }

    fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let actual = labels.get(&self.key);
        match &self.op {
            LabelOp::In(values) => actual.is_some_and(|a| values.contains(a)),
            LabelOp::NotIn(values) => actual.is_none_or(|a| !values.contains(a)),
            LabelOp::Exists => actual.is_some(),
            LabelOp::DoesNotExist => actual.is_none(),
            LabelOp::Gt(bound) => actual.and_then(|a| a.parse::<i64>().ok()).is_some_and(|a| a > *bound),
            LabelOp::Lt(bound) => actual.and_then(|a| a.parse::<i64>().ok()).is_some_and(|a| a < *bound),
        }
    }
}

impl std::fmt::Display for LabelRequirement {
    /// The label selector syntax kubectl accepts with `-l`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let key = &self.key;
        match &self.op {
            LabelOp::In(v) => write!(f, "{key} in ({})", v.join(",")),
            LabelOp::NotIn(v) => write!(f, "{key} notin ({})", v.join(",")),
            LabelOp::Exists => write!(f, "{key}"),
            LabelOp::DoesNotExist => write!(f, "!{key}"),
            LabelOp::Gt(n) => write!(f, "{key} > {n}"),
            LabelOp::Lt(n) => write!(f, "{key} < {n}"),
        }
    }
}

/// A parsed `matchFields` entry: only `In`/`NotIn` with exactly one value are supported, and a
/// node exposes one field, `metadata.name`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct FieldRequirement {
    key: String,
    value: String,
    equal: bool,
}

impl FieldRequirement {
    fn parse(req: &NodeSelectorRequirement) -> Result<Self, String> {
        let equal = match req.operator.as_str() {
            "In" => true,
            "NotIn" => false,
            other => {
                return Err(format!("matchFields {}: operator {other:?} is not supported (In, NotIn)", req.key));
            }
        };
        match req.values.as_deref().unwrap_or_default() {
            [value] => Ok(Self { key: req.key.clone(), value: value.clone(), equal }),
            _ => Err(format!("matchFields {}: must have one element", req.key)),
        }
    }

    fn matches(&self, node_name: &str) -> bool {
        let actual = if self.key == "metadata.name" { node_name } else { "" };
        (actual == self.value) == self.equal
    }
}

impl std::fmt::Display for FieldRequirement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let op = if self.equal { "=" } else { "!=" };
        write!(f, "{}{op}{}", self.key, self.value)
    }
}

fn is_name_part(s: &str) -> bool {
    let bytes = s.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 63
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253
        && !s.is_empty()
        && s.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        })
}

/// apimachinery `IsQualifiedName`: `[prefix/]name`.
fn validate_qualified_name(key: &str) -> Result<(), &'static str> {
    let (prefix, name) = match key.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if prefix.is_some_and(|p| !is_dns_subdomain(p)) {
        return Err("prefix must be a DNS subdomain");
    }
    if !is_name_part(name) {
        return Err("name part must be 1-63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric");
    }
    Ok(())
}

/// apimachinery `IsValidLabelValue`: empty, or a name part.
fn validate_label_value(value: &str) -> Result<(), &'static str> {
    if value.is_empty() || is_name_part(value) {
        Ok(())
    } else {
        Err("must be empty or 1-63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric")
    }
}

#[cfg(test)]
mod tests;
