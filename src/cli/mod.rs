//! The command line: clap definitions, and one file per subcommand that maps flags to options
//! and calls the library. Exit codes: 0 done, 1 a verdict the user asked to fail on, 2 bad
//! usage or unreadable input, 3 cluster access failure.

mod common;
pub mod completion;
mod explain;
mod lint;
mod overview;
mod rollout_status;
pub mod selector;
mod version;
mod why_not_scheduled;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use common::{SnapshotArgs, closest_name};

#[derive(Debug, Parser)]
#[command(
    name = "kubectl-ds",
    bin_name = "kubectl ds",
    version,
    about = "Explains, per node, why a DaemonSet's pod is present, missing or stuck",
    long_about = None,
)]
#[command(args_conflicts_with_subcommands = true)]
#[command(after_help = "Without a subcommand: every DaemonSet of the namespace (-A: of the cluster) with desired,
ready and updated counts, the nodes missing a pod or stuck, and the top reason for each.

Examples:
  kubectl ds -A
  kubectl ds explain log-agent -n kube-system
  kubectl ds node worker-3")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub overview: overview::OverviewArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every node, its verdict and the reason, for a DaemonSet or a manifest not yet applied
    Explain(explain::ExplainArgs),
    /// Shell completion: scripts for the kubectl-ds binary, or `install` for `kubectl ds <TAB>`
    Completion(completion::CompletionArgs),
    /// DaemonSet-specific checks of manifests or the cluster's DaemonSets, aware of node agents
    Lint(lint::LintArgs),
    /// Every DaemonSet as one node sees it: does it belong there, is its pod there and healthy
    Node(overview::NodeArgs),
    /// kubectl's rollout verdict, which nodes hold the rollout up and why, and the next step
    RolloutStatus(rollout_status::RolloutStatusArgs),
    /// The tool's version and, when a cluster is reachable, the server's
    Version(version::VersionArgs),
    /// For each node without a healthy pod: every rule, its evidence, and the fix
    WhyNotScheduled(why_not_scheduled::WhyNotScheduledArgs),
    /// kubectl's plugin completion protocol (what kubectl_complete-ds runs)
    #[command(name = "__complete", hide = true)]
    Complete {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
        words: Vec<String>,
    },
}

/// A failure that ends the command, with the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub error: anyhow::Error,
}

impl Failure {
    pub fn usage(error: impl Into<anyhow::Error>) -> Self {
        Self { code: 2, error: error.into() }
    }
}

impl Failure {
    pub fn access(error: crate::source::AccessError) -> Self {
        Self { code: error.exit_code(), error: error.into() }
    }
}

/// Writing the output failed (a closed pipe is told apart by `main`).
impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure { code: 2, error: error.into() }
    }
}

impl From<crate::source::InputError> for Failure {
    fn from(error: crate::source::InputError) -> Self {
        Failure::usage(error)
    }
}

pub fn main() -> ExitCode {
    // kubectl runs `kubectl_complete-ds WORDS...` for `kubectl ds <TAB>`: the helper is this binary
    // under that name (`kubectl ds completion install` links it).
    let mut args = std::env::args_os();
    let invoked_as = args.next().map(std::path::PathBuf::from);
    if invoked_as
        .as_deref()
        .and_then(|p| p.file_name())
        .is_some_and(|n| n.to_string_lossy().starts_with("kubectl_complete-"))
    {
        let words: Vec<String> = args.map(|a| a.to_string_lossy().into_owned()).collect();
        let _ = completion::complete(&words, &mut std::io::stdout().lock());
        return ExitCode::SUCCESS;
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version to stdout with code 0, usage errors to stderr with 2.
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match cli.command {
        None => overview::run_overview(cli.overview, &mut out),
        Some(Command::Node(args)) => overview::run_node(args, &mut out),
        Some(Command::Explain(args)) => explain::run(args, &mut out),
        Some(Command::Lint(args)) => lint::run(args, &mut out),
        Some(Command::Completion(args)) => completion::run(args, &mut out),
        Some(Command::Version(args)) => version::run(args, &mut out),
        Some(Command::Complete { words }) => completion::complete(&words, &mut out).map(|()| 0).map_err(Failure::from),
        Some(Command::RolloutStatus(args)) => rollout_status::run(args, &mut out),
        Some(Command::WhyNotScheduled(args)) => why_not_scheduled::run(args, &mut out),
    };
    let flushed = out.flush();
    match result {
        Ok(code) => match flushed {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => report(Failure { code: 2, error: e.into() }),
            _ => ExitCode::from(code),
        },
        Err(failure) if is_broken_pipe(&failure.error) => ExitCode::SUCCESS,
        Err(failure) => report(failure),
    }
}

/// The man page, generated from the same definitions as `--help`.
pub fn man_page() -> Vec<u8> {
    let mut out = Vec::new();
    let command = <Cli as clap::CommandFactory>::command();
    // Writing to a Vec cannot fail.
    let _ = clap_mangen::Man::new(command).render(&mut out);
    out
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

fn report(failure: Failure) -> ExitCode {
    let mut message = format!("{}", failure.error);
    for cause in failure.error.chain().skip(1) {
        message.push_str(&format!(": {cause}"));
    }
    let _ = writeln!(std::io::stderr(), "error: {message}");
    ExitCode::from(failure.code)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_definition_is_consistent() {
        <super::Cli as clap::CommandFactory>::command().debug_assert();
    }

    /// The help is a literal: it must follow the constant it describes.
    #[test]
    fn the_request_timeout_help_names_the_silence_limit() {
        let command = <super::Cli as clap::CommandFactory>::command();
        let explain = command.find_subcommand("explain").expect("explain");
        let flag = explain.get_arguments().find(|a| a.get_long() == Some("request-timeout")).expect("the flag");
        let help = flag.get_help().map(ToString::to_string).unwrap_or_default();
        let seconds = crate::source::kubeconfig::SILENCE_LIMIT.as_secs();
        assert!(help.contains(&format!("silent for {seconds}s")), "{help}");
    }
}
