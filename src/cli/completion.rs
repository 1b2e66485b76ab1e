//! Shell completion both ways kubectl users meet it: static scripts for the `kubectl-ds` binary
//! (clap_complete), and kubectl's plugin completion protocol, which kubectl runs as
//! `kubectl_complete-ds WORDS... PARTIAL` and reads as one candidate per line (`value<TAB>help`)
//! followed by a `:<directive>` line (cobra's ShellCompDirective).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, anyhow};
use clap::{Arg, Command, CommandFactory};

use super::{Cli, Failure};
use crate::snapshot::Kind;
use crate::source::kubeconfig::{self, ConnectionFlags};
use crate::source::live;

/// What kubectl names the completion helper of the plugin `ds`.
pub const HELPER_NAME: &str = "kubectl_complete-ds";

/// cobra's ShellCompDirective bits.
const NO_FILE_COMP: u8 = 4;
const DEFAULT: u8 = 0;

/// Cluster lookups during completion must not stall the prompt.
const CLUSTER_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # Let kubectl complete `kubectl ds <TAB>` (puts kubectl_complete-ds beside kubectl-ds)
  kubectl ds completion install

  # A script for the kubectl-ds binary itself, for bash
  kubectl ds completion bash > /etc/bash_completion.d/kubectl-ds")]
pub struct CompletionArgs {
    #[command(subcommand)]
    pub what: CompletionCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum CompletionCommand {
    /// Print the completion script for the kubectl-ds binary
    #[command(name = "bash")]
    Bash,
    #[command(name = "zsh")]
    /// Print the completion script for the kubectl-ds binary
    Zsh,
    #[command(name = "fish")]
    /// Print the completion script for the kubectl-ds binary
    Fish,
    #[command(name = "powershell")]
    /// Print the completion script for the kubectl-ds binary
    Powershell,
    /// Install kubectl_complete-ds next to kubectl-ds, so that kubectl completes `kubectl ds`
    Install {
        /// Where to put it (default: the directory holding this kubectl-ds, as krew installs it)
        #[arg(long = "dir", value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// The static completion script for `shell`.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    let name = "kubectl-ds";
    match shell {
        Shell::Bash => clap_complete::generate(clap_complete::Shell::Bash, &mut command, name, &mut out),
        Shell::Zsh => clap_complete::generate(clap_complete::Shell::Zsh, &mut command, name, &mut out),
        Shell::Fish => clap_complete::generate(clap_complete::Shell::Fish, &mut command, name, &mut out),
        Shell::Powershell => clap_complete::generate(clap_complete::Shell::PowerShell, &mut command, name, &mut out),
    }
    out
}

pub fn run(args: CompletionArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let shell = match args.what {
        CompletionCommand::Bash => Shell::Bash,
        CompletionCommand::Zsh => Shell::Zsh,
        CompletionCommand::Fish => Shell::Fish,
        CompletionCommand::Powershell => Shell::Powershell,
        CompletionCommand::Install { dir } => return install(dir, out),
    };
    out.write_all(&script(shell))?;
    Ok(0)
}

/// krew installs one binary per plugin (kubernetes-sigs/krew#812), so the helper is a symlink to
/// this same binary, which answers as the helper when called by that name.
fn install(dir: Option<PathBuf>, out: &mut dyn Write) -> Result<u8, Failure> {
    let binary = std::env::current_exe().context("cannot find the running kubectl-ds").map_err(Failure::usage)?;
    let binary = binary.canonicalize().unwrap_or(binary);
    let dir = match dir {
        Some(dir) => dir,
        None => installed_dir()
            .ok_or_else(|| Failure::usage(anyhow!("cannot tell where kubectl-ds is installed: use --dir")))?,
    };
    let helper = dir.join(HELPER_NAME);
    if helper.symlink_metadata().is_ok() {
        std::fs::remove_file(&helper)
            .with_context(|| format!("cannot replace {}", helper.display()))
            .map_err(Failure::usage)?;
    }
    link(&binary, &helper).with_context(|| format!("cannot create {}", helper.display())).map_err(Failure::usage)?;
    writeln!(out, "installed {} -> {}", helper.display(), binary.display())?;
    writeln!(out, "kubectl now completes `kubectl ds <TAB>` (with kubectl's own completion loaded in the shell)")?;
    Ok(0)
}

/// The directory on PATH holding `kubectl-ds` (krew's bin directory when installed by krew).
fn installed_dir() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find(|dir| dir.join("kubectl-ds").exists())
}

#[cfg(unix)]
fn link(target: &Path, at: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, at)
}

#[cfg(not(unix))]
fn link(target: &Path, at: &Path) -> std::io::Result<()> {
    std::fs::copy(target, at).map(|_| ())
}

/// kubectl's plugin completion protocol. `words` are the words after `ds`, the last one being the
/// word under the cursor (`""` on a new word). Never writes to stderr: kubectl passes it through
/// to the prompt.
pub fn complete(words: &[String], out: &mut dyn Write) -> std::io::Result<()> {
    let (candidates, directive) = candidates(words);
    for (value, help) in candidates {
        match help {
            Some(help) if !help.is_empty() => writeln!(out, "{value}\t{}", one_line(&help))?,
            _ => writeln!(out, "{value}")?,
        }
    }
    writeln!(out, ":{directive}")
}

fn one_line(help: &str) -> String {
    help.lines().next().unwrap_or_default().to_string()
}

type Candidates = (Vec<(String, Option<String>)>, u8);

fn candidates(words: &[String]) -> Candidates {
    let command = Cli::command();
    let (partial, before) = match words.split_last() {
        Some((partial, before)) => (partial.as_str(), before),
        None => ("", &[][..]),
    };
    let top: Vec<&Arg> = command.get_arguments().collect();
    let Some(sub_name) = first_positional(&top, before) else {
        if let Some(values) = value_of_previous_flag(&top, before, partial) {
            return values;
        }
        if partial.starts_with('-') {
            return (flags_of(&top, partial), NO_FILE_COMP);
        }
        return (subcommands(&command, partial), NO_FILE_COMP);
    };
    let Some(sub) = command.find_subcommand(sub_name) else { return (Vec::new(), NO_FILE_COMP) };
    let after_sub: Vec<&String> = before.iter().skip_while(|w| *w != sub_name).skip(1).collect();
    if sub.has_subcommands() && after_sub.iter().all(|w| w.starts_with('-')) {
        return (subcommands(sub, partial), NO_FILE_COMP);
    }
    let args: Vec<&Arg> = sub.get_arguments().collect();
    if let Some(values) = value_of_previous_flag(&args, before, partial) {
        return values;
    }
    if partial.starts_with('-') {
        return (flags_of(&args, partial), NO_FILE_COMP);
    }
    match positional_kind(&args) {
        Some(kind) => {
            let names = from_cluster(before, kind);
            (filtered(names.into_iter().map(|n| (n, None)).collect(), partial), NO_FILE_COMP)
        }
        None => (Vec::new(), NO_FILE_COMP),
    }
}

/// What a subcommand's positional argument names: a DaemonSet (`explain NAME`, `lint NAMES...`)
/// or a node (`node NODE`).
fn positional_kind(args: &[&Arg]) -> Option<Kind> {
    args.iter().filter(|a| a.is_positional()).find_map(|a| match a.get_id().as_str() {
        "name" | "names" => Some(Kind::DaemonSet),
        "node" => Some(Kind::Node),
        _ => None,
    })
}

/// The first word that is neither a flag nor a flag's value: the subcommand.
fn first_positional<'w>(args: &[&Arg], words: &'w [String]) -> Option<&'w String> {
    let mut words = words.iter();
    while let Some(word) = words.next() {
        if !word.starts_with('-') {
            return Some(word);
        }
        let takes_value = args.iter().any(|a| names_flag(a, word) && a.get_action().takes_values());
        if takes_value && !word.contains('=') {
            words.next();
        }
    }
    None
}

/// Completions for a flag's value, when the previous word is a flag that takes one.
fn value_of_previous_flag(args: &[&Arg], before: &[String], partial: &str) -> Option<Candidates> {
    let flag = before.last().filter(|w| w.starts_with('-'))?;
    let arg = args.iter().find(|a| names_flag(a, flag) && a.get_action().takes_values())?;
    Some(flag_values(arg, before, partial))
}

fn flags_of(args: &[&Arg], partial: &str) -> Vec<(String, Option<String>)> {
    let mut flags = Vec::new();
    for arg in args.iter().filter(|a| !a.is_hide_set()) {
        let help = arg.get_help().map(ToString::to_string);
        if let Some(long) = arg.get_long() {
            flags.push((format!("--{long}"), help.clone()));
        }
        if let Some(short) = arg.get_short() {
            flags.push((format!("-{short}"), help));
        }
    }
    filtered(flags, partial)
}

fn subcommands(command: &Command, partial: &str) -> Vec<(String, Option<String>)> {
    let all = command
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| (s.get_name().to_string(), s.get_about().map(ToString::to_string)))
        .collect();
    filtered(all, partial)
}

fn filtered(candidates: Vec<(String, Option<String>)>, partial: &str) -> Vec<(String, Option<String>)> {
    candidates.into_iter().filter(|(value, _)| value.starts_with(partial)).collect()
}

fn names_flag(arg: &Arg, word: &str) -> bool {
    let word = word.split('=').next().unwrap_or(word);
    word.strip_prefix("--").is_some_and(|long| arg.get_long() == Some(long))
        || word
            .strip_prefix('-')
            .is_some_and(|short| short.len() == 1 && arg.get_short().map(String::from).as_deref() == Some(short))
}

fn flag_values(arg: &Arg, before: &[String], partial: &str) -> Candidates {
    let possible: Vec<(String, Option<String>)> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| (v.get_name().to_string(), v.get_help().map(ToString::to_string)))
        .collect();
    if !possible.is_empty() {
        return (filtered(possible, partial), NO_FILE_COMP);
    }
    let flags = flags_in(before);
    let names: Vec<String> = match arg.get_long() {
        Some("namespace") => from_cluster(before, Kind::Namespace),
        Some("node") => from_cluster(before, Kind::Node),
        Some("status") => crate::report::NodeStatus::ALL.iter().map(|s| s.as_str().to_string()).collect(),
        Some("context") => kubeconfig::kubeconfig_names(&flags)[0].clone(),
        Some("cluster") => kubeconfig::kubeconfig_names(&flags)[1].clone(),
        Some("user") => kubeconfig::kubeconfig_names(&flags)[2].clone(),
        // Paths (-f, --from, --kubeconfig, --config, ...): the shell completes files.
        _ => return (Vec::new(), DEFAULT),
    };
    (filtered(names.into_iter().map(|n| (n, None)).collect(), partial), NO_FILE_COMP)
}

/// The connection flags among the words typed so far.
fn flags_in(words: &[String]) -> ConnectionFlags {
    let mut flags = ConnectionFlags { request_timeout: Some(CLUSTER_TIMEOUT), ..ConnectionFlags::default() };
    let mut words = words.iter().peekable();
    while let Some(word) = words.next() {
        let (name, inline) = match word.split_once('=') {
            Some((name, value)) => (name, Some(value.to_string())),
            None => (word.as_str(), None),
        };
        let takes = matches!(name, "-n" | "--namespace" | "--context" | "--kubeconfig" | "--cluster" | "--user");
        if !takes {
            continue;
        }
        let Some(value) = inline.or_else(|| words.next().cloned()) else { break };
        match name {
            "-n" | "--namespace" => flags.namespace = Some(value),
            "--context" => flags.context = Some(value),
            "--kubeconfig" => flags.kubeconfig = Some(PathBuf::from(value)),
            "--cluster" => flags.cluster = Some(value),
            _ => flags.user = Some(value),
        }
    }
    flags
}

/// Names from the cluster the typed flags point at, or none if it does not answer in time.
fn from_cluster(words: &[String], kind: Kind) -> Vec<String> {
    let flags = flags_in(words);
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return Vec::new() };
    runtime.block_on(async {
        let lookup = async {
            let conn = kubeconfig::connect(&flags).await.ok()?;
            Some(live::names_for_completion(&conn, kind).await)
        };
        tokio::time::timeout(CLUSTER_TIMEOUT, lookup).await.ok().flatten().unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        let mut words: Vec<String> = line.split(' ').map(str::to_string).collect();
        if line.is_empty() {
            words = vec![String::new()];
        }
        words
    }

    fn values(line: &str) -> (Vec<String>, u8) {
        let (candidates, directive) = candidates(&words(line));
        (candidates.into_iter().map(|(v, _)| v).collect(), directive)
    }

    #[test]
    fn completes_subcommands_flags_and_fixed_values() {
        let (subs, directive) = values("");
        assert!(subs.contains(&"explain".to_string()) && subs.contains(&"lint".to_string()), "{subs:?}");
        assert_eq!(directive, NO_FILE_COMP);
        assert_eq!(values("w").0, ["why-not-scheduled"]);
        let (flags, _) = values("explain --st");
        assert_eq!(flags, ["--stuck-after", "--status"]);
        assert!(values("-").0.contains(&"--all-namespaces".to_string()), "the overview's flags");
        assert_eq!(values("lint -o s").0, ["sarif"]);
        assert_eq!(values("explain --status Stu").0, ["Stuck"]);
        assert_eq!(values("completion ").0, ["bash", "zsh", "fish", "powershell", "install"]);
    }

    #[test]
    fn positionals_complete_daemonsets_or_nodes() {
        let command = Cli::command();
        let kind = |sub: &str| {
            let sub = command.find_subcommand(sub).expect("subcommand");
            positional_kind(&sub.get_arguments().collect::<Vec<_>>())
        };
        assert_eq!(kind("explain"), Some(Kind::DaemonSet));
        assert_eq!(kind("why-not-scheduled"), Some(Kind::DaemonSet));
        assert_eq!(kind("rollout-status"), Some(Kind::DaemonSet));
        assert_eq!(kind("lint"), Some(Kind::DaemonSet));
        assert_eq!(kind("node"), Some(Kind::Node));
        assert_eq!(kind("version"), None);
    }

    #[test]
    fn paths_are_left_to_the_shell() {
        assert_eq!(values("explain --from "), (vec![], DEFAULT));
        assert_eq!(values("lint -f "), (vec![], DEFAULT));
    }

    #[test]
    fn connection_flags_are_read_from_the_typed_words() {
        let flags = flags_in(&words("explain -n kube-system --context=prod --kubeconfig /tmp/k x"));
        assert_eq!(flags.namespace.as_deref(), Some("kube-system"));
        assert_eq!(flags.context.as_deref(), Some("prod"));
        assert_eq!(flags.kubeconfig, Some(PathBuf::from("/tmp/k")));
    }

    #[test]
    fn output_ends_with_the_directive() {
        let mut out = Vec::new();
        complete(&words("ro"), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("rollout-status\t"), "{text}");
        assert!(text.ends_with("\n:4\n"), "{text}");
    }
}
