//! Objects straight from the parser's events into the snapshot, without a document tree: a
//! 5,000-node dump is half a gigabyte, and most of it is pods the command only needs summed.
//!
//! kubectl writes every object's keys sorted (`apiVersion`, `kind`, `metadata`, `spec`,
//! `status`), so by the time `spec` arrives the kind and the owner are known and the rest can be
//! read as the typed object, or as the few fields a folded pod needs. Keys in another order are
//! held as JSON values until the kind is known; the outcome is the same, only slower.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ContainerPort, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{OwnerReference, Time};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::{Loader, value_kind};
use crate::snapshot::Kind;

/// One top-level value of the input: an object, a List, or a sequence of objects.
pub(super) struct Document<'l> {
    pub loader: &'l mut Loader,
    pub hint: Option<Kind>,
}

impl<'de> DeserializeSeed<'de> for Document<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Document<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a Kubernetes object, a List of them, or a sequence of them")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut deferred = Vec::new();
        loop {
            let item =
                Item { loader: &mut *self.loader, hint: self.hint, path: String::new(), deferred: &mut deferred };
            if seq.next_element_seed(item)?.is_none() {
                return self.loader.refuse_kindless(deferred);
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        top_level(self.loader, map, self.hint)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(self.loader.not_an_object(&Value::Bool(false)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        Err(self.loader.not_an_object(&Value::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        Err(self.loader.not_an_object(&Value::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        Err(self.loader.not_an_object(&Value::from(v)))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(self.loader.not_an_object(&Value::String(String::new())))
    }
}

fn kind_of(prefix: &[(String, Value)]) -> Option<&Value> {
    prefix.iter().find(|(k, _)| k == "kind").map(|(_, v)| v)
}

/// A top-level mapping: a List (its `items` streamed one by one) or one object.
fn top_level<'de, A: MapAccess<'de>>(loader: &mut Loader, mut map: A, hint: Option<Kind>) -> Result<(), A::Error> {
    let mut prefix: Vec<(String, Value)> = Vec::new();
    let mut deferred: Vec<(String, Value)> = Vec::new();
    let mut is_list = false;
    while let Some(key) = map.next_key::<String>()? {
        match key.as_str() {
            "kind" if !is_list => {
                let kind: Value = map.next_value()?;
                let list = kind.as_str().is_some_and(|k| k.ends_with("List"));
                prefix.push((key, kind));
                if !list {
                    // With a kind, the object is never handed back.
                    item_rest(loader, map, prefix, hint, "")?;
                    return Ok(());
                }
                is_list = true;
            }
            "items" => {
                is_list = true;
                let list_kind = kind_of(&prefix).and_then(Value::as_str).map(str::to_string);
                let mode = items_mode(list_kind.as_deref(), hint);
                if let ItemsMode::Of(Some(kind)) = mode
                    && list_kind.as_deref() != Some("List")
                {
                    loader.snapshot.present.insert(kind);
                }
                map.next_value_seed(Items { loader: &mut *loader, mode, deferred: &mut deferred })?;
            }
            _ => {
                let value: Value = map.next_value()?;
                prefix.push((key, value));
            }
        }
    }
    let list_kind = kind_of(&prefix).and_then(Value::as_str).map(str::to_string);
    if !is_list {
        let object = Value::Object(prefix.into_iter().collect());
        return loader.ingest_value(object, hint, "");
    }
    // A typed list with no items still says that kind was listed.
    match items_mode(list_kind.as_deref(), hint) {
        ItemsMode::Of(Some(kind)) if list_kind.as_deref().is_some_and(|k| k != "List") => {
            loader.snapshot.present.insert(kind);
        }
        _ => {}
    }
    let late_hint = match items_mode(list_kind.as_deref(), hint) {
        ItemsMode::Of(kind) => kind,
        ItemsMode::Skip(_) => None,
    };
    let mut still_kindless = Vec::new();
    for (path, item) in deferred {
        match late_hint {
            Some(kind) => loader.ingest_value(item, Some(kind), &path)?,
            None => still_kindless.push((path, item)),
        }
    }
    loader.refuse_kindless(still_kindless)
}

enum ItemsMode {
    /// Items are objects; kindless ones take this kind.
    Of(Option<Kind>),
    /// A typed list of a kind the tool does not use: count its items, read none.
    Skip(String),
}

fn items_mode(list_kind: Option<&str>, hint: Option<Kind>) -> ItemsMode {
    match list_kind.and_then(|k| k.strip_suffix("List")) {
        None | Some("") => ItemsMode::Of(hint),
        Some(kind) => match Kind::from_name(kind) {
            Some(kind) => ItemsMode::Of(Some(kind)),
            None => ItemsMode::Skip(kind.to_string()),
        },
    }
}

struct Items<'l, 'd> {
    loader: &'l mut Loader,
    mode: ItemsMode,
    deferred: &'d mut Vec<(String, Value)>,
}

impl<'de> DeserializeSeed<'de> for Items<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Items<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of Kubernetes objects under `items`")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let hint = match self.mode {
            ItemsMode::Skip(kind) => {
                let mut count = 0;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    count += 1;
                }
                *self.loader.skipped.entry(kind).or_default() += count;
                return Ok(());
            }
            ItemsMode::Of(hint) => hint,
        };
        let mut index = 0;
        loop {
            let item = Item {
                loader: &mut *self.loader,
                hint,
                path: format!("items[{index}]"),
                deferred: &mut *self.deferred,
            };
            if seq.next_element_seed(item)?.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }
}

/// One object inside a List or a top-level sequence.
struct Item<'l, 'd> {
    loader: &'l mut Loader,
    hint: Option<Kind>,
    path: String,
    deferred: &'d mut Vec<(String, Value)>,
}

impl<'de> DeserializeSeed<'de> for Item<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Item<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a Kubernetes object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        if let Some(kindless) = item_rest(self.loader, map, Vec::new(), self.hint, &self.path)? {
            self.deferred.push((self.path, kindless));
        }
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(self.loader.refuse("expected a Kubernetes object, found nothing".to_string()))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(self.loader.refuse("expected a Kubernetes object, found a boolean".to_string()))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(self.loader.refuse("expected a Kubernetes object, found a number".to_string()))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(self.loader.refuse("expected a Kubernetes object, found a number".to_string()))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(self.loader.refuse("expected a Kubernetes object, found a number".to_string()))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(self.loader.refuse("expected a Kubernetes object, found a string".to_string()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.loader.refuse("expected a Kubernetes object, found a list".to_string()))
    }
}

/// Reads an object's keys until its kind (and, for a pod, its metadata) is known, then the rest
/// as the typed object. Hands the object back as a value when it has no kind and no hint gives
/// one: a List's own kind may come after its items.
fn item_rest<'de, A: MapAccess<'de>>(
    loader: &mut Loader,
    mut map: A,
    mut prefix: Vec<(String, Value)>,
    hint: Option<Kind>,
    path: &str,
) -> Result<Option<Value>, A::Error> {
    let mut exhausted = false;
    let kind = loop {
        let kind = match kind_of(&prefix) {
            Some(Value::String(kind)) => Some(kind.clone()),
            Some(other) => return Err(loader.refuse(format!("`kind` must be a string, found {}", value_kind(other)))),
            None => hint.map(|k| k.name().to_string()),
        };
        let has_metadata = prefix.iter().any(|(k, _)| k == "metadata");
        if let Some(kind) = &kind
            && (kind != "Pod" || has_metadata || exhausted)
        {
            break kind.clone();
        }
        if exhausted {
            return Ok(Some(Value::Object(prefix.into_iter().collect())));
        }
        match map.next_key::<String>()? {
            // kubectl's order: the pod's metadata decides how much of the rest to read.
            Some(key) if key == "metadata" && kind.as_deref() == Some("Pod") => {
                let metadata = map.next_value().map_err(|e: A::Error| loader.misread(Kind::Pod, "metadata", e))?;
                loader.normalise(Kind::Pod, &mut prefix);
                loader.pod(metadata, map, path)?;
                return Ok(None);
            }
            Some(key) => {
                let value: Value = map.next_value()?;
                prefix.push((key, value));
            }
            None => exhausted = true,
        }
    };
    let Some(kind) = loader.admit(&kind, &prefix)? else {
        if !exhausted {
            while map.next_key::<IgnoredAny>()?.is_some() {
                map.next_value::<IgnoredAny>()?;
            }
        }
        return Ok(None);
    };
    let written = prefix.iter().find(|(k, _)| k == "apiVersion").and_then(|(_, v)| v.as_str()).map(str::to_string);
    if kind == Kind::Event && written.as_deref() == Some("events.k8s.io/v1") {
        // Renamed fields: read as a value and converted.
        if !exhausted {
            while let Some(key) = map.next_key::<String>()? {
                let value: Value = map.next_value()?;
                prefix.push((key, value));
            }
        }
        loader.ingest_value(Value::Object(prefix.into_iter().collect()), Some(kind), path)?;
        return Ok(None);
    }
    let keep_whole =
        kind != Kind::Pod || loader.keeps_pod(prefix.iter().find(|(k, _)| k == "metadata").map(|(_, v)| v));
    loader.normalise(kind, &mut prefix);
    let replay = Replay { prefix: prefix.into_iter(), value: None, rest: (!exhausted).then_some(map) };
    loader.ingest_from(kind, keep_whole, de::value::MapAccessDeserializer::new(replay), path, written)?;
    Ok(None)
}

/// The keys already read, then the rest of the mapping from the parser.
struct Replay<A> {
    prefix: std::vec::IntoIter<(String, Value)>,
    value: Option<Value>,
    rest: Option<A>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        if let Some((key, value)) = self.prefix.next() {
            self.value = Some(value);
            return seed.deserialize(key.into_deserializer()).map(Some);
        }
        match self.rest.as_mut() {
            Some(rest) => rest.next_key_seed(seed),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        if let Some(value) = self.value.take() {
            return seed.deserialize(value).map_err(de::Error::custom);
        }
        match self.rest.as_mut() {
            Some(rest) => rest.next_value_seed(seed),
            None => Err(de::Error::custom("a value without its key")),
        }
    }
}

/// The fields of a pod after its metadata, whole.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodRest {
    pub spec: Option<k8s_openapi::api::core::v1::PodSpec>,
    pub status: Option<k8s_openapi::api::core::v1::PodStatus>,
}

/// The fields of a folded pod after its metadata.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SlimRest {
    pub spec: Option<SlimSpec>,
    pub status: Option<SlimStatus>,
}

/// What a pod no DaemonSet in question owns contributes: its place, requests, host ports, and
/// the times that move the snapshot's `asOf`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SlimPod {
    pub metadata: SlimMeta,
    pub spec: Option<SlimSpec>,
    pub status: Option<SlimStatus>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SlimMeta {
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub uid: Option<String>,
    pub creation_timestamp: Option<Time>,
    pub owner_references: Option<Vec<OwnerReference>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SlimSpec {
    pub node_name: Option<String>,
    pub host_network: Option<bool>,
    pub containers: Vec<SlimContainer>,
    pub init_containers: Option<Vec<SlimContainer>>,
    pub overhead: Option<BTreeMap<String, Quantity>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SlimContainer {
    pub name: String,
    pub resources: Option<ResourceRequirements>,
    pub ports: Option<Vec<ContainerPort>>,
    pub restart_policy: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SlimStatus {
    pub phase: Option<String>,
    pub conditions: Option<Vec<SlimCondition>>,
    pub container_statuses: Option<Vec<SlimContainerStatus>>,
    pub init_container_statuses: Option<Vec<SlimContainerStatus>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SlimCondition {
    pub last_transition_time: Option<Time>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SlimContainerStatus {
    pub state: Option<SlimState>,
    pub last_state: Option<SlimState>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SlimState {
    pub running: Option<SlimRunning>,
    pub terminated: Option<SlimTerminated>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SlimRunning {
    pub started_at: Option<Time>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SlimTerminated {
    pub finished_at: Option<Time>,
}

/// A parser's message without the position it appends or prefixes: the loader prints the file's
/// line itself.
pub(super) fn bare(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message).trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let first = match first.rfind(" at line ") {
        Some(at) if first[at..].contains(" column ") => &first[..at],
        _ => first,
    };
    let first = match first.strip_prefix("line ").and_then(|rest| rest.split_once(": ")) {
        Some((_, after)) => after,
        None => first,
    };
    first.to_string()
}
