//! Cluster state from files: `kubectl get -o yaml|json` output, multi-document YAML, JSON value
//! streams, `List` envelopes, `kubectl cluster-info dump` (directory or stdout) and OpenShift
//! must-gather / `oc adm inspect` trees. The content decides the format, not the file name.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use serde_json::Value;

use super::InputError;
use super::positions::FieldLines;
use crate::snapshot::{Kind, Origin, Snapshot};

mod input;
mod invalid;
mod stream;

use input::{Checked, Refusal};
use serde::de::DeserializeSeed;

/// What a user names with `--from` or `-f`: a file, a directory, or `-` for stdin.
pub const STDIN: &str = "-";

/// What the command needs whole. Pods no DaemonSet in question can own are folded per node into
/// what the scheduler's filters read ([`Snapshot::folded`]); so are events about other objects.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Need {
    /// Every object whole.
    #[default]
    Everything,
    /// The pods every DaemonSet could own (a DaemonSet controller, or none), for views of all
    /// DaemonSets.
    DaemonSets,
    /// What one DaemonSet's verdicts read: its pods, orphans it could adopt, its events and its
    /// pods' events. Without a namespace, the DaemonSet of that name in any namespace.
    DaemonSet { name: String, namespace: Option<String> },
}

impl Need {
    fn keeps_pod(&self, meta: &ObjectMeta) -> bool {
        let controller = meta.owner_references.iter().flatten().find(|o| o.controller == Some(true));
        match self {
            Need::Everything => true,
            Need::DaemonSets => controller.is_none_or(|o| o.kind == "DaemonSet"),
            Need::DaemonSet { name, namespace } => {
                namespace.as_ref().is_none_or(|ns| meta.namespace.as_ref() == Some(ns))
                    && controller.is_none_or(|o| o.kind == "DaemonSet" && &o.name == name)
            }
        }
    }

    fn keeps_event(&self, event: &k8s_openapi::api::core::v1::Event) -> bool {
        let Need::DaemonSet { name, namespace } = self else { return true };
        let about = &event.involved_object;
        let in_namespace = namespace.as_ref().is_none_or(|ns| about.namespace.as_ref() == Some(ns));
        let named = about.name.as_deref().unwrap_or_default();
        let mine = match about.kind.as_deref() {
            Some("DaemonSet") => named == name,
            Some("Pod") => named.strip_prefix(name.as_str()).is_some_and(|rest| rest.starts_with('-')),
            _ => false,
        };
        in_namespace && mine
    }
}

/// Reads every input into one snapshot, every object whole. Later inputs win over earlier ones
/// for the same object.
pub fn load(paths: &[String], stdin: &mut dyn Read) -> Result<Snapshot, InputError> {
    load_needed(paths, stdin, Need::Everything)
}

/// Reads every input, keeping whole only what `need` names.
pub fn load_needed(paths: &[String], stdin: &mut dyn Read, need: Need) -> Result<Snapshot, InputError> {
    let loader = Loader { need, ..Loader::default() };
    load_with(loader, paths, stdin).map(|(snapshot, _)| snapshot)
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
            loader.read("<stdin>", &mut *stdin, None, true)?;
            continue;
        }
        let root = Path::new(path);
        let metadata = std::fs::metadata(root).map_err(|e| InputError::new(path, None, io_message(&e)))?;
        if metadata.is_dir() {
            let (files, notes) = files_under(root)?;
            loader.notes.extend(notes);
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

/// The dump files below a directory, in a stable order, and notes on what the walk left out.
/// Logs and HTML reports are not objects. Links are followed (opening a file follows them
/// anyway); a directory reached twice through links is read once, which also ends link cycles.
/// A FIFO, socket or device named like a dump file is not one (kubectl and oc write regular
/// files), and opening a FIFO waits forever for a writer that never comes.
fn files_under(root: &Path) -> Result<(Vec<PathBuf>, Vec<String>), InputError> {
    let failed = |path: &Path, e: std::io::Error| InputError::new(path.display().to_string(), None, io_message(&e));
    let mut files = Vec::new();
    let mut notes = Vec::new();
    let mut walked: HashMap<PathBuf, PathBuf> = HashMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let real = dir.canonicalize().map_err(|e| failed(&dir, e))?;
        if let Some(first) = walked.get(&real) {
            notes.push(format!("skipped {}: the same directory as {}, read once", dir.display(), first.display()));
            continue;
        }
        walked.insert(real, dir.clone());
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(&dir).map_err(|e| failed(&dir, e))? {
            let entry = entry.map_err(|e| failed(&dir, e))?;
            let file_type = entry.file_type().map_err(|e| failed(&entry.path(), e))?;
            entries.push((entry.path(), file_type));
        }
        // Sorted, so that which of two links to one directory is read does not depend on the
        // file system's order.
        entries.sort_by(|a, b| b.0.cmp(&a.0));
        for (path, file_type) in entries {
            let dump_name = matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"));
            let file_type = match file_type.is_symlink() {
                false => file_type,
                true => match std::fs::metadata(&path) {
                    Ok(target) => target.file_type(),
                    // A dangling link named like a dump file stood for part of the dump.
                    Err(e) if dump_name => return Err(failed(&path, e)),
                    Err(_) => continue,
                },
            };
            if file_type.is_dir() {
                pending.push(path);
            } else if dump_name && file_type.is_file() {
                files.push(path);
            } else if dump_name {
                notes.push(format!(
                    "skipped {}: {}, not a regular file (name it with --from to read it)",
                    path.display(),
                    special_file(&file_type)
                ));
            }
        }
    }
    files.sort();
    Ok((files, notes))
}

fn special_file(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    let _ = file_type;
    "a special file"
}

struct Loader {
    need: Need,
    snapshot: Snapshot,
    /// Identity of each object kept, to its kind, index and where it was read.
    seen: HashMap<String, (Kind, usize, String)>,
    /// Identities of folded pods: a second copy of a pod must not be counted twice.
    folded_seen: HashSet<String>,
    folded_twice: usize,
    folded_newest: Option<Timestamp>,
    skipped: BTreeMap<String, usize>,
    /// Objects of an older apiVersion read as the current one.
    converted: BTreeMap<String, usize>,
    notes: Vec<String>,
    /// Where each DaemonSet was written, when the caller asks.
    located: Option<Vec<Located>>,
    /// DaemonSets of the current document, with their path in it, waiting for its field lines.
    pending: Vec<(Located, String)>,
    /// Why a seed stopped the parser: the parser only carries a message.
    failure: Option<InputError>,
    /// The field the failure is about, in the document (`items[2].status.allocatable.cpu`), when
    /// it was found after the object was read: its line is looked up in the document's text.
    failure_field: Option<String>,
    /// The file being read, and the line of the current document (YAML) or none (JSON).
    file: String,
    document_line: Option<u64>,
}

impl Default for Loader {
    fn default() -> Self {
        Self {
            need: Need::Everything,
            snapshot: Snapshot::empty(Origin::Offline { paths: Vec::new() }),
            seen: HashMap::new(),
            folded_seen: HashSet::new(),
            folded_twice: 0,
            folded_newest: None,
            skipped: BTreeMap::new(),
            converted: BTreeMap::new(),
            notes: Vec::new(),
            located: None,
            pending: Vec::new(),
            failure: None,
            failure_field: None,
            file: String::new(),
            document_line: None,
        }
    }
}

/// YAML events per input byte are at most one, so the event and node budgets follow the input's
/// size; stdin's size is unknown, and gets this bound (documented in BENCHMARKS.md).
const STDIN_YAML_BOUND: usize = 4 << 30;

impl Loader {
    fn read_file(&mut self, path: &Path, named: bool) -> Result<(), InputError> {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|e| InputError::new(&name, None, io_message(&e)))?;
        // A FIFO (`--from <(kubectl get ...)`) reports no size: it is bounded like stdin.
        let size = file.metadata().ok().filter(|m| m.is_file()).map(|m| m.len() as usize);
        self.read(&name, file, size, named)
    }

    #[cfg(test)]
    fn read_text(&mut self, name: &str, bytes: &[u8], named: bool) -> Result<(), InputError> {
        self.read(name, bytes, Some(bytes.len()), named)
    }

    /// Reads one input, whatever its format: the first character decides (`{` or `[`: JSON).
    fn read(&mut self, name: &str, reader: impl Read, size: Option<usize>, named: bool) -> Result<(), InputError> {
        let refusal = Refusal::default();
        let mut input = BufReader::with_capacity(1 << 20, Checked::new(reader, name, refusal.clone()));
        let mut blank_lines = 0u64;
        let first = loop {
            let buffer = match input.fill_buf() {
                Ok(buffer) => buffer,
                Err(e) => return Err(refused(&refusal, name, &e)),
            };
            if buffer.is_empty() {
                break None;
            }
            match buffer.iter().position(|b| !b.is_ascii_whitespace()) {
                Some(at) => break Some(buffer[at]),
                None => {
                    let n = buffer.len();
                    blank_lines += memchr::memchr_iter(b'\n', buffer).count() as u64;
                    input.consume(n);
                }
            }
        };
        self.file = name.to_string();
        let hint = kind_from_file_name(name);
        match first {
            None if named => {
                Err(InputError::new(name, None, "empty input: expected Kubernetes objects in YAML or JSON"))
            }
            None => Ok(()),
            Some(b'{' | b'[') => self.read_json(input, hint, blank_lines, &refusal),
            Some(_) => self.read_yaml(input, hint, size.unwrap_or(STDIN_YAML_BOUND), blank_lines, &refusal),
        }
    }

    /// A JSON value stream: one object, a List, objects back to back (`kubectl --local -o json`),
    /// or `kubectl cluster-info dump` stdout (its pod logs blanked by the reader).
    fn read_json(
        &mut self,
        input: impl Read,
        hint: Option<Kind>,
        blank_lines: u64,
        refusal: &Refusal,
    ) -> Result<(), InputError> {
        self.document_line = None;
        let mut parser = serde_json::Deserializer::from_reader(input);
        while parser.end().is_err() {
            if let Err(e) = (stream::Document { loader: self, hint }).deserialize(&mut parser) {
                let line = e.line() as u64 + blank_lines;
                let failure = self.failure.take();
                // JSON keeps no positions: a field found after its object was read is refused
                // at the line where the object ends.
                self.failure_field = None;
                if let Some(refusal) = refusal.borrow_mut().take() {
                    return Err(refusal);
                }
                // A syntax error inside a typed field is still a syntax error.
                return Err(match failure.filter(|_| e.is_data()) {
                    Some(failure) => InputError { line: failure.line.or(Some(line)), ..failure },
                    None => {
                        let what = if e.is_eof() { "truncated JSON" } else { "invalid JSON" };
                        let cause = stream::bare(&e.to_string());
                        // The line is the message's prefix; the column still helps on the one
                        // long line of `kubectl ... -o json | jq -c`.
                        let message = match cause.as_str() {
                            "recursion limit exceeded" => format!(
                                "JSON nested deeper than {JSON_MAX_DEPTH} levels at column {} (the parser's limit): \
                                 {TOO_DEEP}",
                                e.column()
                            ),
                            _ => format!("{what}: {cause} (column {})", e.column()),
                        };
                        InputError::new(&self.file, Some(line), message)
                    }
                });
            }
        }
        Ok(())
    }

    /// YAML documents split at `---` lines the way kubectl's reader splits them, each parsed as
    /// it is read.
    fn read_yaml(
        &mut self,
        input: impl BufRead,
        hint: Option<Kind>,
        bound: usize,
        blank_lines: u64,
        refusal: &Refusal,
    ) -> Result<(), InputError> {
        let mut documents = Documents::new(input, blank_lines);
        loop {
            let first_line = match documents.start() {
                Ok(Some(line)) => line,
                Ok(None) => return Ok(()),
                Err(e) => return Err(refused(refusal, &self.file, &e)),
            };
            self.document_line = Some(first_line);
            let result = serde_saphyr::with_deserializer_from_reader_with_options(
                &mut documents,
                yaml_options(bound),
                |parser| stream::Document { loader: &mut *self, hint }.deserialize(parser),
            );
            let (templated, text) = documents.finish().map_err(|e| refused(refusal, &self.file, &e))?;
            if let Err(e) = result {
                let failure = self.failure.take();
                if let Some(refusal) = refusal.borrow_mut().take() {
                    return Err(refusal);
                }
                let failure = match (failure, self.failure_field.take(), text.as_deref()) {
                    (Some(failure), Some(field), Some(text)) => {
                        let line = FieldLines::of_yaml(text, first_line).line_of(&field);
                        Some(InputError { line: line.or(failure.line), ..failure })
                    }
                    (failure, _, _) => failure,
                };
                return Err(match failure {
                    Some(failure) => self.yaml_failure(failure, &e, first_line, text.as_deref(), templated),
                    None => yaml_error(&self.file, first_line, &e, templated),
                });
            }
            self.place_pending(text.as_deref(), first_line);
        }
    }

    /// A refusal of the loader's own, unless the document's text shows the real cause: the
    /// typed read meets a bad value before the parser meets the syntax error that caused it
    /// (`name: [unclosed` is a sequence where a name belongs, and then unclosed).
    fn yaml_failure(
        &self,
        failure: InputError,
        error: &serde_saphyr::Error,
        first_line: u64,
        text: Option<&str>,
        templated: bool,
    ) -> InputError {
        if templated || error.to_string().contains("duplicate mapping key") {
            return yaml_error(&self.file, first_line, error, templated);
        }
        let line = error.location().map(|l| l.line() + first_line - 1);
        if let Some(limit) = yaml_limit(error) {
            return InputError::new(&self.file, line.or(failure.line).or(Some(first_line)), limit);
        }
        let syntax = text.and_then(|t| granit_parser::Parser::new_from_str(t).find_map(Result::err));
        if let Some(syntax) = syntax {
            let line = syntax.marker().line() as u64 + first_line - 1;
            let message = match syntax.kind() {
                granit_parser::ErrorKind::RecursionLimitExceeded => too_deep("YAML"),
                _ => format!("invalid YAML: {}", syntax.info()),
            };
            return InputError::new(&self.file, Some(line), message);
        }
        InputError { line: failure.line.or(line).or(Some(first_line)), ..failure }
    }

    /// Gives the DaemonSets of the document just read their field lines.
    fn place_pending(&mut self, text: Option<&str>, first_line: u64) {
        if self.pending.is_empty() {
            return;
        }
        let Some(located) = self.located.as_mut() else { return };
        let lines = text.map(|t| FieldLines::of_yaml(t, first_line)).unwrap_or_default();
        for (mut place, path) in self.pending.drain(..) {
            let fields = if path.is_empty() { lines.clone() } else { lines.below(&path) };
            place.line = fields.line_of("").unwrap_or(first_line);
            place.fields = fields;
            located.push(place);
        }
    }

    /// Stops the parser with a message of the loader's own (the parser adds where).
    fn refuse<E: serde::de::Error>(&mut self, message: String) -> E {
        self.failure = Some(InputError::new(&self.file, None, &message));
        E::custom(message)
    }

    fn not_an_object<E: serde::de::Error>(&mut self, found: &Value) -> E {
        self.refuse(format!(
            "expected a Kubernetes object (a mapping with apiVersion, kind, metadata), found {}",
            value_kind(found)
        ))
    }

    fn refuse_kindless<E: serde::de::Error>(&mut self, kindless: Vec<(String, Value)>) -> Result<(), E> {
        match kindless.is_empty() {
            true => Ok(()),
            false => Err(self
                .refuse("object has no `kind`: expected a Kubernetes object (apiVersion, kind, metadata)".to_string())),
        }
    }

    /// The kind the tool reads this object as, or none for kinds it does not use (counted).
    fn admit<E: serde::de::Error>(&mut self, kind: &str, _: &[(String, Value)]) -> Result<Option<Kind>, E> {
        if kind == "Kustomization" {
            return Err(self.refuse(
                "a kustomization, not Kubernetes objects: pipe the rendered objects instead \
                 (kustomize build DIR | kubectl ds ... -f -)"
                    .to_string(),
            ));
        }
        let found = Kind::from_name(kind);
        if found.is_none() {
            *self.skipped.entry(kind.to_string()).or_default() += 1;
        }
        Ok(found)
    }

    fn keeps_pod(&self, metadata: Option<&Value>) -> bool {
        if self.need == Need::Everything {
            return true;
        }
        let text =
            |v: Option<&Value>, key: &str| v.and_then(|v| v.get(key)).and_then(Value::as_str).map(str::to_string);
        let owners = metadata.and_then(|m| m.get("ownerReferences")).and_then(Value::as_array);
        let controller =
            owners.into_iter().flatten().find(|o| o.get("controller").and_then(Value::as_bool) == Some(true)).map(
                |o| OwnerReference {
                    kind: text(Some(o), "kind").unwrap_or_default(),
                    name: text(Some(o), "name").unwrap_or_default(),
                    controller: Some(true),
                    ..OwnerReference::default()
                },
            );
        let meta = ObjectMeta {
            namespace: text(metadata, "namespace"),
            owner_references: controller.map(|c| vec![c]),
            ..ObjectMeta::default()
        };
        self.need.keeps_pod(&meta)
    }

    /// k8s-openapi accepts only the current apiVersion; older DaemonSet versions
    /// (extensions/v1beta1, apps/v1beta2) share every field the engine reads.
    fn normalise(&mut self, kind: Kind, fields: &mut Vec<(String, Value)>) {
        let written = fields.iter().position(|(k, _)| k == "apiVersion");
        let current = Value::String(kind.api_version().to_string());
        match written {
            Some(at) => {
                let was = std::mem::replace(&mut fields[at].1, current);
                let was = was.as_str().unwrap_or_default();
                if !was.is_empty() && was != kind.api_version() && was != "events.k8s.io/v1" {
                    *self.converted.entry(format!("{} {was}", kind.name())).or_default() += 1;
                }
            }
            None => fields.push(("apiVersion".to_string(), current)),
        }
        match fields.iter().position(|(k, _)| k == "kind") {
            Some(at) => fields[at].1 = Value::String(kind.name().to_string()),
            None => fields.push(("kind".to_string(), Value::String(kind.name().to_string()))),
        }
    }

    /// An object read as a JSON value first (keys out of kubectl's order, kindless List items,
    /// events.k8s.io/v1 events).
    fn ingest_value<E: serde::de::Error>(&mut self, value: Value, hint: Option<Kind>, path: &str) -> Result<(), E> {
        let Value::Object(mut object) = value else { return Err(self.not_an_object(&value)) };
        let kind = match object.get("kind") {
            Some(Value::String(kind)) => kind.clone(),
            Some(other) => return Err(self.refuse(format!("`kind` must be a string, found {}", value_kind(other)))),
            None => match hint {
                Some(kind) => kind.name().to_string(),
                None => return self.refuse_kindless(vec![(path.to_string(), Value::Object(object))]),
            },
        };
        let Some(kind) = self.admit(&kind, &[])? else { return Ok(()) };
        let written = object.get("apiVersion").and_then(Value::as_str).map(str::to_string);
        if kind == Kind::Event && written.as_deref() == Some("events.k8s.io/v1") {
            events_v1_to_core(&mut object);
        }
        let keep_whole = kind != Kind::Pod || self.keeps_pod(object.get("metadata"));
        let mut fields: Vec<(String, Value)> = object.into_iter().collect();
        self.normalise(kind, &mut fields);
        let value = Value::Object(fields.into_iter().collect());
        self.ingest_from(kind, keep_whole, value, path, written).map_err(E::custom)
    }

    /// Reads the rest of an object as its typed form and keeps it, or folds it.
    fn ingest_from<'de, D: serde::Deserializer<'de>>(
        &mut self,
        kind: Kind,
        keep_whole: bool,
        object: D,
        path: &str,
        written: Option<String>,
    ) -> Result<(), D::Error> {
        use k8s_openapi::api::core::v1::Node;
        match kind {
            Kind::Pod if !keep_whole => {
                let pod = self.slim(object)?;
                self.refuse_after(kind, path, invalid::name(kind, pod.metadata.name.as_deref()))?;
                let checked = pod.spec.as_ref().map_or(Ok(()), invalid::slim_spec);
                self.refuse_after(kind, path, checked)?;
                self.fold(pod);
            }
            Kind::Pod => {
                let pod: k8s_openapi::api::core::v1::Pod = self.typed(kind, object)?;
                let checked = pod.spec.as_ref().map_or(Ok(()), |spec| invalid::pod_spec("spec", spec));
                self.refuse_after(kind, path, checked)?;
                self.store(kind, path, pod, |s| &mut s.pods)?;
            }
            Kind::Node => {
                let mut node: Node = self.typed(kind, object)?;
                self.refuse_after(kind, path, invalid::node(&node))?;
                if self.need != Need::Everything
                    && let Some(status) = node.status.as_mut()
                {
                    // 40 images a node, and no rule reads them.
                    status.images = None;
                }
                self.store(kind, path, node, |s| &mut s.nodes)?;
            }
            Kind::DaemonSet => {
                let ds: DaemonSet = self.typed(kind, object)?;
                // `lint` reads manifests as written and reports what the API server would refuse
                // as findings (DS102, DS107), with a rule ID and a hint.
                if self.located.is_none() {
                    self.refuse_after(kind, path, invalid::name(kind, ds.metadata.name.as_deref()))?;
                    self.refuse_after(kind, path, invalid::daemonset(&ds))?;
                }
                if self.located.is_some() {
                    let place = Located {
                        namespace: ds.metadata.namespace.clone(),
                        name: ds.metadata.name.clone().unwrap_or_default(),
                        ds: ds.clone(),
                        file: self.file.clone(),
                        line: self.document_line.unwrap_or(1),
                        api_version: written,
                        fields: FieldLines::default(),
                    };
                    match self.document_line {
                        Some(_) => self.pending.push((place, path.to_string())),
                        None => self.located.iter_mut().for_each(|l| l.push(place.clone())),
                    }
                }
                self.store(kind, path, ds, |s| &mut s.daemonsets)?;
            }
            Kind::ControllerRevision => {
                let revision = self.typed(kind, object)?;
                self.store(kind, path, revision, |s| &mut s.revisions)?;
            }
            Kind::Event => {
                let event: k8s_openapi::api::core::v1::Event = self.typed(kind, object)?;
                self.snapshot.present.insert(kind);
                if self.need.keeps_event(&event) {
                    self.store(kind, path, event, |s| &mut s.events)?;
                }
            }
            Kind::Namespace => {
                let namespace = self.typed(kind, object)?;
                self.store(kind, path, namespace, |s| &mut s.namespaces)?;
            }
            Kind::PriorityClass => {
                let class = self.typed(kind, object)?;
                self.store(kind, path, class, |s| &mut s.priority_classes)?;
            }
            Kind::RuntimeClass => {
                let class = self.typed(kind, object)?;
                self.refuse_after(kind, path, invalid::runtime_class(&class))?;
                self.store(kind, path, class, |s| &mut s.runtime_classes)?;
            }
            Kind::ServiceAccount => {
                let account = self.typed(kind, object)?;
                self.store(kind, path, account, |s| &mut s.service_accounts)?;
            }
        }
        Ok(())
    }

    /// A pod whose metadata came first, as kubectl writes it: the rest read whole or folded.
    fn pod<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        metadata: ObjectMeta,
        rest: A,
        path: &str,
    ) -> Result<(), A::Error> {
        use k8s_openapi::api::core::v1::Pod;
        let rest = serde::de::value::MapAccessDeserializer::new(rest);
        if self.need.keeps_pod(&metadata) {
            let rest: stream::PodRest = self.typed(Kind::Pod, rest)?;
            let checked = rest.spec.as_ref().map_or(Ok(()), |spec| invalid::pod_spec("spec", spec));
            self.refuse_after(Kind::Pod, path, checked)?;
            self.store(Kind::Pod, path, Pod { metadata, spec: rest.spec, status: rest.status }, |s| &mut s.pods)?;
            return Ok(());
        }
        let rest: stream::SlimRest =
            serde::Deserialize::deserialize(rest).map_err(|e: A::Error| self.misread(Kind::Pod, "", e))?;
        self.refuse_after(Kind::Pod, path, invalid::name(Kind::Pod, metadata.name.as_deref()))?;
        self.refuse_after(Kind::Pod, path, rest.spec.as_ref().map_or(Ok(()), invalid::slim_spec))?;
        let metadata = stream::SlimMeta {
            name: metadata.name,
            namespace: metadata.namespace,
            uid: metadata.uid,
            creation_timestamp: metadata.creation_timestamp,
            owner_references: metadata.owner_references,
        };
        self.fold(stream::SlimPod { metadata, spec: rest.spec, status: rest.status });
        Ok(())
    }

    /// Refuses an object read whole whose content the API server would have refused: the parser
    /// has moved past the field, so its line is looked up afterwards (YAML) or is where the object
    /// ends (JSON).
    fn refuse_after<E: serde::de::Error>(
        &mut self,
        kind: Kind,
        object: &str,
        checked: Result<(), invalid::Refused>,
    ) -> Result<(), E> {
        let Err((field, why)) = checked else { return Ok(()) };
        self.failure_field = Some(match (object.is_empty(), field.is_empty()) {
            (_, true) => object.to_string(),
            (true, false) => field.clone(),
            (false, false) => format!("{object}.{field}"),
        });
        let message = if field.is_empty() { why } else { format!("{} field `{field}`: {why}", kind.name()) };
        Err(self.refuse(message))
    }

    /// Records a refusal for a value read without its field path.
    fn misread<E: std::fmt::Display>(&mut self, kind: Kind, field: &str, error: E) -> E {
        let field = if field.is_empty() { String::new() } else { format!(" field `{field}`") };
        let message = format!("{}{field}: {}", kind.name(), stream::bare(&error.to_string()));
        self.failure = Some(InputError::new(&self.file, None, message));
        error
    }

    /// A folded pod, or a refusal naming the kind (the parser adds the line and column). Tracking
    /// the field path costs a quarter of the loader's time, and the bulk of a dump is these pods.
    fn slim<'de, D: serde::Deserializer<'de>>(&mut self, object: D) -> Result<stream::SlimPod, D::Error> {
        serde::Deserialize::deserialize(object).map_err(|e: D::Error| self.misread(Kind::Pod, "", e))
    }

    /// The typed object, or a refusal naming the field (the parser adds the line).
    fn typed<'de, T: serde::Deserialize<'de>, D: serde::Deserializer<'de>>(
        &mut self,
        kind: Kind,
        object: D,
    ) -> Result<T, D::Error> {
        serde_path_to_error::deserialize(object).map_err(|e| {
            // `?` stands for a segment the path lost track of (an error between two keys).
            let path = e.path().to_string();
            let path = path.trim_end_matches(".?").trim_end_matches('?');
            let field = if path.is_empty() { String::new() } else { format!(" field `{path}`") };
            let inner = e.into_inner();
            let message = format!("{}{field}: {}", kind.name(), stream::bare(&inner.to_string()));
            self.failure = Some(InputError::new(&self.file, None, message));
            inner
        })
    }

    fn store<E: serde::de::Error, T: PartialEq + k8s_openapi::Metadata<Ty = ObjectMeta>>(
        &mut self,
        kind: Kind,
        path: &str,
        object: T,
        list: impl FnOnce(&mut Snapshot) -> &mut Vec<T>,
    ) -> Result<(), E> {
        self.refuse_after(kind, path, invalid::name(kind, object.metadata().name.as_deref()))?;
        self.snapshot.present.insert(kind);
        let identity = identity(kind, object.metadata());
        let existing = identity.as_ref().and_then(|(key, _)| self.seen.get(key)).map(|(_, index, _)| *index);
        let list = list(&mut self.snapshot);
        let (index, previous_equal) = match existing {
            Some(index) => {
                let equal = list[index] == object;
                list[index] = object;
                (index, Some(equal))
            }
            None => {
                list.push(object);
                (list.len() - 1, None)
            }
        };
        let Some((identity, label)) = identity else { return Ok(()) };
        let here = match self.document_line {
            Some(line) => format!("{}:{line}", self.file),
            None => self.file.clone(),
        };
        if let Some((_, _, first)) = self.seen.get(&identity)
            && previous_equal == Some(false)
        {
            self.notes
                .push(format!("{label} appears twice and the copies differ ({first} and {here}): using the later one"));
        }
        self.seen.insert(identity, (kind, index, here));
        Ok(())
    }

    /// Adds a pod the command does not need whole to its node's totals.
    fn fold(&mut self, pod: stream::SlimPod) {
        use k8s_openapi::api::core::v1::{Container, PodSpec};
        self.snapshot.present.insert(Kind::Pod);
        let times = pod.metadata.creation_timestamp.iter().chain(pod.status.iter().flat_map(|s| {
            let conditions = s.conditions.iter().flatten().filter_map(|c| c.last_transition_time.as_ref());
            let containers = s.container_statuses.iter().flatten().chain(s.init_container_statuses.iter().flatten());
            let states = containers.flat_map(|c| [c.state.as_ref(), c.last_state.as_ref()]).flatten();
            let moments = states.flat_map(|state| {
                [
                    state.running.as_ref().and_then(|r| r.started_at.as_ref()),
                    state.terminated.as_ref().and_then(|t| t.finished_at.as_ref()),
                ]
            });
            conditions.chain(moments.flatten())
        }));
        for time in times {
            self.folded_newest = Some(self.folded_newest.map_or(time.0, |n| n.max(time.0)));
        }
        let meta = &pod.metadata;
        let key =
            format!("{}/{}", meta.namespace.as_deref().unwrap_or_default(), meta.name.as_deref().unwrap_or_default());
        let identity = meta.uid.clone().filter(|u| !u.is_empty()).unwrap_or_else(|| key.clone());
        if !self.folded_seen.insert(identity) {
            self.folded_twice += 1;
            return;
        }
        let terminal = matches!(pod.status.as_ref().and_then(|s| s.phase.as_deref()), Some("Succeeded" | "Failed"));
        let Some(spec) = pod.spec.filter(|_| !terminal) else { return };
        let Some(node) = spec.node_name.clone().filter(|n| !n.is_empty()) else { return };
        let container = |c: stream::SlimContainer| Container {
            name: c.name,
            resources: c.resources,
            ports: c.ports,
            restart_policy: c.restart_policy,
            ..Container::default()
        };
        let spec = PodSpec {
            node_name: spec.node_name,
            host_network: spec.host_network,
            containers: spec.containers.into_iter().map(container).collect(),
            init_containers: spec.init_containers.map(|cs| cs.into_iter().map(container).collect()),
            overhead: spec.overhead,
            ..PodSpec::default()
        };
        let owner = meta.owner_references.iter().flatten().find(|o| o.controller == Some(true));
        let owner = owner.map(|o| format!("{} {}", o.kind, o.name));
        let ports = crate::engine::fit::host_ports(&spec)
            .into_iter()
            .map(|p| crate::snapshot::FoldedPort {
                ip: p.ip,
                protocol: p.protocol,
                port: p.port,
                pod: key.clone(),
                owner: owner.clone(),
            })
            .collect();
        let requests = crate::engine::fit::pod_requests(&spec);
        self.snapshot.folded.entry(node).or_default().add(&key, requests, ports);
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
        if self.folded_twice > 0 {
            self.notes.push(format!("{} pods appear more than once: each counted once", self.folded_twice));
        }
        snapshot.notes.extend(self.notes);
        snapshot.as_of = match (newest_timestamp(&snapshot), self.folded_newest) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        snapshot
    }
}

/// The input's own refusal (not text, unreadable) if the reader recorded one, else the I/O error.
fn refused(refusal: &Refusal, name: &str, error: &std::io::Error) -> InputError {
    refusal.borrow_mut().take().unwrap_or_else(|| InputError::new(name, None, format!("cannot read: {error}")))
}

/// uid when the object has one, else kind/namespace/name; and how to name it to a person.
fn identity(kind: Kind, meta: &ObjectMeta) -> Option<(String, String)> {
    let name = meta.name.as_deref().unwrap_or_default();
    let namespace = meta.namespace.as_deref();
    let label = match namespace {
        Some(ns) => format!("{} {ns}/{name}", kind.name()),
        None => format!("{} {name}", kind.name()),
    };
    let key = match meta.uid.as_deref() {
        Some(uid) if !uid.is_empty() => format!("uid:{uid}"),
        _ if name.is_empty() => return None,
        _ => format!("{}/{}/{name}", kind.name(), namespace.unwrap_or_default()),
    };
    Some((key, label))
}

/// The YAML documents of one input, split at `---` lines; reading it reads the current one.
///
/// The input is read in pieces of at most [`PIECE`] bytes, a line or a part of one, so that a
/// line of hundreds of megabytes (a comment, a flow mapping) streams like any other.
struct Documents<R> {
    input: R,
    /// The line the current piece belongs to.
    line: u64,
    current: Vec<u8>,
    position: usize,
    /// The current piece is the start of a line.
    starts_line: bool,
    /// The last piece read ended its line.
    line_complete: bool,
    /// The current document has ended (a separator or the end of the input was read).
    ended: bool,
    at_end: bool,
    templated: bool,
    /// The current document's text while it is small enough to keep: for field lines and for
    /// telling a syntax error from a bad value. Dumps are single documents of hundreds of MB.
    text: Option<String>,
}

const KEPT_DOCUMENT_TEXT: usize = 16 << 20;
const PIECE: usize = 64 << 10;

impl<R: BufRead> Documents<R> {
    fn new(input: R, lines_before: u64) -> Self {
        Self {
            input,
            line: lines_before,
            current: Vec::new(),
            position: 0,
            starts_line: true,
            line_complete: true,
            ended: true,
            at_end: false,
            templated: false,
            text: Some(String::new()),
        }
    }

    /// Reads up to the end of the line or [`PIECE`] bytes; false at the end of the input.
    fn next_piece(&mut self) -> std::io::Result<bool> {
        self.current.clear();
        self.position = 0;
        loop {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let room = &buf[..buf.len().min(PIECE - self.current.len())];
            let (take, done) = match memchr::memchr(b'\n', room) {
                Some(newline) => (newline + 1, true),
                None => (room.len(), self.current.len() + room.len() == PIECE),
            };
            self.current.extend_from_slice(&room[..take]);
            self.input.consume(take);
            if done {
                break;
            }
        }
        if self.current.is_empty() {
            self.at_end = true;
            return Ok(false);
        }
        self.starts_line = self.line_complete;
        if self.starts_line {
            self.line += 1;
        }
        self.line_complete = self.current.ends_with(b"\n");
        Ok(true)
    }

    /// Drops the rest of the current line.
    fn skip_rest_of_line(&mut self) -> std::io::Result<()> {
        while !self.line_complete && self.next_piece()? {}
        self.current.clear();
        self.position = 0;
        Ok(())
    }

    fn at_separator(&self) -> bool {
        let line = &self.current;
        let content = line.strip_suffix(b"\n").unwrap_or(line);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        self.starts_line && (content == b"---" || content.starts_with(b"--- ") || content.starts_with(b"---\t"))
    }

    /// Skips to the next document with content; its first line, or none at the end.
    fn start(&mut self) -> std::io::Result<Option<u64>> {
        loop {
            if self.at_end || !self.next_piece()? {
                return Ok(None);
            }
            let trimmed = self.current.trim_ascii();
            let nothing = trimmed.is_empty() || trimmed.starts_with(b"#") || trimmed == b"...";
            if self.at_separator() || (self.starts_line && nothing) {
                self.skip_rest_of_line()?;
                continue;
            }
            self.ended = false;
            self.templated = false;
            self.text = Some(String::new());
            self.note();
            return Ok(Some(self.line));
        }
    }

    fn note(&mut self) {
        let piece = &self.current;
        if memchr::memchr_iter(b'{', piece).any(|i| matches!(piece.get(i + 1), Some(b'{' | b'%'))) {
            self.templated = true;
        }
        if let Some(text) = self.text.as_mut() {
            text.push_str(&String::from_utf8_lossy(piece));
            if text.len() > KEPT_DOCUMENT_TEXT {
                self.text = None;
            }
        }
    }

    /// Reads what the parser left of the document; whether it looked like a template, and its
    /// text when kept.
    fn finish(&mut self) -> std::io::Result<(bool, Option<String>)> {
        let mut sink = [0u8; 8192];
        while self.read(&mut sink)? > 0 {}
        Ok((self.templated, self.text.take()))
    }
}

impl<R: BufRead> Read for Documents<R> {
    /// Fills `out` with as many pieces of the document as fit: the parser pays per call.
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let mut written = 0;
        while !self.ended && written < out.len() {
            if self.position == self.current.len() {
                if !self.next_piece()? || self.at_separator() {
                    self.skip_rest_of_line()?;
                    self.ended = true;
                    break;
                }
                self.note();
            }
            let n = (out.len() - written).min(self.current.len() - self.position);
            out[written..written + n].copy_from_slice(&self.current[self.position..self.position + n]);
            self.position += n;
            written += n;
        }
        Ok(written)
    }
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

/// Budgets for YAML read from an input of `input_len` bytes. Real dumps exceed serde-saphyr's
/// defaults (1M events, 256 MiB read), so the event, node and byte budgets grow with the input:
/// never more than one parser event per input byte, which keeps the work linear in the text.
/// kubectl never writes anchors or aliases, so those stay small, which stops alias bombs.
pub fn yaml_options(input_len: usize) -> serde_saphyr::Options {
    let document_len = input_len;
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = document_len.max(1_000_000);
    budget.max_nodes = document_len.max(250_000);
    budget.max_total_scalar_bytes = document_len.max(1 << 20);
    budget.max_aliases = MAX_ALIASES;
    budget.max_anchors = MAX_ALIASES;
    budget.max_recorded_anchor_events = MAX_REPLAYED_EVENTS;
    budget.max_recorded_anchor_bytes = 4 << 20;
    budget.max_depth = MAX_DEPTH;
    // The scanner's own limit on flow nesting (`{a: {a: ...`) reads ahead of the depth budget:
    // the same number, so that both say the same.
    budget.flow_nesting_limit = MAX_DEPTH;
    budget.max_total_comment_bytes = MAX_COMMENT_BYTES;
    budget.max_reader_input_bytes = Some(document_len.max(1 << 20));
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

/// How deep YAML may nest (the budget's depth).
const MAX_DEPTH: usize = 128;

/// How deep JSON may nest: serde_json's fixed recursion limit refuses the 128th level.
const JSON_MAX_DEPTH: usize = 127;

/// Anchors, and aliases, in one YAML document; and the events their aliases may replay.
const MAX_ALIASES: usize = 1_000;
const MAX_REPLAYED_EVENTS: usize = 100_000;

/// Comment text in one YAML document: serde-saphyr's default, named here to be named in messages.
const MAX_COMMENT_BYTES: usize = 64 << 20;

const TOO_DEEP: &str = "no Kubernetes object nests that deep; check that this is the dump you meant";

fn too_deep(format: &str) -> String {
    format!("{format} nested deeper than {MAX_DEPTH} levels (the parser's budget): {TOO_DEEP}")
}

/// A parser budget or limit the document went past, in words, with what the user can do; none
/// for other errors.
fn yaml_limit(error: &serde_saphyr::Error) -> Option<String> {
    use serde_saphyr::budget::BudgetBreach;
    let mut error = error;
    while let serde_saphyr::Error::WithSnippet { error: inner, .. }
    | serde_saphyr::Error::AliasError { error: inner, .. } = error
    {
        error = inner;
    }
    let aliases = format!(
        "YAML anchors and aliases beyond the parser's budget ({MAX_ALIASES} of each, {MAX_REPLAYED_EVENTS} \
         replayed values), which stops alias bombs: kubectl never writes them; expand them first (yq 'explode(.)')"
    );
    let too_large = |what: &str| {
        format!(
            "a YAML document with more {what} than the parser's budget for one document read from stdin or a \
             FIFO ({} GiB): pass the dump as a file, or split it at `---`",
            STDIN_YAML_BOUND >> 30
        )
    };
    match error {
        serde_saphyr::Error::Budget { breach, .. } => Some(match breach {
            BudgetBreach::Depth { .. } => too_deep("YAML"),
            BudgetBreach::CommentBytes { .. } => format!(
                "more than {} MiB of comments in one YAML document (the parser's budget): remove the comments \
                 or split the document at `---`",
                MAX_COMMENT_BYTES >> 20
            ),
            BudgetBreach::Events { .. } | BudgetBreach::Nodes { .. } => too_large("values"),
            BudgetBreach::ScalarBytes { .. } | BudgetBreach::InputBytes { .. } => too_large("bytes"),
            _ => aliases,
        }),
        serde_saphyr::Error::IOError { cause } if cause.kind() == std::io::ErrorKind::FileTooLarge => {
            Some(too_large("bytes"))
        }
        serde_saphyr::Error::ExternalMessage { msg, .. } if msg == "recursion limit exceeded" => Some(too_deep("YAML")),
        _ => None,
    }
}

fn yaml_error(name: &str, first_line: u64, error: &serde_saphyr::Error, templated: bool) -> InputError {
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
    let message = if templated {
        format!(
            "invalid YAML: {first}: this looks like an unrendered Helm or Go template ({{{{ ... }}}}); pipe the \
             rendered output instead (helm template RELEASE CHART | kubectl ds ... -f -)"
        )
    } else if first.contains("duplicate") && (first.contains("kind") || first.contains("apiVersion")) {
        format!(
            "{first}: several objects without `---` between them (as `kubectl ... --local -o yaml` prints them); separate them with `---` or use -o json"
        )
    } else if let Some(limit) = yaml_limit(error) {
        limit
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
