//! Cluster state from files: `kubectl get -o yaml|json` output, multi-document YAML, JSON value
//! streams, `List` envelopes, `kubectl cluster-info dump` (directory or stdout) and OpenShift
//! must-gather / `oc adm inspect` trees. The content decides the format, not the file name.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use k8s_openapi::api::apps::v1::DaemonSet;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::InputError;
use super::positions::FieldLines;
use crate::snapshot::{Kind, Origin, Snapshot};

/// What a user names with `--from` or `-f`: a file, a directory, or `-` for stdin.
pub const STDIN: &str = "-";

/// Reads every input into one snapshot. Later inputs win over earlier ones for the same object.
pub fn load(paths: &[String], stdin: &mut dyn Read) -> Result<Snapshot, InputError> {
    load_with(Loader::default(), paths, stdin).map(|(snapshot, _)| snapshot)
}

/// A DaemonSet of the input and where it was written: for `lint`, which lints every copy and
/// names files and lines.
#[derive(Clone, Debug)]
pub struct Located {
    pub ds: DaemonSet,
    pub namespace: Option<String>,
    pub name: String,
    pub file: String,
    pub line: u64,
    /// The apiVersion as written, before the loader read it as apps/v1.
    pub api_version: Option<String>,
    /// Lines of its fields; empty for JSON, whose parser keeps no positions.
    pub fields: FieldLines,
}

/// Like [`load`], and also every DaemonSet as written, in input order: two files holding the
/// same DaemonSet give two entries here (and one in the snapshot).
pub fn load_located(paths: &[String], stdin: &mut dyn Read) -> Result<(Snapshot, Vec<Located>), InputError> {
    let loader = Loader { located: Some(Vec::new()), ..Loader::default() };
    load_with(loader, paths, stdin).map(|(snapshot, located)| (snapshot, located.unwrap_or_default()))
}

fn load_with(
    mut loader: Loader,
    paths: &[String],
    stdin: &mut dyn Read,
) -> Result<(Snapshot, Option<Vec<Located>>), InputError> {
    for path in paths {
        if path == STDIN {
            let mut bytes = Vec::new();
            stdin.read_to_end(&mut bytes).map_err(|e| InputError::new("<stdin>", None, format!("cannot read: {e}")))?;
            loader.read_text("<stdin>", &bytes, true)?;
            continue;
        }
        let root = Path::new(path);
        let metadata = std::fs::metadata(root).map_err(|e| InputError::new(path, None, io_message(&e)))?;
        if metadata.is_dir() {
            let files = files_under(root)?;
            if files.is_empty() {
                return Err(InputError::new(path, None, "no *.yaml, *.yml or *.json files in this directory"));
            }
            for file in files {
                loader.read_file(&file, false)?;
            }
        } else {
            loader.read_file(root, true)?;
        }
    }
    let located = loader.located.take();
    Ok((loader.finish(Origin::Offline { paths: paths.to_vec() }), located))
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// The dump files below a directory, in a stable order. Logs and HTML reports are not objects.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>, InputError> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| InputError::new(dir.display().to_string(), None, io_message(&e)))?;
        for entry in entries {
            let entry = entry.map_err(|e| InputError::new(dir.display().to_string(), None, io_message(&e)))?;
            let path = entry.path();
            let file_type =
                entry.file_type().map_err(|e| InputError::new(path.display().to_string(), None, io_message(&e)))?;
            if file_type.is_dir() {
                pending.push(path);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// One parsed document, and where it came from so that a later type error can be located.
struct Document {
    value: Value,
    /// 1-based line of the document's first character.
    line: u64,
    text: std::ops::Range<usize>,
    json: bool,
}

struct Loader {
    snapshot: Snapshot,
    /// Identity of each object seen, to its kind, index and where it was read.
    seen: HashMap<String, (Kind, usize, String)>,
    skipped: BTreeMap<String, usize>,
    /// Objects of an older apiVersion read as the current one.
    converted: BTreeMap<String, usize>,
    notes: Vec<String>,
    /// Where each DaemonSet was written, when the caller asks.
    located: Option<Vec<Located>>,
}

impl Default for Loader {
    fn default() -> Self {
        Self {
            snapshot: Snapshot::empty(Origin::Offline { paths: Vec::new() }),
            seen: HashMap::new(),
            skipped: BTreeMap::new(),
            converted: BTreeMap::new(),
            notes: Vec::new(),
            located: None,
        }
    }
}

impl Loader {
    fn read_file(&mut self, path: &Path, named: bool) -> Result<(), InputError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| InputError::new(&name, None, io_message(&e)))?;
        self.read_text(&name, &bytes, named)
    }

    fn read_text(&mut self, name: &str, bytes: &[u8], named: bool) -> Result<(), InputError> {
        let text = decode(name, bytes)?;
        if text.trim().is_empty() {
            if named {
                return Err(InputError::new(name, None, "empty input: expected Kubernetes objects in YAML or JSON"));
            }
            return Ok(());
        }
        let hint = kind_from_file_name(name);
        let first = text.trim_start().chars().next();
        let documents =
            if matches!(first, Some('{' | '[')) { json_documents(name, text)? } else { yaml_documents(name, text)? };
        for doc in documents {
            self.ingest_document(name, text, doc, hint)?;
        }
        Ok(())
    }

    fn ingest_document(&mut self, file: &str, text: &str, doc: Document, hint: Option<Kind>) -> Result<(), InputError> {
        let Document { value, line, text: range, json } = doc;
        let locate = |item: Option<usize>, kind: Kind| {
            locate_type_error(kind, &text[range.clone()], json, item).map(|l| l + line - 1)
        };
        let fields = match &self.located {
            Some(_) if !json && mentions_daemonset(&value) => FieldLines::of_yaml(&text[range.clone()], line),
            _ => FieldLines::default(),
        };
        match value {
            Value::Null => Ok(()),
            Value::Array(items) => {
                for (index, item) in items.into_iter().enumerate() {
                    let place = self.place_of(file, &item, hint, line, FieldLines::default());
                    self.ingest_object(file, line, item, hint, &|kind| locate(Some(index), kind))?;
                    self.record(place);
                }
                Ok(())
            }
            Value::Object(_) => {
                let is_list = value.get("items").is_some_and(Value::is_array)
                    && value.get("kind").and_then(Value::as_str).is_none_or(|k| k.ends_with("List"));
                if !is_list {
                    let object_line = fields.line_of("").unwrap_or(line);
                    let place = self.place_of(file, &value, hint, object_line, fields);
                    self.ingest_object(file, line, value, hint, &|kind| locate(None, kind))?;
                    self.record(place);
                    return Ok(());
                }
                let list_kind = value.get("kind").and_then(Value::as_str).unwrap_or("List").to_string();
                let item_hint = match list_kind.strip_suffix("List") {
                    Some("") | None => hint,
                    Some(kind) => Kind::from_name(kind).or(hint),
                };
                let typed_list_of_unused = list_kind != "List" && item_hint.is_none();
                if list_kind != "List"
                    && let Some(kind) = item_hint
                {
                    self.snapshot.present.insert(kind);
                }
                let Value::Object(mut map) = value else { return Ok(()) };
                let Some(Value::Array(items)) = map.remove("items") else { return Ok(()) };
                for (index, mut item) in items.into_iter().enumerate() {
                    if typed_list_of_unused {
                        *self.skipped.entry(list_kind.trim_end_matches("List").to_string()).or_default() += 1;
                        continue;
                    }
                    // cluster-info dump writes items without kind: the list says it.
                    if let (Value::Object(obj), Some(kind)) = (&mut item, item_hint)
                        && !obj.contains_key("kind")
                    {
                        obj.insert("kind".into(), Value::String(kind.name().to_string()));
                    }
                    let item_fields = fields.below(&format!("items[{index}]"));
                    let item_line = item_fields.line_of("").unwrap_or(line);
                    let place = self.place_of(file, &item, item_hint, item_line, item_fields);
                    self.ingest_object(file, line, item, item_hint, &|kind| locate(Some(index), kind))?;
                    self.record(place);
                }
                Ok(())
            }
            other => Err(InputError::new(
                file,
                Some(line),
                format!(
                    "expected a Kubernetes object (a mapping with apiVersion, kind, metadata), found {}",
                    value_kind(&other)
                ),
            )),
        }
    }

    /// Where a DaemonSet was written, when the caller asked for positions.
    fn place_of(
        &self,
        file: &str,
        value: &Value,
        hint: Option<Kind>,
        line: u64,
        fields: FieldLines,
    ) -> Option<Located> {
        self.located.as_ref()?;
        let kind = value.get("kind").and_then(Value::as_str).or(hint.map(Kind::name))?;
        if kind != Kind::DaemonSet.name() {
            return None;
        }
        let meta = value.get("metadata");
        let text = |key: &str| meta.and_then(|m| m.get(key)).and_then(Value::as_str).map(str::to_string);
        let mut current = value.clone();
        if let Value::Object(obj) = &mut current {
            obj.insert("apiVersion".into(), Value::String(Kind::DaemonSet.api_version().to_string()));
            obj.insert("kind".into(), Value::String(Kind::DaemonSet.name().to_string()));
        }
        // A DaemonSet that does not type-check fails in `ingest_object` with its field and line.
        let ds = serde_json::from_value(current).ok()?;
        Some(Located {
            ds,
            namespace: text("namespace"),
            name: text("name").unwrap_or_default(),
            file: file.to_string(),
            line,
            api_version: value.get("apiVersion").and_then(Value::as_str).map(str::to_string),
            fields,
        })
    }

    fn record(&mut self, place: Option<Located>) {
        if let (Some(located), Some(place)) = (self.located.as_mut(), place) {
            located.push(place);
        }
    }

    fn ingest_object(
        &mut self,
        file: &str,
        line: u64,
        mut value: Value,
        hint: Option<Kind>,
        locate: &dyn Fn(Kind) -> Option<u64>,
    ) -> Result<(), InputError> {
        let Value::Object(obj) = &mut value else {
            return Err(InputError::new(
                file,
                Some(line),
                format!("expected a Kubernetes object, found {}", value_kind(&value)),
            ));
        };
        let kind_name = match obj.get("kind") {
            Some(Value::String(kind)) => kind.clone(),
            Some(other) => {
                return Err(InputError::new(
                    file,
                    Some(line),
                    format!("`kind` must be a string, found {}", value_kind(other)),
                ));
            }
            None => match hint {
                Some(kind) => kind.name().to_string(),
                None => {
                    return Err(InputError::new(
                        file,
                        Some(line),
                        "object has no `kind`: expected a Kubernetes object (apiVersion, kind, metadata)",
                    ));
                }
            },
        };
        if kind_name == "Kustomization" {
            return Err(InputError::new(
                file,
                Some(line),
                "a kustomization, not Kubernetes objects: pipe the rendered objects instead \
                 (kustomize build DIR | kubectl ds ... -f -)",
            ));
        }
        let Some(kind) = Kind::from_name(&kind_name) else {
            *self.skipped.entry(kind_name).or_default() += 1;
            return Ok(());
        };
        let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or_default().to_string();
        if kind == Kind::Event && api_version == "events.k8s.io/v1" {
            events_v1_to_core(obj);
        }
        // k8s-openapi refuses any apiVersion but the current one. Older DaemonSet versions
        // (extensions/v1beta1, apps/v1beta2) share every field the engine reads.
        if api_version != kind.api_version() {
            let renamed_events = kind == Kind::Event && api_version == "events.k8s.io/v1";
            if !api_version.is_empty() && !renamed_events {
                *self.converted.entry(format!("{kind_name} {api_version}")).or_default() += 1;
            }
            obj.insert("apiVersion".into(), Value::String(kind.api_version().to_string()));
        }
        let where_ = |l: Option<u64>| format!("{file}:{}", l.unwrap_or(line));
        let fail = |e: serde_path_to_error::Error<serde_json::Error>| {
            let path = e.path().to_string();
            let at = locate(kind).or(Some(line));
            InputError::new(file, at, format!("{kind_name} field `{path}`: {}", e.into_inner()))
        };
        let snapshot = &mut self.snapshot;
        snapshot.present.insert(kind);
        let identity = identity(kind, &value);
        let existing = identity.as_ref().and_then(|(key, _)| self.seen.get(key)).map(|(_, index, _)| *index);
        let (index, previous_equal) = match kind {
            Kind::Node => upsert(&mut snapshot.nodes, typed(value).map_err(fail)?, existing),
            Kind::DaemonSet => upsert(&mut snapshot.daemonsets, typed(value).map_err(fail)?, existing),
            Kind::Pod => upsert(&mut snapshot.pods, typed(value).map_err(fail)?, existing),
            Kind::ControllerRevision => upsert(&mut snapshot.revisions, typed(value).map_err(fail)?, existing),
            Kind::Event => upsert(&mut snapshot.events, typed(value).map_err(fail)?, existing),
            Kind::Namespace => upsert(&mut snapshot.namespaces, typed(value).map_err(fail)?, existing),
            Kind::PriorityClass => upsert(&mut snapshot.priority_classes, typed(value).map_err(fail)?, existing),
            Kind::RuntimeClass => upsert(&mut snapshot.runtime_classes, typed(value).map_err(fail)?, existing),
            Kind::ServiceAccount => upsert(&mut snapshot.service_accounts, typed(value).map_err(fail)?, existing),
        };
        if let Some((identity, label)) = identity {
            let here = where_(None);
            if let Some((_, _, first)) = self.seen.get(&identity)
                && previous_equal == Some(false)
            {
                self.notes.push(format!(
                    "{label} appears twice and the copies differ ({first} and {here}): using the later one"
                ));
            }
            self.seen.insert(identity, (kind, index, here));
        }
        Ok(())
    }

    fn finish(mut self, origin: Origin) -> Snapshot {
        let mut snapshot = std::mem::replace(&mut self.snapshot, Snapshot::empty(origin.clone()));
        snapshot.origin = origin;
        if !self.skipped.is_empty() {
            let total: usize = self.skipped.values().sum();
            let kinds: Vec<String> = self.skipped.iter().map(|(k, n)| format!("{k}: {n}")).collect();
            self.notes.push(format!("skipped {total} objects of kinds the tool does not use ({})", kinds.join(", ")));
        }
        for (what, count) in &self.converted {
            self.notes.push(format!("read {count} {what} objects as the current API version"));
        }
        snapshot.notes.extend(self.notes);
        snapshot.as_of = newest_timestamp(&snapshot);
        snapshot
    }
}

fn typed<T: DeserializeOwned>(value: Value) -> Result<T, serde_path_to_error::Error<serde_json::Error>> {
    serde_path_to_error::deserialize(value)
}

/// uid when the object has one, else kind/namespace/name; and how to name it to a person.
fn identity(kind: Kind, value: &Value) -> Option<(String, String)> {
    let meta = value.get("metadata")?;
    let name = meta.get("name").and_then(Value::as_str).unwrap_or_default();
    let namespace = meta.get("namespace").and_then(Value::as_str);
    let label = match namespace {
        Some(ns) => format!("{} {ns}/{name}", kind.name()),
        None => format!("{} {name}", kind.name()),
    };
    let key = match meta.get("uid").and_then(Value::as_str) {
        Some(uid) if !uid.is_empty() => format!("uid:{uid}"),
        _ if name.is_empty() => return None,
        _ => format!("{}/{}/{name}", kind.name(), namespace.unwrap_or_default()),
    };
    Some((key, label))
}

/// Adds or replaces; reports whether a replaced copy was equal to the new one.
fn upsert<T: PartialEq>(list: &mut Vec<T>, object: T, existing: Option<usize>) -> (usize, Option<bool>) {
    if let Some(index) = existing {
        let equal = list[index] == object;
        list[index] = object;
        return (index, Some(equal));
    }
    list.push(object);
    (list.len() - 1, None)
}

fn value_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn decode<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str, InputError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        let line = line_at(bytes, bytes.iter().position(|b| *b == 0).unwrap_or(0));
        return Err(InputError::new(name, Some(line), "binary data (NUL byte): expected YAML or JSON text"));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        InputError::new(name, Some(line_at(bytes, e.valid_up_to())), "invalid UTF-8: expected YAML or JSON text")
    })
}

fn line_at(bytes: &[u8], offset: usize) -> u64 {
    1 + bytes[..offset.min(bytes.len())].iter().filter(|b| **b == b'\n').count() as u64
}

/// A JSON value stream: one object, a List, objects back to back (`kubectl --local -o json`),
/// or `kubectl cluster-info dump` stdout, where pod logs sit between the lists inside
/// `==== START logs ... ==== END logs ...` banners.
fn json_documents(name: &str, text: &str) -> Result<Vec<Document>, InputError> {
    let mut documents = Vec::new();
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut line = 1u64;
    let advance = |from: usize, to: usize, line: &mut u64| {
        *line += bytes[from..to].iter().filter(|b| **b == b'\n').count() as u64
    };
    loop {
        let start = pos + text[pos..].len() - text[pos..].trim_start().len();
        advance(pos, start, &mut line);
        pos = start;
        if pos >= bytes.len() {
            return Ok(documents);
        }
        if text[pos..].starts_with("==== START logs for container") {
            let end = text[pos..]
                .match_indices("\n==== END logs for container")
                .next()
                .and_then(|(at, _)| text[pos + at + 1..].find('\n').map(|nl| pos + at + 1 + nl + 1))
                .unwrap_or(bytes.len());
            advance(pos, end, &mut line);
            pos = end;
            continue;
        }
        let mut stream = serde_json::Deserializer::from_str(&text[pos..]).into_iter::<Value>();
        match stream.next() {
            Some(Ok(value)) => {
                let end = pos + stream.byte_offset();
                documents.push(Document { value, line, text: pos..end, json: true });
                advance(pos, end, &mut line);
                pos = end;
            }
            Some(Err(e)) => {
                let what = if e.is_eof() { "truncated JSON" } else { "invalid JSON" };
                return Err(InputError::new(name, Some(line + e.line() as u64 - 1), format!("{what}: {e}")));
            }
            None => return Ok(documents),
        }
    }
}

/// Budgets for one YAML document. Real dumps exceed serde-saphyr's defaults (1M events), so the
/// event and node budgets grow with the document: never more than one parser event per input
/// byte, which keeps a document's parsed size linear in its text. kubectl never writes anchors
/// or aliases, so those stay small, which stops alias bombs.
pub fn yaml_options(document_len: usize) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = document_len.max(1_000_000);
    budget.max_nodes = document_len.max(250_000);
    budget.max_total_scalar_bytes = document_len.max(1 << 20);
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_recorded_anchor_events = 100_000;
    budget.max_recorded_anchor_bytes = 4 << 20;
    budget.max_depth = 128;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

/// Splits at `---` lines the way kubectl's YAML reader does, then parses each document.
fn yaml_documents(name: &str, text: &str) -> Result<Vec<Document>, InputError> {
    let mut documents = Vec::new();
    let mut start = 0;
    let mut start_line = 1u64;
    let mut offset = 0;
    let mut bounds = Vec::new();
    for (line, raw) in (1u64..).zip(text.split_inclusive('\n')) {
        let content = raw.trim_end_matches(['\n', '\r']);
        let separator = content == "---" || content.starts_with("--- ") || content.starts_with("---\t");
        if separator {
            bounds.push((start, offset, start_line));
            start = offset + raw.len();
            start_line = line + 1;
        }
        offset += raw.len();
    }
    bounds.push((start, text.len(), start_line));
    for (from, to, first_line) in bounds {
        let body = &text[from..to];
        if body.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#') || l.trim() == "...") {
            continue;
        }
        let value: Value = serde_saphyr::from_str_with_options(body, yaml_options(body.len()))
            .map_err(|e| yaml_error(name, first_line, &e, body))?;
        documents.push(Document { value, line: first_line, text: from..to, json: false });
    }
    Ok(documents)
}

fn error_mentions_template(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

/// Whether a document holds a DaemonSet (itself, or in a list), so positions are worth taking.
fn mentions_daemonset(value: &Value) -> bool {
    let is_ds = |v: &Value| v.get("kind").and_then(Value::as_str) == Some("DaemonSet");
    is_ds(value)
        || value.get("kind").and_then(Value::as_str) == Some("DaemonSetList")
        || value.get("items").and_then(Value::as_array).is_some_and(|items| items.iter().any(is_ds))
}

fn yaml_error(name: &str, first_line: u64, error: &serde_saphyr::Error, body: &str) -> InputError {
    let line = error.location().map(|l| l.line() + first_line - 1);
    let text = error.to_string();
    let mut first = text.lines().next().unwrap_or("invalid YAML").trim();
    first = first.strip_prefix("error: ").unwrap_or(first);
    // The position is ours to print, relative to the file rather than the document.
    if let Some(rest) = first.strip_prefix("line ")
        && let Some((_, after)) = rest.split_once(": ")
    {
        first = after;
    }
    let first = first.to_string();
    let message = if error_mentions_template(body) {
        format!(
            "invalid YAML: {first}: this looks like an unrendered Helm or Go template ({{{{ ... }}}}); pipe the \
             rendered output instead (helm template RELEASE CHART | kubectl ds ... -f -)"
        )
    } else if first.contains("duplicate") && (first.contains("kind") || first.contains("apiVersion")) {
        format!(
            "{first}: several objects without `---` between them (as `kubectl ... --local -o yaml` prints them); separate them with `---` or use -o json"
        )
    } else if first.contains("budget") || first.contains("limit") {
        format!("{first}: the document exceeds the parser's safety budget (aliases, nesting or size)")
    } else {
        format!("invalid YAML: {first}")
    };
    InputError::new(name, line.or(Some(first_line)), message)
}

/// cluster-info dump and must-gather name files after what they hold.
fn kind_from_file_name(name: &str) -> Option<Kind> {
    let stem = Path::new(name).file_stem()?.to_str()?;
    match stem {
        "nodes" => Some(Kind::Node),
        "daemonsets" => Some(Kind::DaemonSet),
        "pods" => Some(Kind::Pod),
        "controllerrevisions" => Some(Kind::ControllerRevision),
        "events" => Some(Kind::Event),
        "namespaces" => Some(Kind::Namespace),
        _ => None,
    }
}

/// events.k8s.io/v1 names the core fields differently; the engine reads core/v1.
fn events_v1_to_core(obj: &mut serde_json::Map<String, Value>) {
    for (from, to) in [
        ("regarding", "involvedObject"),
        ("note", "message"),
        ("deprecatedCount", "count"),
        ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedSource", "source"),
    ] {
        if let Some(value) = obj.remove(from) {
            obj.insert(to.to_string(), value);
        }
    }
}

thread_local! {
    static TARGET_ITEM: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Finds the line of a type error by parsing the document's text again straight into the typed
/// object: the first parse went through `Value`, which forgets positions.
fn locate_type_error(kind: Kind, text: &str, json: bool, item: Option<usize>) -> Option<u64> {
    use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
    use k8s_openapi::api::core::v1::{Event, Namespace, Node, Pod};
    use k8s_openapi::api::node::v1::RuntimeClass;
    use k8s_openapi::api::scheduling::v1::PriorityClass;
    fn probe<T: DeserializeOwned>(text: &str, json: bool, item: Option<usize>) -> Option<u64> {
        match item {
            None if json => serde_json::from_str::<T>(text).err().map(|e| e.line() as u64),
            None => serde_saphyr::from_str_with_options::<T>(text, yaml_options(text.len()))
                .err()?
                .location()
                .map(|l| l.line()),
            Some(index) => {
                TARGET_ITEM.with(|t| t.set(index));
                if json {
                    serde_json::from_str::<ItemProbe<T>>(text).err().map(|e| e.line() as u64)
                } else {
                    serde_saphyr::from_str_with_options::<ItemProbe<T>>(text, yaml_options(text.len()))
                        .err()?
                        .location()
                        .map(|l| l.line())
                }
            }
        }
    }
    match kind {
        Kind::Node => probe::<Node>(text, json, item),
        Kind::DaemonSet => probe::<DaemonSet>(text, json, item),
        Kind::Pod => probe::<Pod>(text, json, item),
        Kind::ControllerRevision => probe::<ControllerRevision>(text, json, item),
        Kind::Event => probe::<Event>(text, json, item),
        Kind::Namespace => probe::<Namespace>(text, json, item),
        Kind::PriorityClass => probe::<PriorityClass>(text, json, item),
        Kind::RuntimeClass => probe::<RuntimeClass>(text, json, item),
        Kind::ServiceAccount => probe::<k8s_openapi::api::core::v1::ServiceAccount>(text, json, item),
    }
}

/// Deserializes a list document, typing only the item `TARGET_ITEM` names; the rest are skipped.
struct ItemProbe<T>(std::marker::PhantomData<T>);

impl<'de, T: DeserializeOwned> serde::Deserialize<'de> for ItemProbe<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Top<T>(std::marker::PhantomData<T>);
        impl<'de, T: DeserializeOwned> serde::de::Visitor<'de> for Top<T> {
            type Value = ItemProbe<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list document")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while let Some(key) = map.next_key::<String>()? {
                    if key == "items" {
                        map.next_value::<Items<T>>()?;
                    } else {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(ItemProbe(std::marker::PhantomData))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Items::<T>::visit(seq)?;
                Ok(ItemProbe(std::marker::PhantomData))
            }
        }
        deserializer.deserialize_any(Top(std::marker::PhantomData))
    }
}

struct Items<T>(std::marker::PhantomData<T>);

impl<T: DeserializeOwned> Items<T> {
    fn visit<'de, A: serde::de::SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
        let target = TARGET_ITEM.with(|t| t.get());
        let mut index = 0;
        loop {
            let more = if index == target {
                seq.next_element::<T>()?.is_some()
            } else {
                seq.next_element::<serde::de::IgnoredAny>()?.is_some()
            };
            if !more {
                return Ok(());
            }
            index += 1;
        }
    }
}

impl<'de, T: DeserializeOwned> serde::Deserialize<'de> for Items<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: DeserializeOwned> serde::de::Visitor<'de> for V<T> {
            type Value = Items<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of objects")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Items::<T>::visit(seq)?;
                Ok(Items(std::marker::PhantomData))
            }
        }
        deserializer.deserialize_seq(V(std::marker::PhantomData))
    }
}

/// The newest moment the data speaks of: heartbeats, condition changes, container starts and
/// exits, event times, creations. Deletion deadlines lie in the future and are left out.
fn newest_timestamp(snapshot: &Snapshot) -> Option<Timestamp> {
    let mut newest: Option<Timestamp> = None;
    let mut see = |t: Option<Timestamp>| {
        if let Some(t) = t {
            newest = Some(newest.map_or(t, |n| n.max(t)));
        }
    };
    let created =
        |m: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| m.creation_timestamp.as_ref().map(|t| t.0);
    for node in &snapshot.nodes {
        see(created(&node.metadata));
        for c in node.status.iter().flat_map(|s| s.conditions.iter().flatten()) {
            see(c.last_heartbeat_time.as_ref().map(|t| t.0));
            see(c.last_transition_time.as_ref().map(|t| t.0));
        }
    }
    for pod in &snapshot.pods {
        see(created(&pod.metadata));
        let Some(status) = pod.status.as_ref() else { continue };
        for c in status.conditions.iter().flatten() {
            see(c.last_transition_time.as_ref().map(|t| t.0));
        }
        let containers =
            status.container_statuses.iter().flatten().chain(status.init_container_statuses.iter().flatten());
        for c in containers {
            for state in [c.state.as_ref(), c.last_state.as_ref()].into_iter().flatten() {
                see(state.running.as_ref().and_then(|r| r.started_at.as_ref()).map(|t| t.0));
                see(state.terminated.as_ref().and_then(|t| t.finished_at.as_ref()).map(|t| t.0));
            }
        }
    }
    for event in &snapshot.events {
        see(created(&event.metadata));
        see(event.last_timestamp.as_ref().map(|t| t.0));
        see(event.event_time.as_ref().map(|t| t.0));
        see(event.series.as_ref().and_then(|s| s.last_observed_time.as_ref()).map(|t| t.0));
    }
    for ds in &snapshot.daemonsets {
        see(created(&ds.metadata));
    }
    for revision in &snapshot.revisions {
        see(created(&revision.metadata));
    }
    newest
}

#[cfg(test)]
mod tests;
