use serde_json::{Value, json};

use super::super::tests::{daemonset, lint_static, of_rule};
use super::super::{Finding, Outcome, Severity, Subject};
use super::{budget, placeholder, template_action};
use crate::engine::test_support::from_json;

fn agent(container: Value) -> Value {
    let mut base = json!({"name": "agent", "image": "agent:1"});
    if let (Value::Object(base), Value::Object(extra)) = (&mut base, container) {
        base.extend(extra);
    }
    json!({"containers": [base]})
}

/// The findings of one rule on a DaemonSet whose one container is `agent` plus `container`,
/// with `patch` merged over the DaemonSet.
fn findings(rule: &str, container: Value, patch: Value) -> Vec<Finding> {
    let ds = daemonset(agent(container), patch);
    of_rule(&lint_static(&ds), rule).into_iter().cloned().collect()
}

fn fields(findings: &[Finding]) -> Vec<&str> {
    findings.iter().filter_map(|f| f.field.as_deref()).collect()
}

/// The findings of one rule when the DaemonSet's selector is exactly `selector`.
fn with_selector(rule: &str, selector: Value) -> Vec<Finding> {
    let mut ds = daemonset(agent(json!({})), json!({}));
    ds.spec.selector = from_json(selector);
    of_rule(&lint_static(&ds), rule).into_iter().cloned().collect()
}

fn strategy(rolling: Value) -> Value {
    json!({"spec": {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": rolling}}})
}

#[test]
fn the_base_daemonset_is_clean() {
    let ds = daemonset(agent(json!({})), json!({}));
    let ours: Vec<_> = lint_static(&ds).into_iter().filter(|f| f.rule < "DS200").collect();
    assert_eq!(ours, vec![]);
}

// DS101: TestValidateDaemonSet's "selector_doesnt_match" and the matchExpressions cases.
#[test]
fn a_selector_that_misses_the_template_labels_is_rejected() {
    let found = with_selector("DS101", json!({"matchLabels": {"app": "other"}}));
    assert_eq!(fields(&found), ["spec.selector"]);
    assert_eq!(found[0].severity, Severity::Error);
    assert!(found[0].message.contains("app=other") && found[0].message.contains("app=agent"), "{}", found[0].message);
    assert_eq!(found[0].hint.as_deref(), Some("add to spec.template.metadata.labels: app: other"));
}

#[test]
fn match_expressions_that_exclude_the_template_are_rejected() {
    let exclude = json!({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["agent"]}]});
    assert_eq!(fields(&with_selector("DS101", exclude)), ["spec.selector"]);
    let absent = json!({"matchExpressions": [{"key": "tier", "operator": "Exists"}]});
    let found = with_selector("DS101", absent);
    assert_eq!(fields(&found), ["spec.selector"]);
    assert!(found[0].hint.as_deref().is_some_and(|h| h.contains("matchExpressions")));
}

#[test]
fn selectors_the_template_satisfies_pass() {
    for selector in [
        json!({"matchLabels": {"app": "agent"}}),
        json!({"matchExpressions": [{"key": "app", "operator": "In", "values": ["agent", "x"]}]}),
        json!({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["x"]}]}),
        json!({"matchExpressions": [{"key": "app", "operator": "Exists"}]}),
        json!({"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}),
    ] {
        assert_eq!(with_selector("DS101", selector.clone()), vec![], "{selector}");
    }
}

#[test]
fn invalid_selector_requirements_are_reported_with_the_servers_words() {
    let cases = [
        (json!({"key": "app", "operator": "Equals", "values": ["agent"]}), "matchExpressions[0].operator"),
        (json!({"key": "app", "operator": "In", "values": []}), "matchExpressions[0].values"),
        (json!({"key": "app", "operator": "In"}), "matchExpressions[0].values"),
        (json!({"key": "app", "operator": "Exists", "values": ["agent"]}), "matchExpressions[0].values"),
    ];
    for (requirement, field) in cases {
        let found = with_selector("DS101", json!({"matchExpressions": [requirement.clone()]}));
        assert_eq!(fields(&found), [format!("spec.selector.{field}")], "{requirement}");
    }
}

// DS102: "empty selector is invalid for daemonset".
#[test]
fn an_empty_or_missing_selector_is_rejected() {
    for selector in [json!({}), json!({"matchLabels": {}, "matchExpressions": []}), json!({"matchLabels": null})] {
        let found = with_selector("DS102", selector.clone());
        assert_eq!(fields(&found), ["spec.selector"], "{selector}");
        assert_eq!(found[0].severity, Severity::Error);
        assert_eq!(found[0].hint.as_deref(), Some("selector:\n  matchLabels: {app: agent}"));
        // An empty selector matches everything: not also a mismatch.
        assert_eq!(with_selector("DS101", selector), vec![]);
    }
}

#[test]
fn a_selector_with_only_expressions_is_not_empty() {
    let selector = json!({"matchExpressions": [{"key": "app", "operator": "Exists"}]});
    assert_eq!(with_selector("DS102", selector), vec![]);
}

// DS103/DS104: TestValidateRollingUpdateDaemonSet and ValidateDaemonSetUpdateStrategy.
#[test]
fn zero_unavailable_and_zero_surge_is_rejected() {
    for rolling in [
        json!({"maxUnavailable": 0, "maxSurge": 0}),
        json!({"maxUnavailable": "0%", "maxSurge": "0%"}),
        json!({"maxUnavailable": 0}),
        json!({"maxUnavailable": "0%", "maxSurge": 0}),
    ] {
        let found = findings("DS103", json!({}), strategy(rolling.clone()));
        assert_eq!(fields(&found), ["spec.updateStrategy.rollingUpdate.maxUnavailable"], "{rolling}");
        assert_eq!(found[0].severity, Severity::Error);
    }
}

#[test]
fn valid_rolling_updates_pass() {
    for rolling in [
        json!({}),
        json!({"maxUnavailable": 1}),
        json!({"maxUnavailable": "100%", "maxSurge": 0}),
        json!({"maxUnavailable": 0, "maxSurge": 1}),
        json!({"maxUnavailable": "0%", "maxSurge": "100%"}),
        json!({"maxUnavailable": "10%"}),
    ] {
        let found = findings("DS103", json!({}), strategy(rolling.clone()));
        assert_eq!(found, vec![], "{rolling}");
        assert_eq!(findings("DS104", json!({}), strategy(rolling.clone())), vec![], "{rolling}");
    }
}

#[test]
fn rolling_update_values_the_server_rejects() {
    let cases = [
        (json!({"maxUnavailable": -1}), "maxUnavailable", "must be greater than or equal to 0"),
        (json!({"maxUnavailable": "101%"}), "maxUnavailable", "must not be greater than 100%"),
        (json!({"maxUnavailable": 0, "maxSurge": "200%"}), "maxSurge", "must not be greater than 100%"),
        (json!({"maxUnavailable": "10"}), "maxUnavailable", "percentage"),
        (json!({"maxUnavailable": "abc"}), "maxUnavailable", "percentage"),
        (json!({"maxUnavailable": "-10%"}), "maxUnavailable", "percentage"),
        (json!({"maxUnavailable": "1.5%"}), "maxUnavailable", "percentage"),
        (json!({"maxUnavailable": 1, "maxSurge": 1}), "maxSurge", "may not be set when maxUnavailable is non-zero"),
        // maxUnavailable defaults to 1, so a lone surge is rejected.
        (json!({"maxSurge": 1}), "maxSurge", "(it defaults to 1)"),
    ];
    for (rolling, field, words) in cases {
        let found = findings("DS104", json!({}), strategy(rolling.clone()));
        assert_eq!(fields(&found), [format!("spec.updateStrategy.rollingUpdate.{field}")], "{rolling}");
        assert!(found[0].message.contains(words), "{rolling}: {}", found[0].message);
        assert_eq!(found[0].severity, Severity::Error);
    }
}

#[test]
fn an_invalid_value_is_not_also_a_zero_zero() {
    let found = findings("DS103", json!({}), strategy(json!({"maxUnavailable": "abc", "maxSurge": 0})));
    assert_eq!(found, vec![]);
}

#[test]
fn unknown_strategy_types_are_rejected_and_on_delete_ignores_rolling_update() {
    let unknown = json!({"spec": {"updateStrategy": {"type": "Recreate"}}});
    let found = findings("DS104", json!({}), unknown);
    assert_eq!(fields(&found), ["spec.updateStrategy.type"]);
    assert!(found[0].message.contains("\"Recreate\""));

    let on_delete = json!({"spec": {"updateStrategy": {"type": "OnDelete", "rollingUpdate": {"maxUnavailable": 0}}}});
    let found = findings("DS104", json!({}), on_delete.clone());
    assert_eq!(fields(&found), ["spec.updateStrategy.rollingUpdate"]);
    assert_eq!(found[0].severity, Severity::Warning);
    // OnDelete never validates the values, so no zero-zero either.
    assert_eq!(findings("DS103", json!({}), on_delete), vec![]);
    assert_eq!(findings("DS104", json!({}), json!({"spec": {"updateStrategy": {"type": "OnDelete"}}})), vec![]);
}

#[test]
fn budgets_parse_as_the_server_does() {
    use super::Budget::{Count, Percent};
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::{Int, String as Text};
    assert_eq!(budget(&Int(3)), Ok(Count(3)));
    assert_eq!(budget(&Text("0%".into())), Ok(Percent(0)));
    assert_eq!(budget(&Text("100%".into())), Ok(Percent(100)));
    assert!(budget(&Text("99999999999999999999999%".into())).is_err());
    assert!(budget(&Text("%".into())).is_err());
    assert!(budget(&Text(" 5%".into())).is_err());
}

// DS105: TestValidateDaemonSet "invalid restart policy".
#[test]
fn a_restart_policy_other_than_always_is_rejected() {
    for policy in ["OnFailure", "Never"] {
        let ds = daemonset(
            json!({"restartPolicy": policy, "containers": [{"name": "agent", "image": "agent:1"}]}),
            json!({}),
        );
        let found: Vec<Finding> = of_rule(&lint_static(&ds), "DS105").into_iter().cloned().collect();
        assert_eq!(fields(&found), ["spec.template.spec.restartPolicy"]);
        assert_eq!(found[0].severity, Severity::Error);
        assert!(found[0].message.contains(policy));
    }
    let always =
        daemonset(json!({"restartPolicy": "Always", "containers": [{"name": "agent", "image": "agent:1"}]}), json!({}));
    assert!(of_rule(&lint_static(&always), "DS105").is_empty());
}

// DS106: core validation's TestValidateMountPropagation.
#[test]
fn bidirectional_propagation_needs_a_privileged_container() {
    let mount = json!({"volumeMounts": [{"name": "kubelet", "mountPath": "/var/lib/kubelet"},
                                        {"name": "bpf", "mountPath": "/sys/fs/bpf", "mountPropagation": "Bidirectional"}]});
    let found = findings("DS106", mount.clone(), json!({}));
    assert_eq!(fields(&found), ["spec.template.spec.containers[0].volumeMounts[1].mountPropagation"]);
    assert_eq!(found[0].severity, Severity::Error);
    assert!(found[0].message.contains("container agent") && found[0].message.contains("bpf"));

    let mut privileged = mount;
    privileged["securityContext"] = json!({"privileged": true});
    assert_eq!(findings("DS106", privileged, json!({})), vec![]);
    let host_to_container =
        json!({"volumeMounts": [{"name": "bpf", "mountPath": "/sys/fs/bpf", "mountPropagation": "HostToContainer"}]});
    assert_eq!(findings("DS106", host_to_container, json!({})), vec![]);
}

// DS107: TestValidateResourceRequirements.
#[test]
fn a_request_above_its_limit_is_rejected() {
    let resources = json!({"resources": {"requests": {"cpu": "600m", "memory": "64Mi"}, "limits": {"cpu": "0.5", "memory": "64Mi"}}});
    let found = findings("DS107", resources, json!({}));
    assert_eq!(fields(&found), ["spec.template.spec.containers[0].resources.requests.cpu"]);
    assert_eq!(found[0].severity, Severity::Error);
    assert!(found[0].message.contains("must be less than or equal to the cpu limit of 0.5"), "{}", found[0].message);
}

#[test]
fn requests_within_limits_pass_and_extended_resources_must_equal_them() {
    let within =
        json!({"resources": {"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"cpu": "0.5", "memory": "2Gi"}}});
    assert_eq!(findings("DS107", within, json!({})), vec![]);
    let gpu = json!({"resources": {"requests": {"nvidia.com/gpu": "1"}, "limits": {"nvidia.com/gpu": "2"}}});
    let found = findings("DS107", gpu, json!({}));
    assert_eq!(fields(&found), ["spec.template.spec.containers[0].resources.requests[\"nvidia.com/gpu\"]"]);
    assert!(found[0].message.contains("must be equal to"));
}

#[test]
fn an_unparseable_quantity_is_reported() {
    let bad = json!({"resources": {"requests": {"memory": "lots"}, "limits": {"memory": "1Gi"}}});
    let found = findings("DS107", bad, json!({}));
    assert_eq!(fields(&found), ["spec.template.spec.containers[0].resources.requests.memory"]);
    assert!(found[0].message.contains("not a valid quantity"));
    // ParseQuantity's grammar, not a float parser's: 1e300 and 1Ei are quantities, 1e3Ki is not.
    let huge = json!({"resources": {"requests": {"cpu": "1e300", "memory": "1Ei"}, "limits": {"cpu": "1e400"}}});
    assert_eq!(findings("DS107", huge, json!({})), vec![]);
    let mixed = json!({"resources": {"requests": {"memory": "1e3Ki"}}});
    assert!(findings("DS107", mixed, json!({}))[0].message.contains("\"1e3Ki\" is not a valid quantity"));
}

// DS108.
fn with_api_version(version: &str) -> Vec<Finding> {
    let ds = daemonset(agent(json!({})), json!({}));
    let subject = Subject::new(&ds, Some(version), false);
    let mut out = Outcome::default();
    super::check(&subject, &mut out);
    out.findings.into_iter().filter(|f| f.rule == "DS108").collect()
}

#[test]
fn removed_api_versions_are_reported() {
    for version in ["extensions/v1beta1", "apps/v1beta2", "apps/v1beta1"] {
        let found = with_api_version(version);
        assert_eq!(fields(&found), ["apiVersion"], "{version}");
        assert_eq!(found[0].severity, Severity::Error);
        assert!(found[0].hint.as_deref().is_some_and(|h| h.contains("apps/v1")));
    }
    assert_eq!(with_api_version("apps/v1"), vec![]);
}

// DS109.
#[test]
fn unrendered_helm_templates_are_reported_per_field() {
    let container = json!({"image": "{{ .Values.image.repository }}:{{ .Values.image.tag }}",
                           "args": ["--level={{ .Values.logLevel }}"]});
    let found =
        findings("DS109", container, json!({"metadata": {"labels": {"helm.sh/chart": "{{ include \"x.chart\" . }}"}}}));
    let mut paths = fields(&found);
    paths.sort();
    assert_eq!(
        paths,
        [
            "metadata.labels[\"helm.sh/chart\"]",
            "spec.template.spec.containers[0].args[0]",
            "spec.template.spec.containers[0].image",
        ]
    );
    assert!(
        found
            .iter()
            .all(|f| f.severity == Severity::Error && f.hint.as_deref().is_some_and(|h| h.contains("helm template")))
    );
}

#[test]
fn pillar_placeholders_are_reported() {
    let container = json!({"args": ["-localip", "__PILLAR__LOCAL__DNS__,__PILLAR__DNS__SERVER__"]});
    let found = findings("DS109", container, json!({}));
    assert_eq!(fields(&found), ["spec.template.spec.containers[0].args[1]"]);
    assert!(found[0].message.contains("__PILLAR__LOCAL__DNS__"));
    assert!(found[0].hint.as_deref().is_some_and(|h| h.contains("sed")));
}

#[test]
fn runtime_go_templates_and_ordinary_text_are_not_placeholders() {
    let container = json!({"command": ["sh", "-c", "docker inspect -f '{{.State.Pid}}' $ID; echo {{ }}"],
                           "env": [{"name": "FORMAT", "value": "{{.Time}} {{.Message}}"},
                                   {"name": "PY", "value": "__init__ and __main__ and FOO__BAR__"}]});
    assert_eq!(findings("DS109", container, json!({})), vec![]);
}

#[test]
fn template_and_placeholder_scanners() {
    assert_eq!(template_action("a {{- .Values.x -}} b", false), Some("{{- .Values.x -}}"));
    assert_eq!(template_action("{{ .Id }}", true), None);
    assert_eq!(template_action("{{\"json\": 1}}", false), None);
    assert_eq!(template_action("{{ unterminated", false), None);
    assert_eq!(placeholder("x=__PILLAR__DNS__DOMAIN__"), Some("__PILLAR__DNS__DOMAIN__"));
    assert_eq!(placeholder("__A__"), Some("__A__"));
    assert_eq!(placeholder("__Ab__"), None);
    assert_eq!(placeholder("____"), None);
}

// DS110: kube-linter's liveness-port/readiness-port.
#[test]
fn a_probe_naming_an_undeclared_port_is_reported() {
    let container = json!({"ports": [{"name": "http", "containerPort": 8080}],
                           "readinessProbe": {"httpGet": {"path": "/ready", "port": "metrics"}},
                           "livenessProbe": {"tcpSocket": {"port": "http"}}});
    let found = findings("DS110", container, json!({}));
    assert_eq!(fields(&found), ["spec.template.spec.containers[0].readinessProbe.httpGet.port"]);
    assert_eq!(found[0].severity, Severity::Warning);
    assert!(found[0].message.contains("\"metrics\""));
}

#[test]
fn a_port_declared_by_another_container_does_not_count() {
    let ds = daemonset(
        json!({"containers": [
            {"name": "agent", "image": "agent:1", "startupProbe": {"tcpSocket": {"port": "metrics"}}},
            {"name": "exporter", "image": "exporter:1", "ports": [{"name": "metrics", "containerPort": 9100}]}]}),
        json!({}),
    );
    let all = lint_static(&ds);
    let found = of_rule(&all, "DS110");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].field.as_deref(), Some("spec.template.spec.containers[0].startupProbe.tcpSocket.port"));
    assert!(found[0].message.contains("container exporter declares it"));
}

#[test]
fn numeric_probe_ports_and_declared_names_pass() {
    let container = json!({"ports": [{"name": "metrics", "containerPort": 9100}],
                           "readinessProbe": {"httpGet": {"path": "/ready", "port": "metrics"}},
                           "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}},
                           "startupProbe": {"grpc": {"port": 9000}}});
    assert_eq!(findings("DS110", container, json!({})), vec![]);
}

// DS111.
#[test]
fn an_env_name_set_twice_in_one_container_is_reported() {
    let container =
        json!({"env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}, {"name": "A", "value": "3"}]});
    let found = findings("DS111", container, json!({}));
    assert_eq!(fields(&found), ["spec.template.spec.containers[0].env[2]"]);
    assert_eq!(found[0].severity, Severity::Warning);
    assert!(found[0].message.contains("env[0] and env[2]"));
}

#[test]
fn the_same_env_name_in_two_containers_is_fine() {
    let ds = daemonset(
        json!({"initContainers": [{"name": "init", "image": "i:1", "env": [{"name": "A", "value": "1"}]}],
               "containers": [{"name": "agent", "image": "agent:1", "env": [{"name": "A", "value": "1"}, {"name": "a", "value": "2"}]}]}),
        json!({}),
    );
    assert!(of_rule(&lint_static(&ds), "DS111").is_empty());
}

#[test]
fn a_manifest_without_a_selector_reads_as_empty() {
    let ds: k8s_openapi::api::apps::v1::DaemonSet = from_json(json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent", "namespace": "kube-system"},
        "spec": {"template": {"metadata": {"labels": {"app": "agent"}}, "spec": agent(json!({}))}}}));
    let all = lint_static(&ds);
    assert_eq!(of_rule(&all, "DS102").len(), 1);
    assert!(of_rule(&all, "DS101").is_empty());
}

#[test]
fn the_last_applied_copy_does_not_repeat_a_finding() {
    let last_applied = json!({"metadata": {"annotations": {
        "kubectl.kubernetes.io/last-applied-configuration": "{\"image\":\"{{ .Values.image }}\"}"}}});
    let found = findings("DS109", json!({"image": "{{ .Values.image }}"}), last_applied);
    assert_eq!(fields(&found), ["spec.template.spec.containers[0].image"]);
}
