use serde_json::json;

use super::{Pin, pin};
use crate::engine::lint::Severity;
use crate::engine::lint::tests::{daemonset, lint_with, of_rule};

fn found(ds: &k8s_openapi::api::apps::v1::DaemonSet, node_agent: bool, rule: &str) -> Vec<(Severity, String)> {
    let findings = lint_with(ds, None, node_agent);
    of_rule(&findings, rule).iter().map(|f| (f.severity, f.field.clone().unwrap_or_default())).collect()
}

fn image(image: &str) -> k8s_openapi::api::apps::v1::DaemonSet {
    daemonset(json!({"containers": [{"name": "a", "image": image}]}), json!({}))
}

fn resources(value: serde_json::Value) -> k8s_openapi::api::apps::v1::DaemonSet {
    daemonset(json!({"containers": [{"name": "a", "image": "a:1", "resources": value}]}), json!({}))
}

const C0: &str = "spec.template.spec.containers[0]";

#[test]
fn pin_reads_tags_digests_and_registry_ports() {
    assert_eq!(pin("nginx"), Pin::None);
    assert_eq!(pin("nginx:1.25"), Pin::Tag("1.25"));
    assert_eq!(pin("registry:5000/team/agent"), Pin::None);
    assert_eq!(pin("registry:5000/team/agent:v2"), Pin::Tag("v2"));
    assert_eq!(pin("quay.io/a/b:v1@sha256:abc"), Pin::Digest);
}

#[test]
fn ds501_untagged_or_latest_warns() {
    for bad in ["nginx", "nginx:latest", "registry:5000/agent"] {
        assert_eq!(found(&image(bad), false, "DS501"), [(Severity::Warning, format!("{C0}.image"))], "{bad}");
    }
    for good in ["nginx:1.25", "registry:5000/agent:v1", "nginx@sha256:0123", "latest-agent:1"] {
        assert_eq!(found(&image(good), false, "DS501"), [], "{good}");
    }
}

#[test]
fn ds502_always_on_critical_agents_only() {
    let spec = |priority: Option<&str>| {
        let mut spec = json!({"containers": [{"name": "a", "image": "a:1", "imagePullPolicy": "Always"}]});
        if let Some(p) = priority {
            spec["priorityClassName"] = json!(p);
        }
        daemonset(spec, json!({}))
    };
    let field = format!("{C0}.imagePullPolicy");
    assert_eq!(found(&spec(Some("system-node-critical")), false, "DS502"), [(Severity::Info, field.clone())]);
    assert_eq!(found(&spec(None), true, "DS502"), [(Severity::Info, field)]);
    assert_eq!(found(&spec(None), false, "DS502"), []);
    assert_eq!(found(&spec(Some("high")), false, "DS502"), []);
    let if_not_present = daemonset(
        json!({"priorityClassName": "system-node-critical", "containers": [{"name": "a", "image": "a:1"}]}),
        json!({}),
    );
    assert_eq!(found(&if_not_present, true, "DS502"), []);
}

#[test]
fn ds503_names_the_missing_request() {
    let none = resources(json!({}));
    let findings = lint_with(&none, None, false);
    let ds503 = of_rule(&findings, "DS503");
    assert_eq!(ds503.len(), 1);
    assert_eq!(ds503[0].severity, Severity::Warning);
    assert_eq!(ds503[0].field.as_deref(), Some("spec.template.spec.containers[0].resources.requests"));
    assert!(ds503[0].message.contains("no cpu or memory request"), "{}", ds503[0].message);
    let cpu_only = resources(json!({"requests": {"cpu": "100m"}}));
    let findings = lint_with(&cpu_only, None, false);
    assert!(of_rule(&findings, "DS503")[0].message.contains("no memory request"));
    // A limit without a request is the request.
    assert_eq!(
        found(&resources(json!({"requests": {"cpu": "100m"}, "limits": {"memory": "1Gi"}})), false, "DS503"),
        []
    );
}

#[test]
fn ds503_ignores_init_containers() {
    let ds = daemonset(
        json!({
            "initContainers": [{"name": "init", "image": "a:1"}],
            "containers": [{"name": "a", "image": "a:1", "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}],
        }),
        json!({}),
    );
    assert_eq!(found(&ds, false, "DS503"), []);
}

#[test]
fn ds504_memory_limit() {
    let field = format!("{C0}.resources.limits.memory");
    assert_eq!(found(&resources(json!({"limits": {"cpu": "1"}})), false, "DS504"), [(Severity::Info, field)]);
    assert_eq!(found(&resources(json!({"limits": {"memory": "1Gi"}})), false, "DS504"), []);
}

#[test]
fn ds505_digest_pinning_every_container() {
    assert_eq!(found(&image("nginx:1.25"), false, "DS505"), [(Severity::Info, format!("{C0}.image"))]);
    assert_eq!(found(&image("nginx:1.25@sha256:0123"), false, "DS505"), []);
}

#[test]
fn ds506_init_request_above_the_running_pod() {
    let ds = |init_cpu: &str| {
        daemonset(
            json!({
                "initContainers": [
                    {"name": "sidecar", "image": "a:1", "restartPolicy": "Always", "resources": {"requests": {"cpu": "100m"}}},
                    {"name": "init", "image": "a:1", "resources": {"requests": {"cpu": init_cpu, "memory": "10Mi"}}},
                ],
                "containers": [
                    {"name": "a", "image": "a:1", "resources": {"requests": {"cpu": "200m", "memory": "64Mi"}}},
                    {"name": "b", "image": "a:1", "resources": {"requests": {"cpu": "200m"}}},
                ],
            }),
            json!({}),
        )
    };
    // Running: 200m + 200m + the 100m sidecar = 500m; the init needs its own plus the sidecar.
    let field = "spec.template.spec.initContainers[1].resources.requests.cpu".to_string();
    assert_eq!(found(&ds("500m"), false, "DS506"), [(Severity::Info, field)]);
    assert_eq!(found(&ds("400m"), false, "DS506"), []);
    let findings = lint_with(&ds("2"), None, false);
    let message = &of_rule(&findings, "DS506")[0].message;
    assert!(message.contains("init container init requests 2100m cpu, more than the running pod's 500m"), "{message}");
}

#[test]
fn ds601_namespace_unset() {
    let without =
        daemonset(json!({"containers": [{"name": "a", "image": "a:1"}]}), json!({"metadata": {"namespace": null}}));
    assert_eq!(found(&without, false, "DS601"), [(Severity::Info, "metadata.namespace".to_string())]);
    assert_eq!(found(&image("a:1"), false, "DS601"), []);
}
