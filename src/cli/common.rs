//! Flags every subcommand shares: where the snapshot comes from and which rules apply.

use std::io::IsTerminal;

use jiff::{SignedDuration, Timestamp};

use super::Failure;
use crate::engine::Options;
use crate::snapshot::Snapshot;
use crate::source::offline;
use crate::version::KubeVersion;

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
}

pub fn parse_duration(text: &str) -> Result<SignedDuration, String> {
    let parsed: SignedDuration = text
        .parse()
        .map_err(|_| format!("invalid duration {text:?}: expected e.g. 90s, 5m, 1h30m"))?;
    if parsed.is_negative() {
        return Err(format!("invalid duration {text:?}: must not be negative"));
    }
    Ok(parsed)
}

impl SnapshotArgs {
    pub fn load(&self) -> Result<Snapshot, Failure> {
        if self.from.is_empty() {
            return Err(Failure::usage(anyhow::anyhow!(
                "no input: pass --from PATH with cluster dumps (reading a live cluster is not available in this build)"
            )));
        }
        if self.from.iter().filter(|p| *p == offline::STDIN).count() > 1 {
            return Err(Failure::usage(anyhow::anyhow!("--from - (stdin) can be given only once")));
        }
        let mut stdin = std::io::stdin();
        if self.from.iter().any(|p| p == offline::STDIN) && stdin.is_terminal() {
            return Err(Failure::usage(anyhow::anyhow!(
                "--from - reads stdin, but stdin is a terminal: pipe a dump in"
            )));
        }
        Ok(offline::load(&self.from, &mut stdin)?)
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

/// Levenshtein distance, for "did you mean" on names.
pub fn edit_distance(a: &str, b: &str) -> usize {
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
