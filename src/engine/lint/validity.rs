//! DS101–DS111: what the API server rejects (pkg/apis/apps/validation `ValidateDaemonSetSpec`,
//! pkg/apis/core/validation `ValidatePodTemplateSpec`), and two mistakes it lets through
//! silently (probe port names, duplicate env names).

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Container, Probe};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kube_core::{Selector, SelectorExt};

use super::{Finding, Outcome, Severity, Subject, TEMPLATE_SPEC};
use crate::engine::fit::milli;

pub(super) fn check(subject: &Subject<'_>, out: &mut Outcome) {
    selector_template_mismatch(subject, out);
    selector_missing_or_empty(subject, out);
    rolling_update_zero_zero(subject, out);
    rolling_update_invalid_value(subject, out);
    template_restart_policy(subject, out);
    bidirectional_propagation_unprivileged(subject, out);
    requests_exceed_limits(subject, out);
    deprecated_api_version(subject, out);
    unrendered_template(subject, out);
    probe_port_not_declared(subject, out);
    duplicate_env_var(subject, out);
}

const SELECTOR: &str = "spec.selector";
const ROLLING_UPDATE: &str = "spec.updateStrategy.rollingUpdate";

/// `base.key`, or `base["key"]` when the key holds characters a dotted path cannot.
pub(super) fn key_path(base: &str, key: &str) -> String {
    if !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
        format!("{base}.{key}")
    } else {
        format!("{base}[{key:?}]")
    }
}

fn template_labels(ds: &DaemonSet) -> BTreeMap<String, String> {
    ds.spec.template.metadata.as_ref().and_then(|m| m.labels.clone()).unwrap_or_default()
}

fn is_empty_selector(selector: &LabelSelector) -> bool {
    selector.match_labels.as_ref().is_none_or(BTreeMap::is_empty)
        && selector.match_expressions.as_ref().is_none_or(Vec::is_empty)
}

/// `ValidateLabelSelectorRequirement`: kube_core parses more loosely than the API server (it
/// takes `In` with no values), so the server's rules are applied first, with its words.
fn selector_requirement_errors(selector: &LabelSelector) -> Vec<(String, String)> {
    let mut errors = Vec::new();
    for (i, requirement) in selector.match_expressions.iter().flatten().enumerate() {
        let path = format!("{SELECTOR}.matchExpressions[{i}]");
        let has_values = requirement.values.as_ref().is_some_and(|v| !v.is_empty());
        match requirement.operator.as_str() {
            "In" | "NotIn" if !has_values => errors.push((
                format!("{path}.values"),
                format!(
                    "selector requirement on {:?}: values must be specified when `operator` is 'In' or 'NotIn'",
                    requirement.key
                ),
            )),
            "Exists" | "DoesNotExist" if has_values => errors.push((
                format!("{path}.values"),
                format!(
                    "selector requirement on {:?}: values may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    requirement.key
                ),
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            other => errors.push((
                format!("{path}.operator"),
                format!(
                    "selector operator {other:?} is not supported: supported values are \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\""
                ),
            )),
        }
    }
    errors
}

/// DS101. The API server rejects a selector that does not select its own template's labels,
/// and one it cannot parse.
fn selector_template_mismatch(subject: &Subject<'_>, out: &mut Outcome) {
    let selector = &subject.ds.spec.selector;
    let errors = selector_requirement_errors(selector);
    if !errors.is_empty() {
        for (path, message) in errors {
            out.push(
                Finding::new("DS101", message)
                    .at(path)
                    .hint("operator In/NotIn take a non-empty `values` list; Exists/DoesNotExist take none"),
            );
        }
        return;
    }
    if is_empty_selector(selector) {
        return; // DS102's
    }
    let parsed = match Selector::try_from(selector.clone()) {
        Ok(parsed) => parsed,
        Err(error) => {
            out.push(
                Finding::new("DS101", format!("spec.selector is not a valid label selector: {}", error.0)).at(SELECTOR),
            );
            return;
        }
    };
    let labels = template_labels(subject.ds);
    if parsed.matches(&labels) {
        return;
    }
    let shown = if labels.is_empty() {
        "none".to_string()
    } else {
        labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
    };
    out.push(
        Finding::new(
            "DS101",
            format!("spec.selector ({parsed}) does not match the template labels ({shown}): the API server rejects it"),
        )
        .at(SELECTOR)
        .hint(mismatch_hint(selector, &labels)),
    );
}

fn mismatch_hint(selector: &LabelSelector, labels: &BTreeMap<String, String>) -> String {
    let missing: Vec<String> = selector
        .match_labels
        .iter()
        .flatten()
        .filter(|(k, v)| labels.get(*k) != Some(*v))
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    if missing.is_empty() {
        "make spec.template.metadata.labels satisfy every spec.selector.matchExpressions entry".to_string()
    } else {
        format!("add to spec.template.metadata.labels: {}", missing.join(", "))
    }
}

/// DS102. "empty selector is invalid for daemonset"; k8s-openapi reads a missing selector as
/// an empty one, so both land here.
fn selector_missing_or_empty(subject: &Subject<'_>, out: &mut Outcome) {
    if !is_empty_selector(&subject.ds.spec.selector) {
        return;
    }
    let labels = template_labels(subject.ds);
    let hint = if labels.is_empty() {
        "add labels to spec.template.metadata.labels and select them: `selector: {matchLabels: {app: NAME}}`"
            .to_string()
    } else {
        let pairs = labels.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ");
        format!("selector:\n  matchLabels: {{{pairs}}}")
    };
    out.push(
        Finding::new(
            "DS102",
            "spec.selector is missing or empty: the API server rejects an empty selector for a DaemonSet",
        )
        .at(SELECTOR)
        .hint(hint),
    );
}

/// maxUnavailable or maxSurge as the API server reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Budget {
    Count(i32),
    Percent(u64),
}

impl Budget {
    pub(super) fn is_zero(self) -> bool {
        matches!(self, Budget::Count(0) | Budget::Percent(0))
    }
}

impl fmt::Display for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Budget::Count(n) => write!(f, "{n}"),
            Budget::Percent(p) => write!(f, "{p}%"),
        }
    }
}

/// `ValidatePositiveIntOrPercent` and `IsNotMoreThan100Percent`: a non-negative integer, or a
/// string of digits and `%` (`IsValidPercent`, `^[0-9]+%$`) up to 100%.
pub(super) fn budget(value: &IntOrString) -> Result<Budget, &'static str> {
    match value {
        IntOrString::Int(n) if *n < 0 => Err("must be greater than or equal to 0"),
        IntOrString::Int(n) => Ok(Budget::Count(*n)),
        IntOrString::String(text) => match text.strip_suffix('%') {
            Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                match digits.parse::<u64>() {
                    Ok(percent) if percent <= 100 => Ok(Budget::Percent(percent)),
                    _ => Err("must not be greater than 100%"),
                }
            }
            _ => Err("must be an integer or a percentage of digits followed by '%' (e.g. '1%' or '93%')"),
        },
    }
}

fn shown(value: &IntOrString) -> String {
    match value {
        IntOrString::Int(n) => n.to_string(),
        IntOrString::String(text) => format!("{text:?}"),
    }
}

/// The rolling update the API server would store: maxUnavailable defaults to 1 and maxSurge to 0
/// (`SetDefaults_DaemonSet`). `None` for OnDelete, an unknown type, or a value it rejects.
pub(super) struct Rolling {
    pub max_unavailable: Budget,
    pub max_surge: Budget,
}

pub(super) fn is_rolling_update(ds: &DaemonSet) -> bool {
    ds.spec.update_strategy.as_ref().and_then(|s| s.type_.as_deref()).is_none_or(|t| t == "RollingUpdate")
}

pub(super) fn rolling(ds: &DaemonSet) -> Option<Rolling> {
    if !is_rolling_update(ds) {
        return None;
    }
    let values = ds.spec.update_strategy.as_ref().and_then(|s| s.rolling_update.as_ref());
    let unavailable = values.and_then(|r| r.max_unavailable.as_ref());
    let surge = values.and_then(|r| r.max_surge.as_ref());
    Some(Rolling {
        max_unavailable: unavailable.map_or(Ok(Budget::Count(1)), budget).ok()?,
        max_surge: surge.map_or(Ok(Budget::Count(0)), budget).ok()?,
    })
}

/// DS103. `ValidateRollingUpdateDaemonSet`: "cannot be 0 when maxSurge is 0".
fn rolling_update_zero_zero(subject: &Subject<'_>, out: &mut Outcome) {
    let Some(rolling) = rolling(subject.ds) else { return };
    if !(rolling.max_unavailable.is_zero() && rolling.max_surge.is_zero()) {
        return;
    }
    out.push(
        Finding::new(
            "DS103",
            format!(
                "maxUnavailable {} with maxSurge {}: no pod could ever be replaced; the API server rejects it (maxUnavailable cannot be 0 when maxSurge is 0)",
                rolling.max_unavailable, rolling.max_surge
            ),
        )
        .at(format!("{ROLLING_UPDATE}.maxUnavailable"))
        .hint("set `maxUnavailable: 1` (or `maxUnavailable: 0` with `maxSurge: 1` to start each new pod before stopping the old one)"),
    );
}

/// DS104. `ValidateDaemonSetUpdateStrategy` and `ValidateRollingUpdateDaemonSet`.
fn rolling_update_invalid_value(subject: &Subject<'_>, out: &mut Outcome) {
    let Some(strategy) = subject.ds.spec.update_strategy.as_ref() else { return };
    match strategy.type_.as_deref() {
        None | Some("RollingUpdate") => {}
        Some("OnDelete") => {
            // Accepted, then ignored: OnDelete skips the rollingUpdate validation entirely, so
            // the values are dead text that suggests a rollout which never happens.
            if strategy.rolling_update.is_some() {
                out.push(
                    Finding::new("DS104", "rollingUpdate is set with updateStrategy type OnDelete, which ignores it")
                        .at(ROLLING_UPDATE)
                        .severity(Severity::Warning)
                        .hint("remove rollingUpdate, or set `type: RollingUpdate` if the values are meant"),
                );
            }
            return;
        }
        Some(other) => {
            out.push(
                Finding::new(
                    "DS104",
                    format!("updateStrategy type {other:?} is not supported: supported values are \"RollingUpdate\", \"OnDelete\""),
                )
                .at("spec.updateStrategy.type")
                .hint("`type: RollingUpdate` or `type: OnDelete`"),
            );
            return;
        }
    }
    let values = strategy.rolling_update.as_ref();
    let mut valid = true;
    for (name, value) in [
        ("maxUnavailable", values.and_then(|r| r.max_unavailable.as_ref())),
        ("maxSurge", values.and_then(|r| r.max_surge.as_ref())),
    ] {
        let Some(value) = value else { continue };
        if let Err(reason) = budget(value) {
            valid = false;
            out.push(
                Finding::new("DS104", format!("{name} {}: {reason}", shown(value)))
                    .at(format!("{ROLLING_UPDATE}.{name}"))
                    .hint(format!("`{name}: 1` (a count of nodes) or `{name}: 10%` (a quoted percentage)")),
            );
        }
    }
    if valid {
        surge_with_unavailable(subject, out);
    }
}

/// "may not be set when maxUnavailable is non-zero": surging and stopping at once is rejected,
/// and the defaulted maxUnavailable of 1 counts, which is how a lone `maxSurge: 1` fails.
fn surge_with_unavailable(subject: &Subject<'_>, out: &mut Outcome) {
    let Some(rolling) = rolling(subject.ds) else { return };
    if rolling.max_surge.is_zero() || rolling.max_unavailable.is_zero() {
        return;
    }
    let written = subject
        .ds
        .spec
        .update_strategy
        .as_ref()
        .and_then(|s| s.rolling_update.as_ref())
        .is_some_and(|r| r.max_unavailable.is_some());
    let defaulted = if written { "" } else { " (it defaults to 1)" };
    out.push(
        Finding::new(
            "DS104",
            format!(
                "maxSurge {} may not be set when maxUnavailable is non-zero: maxUnavailable is {}{defaulted}",
                rolling.max_surge, rolling.max_unavailable
            ),
        )
        .at(format!("{ROLLING_UPDATE}.maxSurge"))
        .hint(format!("set `maxUnavailable: 0` beside `maxSurge: {}`, or `maxSurge: 0`", rolling.max_surge)),
    );
}

/// DS105. `ValidateDaemonSetSpec`: the template's restartPolicy must be Always (unset defaults
/// to Always).
fn template_restart_policy(subject: &Subject<'_>, out: &mut Outcome) {
    let Some(policy) = subject.spec.restart_policy.as_deref() else { return };
    if policy == "Always" {
        return;
    }
    out.push(
        Finding::new(
            "DS105",
            format!("restartPolicy {policy:?} is not supported for a DaemonSet's pods: the only supported value is \"Always\""),
        )
        .at(format!("{TEMPLATE_SPEC}.restartPolicy"))
        .hint("remove restartPolicy, or set `restartPolicy: Always`"),
    );
}

/// DS106. core validation `validateMountPropagation`: "Bidirectional mount propagation is
/// available only to privileged containers".
fn bidirectional_propagation_unprivileged(subject: &Subject<'_>, out: &mut Outcome) {
    for (path, container) in subject.containers() {
        let privileged = container.security_context.as_ref().and_then(|s| s.privileged).unwrap_or(false);
        if privileged {
            continue;
        }
        for (i, mount) in container.volume_mounts.iter().flatten().enumerate() {
            if mount.mount_propagation.as_deref() != Some("Bidirectional") {
                continue;
            }
            let label = Subject::container_label(&path, container);
            out.push(
                Finding::new(
                    "DS106",
                    format!(
                        "{label} mounts {} with Bidirectional propagation, which is available only to privileged containers",
                        mount.name
                    ),
                )
                .at(format!("{path}.volumeMounts[{i}].mountPropagation"))
                .hint(format!(
                    "set `securityContext: {{privileged: true}}` on {label}, or use `mountPropagation: HostToContainer`"
                )),
            );
        }
    }
}

/// `IsOvercommitAllowed`: native resources except hugepages may request less than their limit;
/// extended resources (`vendor.com/gpu`) and hugepages must request exactly it.
fn overcommit_allowed(resource: &str) -> bool {
    let native = !resource.contains('/') || resource.contains("kubernetes.io/");
    native && !resource.starts_with("hugepages-")
}

/// DS107. core validation `ValidateResourceRequirements`: "must be less than or equal to cpu
/// limit of …", "must be equal to … limit" for resources that cannot overcommit.
fn requests_exceed_limits(subject: &Subject<'_>, out: &mut Outcome) {
    for (path, container) in subject.containers() {
        let Some(resources) = container.resources.as_ref() else { continue };
        let label = Subject::container_label(&path, container);
        let base = format!("{path}.resources");
        let limits = resources.limits.clone().unwrap_or_default();
        let requests = resources.requests.clone().unwrap_or_default();
        let mut parsed_limits = HashMap::new();
        for (name, quantity) in &limits {
            if let Some(value) = quantity_or_report(out, &label, &key_path(&format!("{base}.limits"), name), quantity) {
                parsed_limits.insert(name.as_str(), value);
            }
        }
        for (name, quantity) in &requests {
            let field = key_path(&format!("{base}.requests"), name);
            let Some(request) = quantity_or_report(out, &label, &field, quantity) else { continue };
            let Some(&limit) = parsed_limits.get(name.as_str()) else { continue };
            let limit_text = &limits[name].0;
            let (broken, relation) = if overcommit_allowed(name) {
                (request > limit, "less than or equal to")
            } else {
                (request != limit, "equal to")
            };
            if broken {
                out.push(
                    Finding::new(
                        "DS107",
                        format!(
                            "{label} requests {name} {}: must be {relation} the {name} limit of {limit_text}",
                            quantity.0
                        ),
                    )
                    .at(field)
                    .hint(format!("set `{name}: {limit_text}` in requests, or raise the limit")),
                );
            }
        }
    }
}

/// A quantity in thousandths; an unparseable or negative one is reported and skipped.
fn quantity_or_report(
    out: &mut Outcome,
    label: &str,
    field: &str,
    quantity: &k8s_openapi::apimachinery::pkg::api::resource::Quantity,
) -> Option<i128> {
    match milli(quantity) {
        Some(value) if value >= 0 => Some(value),
        Some(_) => {
            out.push(
                Finding::new("DS107", format!("{label}: {:?} must be greater than or equal to 0", quantity.0))
                    .at(field)
                    .hint("use a non-negative quantity"),
            );
            None
        }
        None => {
            out.push(
                Finding::new("DS107", format!("{label}: {:?} is not a valid quantity", quantity.0))
                    .at(field)
                    .hint("a quantity is a number with an optional suffix, e.g. `100m`, `0.5`, `128Mi`, `1G`"),
            );
            None
        }
    }
}

/// DS108. extensions/v1beta1 and apps/v1beta2 stopped being served for DaemonSets in 1.16;
/// apps/v1beta1 never served them.
fn deprecated_api_version(subject: &Subject<'_>, out: &mut Outcome) {
    let Some(version) = subject.api_version else { return };
    let message = match version {
        "extensions/v1beta1" | "apps/v1beta2" => {
            format!("apiVersion {version}: DaemonSets are not served by that version since Kubernetes 1.16")
        }
        "apps/v1beta1" => format!("apiVersion {version}: that API version never served DaemonSets"),
        _ => return,
    };
    let defaults = if version == "extensions/v1beta1" {
        "; note that extensions/v1beta1 defaulted updateStrategy to OnDelete, apps/v1 to RollingUpdate"
    } else {
        ""
    };
    out.push(
        Finding::new("DS108", message).at("apiVersion").hint(format!(
            "`apiVersion: apps/v1`, with an explicit spec.selector matching the template labels{defaults}"
        )),
    );
}

/// Fields whose text is a program's own (shell scripts, env values): Go templates there are
/// often meant for the program (`docker inspect -f '{{.Id}}'`), so only Helm's are reported.
fn is_script_text(path: &str) -> bool {
    let last = path.rsplit('.').next().unwrap_or(path);
    last.starts_with("command[") || last.starts_with("args[") || (path.contains(".env[") && last == "value")
}

const HELM_MARKERS: &[&str] = &[
    ".Values",
    ".Release",
    ".Chart",
    ".Capabilities",
    ".Files",
    ".Template",
    "include ",
    "tpl ",
    "toYaml",
    "required ",
];

/// The first `{{ … }}` whose body reads as a Go template action.
fn template_action(text: &str, helm_only: bool) -> Option<&str> {
    let mut from = 0;
    while let Some(start) = text[from..].find("{{").map(|i| i + from) {
        let body_start = start + 2;
        let end = text[body_start..].find("}}").map(|i| i + body_start)?;
        let body = text[body_start..end].trim_start_matches('-').trim_end_matches('-').trim();
        let action_like =
            body.chars().next().is_some_and(|c| c == '.' || c == '$' || c == '/' || c.is_ascii_alphabetic())
                && !body.contains('{');
        if action_like && (!helm_only || HELM_MARKERS.iter().any(|m| body.contains(m))) {
            return Some(&text[start..end + 2]);
        }
        from = body_start;
    }
    None
}

/// The first `__UPPER_CASE__` placeholder standing as a word of its own.
fn placeholder(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let is_run = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_';
    let mut i = 0;
    while i + 1 < bytes.len() {
        let starts = bytes[i] == b'_' && bytes[i + 1] == b'_';
        let after_word = i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        if !starts || after_word {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < bytes.len() && is_run(bytes[j]) {
            j += 1;
        }
        let run = &text[i..j];
        let bounded = j == bytes.len() || !bytes[j].is_ascii_alphanumeric();
        if bounded && run.len() >= 5 && run.ends_with("__") && bytes[i + 2].is_ascii_uppercase() {
            return Some(run);
        }
        i = j.max(i + 1);
    }
    None
}

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

fn walk_strings(value: &serde_json::Value, path: &str, visit: &mut dyn FnMut(&str, &str)) {
    match value {
        serde_json::Value::String(text) => visit(path, text),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_strings(item, &format!("{path}[{i}]"), visit);
            }
        }
        serde_json::Value::Object(fields) => {
            for (key, item) in fields {
                // The server's copies of the object: the last-applied annotation would repeat
                // every finding, and status is not the user's text.
                if key == LAST_APPLIED || (path.is_empty() && key == "status") {
                    continue;
                }
                let child = if path.is_empty() { key.clone() } else { key_path(path, key) };
                walk_strings(item, &child, visit);
            }
        }
        _ => {}
    }
}

/// DS109. Helm and kustomize are not run by the linter; a manifest still holding their syntax
/// was not rendered.
fn unrendered_template(subject: &Subject<'_>, out: &mut Outcome) {
    let Ok(value) = serde_json::to_value(subject.ds) else { return };
    walk_strings(&value, "", &mut |path, text| {
        if path.starts_with("metadata.managedFields") {
            return;
        }
        if let Some(action) = template_action(text, is_script_text(path)) {
            out.push(
                Finding::new("DS109", format!("{path} holds the unrendered template {action}"))
                    .at(path)
                    .hint("render the chart first and lint the output: `helm template RELEASE CHART | kubectl ds lint -f -` (or `kustomize build DIR | kubectl ds lint -f -`)"),
            );
        } else if let Some(name) = placeholder(text) {
            let hint = if name.starts_with("__PILLAR__") {
                format!(
                    "substitute the __PILLAR__ values before applying, as the NodeLocal DNSCache instructions do: `sed -e 's/{name}/<value>/g' nodelocaldns.yaml`"
                )
            } else {
                format!("substitute {name} with its value (sed, envsubst or the tool that owns it) before applying")
            };
            out.push(Finding::new("DS109", format!("{path} holds the placeholder {name}")).at(path).hint(hint));
        }
    });
}

fn probes(container: &Container) -> [(&'static str, Option<&Probe>); 3] {
    [
        ("livenessProbe", container.liveness_probe.as_ref()),
        ("readinessProbe", container.readiness_probe.as_ref()),
        ("startupProbe", container.startup_probe.as_ref()),
    ]
}

/// The named port a probe's handler uses, with the path of the field; gRPC takes numbers only.
fn probe_port_name(probe: &Probe) -> Option<(&'static str, &str)> {
    let http = probe.http_get.as_ref().map(|h| ("httpGet", &h.port));
    let tcp = probe.tcp_socket.as_ref().map(|t| ("tcpSocket", &t.port));
    match http.or(tcp)? {
        (handler, IntOrString::String(name)) => Some((handler, name.as_str())),
        (_, IntOrString::Int(_)) => None,
    }
}

fn declares_port(container: &Container, name: &str) -> bool {
    container.ports.iter().flatten().any(|p| p.name.as_deref() == Some(name))
}

/// DS110. The kubelet resolves a probe's port name among its own container's ports only; a
/// name it cannot find fails the probe on every node.
fn probe_port_not_declared(subject: &Subject<'_>, out: &mut Outcome) {
    for (path, container) in subject.containers() {
        for (kind, probe) in probes(container) {
            let Some((handler, name)) = probe.and_then(probe_port_name) else { continue };
            if declares_port(container, name) {
                continue;
            }
            let label = Subject::container_label(&path, container);
            let elsewhere = subject
                .containers()
                .find(|(_, other)| other.name != container.name && declares_port(other, name))
                .map(|(other_path, other)| {
                    format!(
                        " ({} declares it, but a probe resolves names in its own container only)",
                        Subject::container_label(&other_path, other)
                    )
                })
                .unwrap_or_default();
            out.push(
                Finding::new("DS110", format!("the {kind} of {label} uses port {name:?}, which {label} does not declare{elsewhere}"))
                    .at(format!("{path}.{kind}.{handler}.port"))
                    .hint(format!(
                        "declare it in {label}: `ports: [{{name: {name}, containerPort: <number>}}]`, or give the probe the port number"
                    )),
            );
        }
    }
}

/// DS111. Both entries reach the API server; the last one silently wins.
fn duplicate_env_var(subject: &Subject<'_>, out: &mut Outcome) {
    for (path, container) in subject.containers() {
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, env) in container.env.iter().flatten().enumerate() {
            let Some(&earlier) = first.get(env.name.as_str()) else {
                first.insert(env.name.as_str(), i);
                continue;
            };
            let label = Subject::container_label(&path, container);
            out.push(
                Finding::new(
                    "DS111",
                    format!("{label} sets env {} twice (env[{earlier}] and env[{i}]); the last one wins", env.name),
                )
                .at(format!("{path}.env[{i}]"))
                .hint(format!("keep one {} entry in {label}", env.name)),
            );
        }
    }
}

#[cfg(test)]
mod tests;
