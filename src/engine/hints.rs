//! The copyable fix that would change a verdict: a label command or a toleration patch.

use k8s_openapi::api::core::v1::Taint;

use super::tolerations::toleration_for;
use crate::report::TermFailure;

pub struct Hints<'a> {
    pub namespace: &'a str,
    pub name: &'a str,
    /// `kubectl patch` appends to an existing list with `/-` and creates a missing one.
    pub has_tolerations: bool,
}

impl<'a> Hints<'a> {
    pub fn for_template(namespace: &'a str, name: &'a str, spec: Option<&k8s_openapi::api::core::v1::PodSpec>) -> Self {
        let has_tolerations = spec.and_then(|s| s.tolerations.as_ref()).is_some_and(|t| !t.is_empty());
        Self { namespace, name, has_tolerations }
    }
}

impl Hints<'_> {
    pub fn label_node(&self, node: &str, key: &str, value: &str, overwrite: bool) -> String {
        let overwrite = if overwrite { " --overwrite" } else { "" };
        format!("kubectl label node {node} {key}={value}{overwrite}")
    }

    pub fn tolerate(&self, taint: &Taint) -> String {
        let toleration = toleration_for(taint);
        let mut object = serde_json::Map::new();
        object.insert("key".into(), toleration.key.unwrap_or_default().into());
        object.insert("operator".into(), toleration.operator.unwrap_or_default().into());
        if let Some(value) = toleration.value {
            object.insert("value".into(), value.into());
        }
        object.insert("effect".into(), toleration.effect.unwrap_or_default().into());
        let object = serde_json::Value::Object(object);
        let (path, value) = if self.has_tolerations {
            ("/spec/template/spec/tolerations/-", object)
        } else {
            ("/spec/template/spec/tolerations", serde_json::Value::Array(vec![object]))
        };
        let patch = serde_json::json!([{"op": "add", "path": path, "value": value}]);
        format!("kubectl patch daemonset {} -n {} --type=json -p '{}'", self.name, self.namespace, patch)
    }

    /// Only the simple case has one obvious fix: a single term failing on one `key in (value)`.
    pub fn affinity(&self, node: &str, terms: &[TermFailure]) -> Option<String> {
        let [term] = terms else { return None };
        let [failed] = term.failed.as_slice() else { return None };
        let (key, values) = failed.split_once(" in (")?;
        let value = values.strip_suffix(')')?;
        if value.contains(',') {
            return None;
        }
        Some(self.label_node(node, key, value, true))
    }
}
