//! What one pod template changed against another: images, env, resources per container, then
//! the other fields by name. Short lines for people, in a stable order.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::ControllerRevision;
use k8s_openapi::api::core::v1::{Container, EnvVar, PodTemplateSpec, ResourceRequirements};
use serde_json::Value;

/// The pod template a ControllerRevision stores (`{"spec":{"template":{...,"$patch":"replace"}}}`).
pub fn revision_template(revision: &ControllerRevision) -> Option<PodTemplateSpec> {
    let template = revision.data.0.get("spec")?.get("template")?.clone();
    serde_json::from_value(template).ok()
}

/// What a pod's own spec says about its template. A pod carries what admission and the
/// controller added (tokens, tolerations, the node pin), so only containers are compared.
pub fn pod_template(pod: &k8s_openapi::api::core::v1::Pod) -> PodTemplateSpec {
    PodTemplateSpec { metadata: None, spec: pod.spec.clone() }
}

/// `old` → `new`. With `other_fields`, fields beyond image, env and resources are named too
/// (templates from ControllerRevisions; a pod's spec has too much the template never said).
pub fn template_changes(old: &PodTemplateSpec, new: &PodTemplateSpec, other_fields: bool) -> Vec<String> {
    let mut changes = Vec::new();
    let containers = |t: &PodTemplateSpec, init: bool| -> Vec<Container> {
        let spec = t.spec.as_ref();
        if init {
            spec.and_then(|s| s.init_containers.clone()).unwrap_or_default()
        } else {
            spec.map(|s| s.containers.clone()).unwrap_or_default()
        }
    };
    for init in [true, false] {
        let before = containers(old, init);
        let after = containers(new, init);
        let kind = if init { "init container" } else { "container" };
        for container in &after {
            match before.iter().find(|c| c.name == container.name) {
                None => changes.push(format!(
                    "{kind} {} added ({})",
                    container.name,
                    container.image.as_deref().unwrap_or("no image")
                )),
                Some(previous) => {
                    container_changes(&mut changes, kind, previous, container, other_fields);
                }
            }
        }
        for container in before.iter().filter(|c| !after.iter().any(|a| a.name == c.name)) {
            changes.push(format!("{kind} {} removed", container.name));
        }
    }
    if other_fields {
        changes.extend(other_template_fields(old, new));
    }
    changes
}

fn container_changes(changes: &mut Vec<String>, kind: &str, old: &Container, new: &Container, other_fields: bool) {
    let name = &new.name;
    if old.image != new.image {
        changes.push(format!(
            "{kind} {name}: image {} → {}",
            old.image.as_deref().unwrap_or("none"),
            new.image.as_deref().unwrap_or("none")
        ));
    }
    let env = |c: &Container| -> BTreeMap<String, String> {
        c.env.as_deref().unwrap_or_default().iter().map(|e| (e.name.clone(), env_value(e))).collect()
    };
    let (before, after) = (env(old), env(new));
    for (key, value) in &after {
        match before.get(key) {
            None => changes.push(format!("{kind} {name}: env {key}={value} added")),
            Some(previous) if previous != value => {
                changes.push(format!("{kind} {name}: env {key} {previous} → {value}"));
            }
            Some(_) => {}
        }
    }
    for key in before.keys().filter(|k| !after.contains_key(*k)) {
        changes.push(format!("{kind} {name}: env {key} removed"));
    }
    resource_changes(changes, kind, name, old.resources.as_ref(), new.resources.as_ref());
    if other_fields {
        let strip = |c: &Container| -> BTreeMap<String, Value> {
            let mut value = serde_json::to_value(c).unwrap_or(Value::Null);
            if let Value::Object(map) = &mut value {
                for key in ["image", "env", "resources", "name"] {
                    map.remove(key);
                }
                return map.clone().into_iter().collect();
            }
            BTreeMap::new()
        };
        let fields = differing_keys(&strip(old), &strip(new));
        if !fields.is_empty() {
            changes.push(format!("{kind} {name}: {} changed", fields.join(", ")));
        }
    }
}

fn env_value(var: &EnvVar) -> String {
    if let Some(value) = &var.value {
        return value.clone();
    }
    let Some(from) = &var.value_from else { return String::new() };
    if let Some(secret) = &from.secret_key_ref {
        return format!("<secret {}/{}>", secret.name, secret.key);
    }
    if let Some(map) = &from.config_map_key_ref {
        return format!("<configmap {}/{}>", map.name, map.key);
    }
    if let Some(field) = &from.field_ref {
        return format!("<field {}>", field.field_path);
    }
    if let Some(resource) = &from.resource_field_ref {
        return format!("<resource {}>", resource.resource);
    }
    "<from elsewhere>".to_string()
}

fn resource_changes(
    changes: &mut Vec<String>,
    kind: &str,
    name: &str,
    old: Option<&ResourceRequirements>,
    new: Option<&ResourceRequirements>,
) {
    type Pick =
        fn(&ResourceRequirements) -> Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>;
    let sections: [(&str, Pick); 2] = [("requests", |r| r.requests.as_ref()), ("limits", |r| r.limits.as_ref())];
    for (section, pick) in sections {
        let amounts = |r: Option<&ResourceRequirements>| -> BTreeMap<String, String> {
            r.and_then(pick).map(|m| m.iter().map(|(k, v)| (k.clone(), v.0.clone())).collect()).unwrap_or_default()
        };
        let (before, after) = (amounts(old), amounts(new));
        for (resource, amount) in &after {
            match before.get(resource) {
                None => changes.push(format!("{kind} {name}: {section} {resource} {amount} added")),
                Some(previous) if previous != amount => {
                    changes.push(format!("{kind} {name}: {section} {resource} {previous} → {amount}"));
                }
                Some(_) => {}
            }
        }
        for resource in before.keys().filter(|k| !after.contains_key(*k)) {
            changes.push(format!("{kind} {name}: {section} {resource} removed"));
        }
    }
}

/// The template's other fields that differ, by path (`metadata.annotations`, `spec.volumes`).
fn other_template_fields(old: &PodTemplateSpec, new: &PodTemplateSpec) -> Vec<String> {
    let parts = |t: &PodTemplateSpec| -> (BTreeMap<String, Value>, BTreeMap<String, Value>) {
        let object = |v: Value| match v {
            Value::Object(map) => map.into_iter().collect(),
            _ => BTreeMap::new(),
        };
        let mut metadata = object(serde_json::to_value(&t.metadata).unwrap_or(Value::Null));
        // The API server writes creationTimestamp: null into every template; it carries nothing.
        metadata.remove("creationTimestamp");
        let mut spec = object(serde_json::to_value(&t.spec).unwrap_or(Value::Null));
        spec.remove("containers");
        spec.remove("initContainers");
        (metadata, spec)
    };
    let (old_meta, old_spec) = parts(old);
    let (new_meta, new_spec) = parts(new);
    let mut fields: Vec<String> =
        differing_keys(&old_meta, &new_meta).into_iter().map(|k| format!("metadata.{k}")).collect();
    fields.extend(differing_keys(&old_spec, &new_spec).into_iter().map(|k| format!("spec.{k}")));
    if fields.is_empty() { Vec::new() } else { vec![format!("pod template {} changed", fields.join(", "))] }
}

fn differing_keys(old: &BTreeMap<String, Value>, new: &BTreeMap<String, Value>) -> Vec<String> {
    let mut keys: Vec<String> = old.keys().chain(new.keys()).cloned().collect();
    keys.sort();
    keys.dedup();
    keys.into_iter().filter(|k| old.get(k) != new.get(k)).collect()
}
