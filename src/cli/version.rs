//! `kubectl ds version`: this tool's version, then the server's when one answers.

use std::io::Write;
use std::time::Duration;

use super::Failure;
use super::common::{ClusterArgs, runtime};
use crate::source::kubeconfig;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  kubectl ds version
  kubectl ds version --client")]
pub struct VersionArgs {
    /// Only this tool's version; do not contact the cluster
    #[arg(long = "client")]
    pub client: bool,

    #[command(flatten)]
    pub cluster: ClusterArgs,
}

/// How long to wait for the server when the user did not say.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

pub fn run(args: VersionArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    writeln!(out, "kubectl-ds v{}", env!("CARGO_PKG_VERSION"))?;
    if args.client {
        return Ok(0);
    }
    let mut flags = args.cluster.flags(None);
    flags.request_timeout = flags.request_timeout.or(Some(DEFAULT_TIMEOUT));
    let server = runtime()?.block_on(async {
        let conn = kubeconfig::connect(&flags).await.map_err(Failure::access)?;
        let info = conn
            .client
            .apiserver_version()
            .await
            .map_err(|e| Failure::access(conn.classify(e, "get", "/version", None)))?;
        Ok::<_, Failure>((conn.server.clone(), info.git_version))
    })?;
    writeln!(out, "Server Version: {} ({})", server.1, server.0)?;
    Ok(0)
}
