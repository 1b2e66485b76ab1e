//! Host access and security (DS401–DS417), node-agent aware: a declared node agent is expected to
//! reach into the host, so its broad host-access findings drop to info, while the narrowly
//! dangerous ones (writable sensitive hostPath, runtime socket, Bidirectional propagation) stay
//! warnings for everyone.

use k8s_openapi::api::core::v1::{Container, HostPathVolumeSource, Volume};

use super::{Finding, Outcome, Severity, Subject, TEMPLATE_SPEC, pss};

pub(super) fn check(subject: &Subject<'_>, out: &mut Outcome) {
    privileged_container(subject, out);
    host_namespaces(subject, out);
    host_paths(subject, out);
    hostpath_type_unset(subject, out);
    dangerous_capabilities(subject, out);
    probe_or_lifecycle_host_field(subject, out);
    hostport_without_hostnetwork(subject, out);
    hostnetwork_dnspolicy_unset(subject, out);
    if !is_windows(subject) {
        privilege_escalation_allowed(subject, out);
        runs_as_root(subject, out);
        writable_root_fs(subject, out);
        seccomp_unconfined_or_unset(subject, out);
    }
    windows_hostprocess(subject, out);
    unsafe_sysctls_or_procmount(subject, out);
    sa_token_automount(subject, out);
    pss_level(subject, out);
}

const NODE_AGENT_HINT: &str = "if this is a node agent that needs it, declare it with the annotation \
                               kubectl-ds.io/node-agent: \"true\"";

/// The severity of a broad host-access finding: info for a declared node agent.
/// A declared node agent is not told to declare itself.
fn host_access(subject: &Subject<'_>, mut finding: Finding) -> Finding {
    if !subject.node_agent {
        return finding;
    }
    finding.hint = finding.hint.map(|hint| hint.replace(&format!("; {NODE_AGENT_HINT}"), ""));
    finding.severity(Severity::Info)
}

/// The Linux-only security fields are rejected on `os.name: windows` pods, so they are not asked for.
fn is_windows(subject: &Subject<'_>) -> bool {
    subject.spec.os.as_ref().is_some_and(|os| os.name == "windows")
}

fn privileged_container(subject: &Subject<'_>, out: &mut Outcome) {
    for (path, c) in subject.containers() {
        if c.security_context.as_ref().and_then(|sc| sc.privileged) == Some(true) {
            let finding = Finding::new("DS401", format!("{} is privileged: full access to the host", label(&path, c)))
                .at(format!("{path}.securityContext.privileged"))
                .hint(format!(
                    "remove privileged: true and add only the capabilities it needs in \
                     securityContext.capabilities.add; {NODE_AGENT_HINT}"
                ));
            out.push(host_access(subject, finding));
        }
    }
}

fn host_namespaces(subject: &Subject<'_>, out: &mut Outcome) {
    let spec = subject.spec;
    let namespaces = [
        ("hostNetwork", spec.host_network, "the node's network stack and every port on it"),
        ("hostPID", spec.host_pid, "every process on the node"),
        ("hostIPC", spec.host_ipc, "the node's shared memory and IPC"),
    ];
    for (field, set, what) in namespaces {
        if set == Some(true) {
            let finding = Finding::new("DS402", format!("{field}: true shares {what} with the pods"))
                .at(format!("{TEMPLATE_SPEC}.{field}"))
                .hint(format!("remove {field} unless the agent needs it; {NODE_AGENT_HINT}"));
            out.push(host_access(subject, finding));
        }
    }
}

fn label(path: &str, c: &Container) -> String {
    Subject::container_label(path, c)
}

/// Host directories whose writable mount lets a pod take over the node. A path that is one of
/// these or an ancestor of one (`/`, `/var`) counts; a child (`/etc/cni/net.d`,
/// `/run/xtables.lock`, `/var/lib/kubelet/plugins`) does not: agents legitimately write those.
const SENSITIVE_HOST_DIRS: &[&str] =
    &["/", "/etc", "/usr", "/boot", "/var/lib/kubelet", "/proc", "/sys", "/dev", "/var/run", "/run"];

/// Sockets and directories that hand over the container runtime, matched like
/// [`SENSITIVE_HOST_DIRS`]: the path itself or an ancestor (which contains it).
const RUNTIME_PATHS: &[&str] = &[
    "/run/containerd",
    "/var/run/containerd",
    "/run/k3s/containerd",
    "/run/crio",
    "/var/run/crio",
    "/run/docker.sock",
    "/var/run/docker.sock",
    "/run/cri-dockerd.sock",
    "/var/run/cri-dockerd.sock",
];

/// Socket file names of the runtimes, wherever the distribution puts them.
const RUNTIME_SOCKETS: &[&str] = &["docker.sock", "containerd.sock", "crio.sock", "cri-dockerd.sock"];

/// The path with `.`, `..`, repeated and trailing slashes resolved, so that `/etc/` or
/// `/var/../etc` compare as `/etc`.
fn clean_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

/// `path` is `target` or one of its ancestors.
fn covers(path: &str, target: &str) -> bool {
    path == target || path == "/" || target.strip_prefix(path).is_some_and(|rest| rest.starts_with('/'))
}

fn is_sensitive(path: &str) -> bool {
    SENSITIVE_HOST_DIRS.iter().any(|dir| covers(path, dir))
}

fn is_runtime_socket(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    RUNTIME_SOCKETS.contains(&file) || RUNTIME_PATHS.iter().any(|target| covers(path, target))
}

/// A hostPath volume with where it sits and who mounts it.
struct HostPathVolume<'a> {
    index: usize,
    volume: &'a Volume,
    source: &'a HostPathVolumeSource,
    path: String,
    /// (container path, container, mount index) of every mount of the volume.
    mounts: Vec<(String, &'a Container, usize)>,
}

impl HostPathVolume<'_> {
    fn field(&self) -> String {
        format!("{TEMPLATE_SPEC}.volumes[{}].hostPath.path", self.index)
    }

    /// The containers that mount it without `readOnly: true`.
    fn writers(&self) -> Vec<String> {
        self.mounts
            .iter()
            .filter(|(_, c, k)| {
                c.volume_mounts.as_ref().and_then(|m| m.get(*k)).and_then(|m| m.read_only) != Some(true)
            })
            .map(|(_, c, _)| c.name.clone())
            .collect()
    }
}

fn host_path_volumes<'a>(subject: &Subject<'a>) -> Vec<HostPathVolume<'a>> {
    let containers: Vec<(String, &'a Container)> = subject.containers().collect();
    let spec = subject.spec;
    spec.volumes
        .iter()
        .flatten()
        .enumerate()
        .filter_map(|(index, volume)| {
            let source = volume.host_path.as_ref()?;
            let mounts = containers
                .iter()
                .flat_map(|(path, c)| {
                    c.volume_mounts
                        .iter()
                        .flatten()
                        .enumerate()
                        .filter(|(_, m)| m.name == volume.name)
                        .map(move |(k, _)| (path.clone(), *c, k))
                })
                .collect();
            Some(HostPathVolume { index, volume, source, path: clean_path(&source.path), mounts })
        })
        .collect()
}

/// DS403 and DS404 on the hostPath volumes: warnings for writable sensitive directories,
/// Bidirectional propagation and runtime sockets; every other host path in one info line.
fn host_paths(subject: &Subject<'_>, out: &mut Outcome) {
    let mut others = Vec::new();
    for volume in host_path_volumes(subject) {
        let mut warned = container_runtime_socket(&volume, out);
        warned |= writable_sensitive_hostpath(&volume, out);
        warned |= bidirectional_propagation(&volume, out);
        if !warned {
            let access = if volume.writers().is_empty() { "read-only" } else { "writable" };
            others.push(format!("{} ({}, {access})", volume.volume.name, volume.path));
        }
    }
    if !others.is_empty() {
        let finding = Finding::new(
            "DS403",
            format!("hostPath volumes outside the sensitive host directories or read-only: {}", others.join(", ")),
        )
        .at(format!("{TEMPLATE_SPEC}.volumes"))
        .hint("mount them readOnly: true in every container that only reads them")
        .severity(Severity::Info);
        out.push(finding);
    }
}

fn writable_sensitive_hostpath(volume: &HostPathVolume<'_>, out: &mut Outcome) -> bool {
    let writers = volume.writers();
    if !is_sensitive(&volume.path) || writers.is_empty() {
        return false;
    }
    let message = format!(
        "hostPath volume {} mounts the host's {} writable (in {})",
        volume.volume.name,
        volume.path,
        writers.join(", ")
    );
    let hint = "set readOnly: true on every volumeMount of it, or mount only the subdirectory or file the \
                agent writes (with a hostPath type)";
    out.push(Finding::new("DS403", message).at(volume.field()).hint(hint));
    true
}

/// Bidirectional propagation lets the pod's mounts appear on the host: reported as DS403 for
/// everyone, node agents included.
fn bidirectional_propagation(volume: &HostPathVolume<'_>, out: &mut Outcome) -> bool {
    let mut found = false;
    for (path, c, k) in &volume.mounts {
        let mount = c.volume_mounts.as_ref().and_then(|m| m.get(*k));
        if mount.and_then(|m| m.mount_propagation.as_deref()) == Some("Bidirectional") {
            let message = format!(
                "{} mounts hostPath volume {} ({}) with Bidirectional propagation: its mounts propagate to the host",
                label(path, c),
                volume.volume.name,
                volume.path
            );
            let hint = "use mountPropagation: HostToContainer unless the agent must create mounts on the host \
                        (CSI node plugins do)";
            out.push(
                Finding::new("DS403", message)
                    .at(format!("{path}.volumeMounts[{k}].mountPropagation"))
                    .hint(hint)
                    .severity(Severity::Warning),
            );
            found = true;
        }
    }
    found
}

fn container_runtime_socket(volume: &HostPathVolume<'_>, out: &mut Outcome) -> bool {
    if !is_runtime_socket(&volume.path) {
        return false;
    }
    // A read-only bind mount still lets a process connect to the socket, so readOnly does not help.
    let message = format!(
        "hostPath volume {} ({}) exposes the container runtime's socket: control of every container on the node",
        volume.volume.name, volume.path
    );
    let hint = "drop the mount if the agent only needs pod metadata (the API server or the kubelet has it); \
                otherwise mount only the socket file with type: Socket";
    out.push(Finding::new("DS404", message).at(volume.field()).hint(hint).severity(Severity::Warning));
    true
}

fn hostpath_type_unset(subject: &Subject<'_>, out: &mut Outcome) {
    for volume in host_path_volumes(subject) {
        if volume.source.type_.as_deref().unwrap_or_default().is_empty() {
            let message = format!(
                "hostPath volume {} ({}) has no type: a missing path is created as an empty directory",
                volume.volume.name, volume.source.path
            );
            let hint = "set hostPath.type to Directory, File or Socket (or DirectoryOrCreate / FileOrCreate if \
                        the agent may create it)";
            out.push(
                Finding::new("DS405", message)
                    .at(format!("{TEMPLATE_SPEC}.volumes[{}].hostPath", volume.index))
                    .hint(hint),
            );
        }
    }
}

const DANGEROUS_CAPABILITIES: &[&str] =
    &["SYS_ADMIN", "SYS_MODULE", "SYS_PTRACE", "NET_ADMIN", "BPF", "PERFMON", "NET_RAW"];

/// The capability name as the runtime reads it: case-insensitive, `CAP_` optional.
fn capability_name(cap: &str) -> String {
    let upper = cap.trim().to_ascii_uppercase();
    upper.strip_prefix("CAP_").map(str::to_string).unwrap_or(upper)
}

fn dangerous_added(c: &Container) -> Vec<String> {
    let added = c.security_context.as_ref().and_then(|sc| sc.capabilities.as_ref()).and_then(|k| k.add.as_ref());
    let mut found: Vec<String> = added
        .into_iter()
        .flatten()
        .map(|cap| capability_name(cap))
        .filter(|cap| cap == "ALL" || DANGEROUS_CAPABILITIES.contains(&cap.as_str()))
        .collect();
    found.dedup();
    found
}

fn dangerous_capabilities(subject: &Subject<'_>, out: &mut Outcome) {
    for (path, c) in subject.containers() {
        let found = dangerous_added(c);
        if !found.is_empty() {
            let message = format!("{} adds capabilities that control the node: {}", label(&path, c), found.join(", "));
            let finding = Finding::new("DS406", message)
                .at(format!("{path}.securityContext.capabilities.add"))
                .hint(format!("add only the capabilities the agent uses; {NODE_AGENT_HINT}"));
            out.push(host_access(subject, finding));
        }
    }
}

fn probe_or_lifecycle_host_field(subject: &Subject<'_>, out: &mut Outcome) {
    for (path, c) in subject.containers() {
        for (field, host) in pss::probe_and_lifecycle_hosts(&path, c) {
            let what = field.strip_prefix(&format!("{path}.")).unwrap_or(&field).to_string();
            let message = format!(
                "{} sets {what}: {host}, which Pod Security baseline rejects from Kubernetes 1.34",
                label(&path, c)
            );
            let hint = "remove host: the kubelet then uses the pod IP, which is the node's IP under hostNetwork";
            out.push(Finding::new("DS407", message).at(field).hint(hint));
        }
    }
}

fn hostport_without_hostnetwork(subject: &Subject<'_>, out: &mut Outcome) {
    if subject.spec.host_network == Some(true) {
        return;
    }
    for (path, c) in subject.containers() {
        for (k, port) in c.ports.iter().flatten().enumerate() {
            let Some(host_port) = port.host_port.filter(|p| *p != 0) else { continue };
            let message = format!(
                "{} maps hostPort {host_port} without hostNetwork: it goes through the CNI portmap plugin \
                 and holds the port on every node",
                label(&path, c)
            );
            let hint = "fine for an ingress-style agent; otherwise reach the pod by its IP or a Service and \
                        drop hostPort";
            out.push(Finding::new("DS408", message).at(format!("{path}.ports[{k}].hostPort")).hint(hint));
        }
    }
}

fn hostnetwork_dnspolicy_unset(subject: &Subject<'_>, out: &mut Outcome) {
    let spec = subject.spec;
    if spec.host_network != Some(true) {
        return;
    }
    let field = match spec.dns_policy.as_deref() {
        None => format!("{TEMPLATE_SPEC}.hostNetwork"),
        Some("ClusterFirst") => format!("{TEMPLATE_SPEC}.dnsPolicy"),
        Some(_) => return,
    };
    let message = "hostNetwork: true with dnsPolicy ClusterFirst (the default) falls back to the node's \
                   resolv.conf: Service names do not resolve";
    let hint = "set dnsPolicy: ClusterFirstWithHostNet if the agent needs Service names, or dnsPolicy: Default to \
                say it uses the node's DNS on purpose";
    out.push(Finding::new("DS409", message).at(field).hint(hint));
}

fn privilege_escalation_allowed(subject: &Subject<'_>, out: &mut Outcome) {
    for (path, c) in subject.containers() {
        let sc = c.security_context.as_ref();
        // The API server rejects allowPrivilegeEscalation: false beside privileged or SYS_ADMIN:
        // DS401 and DS406 already speak for those containers.
        let privileged = sc.and_then(|sc| sc.privileged) == Some(true);
        let sys_admin = dangerous_added(c).iter().any(|cap| cap == "SYS_ADMIN");
        if privileged || sys_admin || sc.and_then(|sc| sc.allow_privilege_escalation) == Some(false) {
            continue;
        }
        let message = format!("{} allows privilege escalation (setuid binaries can gain privileges)", label(&path, c));
        out.push(
            Finding::new("DS410", message)
                .at(format!("{path}.securityContext.allowPrivilegeEscalation"))
                .hint("set securityContext.allowPrivilegeEscalation: false"),
        );
    }
}

fn runs_as_root(subject: &Subject<'_>, out: &mut Outcome) {
    let pod = subject.spec.security_context.as_ref();
    for (path, c) in subject.containers() {
        let sc = c.security_context.as_ref();
        let non_root = sc.and_then(|sc| sc.run_as_non_root).or(pod.and_then(|p| p.run_as_non_root));
        let container_user = sc.and_then(|sc| sc.run_as_user);
        let user = container_user.or(pod.and_then(|p| p.run_as_user));
        if non_root == Some(true) || user.is_some_and(|u| u > 0) {
            continue;
        }
        let (message, field) = match (user, container_user) {
            (Some(0), Some(_)) => ("runs as root (runAsUser: 0)", format!("{path}.securityContext.runAsUser")),
            (Some(0), None) => {
                ("runs as root (the pod's runAsUser: 0)", format!("{TEMPLATE_SPEC}.securityContext.runAsUser"))
            }
            _ => (
                "may run as root: neither runAsNonRoot: true nor a non-zero runAsUser",
                format!("{path}.securityContext"),
            ),
        };
        out.push(
            Finding::new("DS411", format!("{} {message}", label(&path, c))).at(field).hint(
                "set securityContext.runAsNonRoot: true and a non-zero runAsUser, if the agent works without root",
            ),
        );
    }
}

fn writable_root_fs(subject: &Subject<'_>, out: &mut Outcome) {
    for (path, c) in subject.containers() {
        if c.security_context.as_ref().and_then(|sc| sc.read_only_root_filesystem) == Some(true) {
            continue;
        }
        out.push(
            Finding::new("DS412", format!("{} has a writable root filesystem", label(&path, c)))
                .at(format!("{path}.securityContext.readOnlyRootFilesystem"))
                .hint("set securityContext.readOnlyRootFilesystem: true and give it an emptyDir for what it writes"),
        );
    }
}

/// DS413: the pod-level profile applies to every container that does not set its own; an unset
/// profile is reported once (one pod-level field fixes it), Unconfined where it is set.
fn seccomp_unconfined_or_unset(subject: &Subject<'_>, out: &mut Outcome) {
    let pod_type = subject.spec.security_context.as_ref().and_then(|p| p.seccomp_profile.as_ref()).map(|p| &p.type_);
    let mut unset = Vec::new();
    let mut inherit_unconfined = Vec::new();
    for (path, c) in subject.containers() {
        let own = c.security_context.as_ref().and_then(|sc| sc.seccomp_profile.as_ref()).map(|p| &p.type_);
        match (own, pod_type) {
            (Some(t), _) if t == "Unconfined" => {
                out.push(
                    Finding::new("DS413", format!("{} runs with seccomp Unconfined", label(&path, c)))
                        .at(format!("{path}.securityContext.seccompProfile.type"))
                        .hint("use seccompProfile type RuntimeDefault, or a Localhost profile that allows what the agent needs")
                        .severity(Severity::Warning),
                );
            }
            (Some(_), _) => {}
            (None, Some(t)) if t == "Unconfined" => inherit_unconfined.push(label(&path, c)),
            (None, Some(_)) => {}
            (None, None) => unset.push(label(&path, c)),
        }
    }
    if !inherit_unconfined.is_empty() {
        out.push(
            Finding::new(
                "DS413",
                format!("the pod's seccomp profile is Unconfined ({})", inherit_unconfined.join(", ")),
            )
            .at(format!("{TEMPLATE_SPEC}.securityContext.seccompProfile.type"))
            .hint("use seccompProfile type RuntimeDefault, or a Localhost profile that allows what the agent needs")
            .severity(Severity::Warning),
        );
    }
    if !unset.is_empty() {
        out.push(
            Finding::new("DS413", format!("no seccomp profile for {}", unset.join(", ")))
                .at(format!("{TEMPLATE_SPEC}.securityContext.seccompProfile"))
                .hint("set spec.template.spec.securityContext.seccompProfile.type: RuntimeDefault"),
        );
    }
}

fn windows_hostprocess(subject: &Subject<'_>, out: &mut Outcome) {
    let hint = "expected for Windows node agents (CSI proxy, kube-proxy); otherwise run it as a normal \
                Windows container";
    let pod = subject.spec.security_context.as_ref().and_then(|p| p.windows_options.as_ref()?.host_process);
    if pod == Some(true) {
        out.push(
            Finding::new("DS414", "the pod runs as a Windows HostProcess pod: host-level access on Windows nodes")
                .at(format!("{TEMPLATE_SPEC}.securityContext.windowsOptions.hostProcess"))
                .hint(hint),
        );
    }
    for (path, c) in subject.containers() {
        let set = c.security_context.as_ref().and_then(|sc| sc.windows_options.as_ref()?.host_process);
        if set == Some(true) {
            out.push(
                Finding::new("DS414", format!("{} is a Windows HostProcess container", label(&path, c)))
                    .at(format!("{path}.securityContext.windowsOptions.hostProcess"))
                    .hint(hint),
            );
        }
    }
}

fn unsafe_sysctls_or_procmount(subject: &Subject<'_>, out: &mut Outcome) {
    let sysctls = subject.spec.security_context.as_ref().and_then(|p| p.sysctls.as_ref());
    for (i, sysctl) in sysctls.into_iter().flatten().enumerate() {
        if !pss::safe_sysctl(&sysctl.name, None) {
            let message = format!(
                "sysctl {} is outside the Pod Security safe list: the kubelet refuses it unless allowed with \
                 --allowed-unsafe-sysctls",
                sysctl.name
            );
            out.push(
                Finding::new("DS415", message).at(format!("{TEMPLATE_SPEC}.securityContext.sysctls[{i}].name")).hint(
                    "set node-level sysctls from a privileged init container or the node's configuration instead",
                ),
            );
        }
    }
    for (path, c) in subject.containers() {
        let mount = c.security_context.as_ref().and_then(|sc| sc.proc_mount.as_deref());
        if let Some(mount) = mount.filter(|m| *m != "Default") {
            out.push(
                Finding::new("DS415", format!("{} sets procMount: {mount}: /proc is not masked", label(&path, c)))
                    .at(format!("{path}.securityContext.procMount"))
                    .hint("remove procMount (Default), unless the pod runs in a user namespace (hostUsers: false)"),
            );
        }
    }
}

fn sa_token_automount(subject: &Subject<'_>, out: &mut Outcome) {
    if subject.spec.automount_service_account_token == Some(false) {
        return;
    }
    out.push(
        Finding::new(
            "DS416",
            "the service account token is mounted on every node: a compromised node yields the agent's RBAC",
        )
        .at(format!("{TEMPLATE_SPEC}.automountServiceAccountToken"))
        .hint("set automountServiceAccountToken: false if the agent does not call the API server"),
    );
}

fn pss_level(subject: &Subject<'_>, out: &mut Outcome) {
    let eval = pss::evaluate_template(&subject.ds.spec.template, None);
    let level = eval.required.as_str();
    let message = if eval.violations.is_empty() {
        "the pods meet the restricted Pod Security level".to_string()
    } else {
        // Only the failed controls of the highest level force it; restricted ones follow along.
        let top = eval.violations.iter().map(|v| v.level).max();
        let forcing: Vec<String> = eval
            .violations
            .iter()
            .filter(|v| Some(v.level) == top)
            .map(|v| format!("{} ({})", v.control, v.detail))
            .collect();
        format!("the pods need the {level} Pod Security level, forced by {}", forcing.join("; "))
    };
    let mut finding = Finding::new("DS417", message);
    if eval.required != pss::Level::Restricted {
        finding = finding.hint(format!(
            "deploy it to a namespace labelled pod-security.kubernetes.io/enforce: {level}, or remove what forces it"
        ));
    }
    out.push(finding);
}

#[cfg(test)]
mod tests;
