//! Flags every subcommand shares: where the snapshot comes from and which rules apply.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::anyhow;
use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::apps::v1::DaemonSet;

use super::Failure;
use crate::engine::Options;
use crate::snapshot::Snapshot;
use crate::source::kubeconfig::{ConnectionFlags, connect, parse_request_timeout};
use crate::source::offline::Need;
use crate::source::{live, offline};
use crate::version::KubeVersion;

/// kubectl's connection flags. kubectl passes none of its own to plugins, so we parse them.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Cluster connection (as kubectl)")]
pub struct ClusterArgs {
    /// Path to the kubeconfig file (replaces KUBECONFIG)
    #[arg(long = "kubeconfig", value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,
    /// The kubeconfig context to use
    #[arg(long = "context")]
    pub context: Option<String>,
    /// The kubeconfig cluster to use
    #[arg(long = "cluster")]
    pub cluster: Option<String>,
    /// The kubeconfig user to use
    #[arg(long = "user")]
    pub user: Option<String>,
    /// How long to wait for each request: seconds or a duration (1s, 2m, 3h); 0, the default, sets
    /// no limit but gives up on a server silent for 60s
    #[arg(long = "request-timeout", value_name = "DURATION", default_value = "0", value_parser = request_timeout)]
    pub request_timeout: Duration,
    /// Username to impersonate
    #[arg(long = "as", value_name = "USER")]
    pub impersonate: Option<String>,
    /// Group to impersonate (repeatable)
    #[arg(long = "as-group", value_name = "GROUP")]
    pub impersonate_groups: Vec<String>,
    /// The address of the Kubernetes API server
    #[arg(short = 's', long = "server", value_name = "URL")]
    pub server: Option<String>,
    /// Bearer token for authentication to the API server
    #[arg(long = "token", hide_env_values = true)]
    pub token: Option<String>,
    /// Path to a CA certificate file for the server
    #[arg(long = "certificate-authority", value_name = "PATH")]
    pub certificate_authority: Option<PathBuf>,
    /// Do not check the server's certificate (insecure)
    #[arg(long = "insecure-skip-tls-verify")]
    pub insecure_skip_tls_verify: bool,
}

/// Zero stands for kubectl's "no limit".
fn request_timeout(text: &str) -> Result<Duration, String> {
    parse_request_timeout(text).map(Option::unwrap_or_default)
}

impl ClusterArgs {
    pub fn flags(&self, namespace: Option<String>) -> ConnectionFlags {
        ConnectionFlags {
            kubeconfig: self.kubeconfig.clone(),
            context: self.context.clone(),
            cluster: self.cluster.clone(),
            user: self.user.clone(),
            namespace,
            request_timeout: (!self.request_timeout.is_zero()).then_some(self.request_timeout),
            impersonate: self.impersonate.clone(),
            impersonate_groups: self.impersonate_groups.clone(),
            server: self.server.clone(),
            token: self.token.clone(),
            certificate_authority: self.certificate_authority.clone(),
            insecure_skip_tls_verify: self.insecure_skip_tls_verify,
        }
    }
}

#[derive(Debug, Clone, clap::Args)]
pub struct SnapshotArgs {
    /// Read cluster state from dumps instead of the API: a file, a directory, or - for stdin
    /// (kubectl get -o yaml|json, cluster-info dump, must-gather). Repeatable.
    #[arg(long = "from", value_name = "PATH")]
    pub from: Vec<String>,

    /// The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it.
    #[arg(short = 'n', long = "namespace")]
    pub namespace: Option<String>,

    /// Evaluate with this Kubernetes version's rules (default: the server's, offline the newest
    /// kubelet's).
    #[arg(long = "kubernetes-version", value_name = "VERSION")]
    pub kubernetes_version: Option<KubeVersion>,

    /// Evaluate as of this moment (RFC 3339). Offline default: the newest timestamp in the data.
    #[arg(long = "as-of", value_name = "TIME")]
    pub as_of: Option<Timestamp>,

    /// A pod not ready or still being created for longer than this is Stuck.
    #[arg(long = "stuck-after", value_name = "DURATION", default_value = "5m", value_parser = parse_duration)]
    pub stuck_after: SignedDuration,

    #[command(flatten)]
    pub cluster: ClusterArgs,
}

pub fn parse_duration(text: &str) -> Result<SignedDuration, String> {
    let parsed: SignedDuration =
        text.parse().map_err(|_| format!("invalid duration {text:?}: expected e.g. 90s, 5m, 1h30m"))?;
    if parsed.is_negative() {
        return Err(format!("invalid duration {text:?}: must not be negative"));
    }
    Ok(parsed)
}

/// Where the DaemonSet was looked up: the namespace the user meant, when that is known.
pub struct Loaded {
    pub snapshot: Snapshot,
    /// Live: the flag or the context's namespace. Offline: only the flag.
    pub namespace: Option<String>,
    /// Live: the connection, kept so that a command can read more without authenticating again
    /// (an exec credential plugin would run twice).
    pub session: Option<Session>,
}

/// A live connection and the runtime its client lives on.
pub struct Session {
    pub runtime: tokio::runtime::Runtime,
    pub conn: crate::source::kubeconfig::Connection,
}

/// A spinner on stderr while something that may take a while runs (a large dump, a big cluster);
/// drawn only on a terminal, cleared when done, so pipes and logs never see it.
pub struct Spinner(Option<indicatif::ProgressBar>);

impl Spinner {
    pub fn start(message: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        if !std::io::stderr().is_terminal() {
            return Spinner(None);
        }
        let bar = indicatif::ProgressBar::new_spinner().with_message(message);
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Spinner(Some(bar))
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

pub fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| Failure { code: 3, error: e.into() })
}

impl SnapshotArgs {
    pub fn is_live(&self) -> bool {
        self.from.is_empty()
    }

    /// The snapshot a command about one DaemonSet needs: from `--from` dumps, or read live.
    pub fn load_for_daemonset(&self, name: &str, manifest: Option<&DaemonSet>) -> Result<Loaded, Failure> {
        if !self.is_live() {
            let need = Need::DaemonSet { name: name.to_string(), namespace: self.namespace.clone() };
            return Ok(Loaded { snapshot: self.load_offline(need)?, namespace: self.namespace.clone(), session: None });
        }
        let flags = self.cluster.flags(self.namespace.clone());
        let runtime = runtime()?;
        let _spinner = Spinner::start(format!("reading daemonset {name} from the cluster"));
        let (snapshot, conn) = runtime.block_on(async {
            let conn = connect(&flags).await.map_err(Failure::access)?;
            let namespace = match manifest.and_then(|m| m.metadata.namespace.clone()) {
                Some(ns) if self.namespace.is_none() => ns,
                _ => conn.namespace.clone(),
            };
            let conn = crate::source::kubeconfig::Connection { namespace, ..conn };
            let snapshot = live::daemonset_snapshot(&conn, name, manifest).await.map_err(Failure::access)?;
            Ok::<_, Failure>((snapshot, conn))
        })?;
        Ok(Loaded { snapshot, namespace: Some(conn.namespace.clone()), session: Some(Session { runtime, conn }) })
    }

    /// The `--from` inputs, keeping whole what `need` names (the rest of the pods folded).
    pub fn load_offline(&self, need: Need) -> Result<Snapshot, Failure> {
        if self.from.iter().filter(|p| *p == offline::STDIN).count() > 1 {
            return Err(Failure::usage(anyhow::anyhow!("--from - (stdin) can be given only once")));
        }
        let mut stdin = std::io::stdin();
        if self.from.iter().any(|p| p == offline::STDIN) && stdin.is_terminal() {
            return Err(Failure::usage(anyhow::anyhow!(
                "--from - reads stdin, but stdin is a terminal: pipe a dump in"
            )));
        }
        let _spinner = Spinner::start(format!("reading {}", self.from.join(", ")));
        Ok(offline::load_needed(&self.from, &mut stdin, need)?)
    }

    pub fn engine_options(&self, snapshot: &Snapshot) -> Options {
        Options {
            as_of: self.as_of.or(snapshot.as_of).unwrap_or_else(Timestamp::now),
            version: self
                .kubernetes_version
                .or_else(|| snapshot.kubernetes_version())
                .unwrap_or(KubeVersion::NEWEST_KNOWN),
            stuck_after: self.stuck_after,
        }
    }
}

/// The candidate a mistyped name most likely meant, if any is close.
pub fn closest_name<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .filter(|candidate| *candidate != name)
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 3).max(2))
        .min()
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance, for "did you mean" on names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current.push((previous[j] + cost).min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// The DaemonSet by name; offline without -n, in the one namespace that holds it.
pub fn find_daemonset<'a>(
    snapshot: &'a Snapshot,
    name: &str,
    namespace: Option<&str>,
) -> Result<&'a DaemonSet, Failure> {
    let holders = snapshot.namespaces_with_daemonset(name);
    let namespace = match (namespace, holders.as_slice()) {
        (Some(ns), _) => ns.to_string(),
        (None, [only]) => only.clone(),
        (None, []) => return Err(not_found(snapshot, name, None)),
        (None, many) => {
            return Err(Failure::usage(anyhow!(
                "daemonset {name:?} exists in several namespaces ({}): choose one with -n",
                many.join(", ")
            )));
        }
    };
    snapshot
        .daemonsets
        .iter()
        .find(|ds| {
            ds.metadata.name.as_deref() == Some(name) && ds.metadata.namespace.as_deref() == Some(namespace.as_str())
        })
        .ok_or_else(|| not_found(snapshot, name, Some(&namespace)))
}

pub fn not_found(snapshot: &Snapshot, name: &str, namespace: Option<&str>) -> Failure {
    let mut all: Vec<String> = snapshot
        .daemonsets
        .iter()
        .map(|ds| {
            format!(
                "{}/{}",
                ds.metadata.namespace.as_deref().unwrap_or_default(),
                ds.metadata.name.as_deref().unwrap_or_default()
            )
        })
        .collect();
    all.sort();
    let place = namespace.map_or(String::new(), |ns| format!(" in namespace {ns:?}"));
    let mut message = format!("daemonset {name:?} not found{place}");
    if all.is_empty() {
        message.push_str("; the input holds no DaemonSets");
    } else {
        if let Some(candidate) =
            closest_name(name, snapshot.daemonsets.iter().filter_map(|ds| ds.metadata.name.as_deref()))
        {
            message.push_str(&format!("; did you mean {candidate:?}?"));
        }
        let elsewhere = snapshot.namespaces_with_daemonset(name);
        if !elsewhere.is_empty() {
            message.push_str(&format!("; it exists in namespace {}", elsewhere.join(", ")));
        }
        message.push_str(&format!("; DaemonSets in the input: {}", all.join(", ")));
    }
    Failure::usage(anyhow!(message))
}

/// What a command is about: a manifest not applied (`-f`, what-if), or a DaemonSet by name; and
/// the name to read from the cluster or the dump.
pub fn manifest_and_name(
    filename: Option<&str>,
    name: Option<&str>,
    snapshot: &SnapshotArgs,
) -> Result<(Option<DaemonSet>, String), Failure> {
    if filename == Some(offline::STDIN) && snapshot.from.iter().any(|p| p == offline::STDIN) {
        return Err(Failure::usage(anyhow!("-f - and --from - cannot both read stdin")));
    }
    let manifest = filename.map(|file| read_manifest(file, name, snapshot.namespace.as_deref())).transpose()?;
    let name = match &manifest {
        Some(manifest) => manifest.metadata.name.clone().unwrap_or_default(),
        None => name.unwrap_or_default().to_string(),
    };
    Ok((manifest, name))
}

fn read_manifest(file: &str, name: Option<&str>, namespace: Option<&str>) -> Result<DaemonSet, Failure> {
    let manifest = offline::load(&[file.to_string()], &mut std::io::stdin())?;
    let candidates: Vec<&DaemonSet> =
        manifest.daemonsets.iter().filter(|ds| name.is_none_or(|n| ds.metadata.name.as_deref() == Some(n))).collect();
    let mut chosen = match candidates.as_slice() {
        [one] => (*one).clone(),
        [] if manifest.daemonsets.is_empty() => {
            return Err(Failure::usage(anyhow!("{file}: no DaemonSet in this manifest")));
        }
        _ => {
            let names: Vec<&str> = manifest.daemonsets.iter().filter_map(|d| d.metadata.name.as_deref()).collect();
            return Err(Failure::usage(anyhow!(
                "{file}: {} DaemonSets ({}); name the one to use",
                names.len(),
                names.join(", ")
            )));
        }
    };
    if chosen.metadata.namespace.is_none() {
        chosen.metadata.namespace = Some(namespace.unwrap_or("default").to_string());
    } else if let Some(ns) = namespace
        && chosen.metadata.namespace.as_deref() != Some(ns)
    {
        return Err(Failure::usage(anyhow!(
            "{file}: the manifest's namespace {:?} differs from -n {ns:?}",
            chosen.metadata.namespace.as_deref().unwrap_or_default()
        )));
    }
    Ok(chosen)
}
