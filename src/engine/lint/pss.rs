//! The Pod Security Standards (`k8s.io/pod-security-admission/policy/check_*.go`) evaluated on a
//! pod template: the lowest level that admits it, and each control that forces a higher one.

use k8s_openapi::api::core::v1::{Container, PodSpec, PodTemplateSpec, Probe, SecurityContext};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use super::TEMPLATE_SPEC;
use crate::version::KubeVersion;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Restricted,
    Baseline,
    Privileged,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Restricted => "restricted",
            Level::Baseline => "baseline",
            Level::Privileged => "privileged",
        }
    }

    /// The value of a `pod-security.kubernetes.io/enforce` label.
    pub fn parse(label: &str) -> Option<Level> {
        match label {
            "restricted" => Some(Level::Restricted),
            "baseline" => Some(Level::Baseline),
            "privileged" => Some(Level::Privileged),
            _ => None,
        }
    }
}

/// A control the template fails: the level it belongs to (failing a baseline control means the
/// pod needs `privileged`), the PSA check ID, and what in the template fails it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The level whose check fails: Baseline or Restricted.
    pub level: Level,
    pub control: &'static str,
    pub detail: String,
    pub field: Option<String>,
}

/// The lowest level that admits the template, with the failed controls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    pub required: Level,
    pub violations: Vec<Violation>,
}

impl Evaluation {
    /// The controls that keep the template out of `level`.
    pub fn blocking(&self, level: Level) -> impl Iterator<Item = &Violation> {
        self.violations.iter().filter(move |v| v.level >= level)
    }
}

/// Evaluates the template against the checks of `version` (`latest` when `None`).
pub fn evaluate(spec: &PodSpec, version: Option<KubeVersion>) -> Evaluation {
    evaluate_pod(None, spec, version)
}

/// Like [`evaluate`], with the template's metadata: the `appArmorProfile` control also reads the
/// AppArmor annotations there.
pub fn evaluate_template(template: &PodTemplateSpec, version: Option<KubeVersion>) -> Evaluation {
    let empty = PodSpec::default();
    evaluate_pod(template.metadata.as_ref(), template.spec.as_ref().unwrap_or(&empty), version)
}

/// The version `latest` stands for: the newest whose checks this file knows.
pub const LATEST: KubeVersion = KubeVersion::NEWEST_KNOWN;

pub fn evaluate_pod(meta: Option<&ObjectMeta>, spec: &PodSpec, version: Option<KubeVersion>) -> Evaluation {
    let pod = Pod { meta, spec, version: version.unwrap_or(LATEST) };
    let baseline: [fn(&Pod<'_>) -> Option<Violation>; 12] = [
        windows_host_process,
        host_namespaces,
        privileged,
        capabilities_baseline,
        host_path_volumes,
        host_ports,
        app_armor_profile,
        se_linux_options,
        proc_mount_baseline,
        seccomp_profile_baseline,
        sysctls,
        host_probes_and_host_lifecycle,
    ];
    let restricted: [fn(&Pod<'_>) -> Option<Violation>; 7] = [
        restricted_volumes,
        allow_privilege_escalation,
        run_as_non_root,
        run_as_user,
        seccomp_profile_restricted,
        capabilities_restricted,
        proc_mount_restricted,
    ];
    let violations: Vec<Violation> = baseline.iter().chain(restricted.iter()).filter_map(|check| check(&pod)).collect();
    let required = match violations.iter().map(|v| v.level).max() {
        Some(Level::Baseline) | Some(Level::Privileged) => Level::Privileged,
        Some(Level::Restricted) => Level::Baseline,
        None => Level::Restricted,
    };
    Evaluation { required, violations }
}

/// Whether a pod-level sysctl is in the Pod Security safe list of `version` (latest when `None`).
pub fn safe_sysctl(name: &str, version: Option<KubeVersion>) -> bool {
    let version = version.unwrap_or(LATEST);
    SAFE_SYSCTLS.iter().any(|(since, names)| version.at_least(*since) && names.contains(&name))
}

/// The safe list and the release that added each group (`check_sysctls.go`). The 1.37 growth the
/// catalogue mentions is past [`LATEST`] and not modelled.
const SAFE_SYSCTLS: &[(u32, &[&str])] = &[
    (
        0,
        &[
            "kernel.shm_rmid_forced",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.tcp_syncookies",
            "net.ipv4.ping_group_range",
            "net.ipv4.ip_unprivileged_port_start",
        ],
    ),
    (27, &["net.ipv4.ip_local_reserved_ports"]),
    (
        29,
        &[
            "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes",
        ],
    ),
    (32, &["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"]),
];

/// Capabilities baseline lets a container add (`check_capabilities_baseline.go`).
pub const BASELINE_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// Volume sources restricted admits; anything else (hostPath, nfs, the in-tree cloud disks...)
/// fails `restrictedVolumes`.
const RESTRICTED_VOLUME_SOURCES: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

struct Pod<'a> {
    meta: Option<&'a ObjectMeta>,
    spec: &'a PodSpec,
    version: KubeVersion,
}

impl<'a> Pod<'a> {
    /// Init then regular containers with their field paths (a template has no ephemeral ones).
    fn containers(&self) -> impl Iterator<Item = (String, &'a Container)> {
        let spec: &'a PodSpec = self.spec;
        let init = spec.init_containers.iter().flatten().enumerate();
        let main = spec.containers.iter().enumerate();
        init.map(|(i, c)| (format!("{TEMPLATE_SPEC}.initContainers[{i}]"), c))
            .chain(main.map(|(i, c)| (format!("{TEMPLATE_SPEC}.containers[{i}]"), c)))
    }

    fn security_contexts(&self) -> impl Iterator<Item = (String, &'a Container, &'a SecurityContext)> {
        self.containers().filter_map(|(path, c)| Some((path, c, c.security_context.as_ref()?)))
    }

    fn pod_security(&self) -> Option<&'a k8s_openapi::api::core::v1::PodSecurityContext> {
        self.spec.security_context.as_ref()
    }

    /// `spec.os.name: windows`: from 1.25 the Linux-only restricted controls skip such pods.
    fn windows_exempt(&self) -> bool {
        self.version.at_least(25) && self.spec.os.as_ref().is_some_and(|os| os.name == "windows")
    }

    /// `hostUsers: false` (a user namespace): from 1.35 some controls relax (KEP-127).
    fn user_namespace_relaxed(&self) -> bool {
        self.version.at_least(35) && self.spec.host_users == Some(false)
    }
}

/// One offender: who (as a person reads it) and the field that offends.
struct Hit {
    who: String,
    field: String,
}

fn hit(who: impl Into<String>, field: impl Into<String>) -> Hit {
    Hit { who: who.into(), field: field.into() }
}

fn container_who(path: &str, c: &Container) -> String {
    if path.contains("initContainers") { format!("init container {}", c.name) } else { format!("container {}", c.name) }
}

fn violation(level: Level, control: &'static str, what: &str, hits: Vec<Hit>) -> Option<Violation> {
    let field = hits.first()?.field.clone();
    let who: Vec<String> = hits.into_iter().map(|h| h.who).collect();
    Some(Violation { level, control, detail: format!("{what}: {}", who.join(", ")), field: Some(field) })
}

fn baseline(control: &'static str, what: &str, hits: Vec<Hit>) -> Option<Violation> {
    violation(Level::Baseline, control, what, hits)
}

fn restricted(control: &'static str, what: &str, hits: Vec<Hit>) -> Option<Violation> {
    violation(Level::Restricted, control, what, hits)
}

fn windows_host_process(pod: &Pod<'_>) -> Option<Violation> {
    let mut hits = Vec::new();
    let pod_level = pod.pod_security().and_then(|sc| sc.windows_options.as_ref()?.host_process);
    if pod_level == Some(true) {
        hits.push(hit("pod", format!("{TEMPLATE_SPEC}.securityContext.windowsOptions.hostProcess")));
    }
    for (path, c, sc) in pod.security_contexts() {
        if sc.windows_options.as_ref().and_then(|w| w.host_process) == Some(true) {
            hits.push(hit(container_who(&path, c), format!("{path}.securityContext.windowsOptions.hostProcess")));
        }
    }
    baseline("windowsHostProcess", "hostProcess: true", hits)
}

fn host_namespaces(pod: &Pod<'_>) -> Option<Violation> {
    let spec = pod.spec;
    let hits = [("hostNetwork", spec.host_network), ("hostPID", spec.host_pid), ("hostIPC", spec.host_ipc)]
        .into_iter()
        .filter(|(_, set)| *set == Some(true))
        .map(|(name, _)| hit(format!("{name}: true"), format!("{TEMPLATE_SPEC}.{name}")))
        .collect();
    baseline("hostNamespaces", "host namespaces", hits)
}

fn privileged(pod: &Pod<'_>) -> Option<Violation> {
    let hits = pod
        .security_contexts()
        .filter(|(_, _, sc)| sc.privileged == Some(true))
        .map(|(path, c, _)| hit(container_who(&path, c), format!("{path}.securityContext.privileged")))
        .collect();
    baseline("privileged", "privileged: true", hits)
}

fn added_capabilities(sc: &SecurityContext) -> &[String] {
    sc.capabilities.as_ref().and_then(|caps| caps.add.as_deref()).unwrap_or_default()
}

fn capabilities_baseline(pod: &Pod<'_>) -> Option<Violation> {
    let mut hits = Vec::new();
    for (path, c, sc) in pod.security_contexts() {
        // PSA compares the names as written: "CAP_CHOWN" or "chown" are not on the list.
        let extra: Vec<&str> = added_capabilities(sc)
            .iter()
            .map(String::as_str)
            .filter(|cap| !BASELINE_CAPABILITIES.contains(cap))
            .collect();
        if !extra.is_empty() {
            let who = format!("{} adds {}", container_who(&path, c), extra.join(", "));
            hits.push(hit(who, format!("{path}.securityContext.capabilities.add")));
        }
    }
    baseline("capabilities_baseline", "non-default capabilities", hits)
}

fn host_path_volumes(pod: &Pod<'_>) -> Option<Violation> {
    let hits = pod
        .spec
        .volumes
        .iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, v)| {
            let host_path = v.host_path.as_ref()?;
            Some(hit(format!("{} ({})", v.name, host_path.path), format!("{TEMPLATE_SPEC}.volumes[{i}].hostPath")))
        })
        .collect();
    baseline("hostPathVolumes", "hostPath volumes", hits)
}

fn host_ports(pod: &Pod<'_>) -> Option<Violation> {
    let mut hits = Vec::new();
    for (path, c) in pod.containers() {
        for (k, port) in c.ports.iter().flatten().enumerate() {
            if let Some(host_port) = port.host_port.filter(|p| *p != 0) {
                hits.push(hit(
                    format!("{} {host_port}", container_who(&path, c)),
                    format!("{path}.ports[{k}].hostPort"),
                ));
            }
        }
    }
    baseline("hostPorts", "hostPorts", hits)
}

const APPARMOR_ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

fn app_armor_profile(pod: &Pod<'_>) -> Option<Violation> {
    let allowed_type = |t: &str| t == "RuntimeDefault" || t == "Localhost";
    let mut hits = Vec::new();
    if let Some(profile) =
        pod.pod_security().and_then(|sc| sc.app_armor_profile.as_ref()).filter(|p| !allowed_type(&p.type_))
    {
        let who = format!("pod appArmorProfile {}", profile.type_);
        hits.push(hit(who, format!("{TEMPLATE_SPEC}.securityContext.appArmorProfile.type")));
    }
    for (path, c, sc) in pod.security_contexts() {
        if let Some(profile) = sc.app_armor_profile.as_ref().filter(|p| !allowed_type(&p.type_)) {
            let who = format!("{} appArmorProfile {}", container_who(&path, c), profile.type_);
            hits.push(hit(who, format!("{path}.securityContext.appArmorProfile.type")));
        }
    }
    for (key, value) in pod.meta.and_then(|m| m.annotations.as_ref()).into_iter().flatten() {
        let allowed = value == "runtime/default" || value.starts_with("localhost/");
        if key.starts_with(APPARMOR_ANNOTATION_PREFIX) && !allowed {
            hits.push(hit(format!("{key}={value}"), format!("spec.template.metadata.annotations[{key}]")));
        }
    }
    baseline("appArmorProfile", "AppArmor profiles other than RuntimeDefault or Localhost", hits)
}

fn se_linux_options(pod: &Pod<'_>) -> Option<Violation> {
    let engine = pod.version.at_least(31);
    let allowed = |opts: &k8s_openapi::api::core::v1::SELinuxOptions| {
        let type_ok = match opts.type_.as_deref().unwrap_or_default() {
            "" | "container_t" | "container_init_t" | "container_kvm_t" => true,
            "container_engine_t" => engine,
            _ => false,
        };
        type_ok
            && opts.user.as_deref().unwrap_or_default().is_empty()
            && opts.role.as_deref().unwrap_or_default().is_empty()
    };
    let mut hits = Vec::new();
    if pod.pod_security().and_then(|sc| sc.se_linux_options.as_ref()).is_some_and(|o| !allowed(o)) {
        hits.push(hit("pod", format!("{TEMPLATE_SPEC}.securityContext.seLinuxOptions")));
    }
    for (path, c, sc) in pod.security_contexts() {
        if sc.se_linux_options.as_ref().is_some_and(|o| !allowed(o)) {
            hits.push(hit(container_who(&path, c), format!("{path}.securityContext.seLinuxOptions")));
        }
    }
    baseline("seLinuxOptions", "seLinuxOptions with a forbidden type, user or role", hits)
}

fn unmasked_proc_mounts(pod: &Pod<'_>) -> Vec<Hit> {
    pod.security_contexts()
        .filter_map(|(path, c, sc)| {
            let mount = sc.proc_mount.as_deref().filter(|m| *m != "Default")?;
            Some(hit(
                format!("{} procMount {mount}", container_who(&path, c)),
                format!("{path}.securityContext.procMount"),
            ))
        })
        .collect()
}

fn proc_mount_baseline(pod: &Pod<'_>) -> Option<Violation> {
    if pod.user_namespace_relaxed() {
        return None;
    }
    baseline("procMount", "procMount other than Default", unmasked_proc_mounts(pod))
}

/// From 1.35 restricted keeps the unconditional procMount rule that baseline relaxed for user
/// namespaces; before, baseline's own check already covers every pod.
fn proc_mount_restricted(pod: &Pod<'_>) -> Option<Violation> {
    if !pod.user_namespace_relaxed() {
        return None;
    }
    restricted("procMount_restricted", "procMount other than Default", unmasked_proc_mounts(pod))
}

fn seccomp_profile_baseline(pod: &Pod<'_>) -> Option<Violation> {
    let mut hits = Vec::new();
    let pod_type = pod.pod_security().and_then(|sc| sc.seccomp_profile.as_ref()).map(|p| p.type_.as_str());
    if pod_type == Some("Unconfined") {
        hits.push(hit("pod", format!("{TEMPLATE_SPEC}.securityContext.seccompProfile.type")));
    }
    for (path, c, sc) in pod.security_contexts() {
        if sc.seccomp_profile.as_ref().is_some_and(|p| p.type_ == "Unconfined") {
            hits.push(hit(container_who(&path, c), format!("{path}.securityContext.seccompProfile.type")));
        }
    }
    baseline("seccompProfile_baseline", "seccompProfile Unconfined", hits)
}

fn sysctls(pod: &Pod<'_>) -> Option<Violation> {
    let list = pod.pod_security().and_then(|sc| sc.sysctls.as_deref()).unwrap_or_default();
    let hits = list
        .iter()
        .enumerate()
        .filter(|(_, s)| !safe_sysctl(&s.name, Some(pod.version)))
        .map(|(i, s)| hit(s.name.clone(), format!("{TEMPLATE_SPEC}.securityContext.sysctls[{i}].name")))
        .collect();
    baseline("sysctls", "sysctls outside the safe list", hits)
}

/// Each `host` set in a container's probes and lifecycle handlers: (field path, host).
pub fn probe_and_lifecycle_hosts(path: &str, c: &Container) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut note = |field: String, host: Option<&String>| {
        if let Some(host) = host.filter(|h| !h.is_empty()) {
            found.push((field, host.clone()));
        }
    };
    let probes: [(&str, Option<&Probe>); 3] = [
        ("livenessProbe", c.liveness_probe.as_ref()),
        ("readinessProbe", c.readiness_probe.as_ref()),
        ("startupProbe", c.startup_probe.as_ref()),
    ];
    for (name, probe) in probes {
        let Some(probe) = probe else { continue };
        note(format!("{path}.{name}.httpGet.host"), probe.http_get.as_ref().and_then(|h| h.host.as_ref()));
        note(format!("{path}.{name}.tcpSocket.host"), probe.tcp_socket.as_ref().and_then(|t| t.host.as_ref()));
    }
    let lifecycle = c.lifecycle.as_ref();
    let handlers = [
        ("postStart", lifecycle.and_then(|l| l.post_start.as_ref())),
        ("preStop", lifecycle.and_then(|l| l.pre_stop.as_ref())),
    ];
    for (name, handler) in handlers {
        let Some(handler) = handler else { continue };
        let base = format!("{path}.lifecycle.{name}");
        note(format!("{base}.httpGet.host"), handler.http_get.as_ref().and_then(|h| h.host.as_ref()));
        note(format!("{base}.tcpSocket.host"), handler.tcp_socket.as_ref().and_then(|t| t.host.as_ref()));
    }
    found
}

fn host_probes_and_host_lifecycle(pod: &Pod<'_>) -> Option<Violation> {
    if !pod.version.at_least(34) {
        return None;
    }
    let mut hits = Vec::new();
    for (path, c) in pod.containers() {
        for (field, host) in probe_and_lifecycle_hosts(&path, c) {
            hits.push(hit(format!("{} host {host}", container_who(&path, c)), field));
        }
    }
    baseline("hostProbesAndHostLifecycle", "host in probes or lifecycle handlers", hits)
}

fn restricted_volumes(pod: &Pod<'_>) -> Option<Violation> {
    let mut hits = Vec::new();
    for (i, volume) in pod.spec.volumes.iter().flatten().enumerate() {
        // The sources are the volume's keys besides its name; reading them from the JSON form
        // catches every disallowed type, including ones newer than this list.
        let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(volume) else { continue };
        let bad: Vec<&String> =
            fields.keys().filter(|k| *k != "name" && !RESTRICTED_VOLUME_SOURCES.contains(&k.as_str())).collect();
        if let Some(source) = bad.first() {
            hits.push(hit(format!("{} ({source})", volume.name), format!("{TEMPLATE_SPEC}.volumes[{i}].{source}")));
        }
    }
    restricted("restrictedVolumes", "restricted volume types", hits)
}

fn allow_privilege_escalation(pod: &Pod<'_>) -> Option<Violation> {
    if pod.windows_exempt() {
        return None;
    }
    let hits = pod
        .containers()
        .filter(|(_, c)| c.security_context.as_ref().and_then(|sc| sc.allow_privilege_escalation) != Some(false))
        .map(|(path, c)| hit(container_who(&path, c), format!("{path}.securityContext.allowPrivilegeEscalation")))
        .collect();
    restricted("allowPrivilegeEscalation", "allowPrivilegeEscalation not false", hits)
}

fn run_as_non_root(pod: &Pod<'_>) -> Option<Violation> {
    if pod.user_namespace_relaxed() {
        return None;
    }
    let pod_setting = pod.pod_security().and_then(|sc| sc.run_as_non_root);
    let mut hits = Vec::new();
    if pod_setting == Some(false) {
        hits.push(hit("pod runAsNonRoot: false", format!("{TEMPLATE_SPEC}.securityContext.runAsNonRoot")));
    }
    for (path, c) in pod.containers() {
        let field = format!("{path}.securityContext.runAsNonRoot");
        match c.security_context.as_ref().and_then(|sc| sc.run_as_non_root) {
            Some(false) => hits.push(hit(format!("{} runAsNonRoot: false", container_who(&path, c)), field)),
            None if pod_setting != Some(true) => hits.push(hit(format!("{} unset", container_who(&path, c)), field)),
            _ => {}
        }
    }
    restricted("runAsNonRoot", "runAsNonRoot not true", hits)
}

fn run_as_user(pod: &Pod<'_>) -> Option<Violation> {
    if !pod.version.at_least(23) || pod.user_namespace_relaxed() {
        return None;
    }
    let mut hits = Vec::new();
    if pod.pod_security().and_then(|sc| sc.run_as_user) == Some(0) {
        hits.push(hit("pod", format!("{TEMPLATE_SPEC}.securityContext.runAsUser")));
    }
    for (path, c, sc) in pod.security_contexts() {
        if sc.run_as_user == Some(0) {
            hits.push(hit(container_who(&path, c), format!("{path}.securityContext.runAsUser")));
        }
    }
    restricted("runAsUser", "runAsUser: 0", hits)
}

fn seccomp_profile_restricted(pod: &Pod<'_>) -> Option<Violation> {
    if pod.windows_exempt() {
        return None;
    }
    let valid = |t: &str| t == "RuntimeDefault" || t == "Localhost";
    let pod_type = pod.pod_security().and_then(|sc| sc.seccomp_profile.as_ref()).map(|p| p.type_.as_str());
    let mut hits = Vec::new();
    if pod_type.is_some_and(|t| !valid(t)) {
        hits.push(hit("pod", format!("{TEMPLATE_SPEC}.securityContext.seccompProfile.type")));
    }
    let pod_valid = pod_type.is_some_and(valid);
    for (path, c) in pod.containers() {
        let field = format!("{path}.securityContext.seccompProfile");
        match c.security_context.as_ref().and_then(|sc| sc.seccomp_profile.as_ref()) {
            Some(p) if !valid(&p.type_) => hits.push(hit(format!("{} {}", container_who(&path, c), p.type_), field)),
            None if !pod_valid => hits.push(hit(format!("{} unset", container_who(&path, c)), field)),
            _ => {}
        }
    }
    restricted("seccompProfile_restricted", "seccompProfile not RuntimeDefault or Localhost", hits)
}

fn capabilities_restricted(pod: &Pod<'_>) -> Option<Violation> {
    if !pod.version.at_least(22) || pod.windows_exempt() {
        return None;
    }
    let mut hits = Vec::new();
    for (path, c) in pod.containers() {
        let caps = c.security_context.as_ref().and_then(|sc| sc.capabilities.as_ref());
        let drops_all = caps.and_then(|k| k.drop.as_ref()).is_some_and(|d| d.iter().any(|cap| cap == "ALL"));
        if !drops_all {
            hits.push(hit(
                format!("{} does not drop ALL", container_who(&path, c)),
                format!("{path}.securityContext.capabilities.drop"),
            ));
        }
        let extra: Vec<&str> = caps
            .and_then(|k| k.add.as_deref())
            .unwrap_or_default()
            .iter()
            .map(String::as_str)
            .filter(|cap| *cap != "NET_BIND_SERVICE")
            .collect();
        if !extra.is_empty() {
            let who = format!("{} adds {}", container_who(&path, c), extra.join(", "));
            hits.push(hit(who, format!("{path}.securityContext.capabilities.add")));
        }
    }
    restricted("capabilities_restricted", "capabilities beyond drop ALL, add NET_BIND_SERVICE", hits)
}

#[cfg(test)]
mod tests;
