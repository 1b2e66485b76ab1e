use serde_json::json;

use crate::engine::lint::Severity;
use crate::engine::lint::tests::{daemonset, lint_static, lint_with, of_rule};

fn agent(spec: serde_json::Value) -> k8s_openapi::api::apps::v1::DaemonSet {
    daemonset(spec, json!({}))
}

/// (severity, field) of each finding of `rule`, as a plain list to compare.
fn found(ds: &k8s_openapi::api::apps::v1::DaemonSet, node_agent: bool, rule: &str) -> Vec<(Severity, String)> {
    let findings = lint_with(ds, None, node_agent);
    of_rule(&findings, rule).iter().map(|f| (f.severity, f.field.clone().unwrap_or_default())).collect()
}

const C0: &str = "spec.template.spec.containers[0]";

fn host_path(path: &str, read_only: bool) -> k8s_openapi::api::apps::v1::DaemonSet {
    agent(json!({
        "volumes": [{"name": "host", "hostPath": {"path": path, "type": "Directory"}}],
        "containers": [{"name": "a", "image": "a:1", "volumeMounts": [{"name": "host", "mountPath": "/host", "readOnly": read_only}]}],
    }))
}

#[test]
fn ds401_privileged_warns_and_is_info_for_node_agents() {
    let ds = agent(json!({"containers": [{"name": "a", "image": "a:1", "securityContext": {"privileged": true}}]}));
    let field = format!("{C0}.securityContext.privileged");
    assert_eq!(found(&ds, false, "DS401"), [(Severity::Warning, field.clone())]);
    assert_eq!(found(&ds, true, "DS401"), [(Severity::Info, field)]);
    let findings = lint_static(&ds);
    let finding = of_rule(&findings, "DS401")[0];
    assert!(finding.message.contains("container a"), "{}", finding.message);
    assert!(finding.hint.as_deref().is_some_and(|h| h.contains("kubectl-ds.io/node-agent")));
}

#[test]
fn ds401_not_privileged_does_not_fire() {
    let ds = agent(json!({"containers": [{"name": "a", "image": "a:1", "securityContext": {"privileged": false}}]}));
    assert_eq!(found(&ds, false, "DS401"), []);
}

#[test]
fn ds401_is_not_inferred_from_the_name() {
    let ds = daemonset(
        json!({"containers": [{"name": "calico-node", "image": "a:1", "securityContext": {"privileged": true}}]}),
        json!({"metadata": {"name": "calico-node"}}),
    );
    assert_eq!(found(&ds, false, "DS401")[0].0, Severity::Warning);
}

#[test]
fn ds401_node_agent_annotation_lowers_it() {
    let ds = daemonset(
        json!({"containers": [{"name": "a", "image": "a:1", "securityContext": {"privileged": true}}]}),
        json!({"metadata": {"annotations": {"kubectl-ds.io/node-agent": "true"}}}),
    );
    assert_eq!(found(&ds, false, "DS401")[0].0, Severity::Info);
}

#[test]
fn ds402_one_finding_per_namespace() {
    let ds = agent(
        json!({"hostNetwork": true, "hostPID": true, "hostIPC": false, "containers": [{"name": "a", "image": "a:1"}]}),
    );
    assert_eq!(
        found(&ds, false, "DS402"),
        [
            (Severity::Warning, "spec.template.spec.hostNetwork".to_string()),
            (Severity::Warning, "spec.template.spec.hostPID".to_string())
        ]
    );
    assert!(found(&ds, true, "DS402").iter().all(|(s, _)| *s == Severity::Info));
    assert_eq!(found(&agent(json!({"containers": [{"name": "a", "image": "a:1"}]})), false, "DS402"), []);
}

#[test]
fn ds403_writable_sensitive_host_path_warns_even_for_node_agents() {
    for path in ["/", "/etc", "/etc/", "/var/lib/kubelet", "/var", "/sys", "/usr/../etc"] {
        let ds = host_path(path, false);
        let expected = [(Severity::Warning, "spec.template.spec.volumes[0].hostPath.path".to_string())];
        assert_eq!(found(&ds, true, "DS403"), expected, "{path}");
    }
}

#[test]
fn ds403_read_only_or_non_sensitive_paths_are_one_info() {
    let ds = agent(json!({
        "volumes": [
            {"name": "etc", "hostPath": {"path": "/etc", "type": "Directory"}},
            {"name": "cni", "hostPath": {"path": "/etc/cni/net.d", "type": "Directory"}},
            {"name": "lock", "hostPath": {"path": "/run/xtables.lock", "type": "FileOrCreate"}},
            {"name": "logs", "hostPath": {"path": "/var/log", "type": "Directory"}},
        ],
        "containers": [{"name": "a", "image": "a:1", "volumeMounts": [
            {"name": "etc", "mountPath": "/host/etc", "readOnly": true},
            {"name": "cni", "mountPath": "/host/cni"},
            {"name": "lock", "mountPath": "/run/xtables.lock"},
            {"name": "logs", "mountPath": "/var/log"},
        ]}],
    }));
    let findings = lint_static(&ds);
    let ds403 = of_rule(&findings, "DS403");
    assert_eq!(ds403.len(), 1, "{ds403:?}");
    assert_eq!(ds403[0].severity, Severity::Info);
    for part in ["etc (/etc, read-only)", "cni (/etc/cni/net.d, writable)", "lock (/run/xtables.lock", "logs (/var/log"]
    {
        assert!(ds403[0].message.contains(part), "{part}: {}", ds403[0].message);
    }
}

#[test]
fn ds403_a_writable_mount_in_any_container_makes_it_writable() {
    let ds = agent(json!({
        "volumes": [{"name": "etc", "hostPath": {"path": "/etc", "type": "Directory"}}],
        "initContainers": [{"name": "init", "image": "a:1", "volumeMounts": [{"name": "etc", "mountPath": "/h"}]}],
        "containers": [{"name": "a", "image": "a:1", "volumeMounts": [{"name": "etc", "mountPath": "/h", "readOnly": true}]}],
    }));
    let findings = lint_static(&ds);
    let ds403 = of_rule(&findings, "DS403");
    assert_eq!(ds403.len(), 1);
    assert_eq!(ds403[0].severity, Severity::Warning);
    assert!(ds403[0].message.contains("(in init)"), "{}", ds403[0].message);
}

#[test]
fn ds403_bidirectional_propagation_warns_for_everyone() {
    let ds = agent(json!({
        "volumes": [{"name": "pods", "hostPath": {"path": "/var/lib/kubelet/pods", "type": "Directory"}}],
        "containers": [{"name": "a", "image": "a:1", "securityContext": {"privileged": true},
            "volumeMounts": [{"name": "pods", "mountPath": "/pods", "mountPropagation": "Bidirectional"}]}],
    }));
    let field = format!("{C0}.volumeMounts[0].mountPropagation");
    assert_eq!(found(&ds, true, "DS403"), [(Severity::Warning, field)]);
    let host_to_container = agent(json!({
        "volumes": [{"name": "pods", "hostPath": {"path": "/var/lib/kubelet/pods", "type": "Directory"}}],
        "containers": [{"name": "a", "image": "a:1",
            "volumeMounts": [{"name": "pods", "mountPath": "/pods", "mountPropagation": "HostToContainer"}]}],
    }));
    assert_eq!(found(&host_to_container, true, "DS403")[0].0, Severity::Info);
}

#[test]
fn ds404_runtime_sockets_and_their_directories() {
    for path in [
        "/var/run/docker.sock",
        "/run/containerd/containerd.sock",
        "/run/k3s/containerd/containerd.sock",
        "/var/run/crio/crio.sock",
        "/var/run/cri-dockerd.sock",
        "/run/containerd",
        "/var/run",
        "/",
    ] {
        let ds = host_path(path, true);
        assert_eq!(
            found(&ds, true, "DS404"),
            [(Severity::Warning, "spec.template.spec.volumes[0].hostPath.path".to_string())],
            "{path}"
        );
    }
    for path in ["/var/lib/containerd", "/var/run/calico", "/run/xtables.lock", "/var/log"] {
        assert_eq!(found(&host_path(path, false), false, "DS404"), [], "{path}");
    }
}

#[test]
fn ds404_socket_is_not_repeated_in_the_ds403_info() {
    let ds = host_path("/var/run/docker.sock", true);
    assert_eq!(found(&ds, false, "DS403"), []);
}

#[test]
fn ds405_host_path_without_type() {
    let ds = agent(json!({
        "volumes": [{"name": "logs", "hostPath": {"path": "/var/log"}}, {"name": "ok", "hostPath": {"path": "/opt", "type": "Directory"}}],
        "containers": [{"name": "a", "image": "a:1"}],
    }));
    assert_eq!(found(&ds, false, "DS405"), [(Severity::Info, "spec.template.spec.volumes[0].hostPath".to_string())]);
}

#[test]
fn ds406_names_the_dangerous_capabilities_in_any_spelling() {
    let ds = agent(json!({"containers": [
        {"name": "a", "image": "a:1", "securityContext": {"capabilities": {"add": ["CAP_SYS_ADMIN", "net_admin", "CHOWN"]}}},
        {"name": "b", "image": "a:1", "securityContext": {"capabilities": {"add": ["NET_BIND_SERVICE"]}}},
        {"name": "c", "image": "a:1", "securityContext": {"capabilities": {"add": ["ALL"]}}},
    ]}));
    let findings = lint_static(&ds);
    let ds406 = of_rule(&findings, "DS406");
    assert_eq!(ds406.len(), 2);
    assert_eq!(ds406[0].field.as_deref(), Some("spec.template.spec.containers[0].securityContext.capabilities.add"));
    assert!(ds406[0].message.ends_with("SYS_ADMIN, NET_ADMIN"), "{}", ds406[0].message);
    assert!(ds406[1].message.contains("container c") && ds406[1].message.ends_with("ALL"));
    assert_eq!(ds406[0].severity, Severity::Warning);
    assert!(found(&ds, true, "DS406").iter().all(|(s, _)| *s == Severity::Info));
}

#[test]
fn ds407_host_in_probes_and_lifecycle() {
    let ds = agent(json!({"containers": [{
        "name": "a", "image": "a:1",
        "livenessProbe": {"httpGet": {"port": 8080, "host": "127.0.0.1"}},
        "readinessProbe": {"httpGet": {"port": 8080}},
        "lifecycle": {"preStop": {"httpGet": {"port": 8080, "host": "localhost"}}},
    }]}));
    assert_eq!(
        found(&ds, true, "DS407"),
        [
            (Severity::Warning, format!("{C0}.livenessProbe.httpGet.host")),
            (Severity::Warning, format!("{C0}.lifecycle.preStop.httpGet.host"))
        ]
    );
    let none =
        agent(json!({"containers": [{"name": "a", "image": "a:1", "livenessProbe": {"tcpSocket": {"port": 1}}}]}));
    assert_eq!(found(&none, false, "DS407"), []);
}

#[test]
fn ds408_host_port_without_host_network() {
    let spec = |host_network: bool| {
        agent(
            json!({"hostNetwork": host_network, "containers": [{"name": "a", "image": "a:1", "ports": [{"containerPort": 80, "hostPort": 80}]}]}),
        )
    };
    assert_eq!(found(&spec(false), true, "DS408"), [(Severity::Info, format!("{C0}.ports[0].hostPort"))]);
    assert_eq!(found(&spec(true), false, "DS408"), []);
}

#[test]
fn ds409_host_network_with_cluster_first() {
    let with = |policy: Option<&str>| {
        let mut spec = json!({"hostNetwork": true, "containers": [{"name": "a", "image": "a:1"}]});
        if let Some(p) = policy {
            spec["dnsPolicy"] = json!(p);
        }
        agent(spec)
    };
    assert_eq!(found(&with(None), false, "DS409"), [(Severity::Info, "spec.template.spec.hostNetwork".to_string())]);
    assert_eq!(found(&with(Some("ClusterFirst")), false, "DS409")[0].1, "spec.template.spec.dnsPolicy");
    assert_eq!(found(&with(Some("ClusterFirstWithHostNet")), false, "DS409"), []);
    assert_eq!(found(&with(Some("Default")), false, "DS409"), []);
    let findings = lint_static(&with(None));
    let hint = of_rule(&findings, "DS409")[0].hint.clone().unwrap_or_default();
    assert!(hint.contains("ClusterFirstWithHostNet") && hint.contains("Default"), "{hint}");
}

#[test]
fn ds410_to_ds412_per_container() {
    let ds = agent(json!({"containers": [
        {"name": "a", "image": "a:1"},
        {"name": "b", "image": "a:1", "securityContext": {"allowPrivilegeEscalation": false, "runAsNonRoot": true, "readOnlyRootFilesystem": true}},
        {"name": "c", "image": "a:1", "securityContext": {"privileged": true, "runAsUser": 0}},
    ]}));
    let c =
        |i: usize, rest: &str| (Severity::Info, format!("spec.template.spec.containers[{i}].securityContext{rest}"));
    assert_eq!(found(&ds, false, "DS410"), [c(0, ".allowPrivilegeEscalation")]);
    assert_eq!(found(&ds, false, "DS411"), [c(0, ""), c(2, ".runAsUser")]);
    assert_eq!(found(&ds, false, "DS412"), [c(0, ".readOnlyRootFilesystem"), c(2, ".readOnlyRootFilesystem")]);
}

#[test]
fn ds411_pod_level_settings_count() {
    let non_root =
        agent(json!({"securityContext": {"runAsNonRoot": true}, "containers": [{"name": "a", "image": "a:1"}]}));
    assert_eq!(found(&non_root, false, "DS411"), []);
    let user = agent(json!({"securityContext": {"runAsUser": 1000}, "containers": [{"name": "a", "image": "a:1"}]}));
    assert_eq!(found(&user, false, "DS411"), []);
    let root = agent(json!({"securityContext": {"runAsUser": 0}, "containers": [{"name": "a", "image": "a:1"}]}));
    assert_eq!(
        found(&root, false, "DS411"),
        [(Severity::Info, "spec.template.spec.securityContext.runAsUser".to_string())]
    );
}

#[test]
fn ds413_pod_level_profile_covers_containers_and_unconfined_warns() {
    let runtime = agent(
        json!({"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}, "containers": [{"name": "a", "image": "a:1"}]}),
    );
    assert_eq!(found(&runtime, false, "DS413"), []);
    let unset = agent(json!({"containers": [{"name": "a", "image": "a:1"}, {"name": "b", "image": "a:1"}]}));
    assert_eq!(
        found(&unset, false, "DS413"),
        [(Severity::Info, "spec.template.spec.securityContext.seccompProfile".to_string())]
    );
    let overridden = agent(json!({
        "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [{"name": "a", "image": "a:1", "securityContext": {"seccompProfile": {"type": "Unconfined"}}}],
    }));
    assert_eq!(
        found(&overridden, true, "DS413"),
        [(Severity::Warning, format!("{C0}.securityContext.seccompProfile.type"))]
    );
    let pod_unconfined = agent(json!({
        "securityContext": {"seccompProfile": {"type": "Unconfined"}},
        "containers": [{"name": "a", "image": "a:1", "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}}, {"name": "b", "image": "a:1"}],
    }));
    let findings = lint_static(&pod_unconfined);
    let ds413 = of_rule(&findings, "DS413");
    assert_eq!(ds413.len(), 1);
    assert_eq!(ds413[0].severity, Severity::Warning);
    assert!(ds413[0].message.contains("container b") && !ds413[0].message.contains("container a"));
}

#[test]
fn ds410_to_ds413_skip_windows_pods() {
    let ds = agent(json!({"os": {"name": "windows"}, "containers": [{"name": "a", "image": "a:1"}]}));
    for rule in ["DS410", "DS411", "DS412", "DS413"] {
        assert_eq!(found(&ds, false, rule), [], "{rule}");
    }
}

#[test]
fn ds414_host_process_stays_info() {
    let ds = agent(
        json!({"containers": [{"name": "a", "image": "a:1", "securityContext": {"windowsOptions": {"hostProcess": true}}}]}),
    );
    assert_eq!(
        found(&ds, false, "DS414"),
        [(Severity::Info, format!("{C0}.securityContext.windowsOptions.hostProcess"))]
    );
    let off = agent(
        json!({"containers": [{"name": "a", "image": "a:1", "securityContext": {"windowsOptions": {"hostProcess": false}}}]}),
    );
    assert_eq!(found(&off, false, "DS414"), []);
}

#[test]
fn ds415_unsafe_sysctls_and_unmasked_proc() {
    let ds = agent(json!({
        "securityContext": {"sysctls": [{"name": "net.ipv4.tcp_syncookies", "value": "1"}, {"name": "net.core.somaxconn", "value": "1024"}]},
        "containers": [{"name": "a", "image": "a:1", "securityContext": {"procMount": "Unmasked"}}, {"name": "b", "image": "a:1", "securityContext": {"procMount": "Default"}}],
    }));
    assert_eq!(
        found(&ds, true, "DS415"),
        [
            (Severity::Warning, "spec.template.spec.securityContext.sysctls[1].name".to_string()),
            (Severity::Warning, format!("{C0}.securityContext.procMount"))
        ]
    );
}

#[test]
fn ds416_token_automount() {
    let on = agent(json!({"containers": [{"name": "a", "image": "a:1"}]}));
    assert_eq!(
        found(&on, false, "DS416"),
        [(Severity::Info, "spec.template.spec.automountServiceAccountToken".to_string())]
    );
    let off = agent(json!({"automountServiceAccountToken": false, "containers": [{"name": "a", "image": "a:1"}]}));
    assert_eq!(found(&off, false, "DS416"), []);
}

#[test]
fn ds417_names_the_level_and_the_controls_that_force_it() {
    let ds = host_path("/var/log", true);
    let findings = lint_static(&ds);
    let ds417 = of_rule(&findings, "DS417");
    assert_eq!(ds417.len(), 1);
    assert_eq!(ds417[0].severity, Severity::Info);
    assert!(ds417[0].message.contains("need the privileged Pod Security level"), "{}", ds417[0].message);
    assert!(ds417[0].message.contains("hostPathVolumes"), "{}", ds417[0].message);
    assert!(!ds417[0].message.contains("runAsNonRoot"), "{}", ds417[0].message);
    let plain = agent(json!({"containers": [{"name": "a", "image": "a:1"}]}));
    let findings = lint_static(&plain);
    assert!(of_rule(&findings, "DS417")[0].message.contains("need the baseline Pod Security level"));
    let apparmor = daemonset(
        json!({"containers": [{"name": "a", "image": "a:1"}]}),
        json!({"spec": {"template": {"metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/a": "unconfined"}}}}}),
    );
    let findings = lint_static(&apparmor);
    assert!(of_rule(&findings, "DS417")[0].message.contains("appArmorProfile"));
}
