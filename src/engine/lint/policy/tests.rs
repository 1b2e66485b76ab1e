use serde_json::json;

use super::{LintConfig, ObjectMatch};
use crate::engine::lint::tests::{daemonset, lint_static, of_rule};
use crate::engine::lint::{Finding, Severity, Subject};

fn config(yaml: &str) -> LintConfig {
    match serde_saphyr::from_str::<super::ConfigFile>(yaml) {
        Ok(file) => file.lint,
        Err(e) => panic!("test config does not parse: {e}"),
    }
}

fn finding(rule: &'static str) -> Finding {
    Finding::new(rule, "m")
}

#[test]
fn ds602_suppression_without_a_reason_or_naming_no_rule() {
    let ds = daemonset(
        json!({"containers": [{"name": "a", "image": "a:1"}]}),
        json!({"metadata": {"annotations": {"ignore-check.kubectl-ds.io/DS401": "", "ignore-check.kubectl-ds.io/DS999": "why"}},
               "spec": {"template": {"metadata": {"annotations": {"kubectl-ds.io/ignore-all": "  "}}}}}),
    );
    let found = lint_static(&ds);
    let hits = of_rule(&found, "DS602");
    assert_eq!(hits.len(), 3, "{hits:#?}");
    assert!(hits.iter().any(|f| f.message.contains("names no rule")));
    let ok = daemonset(
        json!({"containers": [{"name": "a", "image": "a:1"}]}),
        json!({"metadata": {"annotations": {"ignore-check.kubectl-ds.io/DS401": "the CNI needs it"}}}),
    );
    assert!(of_rule(&lint_static(&ok), "DS602").is_empty());
}

#[test]
fn annotations_on_the_object_or_its_template_suppress_with_their_reason() {
    for patch in [
        json!({"metadata": {"annotations": {"ignore-check.kubectl-ds.io/DS401": "CNI"}}}),
        json!({"spec": {"template": {"metadata": {"annotations": {"ignore-check.kubectl-ds.io/privileged-container": "CNI"}}}}}),
    ] {
        let ds = daemonset(json!({"containers": []}), patch);
        let subject = Subject::new(&ds, None, false);
        let judged = LintConfig::default().judge(&subject, "kube-system", vec![finding("DS401"), finding("DS402")]);
        assert_eq!(judged[0].suppressed.as_ref().map(|s| s.reason.as_str()), Some("CNI"));
        assert!(judged[1].suppressed.is_none());
    }
    let all = daemonset(
        json!({"containers": []}),
        json!({"metadata": {"annotations": {"kubectl-ds.io/ignore-all": "vendor"}}}),
    );
    let subject = Subject::new(&all, None, false);
    let judged = LintConfig::default().judge(&subject, "ns", vec![finding("DS401"), finding("DS602")]);
    assert!(judged[0].suppressed.is_some());
    assert!(judged[1].suppressed.is_none(), "DS602 cannot hide itself");
}

#[test]
fn config_includes_excludes_overrides_and_exempts() {
    let cfg = config(
        "lint:
  include: [DS505]
  exclude: [writable-root-fs]
  severity: {DS308: error}
  exemptions:
    - namespace: kube-system
      name: calico-*
      rules: [DS401]
      reason: reviewed 2026-10
  nodeAgents:
    - namespace: kube-*
",
    );
    assert_eq!(cfg.validate(), Ok(()));
    let ds = daemonset(json!({"containers": []}), json!({"metadata": {"name": "calico-node"}}));
    let subject = Subject::new(&ds, None, false);
    let judged = cfg.judge(
        &subject,
        "kube-system",
        vec![finding("DS505"), finding("DS412"), finding("DS308"), finding("DS401"), finding("DS402")],
    );
    let rules: Vec<&str> = judged.iter().map(|j| j.finding.rule).collect();
    assert_eq!(rules, ["DS505", "DS308", "DS401", "DS402"], "DS412 excluded, DS505 included");
    assert_eq!(judged[1].finding.severity, Severity::Error);
    assert_eq!(judged[2].suppressed.as_ref().map(|s| s.by.as_str()), Some("config"));
    assert!(judged[3].suppressed.is_none());
    assert!(cfg.is_node_agent("kube-system", "anything"));
    assert!(!cfg.is_node_agent("monitoring", "node-exporter"));
    assert!(!LintConfig::default().enabled(super::catalogue::info("DS505")), "DS505 is off by default");
}

#[test]
fn config_mistakes_are_errors_not_silent_no_ops() {
    assert!(config("lint: {exclude: [DS999]}").validate().unwrap_err().contains("DS999"));
    assert!(config("lint: {nodeAgents: [{name: '[abc'}]}").validate().unwrap_err().contains("invalid glob"));
    let no_reason = config("lint: {exemptions: [{name: x}]}");
    assert!(no_reason.validate().unwrap_err().contains("no reason"));
    assert!(
        serde_saphyr::from_str::<super::ConfigFile>("lint: {exclud: [DS101]}").is_err(),
        "unknown keys are refused"
    );
    assert!(ObjectMatch { namespace: None, name: Some("node-*".into()) }.matches("any", "node-exporter"));
}
