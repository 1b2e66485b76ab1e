//! Which findings count, at which severity: suppression annotations on the DaemonSet or its pod
//! template, and the `lint` section of the config file (`.kubectl-ds.yaml`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::catalogue::{self, CATALOGUE, RuleInfo};
use super::{Finding, Outcome, Severity, Subject};

/// `ignore-check.kubectl-ds.io/<ID or name>: "<reason>"` suppresses one rule.
pub const IGNORE_CHECK_PREFIX: &str = "ignore-check.kubectl-ds.io/";
/// `kubectl-ds.io/ignore-all: "<reason>"` suppresses every rule but DS602.
pub const IGNORE_ALL: &str = "kubectl-ds.io/ignore-all";

/// The `lint` section of the config file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LintConfig {
    /// Rules to run besides the default ones (those off by default, such as DS505).
    #[serde(default)]
    pub include: Vec<String>,
    /// Rules never to run.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Severity per rule ID, replacing what the rule decides.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// DaemonSets whose findings (all, or of some rules) are accepted, with the reason.
    #[serde(default)]
    pub exemptions: Vec<Exemption>,
    /// DaemonSets declared node agents: host access is their job.
    #[serde(default)]
    pub node_agents: Vec<ObjectMatch>,
}

/// The whole config file; sections other subcommands may add later sit beside `lint`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub lint: LintConfig,
}

/// Namespace and name globs (`*`, `?`, `[...]`); an absent glob matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectMatch {
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exemption {
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    /// Rule IDs or names; empty: every rule.
    #[serde(default)]
    pub rules: Vec<String>,
    #[serde(default)]
    pub reason: String,
}

fn glob_matches(glob: Option<&str>, value: &str) -> bool {
    match glob {
        None => true,
        Some(glob) => glob::Pattern::new(glob).is_ok_and(|p| p.matches(value)),
    }
}

impl ObjectMatch {
    pub fn matches(&self, namespace: &str, name: &str) -> bool {
        glob_matches(self.namespace.as_deref(), namespace) && glob_matches(self.name.as_deref(), name)
    }
}

/// Why a finding is not counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Suppression {
    /// Where the suppression is: `annotation <key>` or `config`.
    pub by: String,
    pub reason: String,
}

/// A finding after the policy: its final severity, and the suppression that hides it, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judged {
    pub finding: Finding,
    pub suppressed: Option<Suppression>,
}

impl LintConfig {
    /// Checks rule names and globs, so that a typo in the config is an error, not a silent no-op.
    pub fn validate(&self) -> Result<(), String> {
        let rules = self.include.iter().chain(&self.exclude).chain(self.severity.keys());
        let exempted = self.exemptions.iter().flat_map(|e| &e.rules);
        for rule in rules.chain(exempted) {
            if catalogue::find(rule).is_none() {
                return Err(format!("unknown rule {rule:?}: `kubectl ds lint --list-rules` lists them"));
            }
        }
        let globs = self.node_agents.iter().flat_map(|m| [&m.namespace, &m.name]);
        let exemption_globs = self.exemptions.iter().flat_map(|e| [&e.namespace, &e.name]);
        for glob in globs.chain(exemption_globs).flatten() {
            glob::Pattern::new(glob).map_err(|e| format!("invalid glob {glob:?}: {e}"))?;
        }
        if let Some(exemption) = self.exemptions.iter().find(|e| e.reason.trim().is_empty()) {
            let who = format!(
                "{}/{}",
                exemption.namespace.as_deref().unwrap_or("*"),
                exemption.name.as_deref().unwrap_or("*")
            );
            return Err(format!("exemption for {who} has no reason: say why it is accepted"));
        }
        Ok(())
    }

    pub fn is_node_agent(&self, namespace: &str, name: &str) -> bool {
        self.node_agents.iter().any(|m| m.matches(namespace, name))
    }

    /// Whether the rule runs at all.
    pub fn enabled(&self, rule: &RuleInfo) -> bool {
        let named = |list: &[String]| list.iter().any(|r| catalogue::find(r).is_some_and(|f| f.id == rule.id));
        !named(&self.exclude) && (rule.enabled_by_default || named(&self.include))
    }

    /// Applies severity overrides, exemptions and the DaemonSet's suppression annotations.
    pub fn judge(&self, subject: &Subject<'_>, namespace: &str, findings: Vec<Finding>) -> Vec<Judged> {
        let annotations = suppression_annotations(subject);
        findings
            .into_iter()
            .filter(|f| catalogue::find(f.rule).is_some_and(|rule| self.enabled(rule)))
            .map(|mut finding| {
                if let Some(severity) =
                    self.severity.iter().find(|(r, _)| catalogue::find(r).is_some_and(|i| i.id == finding.rule))
                {
                    finding.severity = *severity.1;
                }
                let suppressed = if finding.rule == "DS602" {
                    None
                } else {
                    annotation_suppression(&annotations, finding.rule)
                        .or_else(|| self.exemption(namespace, subject.name, finding.rule))
                };
                Judged { finding, suppressed }
            })
            .collect()
    }

    fn exemption(&self, namespace: &str, name: &str, rule: &str) -> Option<Suppression> {
        self.exemptions
            .iter()
            .filter(|e| glob_matches(e.namespace.as_deref(), namespace) && glob_matches(e.name.as_deref(), name))
            .find(|e| e.rules.is_empty() || e.rules.iter().any(|r| catalogue::find(r).is_some_and(|i| i.id == rule)))
            .map(|e| Suppression { by: "config".to_string(), reason: e.reason.clone() })
    }
}

/// A suppression annotation: its key, where it sits, the rule it names (None: ignore-all).
struct Annotation<'a> {
    key: &'a str,
    field: &'static str,
    rule: Option<Result<&'static RuleInfo, &'a str>>,
    reason: &'a str,
}

fn suppression_annotations<'a>(subject: &Subject<'a>) -> Vec<Annotation<'a>> {
    let on_object = subject.ds.metadata.annotations.iter().flatten().map(|kv| (kv, "metadata.annotations"));
    let template = subject.ds.spec.template.metadata.as_ref().and_then(|m| m.annotations.as_ref());
    let on_template = template.into_iter().flatten().map(|kv| (kv, "spec.template.metadata.annotations"));
    on_object
        .chain(on_template)
        .filter_map(|((key, value), field)| {
            let rule = if key == IGNORE_ALL {
                None
            } else {
                let named = key.strip_prefix(IGNORE_CHECK_PREFIX)?;
                Some(catalogue::find(named).ok_or(named))
            };
            Some(Annotation { key, field, rule, reason: value.as_str() })
        })
        .collect()
}

fn annotation_suppression(annotations: &[Annotation<'_>], rule: &str) -> Option<Suppression> {
    annotations
        .iter()
        .find(|a| match a.rule {
            None => true,
            Some(Ok(info)) => info.id == rule,
            Some(Err(_)) => false,
        })
        .map(|a| Suppression { by: format!("annotation {}", a.key), reason: a.reason.trim().to_string() })
}

/// DS602: every suppression must say why, and name a rule that exists.
pub(super) fn check_suppressions(subject: &Subject<'_>, out: &mut Outcome) {
    for annotation in suppression_annotations(subject) {
        let field = format!("{}.{}", annotation.field, annotation.key);
        if let Some(Err(unknown)) = annotation.rule {
            out.push(
                Finding::new("DS602", format!("{} names no rule: {unknown:?} is not in the catalogue", annotation.key))
                    .at(field.clone())
                    .hint("use a rule ID or name from `kubectl ds lint --list-rules`"),
            );
        }
        if annotation.reason.trim().is_empty() {
            out.push(
                Finding::new("DS602", format!("{} suppresses without a reason", annotation.key))
                    .at(field)
                    .hint(format!("{}: \"<why this is accepted>\"", annotation.key)),
            );
        }
    }
}

/// Rules of the catalogue the config turns on, for `--list-rules` and the summary.
pub fn enabled_rules(config: &LintConfig) -> impl Iterator<Item = &'static RuleInfo> + '_ {
    CATALOGUE.iter().filter(|rule| config.enabled(rule))
}

#[cfg(test)]
mod tests;
