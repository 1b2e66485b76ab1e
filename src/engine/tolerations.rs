//! Taints against tolerations, with the tolerations the DaemonSet controller adds to every pod.
//!
//! Sources: k8s.io/api core/v1 `Toleration.ToleratesTaint`; component-helpers
//! `FindMatchingUntoleratedTaint`; pkg/controller/daemon/util `AddOrUpdateDaemonPodTolerations`;
//! pkg/apis/core/v1/helper `AddOrUpdateTolerationInPodSpec`.

use k8s_openapi::api::core::v1::{PodSpec, Taint, Toleration};

pub const NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const UNREACHABLE: &str = "node.kubernetes.io/unreachable";
pub const DISK_PRESSURE: &str = "node.kubernetes.io/disk-pressure";
pub const MEMORY_PRESSURE: &str = "node.kubernetes.io/memory-pressure";
pub const PID_PRESSURE: &str = "node.kubernetes.io/pid-pressure";
pub const UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";
pub const NETWORK_UNAVAILABLE: &str = "node.kubernetes.io/network-unavailable";

pub const NO_SCHEDULE: &str = "NoSchedule";
pub const NO_EXECUTE: &str = "NoExecute";

fn exists(key: &str, effect: &str) -> Toleration {
    Toleration {
        key: Some(key.to_string()),
        operator: Some("Exists".to_string()),
        effect: Some(effect.to_string()),
        ..Toleration::default()
    }
}

/// The tolerations the controller adds, in the order it adds them.
pub fn daemon_default_tolerations(host_network: bool) -> Vec<Toleration> {
    let mut defaults = vec![
        exists(NOT_READY, NO_EXECUTE),
        exists(UNREACHABLE, NO_EXECUTE),
        exists(DISK_PRESSURE, NO_SCHEDULE),
        exists(MEMORY_PRESSURE, NO_SCHEDULE),
        exists(PID_PRESSURE, NO_SCHEDULE),
        exists(UNSCHEDULABLE, NO_SCHEDULE),
    ];
    if host_network {
        defaults.push(exists(NETWORK_UNAVAILABLE, NO_SCHEDULE));
    }
    defaults
}

/// The tolerations a DaemonSet pod carries: the template's, merged with the defaults the way
/// `AddOrUpdateTolerationInPodSpec` merges them (a user toleration equal in key, operator, value
/// and effect is replaced by the default, which drops its tolerationSeconds).
pub fn daemon_pod_tolerations(spec: Option<&PodSpec>) -> Vec<Toleration> {
    let mut tolerations = spec.and_then(|s| s.tolerations.clone()).unwrap_or_default();
    let host_network = spec.and_then(|s| s.host_network).unwrap_or(false);
    for default in daemon_default_tolerations(host_network) {
        add_or_update(&mut tolerations, default);
    }
    tolerations
}

/// `Toleration.MatchToleration`: Go compares strings, so an absent field equals an empty one.
fn same_toleration(a: &Toleration, b: &Toleration) -> bool {
    let text = |s: &Option<String>| s.as_deref().unwrap_or_default().to_string();
    text(&a.key) == text(&b.key)
        && text(&a.operator) == text(&b.operator)
        && text(&a.value) == text(&b.value)
        && text(&a.effect) == text(&b.effect)
}

fn add_or_update(tolerations: &mut Vec<Toleration>, toleration: Toleration) {
    let mut replaced = false;
    for existing in tolerations.iter_mut() {
        if same_toleration(existing, &toleration) {
            if *existing == toleration {
                return;
            }
            *existing = toleration.clone();
            replaced = true;
        }
    }
    if !replaced {
        tolerations.push(toleration);
    }
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

/// `Toleration.ToleratesTaint`. `Lt`/`Gt` belong to the alpha gate
/// TaintTolerationComparisonOperators, off by default, where they never tolerate.
pub fn tolerates(toleration: &Toleration, taint: &Taint) -> bool {
    if let Some(effect) = non_empty(&toleration.effect)
        && effect != taint.effect
    {
        return false;
    }
    if let Some(key) = non_empty(&toleration.key)
        && key != taint.key
    {
        return false;
    }
    match toleration.operator.as_deref().unwrap_or("") {
        "" | "Equal" => toleration.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or(""),
        "Exists" => true,
        _ => false,
    }
}

/// Every taint that no toleration tolerates, among those `filter` keeps.
pub fn untolerated<'a>(
    taints: &'a [Taint],
    tolerations: &[Toleration],
    filter: impl Fn(&Taint) -> bool,
) -> Vec<&'a Taint> {
    taints.iter().filter(|t| filter(t)).filter(|t| !tolerations.iter().any(|tol| tolerates(tol, t))).collect()
}

/// The first toleration that tolerates `taint`, the one `TolerationsTolerateTaint` stops at.
pub fn tolerated_by<'a>(taint: &Taint, tolerations: &'a [Toleration]) -> Option<&'a Toleration> {
    tolerations.iter().find(|t| tolerates(t, taint))
}

/// A toleration that names the taint's key (or every key) and still does not tolerate it, and
/// which of its fields are the reason: `effect`, `value`, `operator`.
#[derive(Clone, Debug, PartialEq)]
pub struct NearMiss<'a> {
    pub toleration: &'a Toleration,
    pub differs: Vec<&'static str>,
}

/// The toleration that almost tolerates `taint`: same key (or no key), fewest wrong fields.
/// `None` when none names the key: then only a new toleration helps.
pub fn nearest_toleration<'a>(taint: &Taint, tolerations: &'a [Toleration]) -> Option<NearMiss<'a>> {
    tolerations
        .iter()
        .filter(|t| non_empty(&t.key).is_none_or(|key| key == taint.key))
        .filter(|t| !tolerates(t, taint))
        .map(|toleration| {
            let mut differs = Vec::new();
            if non_empty(&toleration.effect).is_some_and(|effect| effect != taint.effect) {
                differs.push("effect");
            }
            match toleration.operator.as_deref().unwrap_or("") {
                "" | "Equal" => {
                    if toleration.value.as_deref().unwrap_or("") != taint.value.as_deref().unwrap_or("") {
                        differs.push("value");
                    }
                }
                "Exists" => {}
                _ => differs.push("operator"),
            }
            NearMiss { toleration, differs }
        })
        .min_by_key(|near| (near.differs.len(), non_empty(&near.toleration.key).is_none()))
}

/// Whether the DaemonSet controller added this toleration (it is one of its defaults).
pub fn is_daemon_default(toleration: &Toleration) -> bool {
    daemon_default_tolerations(true).iter().any(|d| same_toleration(d, toleration) && d == toleration)
}

/// A toleration as a YAML flow mapping, the way it is written in a manifest.
pub fn toleration_string(toleration: &Toleration) -> String {
    let mut fields = Vec::new();
    if let Some(key) = non_empty(&toleration.key) {
        fields.push(format!("key: {key}"));
    }
    fields.push(format!("operator: {}", non_empty(&toleration.operator).unwrap_or("Equal")));
    if let Some(value) = non_empty(&toleration.value) {
        fields.push(format!("value: {}", yaml_scalar(value)));
    }
    if let Some(effect) = non_empty(&toleration.effect) {
        fields.push(format!("effect: {effect}"));
    }
    if let Some(seconds) = toleration.toleration_seconds {
        fields.push(format!("tolerationSeconds: {seconds}"));
    }
    format!("{{{}}}", fields.join(", "))
}

/// A string as a YAML scalar: quoted when YAML would read it as something else (`true`, `1`,
/// `null`, `a: b`), so that a copied toleration keeps its string value.
pub fn yaml_scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        && !text.starts_with(|c: char| c == '-' || c == '.' || c.is_ascii_digit())
        && text.parse::<f64>().is_err()
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~"
        );
    if plain { text.to_string() } else { format!("{text:?}") }
}

/// The toleration that would tolerate `taint` and nothing broader.
pub fn toleration_for(taint: &Taint) -> Toleration {
    let value = taint.value.clone().filter(|v| !v.is_empty());
    Toleration {
        key: Some(taint.key.clone()),
        operator: Some(if value.is_some() { "Equal" } else { "Exists" }.to_string()),
        value,
        effect: Some(taint.effect.clone()),
        toleration_seconds: None,
    }
}

/// `key=value:Effect`, the form `kubectl taint` and `kubectl describe node` print.
pub fn taint_string(taint: &Taint) -> String {
    match taint.value.as_deref().filter(|v| !v.is_empty()) {
        Some(value) => format!("{}={}:{}", taint.key, value, taint.effect),
        None => format!("{}:{}", taint.key, taint.effect),
    }
}

#[cfg(test)]
mod tests;
