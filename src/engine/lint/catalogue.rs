//! The rule catalogue: stable IDs, default severities, and whether a rule needs the cluster.
//! IDs never change meaning; a retired rule keeps its ID unused.

use super::Severity;

/// When a rule can run: on the manifest alone, only with a cluster view (live or `--from`), or
/// both (a static form without the cluster, a sharper one with it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Static,
    Cluster,
    Both,
}

#[derive(Clone, Copy, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleInfo {
    pub id: &'static str,
    pub name: &'static str,
    /// The severity the catalogue gives; some rules raise or lower it for node agents or intent.
    pub severity: Severity,
    pub mode: Mode,
    /// Off unless a config file includes it.
    pub enabled_by_default: bool,
    pub summary: &'static str,
}

const fn rule(id: &'static str, name: &'static str, severity: Severity, mode: Mode, summary: &'static str) -> RuleInfo {
    RuleInfo { id, name, severity, mode, enabled_by_default: true, summary }
}

use Mode::{Both, Cluster, Static};
use Severity::{Error, Info, Warning};

pub const CATALOGUE: &[RuleInfo] = &[
    rule(
        "DS101",
        "selector-template-mismatch",
        Error,
        Static,
        "spec.selector does not match the pod template's labels",
    ),
    rule("DS102", "selector-missing-or-empty", Error, Static, "spec.selector is missing or empty"),
    rule("DS103", "rolling-update-zero-zero", Error, Static, "maxUnavailable and maxSurge are both zero"),
    rule("DS104", "rolling-update-invalid-value", Error, Static, "rollingUpdate values the API server rejects"),
    rule("DS105", "template-restart-policy", Error, Static, "the pod template's restartPolicy is not Always"),
    rule(
        "DS106",
        "bidirectional-propagation-unprivileged",
        Error,
        Static,
        "Bidirectional mount propagation in a container that is not privileged",
    ),
    rule("DS107", "requests-exceed-limits", Error, Static, "a container requests more than its limit"),
    rule(
        "DS108",
        "deprecated-api-version",
        Error,
        Static,
        "extensions/v1beta1 or apps/v1beta2 DaemonSet, gone from current servers",
    ),
    rule("DS109", "unrendered-template", Error, Static, "Helm/kustomize placeholders left in the manifest"),
    rule("DS110", "probe-port-not-declared", Warning, Static, "a probe names a port no container declares"),
    rule("DS111", "duplicate-env-var", Warning, Static, "an environment variable is set twice in one container"),
    rule(
        "DS201",
        "surge-with-host-port",
        Error,
        Static,
        "maxSurge > 0 with a host port: the surge pod cannot schedule",
    ),
    rule(
        "DS202",
        "readiness-probe-missing",
        Warning,
        Static,
        "no readinessProbe: a broken release rolls across every node",
    ),
    rule(
        "DS203",
        "min-ready-seconds-zero",
        Info,
        Static,
        "minReadySeconds is 0: a pod that crashes right after turning ready counts as available",
    ),
    rule(
        "DS204",
        "max-unavailable-too-high",
        Warning,
        Both,
        "maxUnavailable takes down half or more of the nodes' agents at once",
    ),
    rule("DS205", "update-strategy-ondelete", Info, Both, "OnDelete: template changes never roll out by themselves"),
    rule(
        "DS206",
        "update-strategy-implicit",
        Info,
        Static,
        "no updateStrategy: one node at a time, which one NotReady node can block",
    ),
    rule("DS207", "liveness-equals-readiness", Info, Static, "identical liveness and readiness probes"),
    rule("DS208", "liveness-probe-missing", Info, Static, "no livenessProbe: a wedged agent is never restarted"),
    rule("DS209", "revision-history-zero", Warning, Static, "revisionHistoryLimit 0 removes kubectl rollout undo"),
    rule("DS210", "termination-grace-extreme", Info, Static, "terminationGracePeriodSeconds of 0, or over 300 s"),
    rule(
        "DS301",
        "no-control-plane-toleration",
        Info,
        Static,
        "does not tolerate the control-plane taint (or only the removed master taint)",
    ),
    rule("DS302", "tolerates-all-taints", Info, Static, "a toleration without key or effect tolerates every taint"),
    rule(
        "DS303",
        "no-os-selector",
        Warning,
        Both,
        "no kubernetes.io/os selector where the cluster mixes operating systems",
    ),
    rule("DS304", "selector-matches-no-nodes", Error, Both, "the node selector and required affinity match no node"),
    rule(
        "DS305",
        "untolerated-taints",
        Warning,
        Cluster,
        "nodes matching the selector carry taints the template does not tolerate",
    ),
    rule(
        "DS306",
        "requests-exceed-allocatable",
        Error,
        Cluster,
        "the pod's requests exceed some matching nodes' allocatable",
    ),
    rule(
        "DS307",
        "requests-exceed-free-capacity",
        Warning,
        Cluster,
        "the pod fits allocatable but not what other pods leave free",
    ),
    rule(
        "DS308",
        "priority-class-missing",
        Info,
        Static,
        "no priorityClassName: the agent loses scheduling races and is evicted first",
    ),
    rule("DS309", "priority-class-not-found", Error, Cluster, "the PriorityClass does not exist"),
    rule("DS310", "service-account-not-found", Error, Cluster, "the ServiceAccount does not exist"),
    rule("DS311", "namespace-pss-rejects", Error, Both, "the namespace's Pod Security level rejects the pods"),
    rule("DS312", "host-port-conflict", Warning, Cluster, "another pod holds the same host port on matching nodes"),
    rule(
        "DS313",
        "topology-constraints-on-daemonset",
        Info,
        Static,
        "topology spread or self anti-affinity, meaningless for a per-node pod",
    ),
    rule("DS314", "rollout-stalled", Warning, Cluster, "the rollout is not progressing on some nodes"),
    rule("DS315", "misscheduled-pods", Info, Cluster, "pods run on nodes the DaemonSet no longer selects"),
    rule(
        "DS316",
        "selector-immutable-change",
        Error,
        Cluster,
        "the selector differs from the live object's, and selectors are immutable",
    ),
    rule("DS401", "privileged-container", Warning, Static, "a privileged container: full host access"),
    rule("DS402", "host-namespaces", Warning, Static, "hostNetwork, hostPID or hostIPC"),
    rule("DS403", "writable-sensitive-hostpath", Warning, Static, "a writable hostPath to a sensitive host directory"),
    rule("DS404", "container-runtime-socket", Warning, Static, "a hostPath to the container runtime's socket"),
    rule("DS405", "hostpath-type-unset", Info, Static, "a hostPath volume without type"),
    rule("DS406", "dangerous-capabilities", Warning, Static, "capabilities that give control over the node are added"),
    rule(
        "DS407",
        "probe-or-lifecycle-host-field",
        Warning,
        Static,
        "host set in a probe or lifecycle handler (rejected by Pod Security baseline from 1.34)",
    ),
    rule("DS408", "hostport-without-hostnetwork", Info, Static, "a hostPort without hostNetwork"),
    rule(
        "DS409",
        "hostnetwork-dnspolicy-unset",
        Info,
        Static,
        "hostNetwork with dnsPolicy unset falls back to the node's resolv.conf",
    ),
    rule("DS410", "privilege-escalation-allowed", Info, Static, "allowPrivilegeEscalation is not false"),
    rule("DS411", "runs-as-root", Info, Static, "the container may run as root"),
    rule("DS412", "writable-root-fs", Info, Static, "readOnlyRootFilesystem is not true"),
    rule("DS413", "seccomp-unconfined-or-unset", Info, Static, "no seccomp profile, or Unconfined"),
    rule("DS414", "windows-hostprocess", Info, Static, "a Windows HostProcess container"),
    rule(
        "DS415",
        "unsafe-sysctls-or-procmount",
        Warning,
        Static,
        "sysctls outside the Pod Security safe list, or procMount Unmasked",
    ),
    rule("DS416", "sa-token-automount", Info, Static, "the service account token is mounted on every node"),
    rule("DS417", "pss-level", Info, Static, "the Pod Security level the pods need, and what forces it"),
    rule("DS501", "image-mutable-tag", Warning, Static, "an image without a tag or with :latest"),
    rule(
        "DS502",
        "pull-policy-always-critical-agent",
        Info,
        Static,
        "imagePullPolicy Always on a critical agent ties node boot to the registry",
    ),
    rule("DS503", "missing-resource-requests", Warning, Static, "a container without CPU or memory requests"),
    rule("DS504", "missing-memory-limit", Info, Static, "a container without a memory limit"),
    RuleInfo {
        enabled_by_default: false,
        ..rule("DS505", "image-not-digest-pinned", Info, Static, "an image not pinned by digest")
    },
    rule(
        "DS506",
        "init-container-request-dominates",
        Info,
        Static,
        "an init container's request sets the pod's effective request",
    ),
    rule("DS601", "namespace-unset", Info, Static, "the manifest has no namespace"),
    rule("DS602", "ignore-annotation-without-reason", Warning, Static, "a suppression without a reason"),
];

pub fn find(id: &str) -> Option<&'static RuleInfo> {
    CATALOGUE.iter().find(|rule| rule.id.eq_ignore_ascii_case(id) || rule.name == id)
}

/// The catalogue entry of a rule the code names; a typo is a bug, caught by the catalogue test.
pub fn info(id: &'static str) -> &'static RuleInfo {
    find(id).unwrap_or(&CATALOGUE[0])
}
