//! Cases from the pod-security-admission tables (`policy/check_*_test.go`), one or more per
//! control, each checked on the control it names and on the level it forces.

use k8s_openapi::api::core::v1::{PodSpec, PodTemplateSpec};
use serde_json::json;

use super::*;
use crate::engine::test_support::from_json;

fn spec(value: serde_json::Value) -> PodSpec {
    from_json(value)
}

fn v(minor: u32) -> Option<KubeVersion> {
    Some(KubeVersion::new(minor, 0))
}

/// The controls that fail, in evaluation order.
fn failed(spec: &PodSpec, version: Option<KubeVersion>) -> Vec<&'static str> {
    evaluate(spec, version).violations.iter().map(|v| v.control).collect()
}

fn fails(spec: &PodSpec, version: Option<KubeVersion>, control: &str) -> bool {
    failed(spec, version).contains(&control)
}

fn violation<'a>(eval: &'a Evaluation, control: &str) -> &'a Violation {
    match eval.violations.iter().find(|v| v.control == control) {
        Some(found) => found,
        None => panic!("{control} did not fail: {:?}", eval.violations),
    }
}

/// A pod restricted admits: the base the restricted tests break one field at a time.
fn restricted_pod() -> serde_json::Value {
    json!({
        "securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [{
            "name": "a",
            "image": "a:1",
            "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}},
        }],
    })
}

fn restricted_with(patch: impl FnOnce(&mut serde_json::Value)) -> PodSpec {
    let mut pod = restricted_pod();
    patch(&mut pod);
    spec(pod)
}

#[test]
fn a_hardened_pod_is_restricted() {
    let eval = evaluate(&spec(restricted_pod()), None);
    assert_eq!(eval.violations, vec![]);
    assert_eq!(eval.required, Level::Restricted);
}

#[test]
fn an_empty_pod_needs_baseline_for_the_restricted_controls() {
    let eval = evaluate(&spec(json!({"containers": [{"name": "a"}]})), None);
    assert_eq!(eval.required, Level::Baseline);
    assert_eq!(
        failed(&spec(json!({"containers": [{"name": "a"}]})), None),
        ["allowPrivilegeEscalation", "runAsNonRoot", "seccompProfile_restricted", "capabilities_restricted"]
    );
    assert!(eval.blocking(Level::Baseline).next().is_none());
    assert_eq!(eval.blocking(Level::Restricted).count(), 4);
}

#[test]
fn windows_host_process_on_pod_or_container_fails_baseline() {
    let pod =
        spec(json!({"securityContext": {"windowsOptions": {"hostProcess": true}}, "containers": [{"name": "a"}]}));
    let eval = evaluate(&pod, None);
    assert_eq!(eval.required, Level::Privileged);
    let found = violation(&eval, "windowsHostProcess");
    assert_eq!(found.level, Level::Baseline);
    assert_eq!(found.field.as_deref(), Some("spec.template.spec.securityContext.windowsOptions.hostProcess"));

    let container =
        spec(json!({"containers": [{"name": "a", "securityContext": {"windowsOptions": {"hostProcess": true}}}]}));
    assert!(fails(&container, None, "windowsHostProcess"));
    let off =
        spec(json!({"containers": [{"name": "a", "securityContext": {"windowsOptions": {"hostProcess": false}}}]}));
    assert!(!fails(&off, None, "windowsHostProcess"));
}

#[test]
fn host_namespaces_each_fail_and_false_passes() {
    for name in ["hostNetwork", "hostPID", "hostIPC"] {
        let pod = spec(json!({name: true, "containers": [{"name": "a"}]}));
        let eval = evaluate(&pod, None);
        assert_eq!(
            violation(&eval, "hostNamespaces").field.as_deref(),
            Some(format!("spec.template.spec.{name}").as_str())
        );
        let off = spec(json!({name: false, "containers": [{"name": "a"}]}));
        assert!(!fails(&off, None, "hostNamespaces"), "{name}: false");
    }
}

#[test]
fn privileged_true_fails_false_passes() {
    let pod = spec(json!({
        "initContainers": [{"name": "init", "securityContext": {"privileged": false}}],
        "containers": [{"name": "a"}, {"name": "b", "securityContext": {"privileged": true}}],
    }));
    let eval = evaluate(&pod, None);
    let found = violation(&eval, "privileged");
    assert_eq!(found.field.as_deref(), Some("spec.template.spec.containers[1].securityContext.privileged"));
    assert!(found.detail.contains("container b"), "{}", found.detail);
    assert!(!found.detail.contains("init"), "{}", found.detail);
    assert!(!fails(
        &spec(json!({"containers": [{"name": "a", "securityContext": {"privileged": false}}]})),
        None,
        "privileged"
    ));
}

#[test]
fn capabilities_baseline_allows_the_default_set_only_as_written() {
    let allowed = spec(
        json!({"containers": [{"name": "a", "securityContext": {"capabilities": {"add": BASELINE_CAPABILITIES}}}]}),
    );
    assert!(!fails(&allowed, None, "capabilities_baseline"));
    // check_capabilities_baseline_test.go: "FOO", "BAR" fail; the names are not normalised.
    for bad in [json!(["FOO", "BAR"]), json!(["CAP_CHOWN"]), json!(["chown"]), json!(["NET_ADMIN"])] {
        let pod = spec(json!({"containers": [{"name": "a", "securityContext": {"capabilities": {"add": bad}}}]}));
        assert!(fails(&pod, None, "capabilities_baseline"), "{bad}");
    }
}

#[test]
fn any_host_path_fails_baseline() {
    let pod = spec(json!({
        "volumes": [{"name": "cm", "configMap": {"name": "x"}}, {"name": "logs", "hostPath": {"path": "/var/log"}}],
        "containers": [{"name": "a"}],
    }));
    let eval = evaluate(&pod, None);
    let found = violation(&eval, "hostPathVolumes");
    assert_eq!(found.field.as_deref(), Some("spec.template.spec.volumes[1].hostPath"));
    assert!(found.detail.contains("logs (/var/log)"), "{}", found.detail);
    let no_host_path =
        spec(json!({"volumes": [{"name": "cm", "configMap": {"name": "x"}}], "containers": [{"name": "a"}]}));
    assert!(!fails(&no_host_path, None, "hostPathVolumes"));
}

#[test]
fn host_ports_fail_unless_zero() {
    let pod = spec(
        json!({"containers": [{"name": "a", "ports": [{"containerPort": 80}, {"containerPort": 81, "hostPort": 81}]}]}),
    );
    let eval = evaluate(&pod, None);
    assert_eq!(
        violation(&eval, "hostPorts").field.as_deref(),
        Some("spec.template.spec.containers[0].ports[1].hostPort")
    );
    let zero = spec(json!({"containers": [{"name": "a", "ports": [{"containerPort": 80, "hostPort": 0}]}]}));
    assert!(!fails(&zero, None, "hostPorts"));
}

#[test]
fn app_armor_fields_allow_runtime_default_and_localhost() {
    for (kind, bad) in [("RuntimeDefault", false), ("Localhost", false), ("Unconfined", true)] {
        let pod = spec(json!({"securityContext": {"appArmorProfile": {"type": kind}}, "containers": [{"name": "a"}]}));
        assert_eq!(fails(&pod, None, "appArmorProfile"), bad, "pod {kind}");
        let container =
            spec(json!({"containers": [{"name": "a", "securityContext": {"appArmorProfile": {"type": kind}}}]}));
        assert_eq!(fails(&container, None, "appArmorProfile"), bad, "container {kind}");
    }
}

#[test]
fn app_armor_annotations_are_read_from_the_template_metadata() {
    let template = |value: &str| -> PodTemplateSpec {
        from_json(json!({
            "metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/a": value}},
            "spec": {"containers": [{"name": "a"}]},
        }))
    };
    for (value, bad) in [("runtime/default", false), ("localhost/foo", false), ("unconfined", true), ("", true)] {
        let eval = evaluate_template(&template(value), None);
        assert_eq!(eval.violations.iter().any(|v| v.control == "appArmorProfile"), bad, "{value:?}");
    }
    // The annotations are not in the PodSpec: evaluate alone cannot see them.
    let plain = template("unconfined");
    assert!(!fails(plain.spec.as_ref().unwrap(), None, "appArmorProfile"));
}

#[test]
fn se_linux_types_users_and_roles() {
    let with = |opts: serde_json::Value| {
        spec(json!({"securityContext": {"seLinuxOptions": opts}, "containers": [{"name": "a"}]}))
    };
    for ty in ["container_t", "container_init_t", "container_kvm_t", ""] {
        assert!(!fails(&with(json!({"type": ty, "level": "s0:c1"})), None, "seLinuxOptions"), "{ty}");
    }
    assert!(fails(&with(json!({"type": "bar"})), None, "seLinuxOptions"));
    assert!(fails(&with(json!({"user": "bar"})), None, "seLinuxOptions"));
    assert!(fails(&with(json!({"role": "bar"})), None, "seLinuxOptions"));
    // container_engine_t joined the list in 1.31.
    let engine = spec(
        json!({"containers": [{"name": "a", "securityContext": {"seLinuxOptions": {"type": "container_engine_t"}}}]}),
    );
    assert!(fails(&engine, v(30), "seLinuxOptions"));
    assert!(!fails(&engine, v(31), "seLinuxOptions"));
}

#[test]
fn proc_mount_unmasked_fails_baseline_and_user_namespaces_relax_it_from_1_35() {
    let pod = |host_users: Option<bool>| {
        let mut value = json!({"containers": [{"name": "a", "securityContext": {"procMount": "Unmasked"}}]});
        if let Some(h) = host_users {
            value["hostUsers"] = json!(h);
        }
        spec(value)
    };
    assert!(fails(&pod(None), None, "procMount"));
    assert_eq!(evaluate(&pod(None), None).required, Level::Privileged);
    assert!(fails(&pod(Some(false)), v(34), "procMount"));
    assert!(!fails(&pod(Some(false)), v(35), "procMount"));
    // ...but restricted still refuses it.
    assert!(fails(&pod(Some(false)), v(35), "procMount_restricted"));
    assert!(fails(&pod(Some(true)), v(35), "procMount"));
    let default = spec(json!({"containers": [{"name": "a", "securityContext": {"procMount": "Default"}}]}));
    assert!(!fails(&default, None, "procMount"));
    assert!(!fails(&default, None, "procMount_restricted"));
}

#[test]
fn seccomp_unconfined_fails_baseline_anywhere() {
    let pod_level =
        spec(json!({"securityContext": {"seccompProfile": {"type": "Unconfined"}}, "containers": [{"name": "a"}]}));
    assert!(fails(&pod_level, None, "seccompProfile_baseline"));
    let container =
        spec(json!({"containers": [{"name": "a", "securityContext": {"seccompProfile": {"type": "Unconfined"}}}]}));
    assert!(fails(&container, None, "seccompProfile_baseline"));
    let runtime =
        spec(json!({"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}, "containers": [{"name": "a"}]}));
    assert!(!fails(&runtime, None, "seccompProfile_baseline"));
    // Unset is fine for baseline; only restricted requires a profile.
    assert!(!fails(&spec(json!({"containers": [{"name": "a"}]})), None, "seccompProfile_baseline"));
}

#[test]
fn sysctls_follow_the_safe_list_of_the_version() {
    let with = |name: &str| {
        spec(json!({"securityContext": {"sysctls": [{"name": name, "value": "1"}]}, "containers": [{"name": "a"}]}))
    };
    assert!(!fails(&with("kernel.shm_rmid_forced"), v(20), "sysctls"));
    assert!(fails(&with("kernel.msgmax"), None, "sysctls"));
    for (name, since) in [
        ("net.ipv4.ip_local_reserved_ports", 27),
        ("net.ipv4.tcp_keepalive_time", 29),
        ("net.ipv4.tcp_fin_timeout", 29),
        ("net.ipv4.tcp_keepalive_intvl", 29),
        ("net.ipv4.tcp_keepalive_probes", 29),
        ("net.ipv4.tcp_rmem", 32),
        ("net.ipv4.tcp_wmem", 32),
    ] {
        assert!(fails(&with(name), v(since - 1), "sysctls"), "{name} before 1.{since}");
        assert!(!fails(&with(name), v(since), "sysctls"), "{name} from 1.{since}");
        assert!(!fails(&with(name), None, "sysctls"), "{name} at latest");
    }
    let eval = evaluate(&with("vm.max_map_count"), None);
    assert_eq!(
        violation(&eval, "sysctls").field.as_deref(),
        Some("spec.template.spec.securityContext.sysctls[0].name")
    );
}

#[test]
fn probe_and_lifecycle_hosts_fail_baseline_from_1_34() {
    let pod = spec(json!({
        "initContainers": [{"name": "init", "lifecycle": {"preStop": {"tcpSocket": {"port": 1, "host": "10.0.0.1"}}}}],
        "containers": [{
            "name": "a",
            "livenessProbe": {"httpGet": {"port": 8080, "host": "localhost"}},
            "readinessProbe": {"tcpSocket": {"port": 8080, "host": ""}},
        }],
    }));
    assert!(!fails(&pod, v(33), "hostProbesAndHostLifecycle"));
    let eval = evaluate(&pod, v(34));
    let found = violation(&eval, "hostProbesAndHostLifecycle");
    assert_eq!(found.field.as_deref(), Some("spec.template.spec.initContainers[0].lifecycle.preStop.tcpSocket.host"));
    assert!(found.detail.contains("container a host localhost"), "{}", found.detail);
    assert_eq!(eval.required, Level::Privileged);
    let empty_host = spec(json!({"containers": [{"name": "a", "startupProbe": {"httpGet": {"port": 1, "host": ""}}}]}));
    assert!(!fails(&empty_host, None, "hostProbesAndHostLifecycle"));
}

#[test]
fn restricted_volumes_allow_the_listed_types_only() {
    let ok = restricted_with(|p| {
        p["volumes"] = json!([
            {"name": "a", "configMap": {"name": "x"}},
            {"name": "b", "secret": {"secretName": "x"}},
            {"name": "c", "emptyDir": {}},
            {"name": "d", "projected": {"sources": []}},
            {"name": "e", "persistentVolumeClaim": {"claimName": "x"}},
            {"name": "f", "downwardAPI": {"items": []}},
            {"name": "g", "csi": {"driver": "x"}},
            {"name": "h", "ephemeral": {}},
        ])
    });
    assert_eq!(failed(&ok, None), Vec::<&str>::new());
    for (source, value) in [("nfs", json!({"server": "s", "path": "/"})), ("gitRepo", json!({"repository": "r"}))] {
        let pod = restricted_with(|p| p["volumes"] = json!([{"name": "bad", source: value}]));
        let eval = evaluate(&pod, None);
        assert_eq!(
            violation(&eval, "restrictedVolumes").field,
            Some(format!("spec.template.spec.volumes[0].{source}"))
        );
        assert_eq!(eval.required, Level::Baseline, "{source}");
    }
}

#[test]
fn allow_privilege_escalation_must_be_false_except_on_windows() {
    let unset = restricted_with(|p| p["containers"][0]["securityContext"]["allowPrivilegeEscalation"] = json!(null));
    assert_eq!(failed(&unset, None), ["allowPrivilegeEscalation"]);
    let truthy = restricted_with(|p| p["containers"][0]["securityContext"]["allowPrivilegeEscalation"] = json!(true));
    assert_eq!(failed(&truthy, None), ["allowPrivilegeEscalation"]);
    let windows = restricted_with(|p| {
        p["os"] = json!({"name": "windows"});
        p["containers"][0]["securityContext"]["allowPrivilegeEscalation"] = json!(true);
    });
    assert!(!fails(&windows, v(25), "allowPrivilegeEscalation"));
    assert!(fails(&windows, v(24), "allowPrivilegeEscalation"));
}

#[test]
fn run_as_non_root_pod_level_covers_containers_unless_they_say_false() {
    let pod_false = restricted_with(|p| p["securityContext"]["runAsNonRoot"] = json!(false));
    assert_eq!(failed(&pod_false, None), ["runAsNonRoot"]);
    let container_false = restricted_with(|p| p["containers"][0]["securityContext"]["runAsNonRoot"] = json!(false));
    assert_eq!(failed(&container_false, None), ["runAsNonRoot"]);
    let container_only = restricted_with(|p| {
        p["securityContext"]["runAsNonRoot"] = json!(null);
        p["containers"][0]["securityContext"]["runAsNonRoot"] = json!(true);
    });
    assert_eq!(failed(&container_only, None), Vec::<&str>::new());
    let neither = restricted_with(|p| p["securityContext"]["runAsNonRoot"] = json!(null));
    let eval = evaluate(&neither, None);
    assert_eq!(
        violation(&eval, "runAsNonRoot").field.as_deref(),
        Some("spec.template.spec.containers[0].securityContext.runAsNonRoot")
    );
    let user_namespace = restricted_with(|p| {
        p["securityContext"]["runAsNonRoot"] = json!(false);
        p["hostUsers"] = json!(false);
    });
    assert!(fails(&user_namespace, v(34), "runAsNonRoot"));
    assert!(!fails(&user_namespace, v(35), "runAsNonRoot"));
}

#[test]
fn run_as_user_zero_fails_from_1_23() {
    let pod_zero = restricted_with(|p| p["securityContext"]["runAsUser"] = json!(0));
    assert_eq!(failed(&pod_zero, None), ["runAsUser"]);
    assert!(!fails(&pod_zero, v(22), "runAsUser"));
    let container_zero = restricted_with(|p| p["containers"][0]["securityContext"]["runAsUser"] = json!(0));
    assert!(fails(&container_zero, None, "runAsUser"));
    let non_zero = restricted_with(|p| p["containers"][0]["securityContext"]["runAsUser"] = json!(1000));
    assert_eq!(failed(&non_zero, None), Vec::<&str>::new());
    let user_namespace = restricted_with(|p| {
        p["securityContext"]["runAsUser"] = json!(0);
        p["hostUsers"] = json!(false);
    });
    assert!(!fails(&user_namespace, v(35), "runAsUser"));
}

#[test]
fn seccomp_restricted_requires_runtime_default_or_localhost() {
    let localhost = restricted_with(|p| {
        p["securityContext"]["seccompProfile"] = json!({"type": "Localhost", "localhostProfile": "x"})
    });
    assert_eq!(failed(&localhost, None), Vec::<&str>::new());
    let unset = restricted_with(|p| p["securityContext"]["seccompProfile"] = json!(null));
    assert_eq!(failed(&unset, None), ["seccompProfile_restricted"]);
    let container_sets_it = restricted_with(|p| {
        p["securityContext"]["seccompProfile"] = json!(null);
        p["containers"][0]["securityContext"]["seccompProfile"] = json!({"type": "RuntimeDefault"});
    });
    assert_eq!(failed(&container_sets_it, None), Vec::<&str>::new());
    let container_unconfined =
        restricted_with(|p| p["containers"][0]["securityContext"]["seccompProfile"] = json!({"type": "Unconfined"}));
    assert_eq!(failed(&container_unconfined, None), ["seccompProfile_baseline", "seccompProfile_restricted"]);
    assert_eq!(evaluate(&container_unconfined, None).required, Level::Privileged);
}

#[test]
fn capabilities_restricted_drop_all_add_only_net_bind_service() {
    let net_bind =
        restricted_with(|p| p["containers"][0]["securityContext"]["capabilities"]["add"] = json!(["NET_BIND_SERVICE"]));
    assert_eq!(failed(&net_bind, None), Vec::<&str>::new());
    let chown = restricted_with(|p| p["containers"][0]["securityContext"]["capabilities"]["add"] = json!(["CHOWN"]));
    assert_eq!(failed(&chown, None), ["capabilities_restricted"]);
    assert_eq!(evaluate(&chown, None).required, Level::Baseline);
    let no_drop =
        restricted_with(|p| p["containers"][0]["securityContext"]["capabilities"] = json!({"drop": ["NET_RAW"]}));
    let eval = evaluate(&no_drop, None);
    assert_eq!(
        violation(&eval, "capabilities_restricted").field.as_deref(),
        Some("spec.template.spec.containers[0].securityContext.capabilities.drop")
    );
    assert!(!fails(&no_drop, v(21), "capabilities_restricted"));
}

#[test]
fn safe_sysctl_defaults_to_latest() {
    assert!(safe_sysctl("net.ipv4.tcp_rmem", None));
    assert!(!safe_sysctl("net.ipv4.tcp_rmem", v(31)));
    assert!(!safe_sysctl("net.core.somaxconn", None));
}
