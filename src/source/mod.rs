//! The only I/O: where snapshots come from. Live (the API) and offline (files) both produce
//! one [`crate::snapshot::Snapshot`].

pub mod kubeconfig;
pub mod live;
pub mod offline;
pub mod positions;

use std::fmt;

/// Input that cannot be read as Kubernetes objects. Always names the file, and the line when
/// the parser knows it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InputError {
    pub file: String,
    pub line: Option<u64>,
    pub message: String,
}

impl InputError {
    pub fn new(file: impl Into<String>, line: Option<u64>, message: impl Into<String>) -> Self {
        Self { file: file.into(), line, message: message.into() }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// The cluster could not be read. Each names what to fix: the server, the credentials, the
/// missing permission.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    #[error("{0}")]
    Config(String),
    #[error(
        "the server at {server} rejected the credentials (401 Unauthorized): log in again or check the kubeconfig's user"
    )]
    Unauthorized { server: String },
    #[error("cannot {verb} {resource}{} (forbidden): needs {verb} on {resource}", namespace.as_ref().map(|ns| format!(" in namespace {ns}")).unwrap_or_default())]
    Forbidden { verb: &'static str, resource: &'static str, namespace: Option<String> },
    #[error("cannot reach the server at {server}: {detail}")]
    Unreachable { server: String, detail: String },
    #[error("TLS with the server at {server} failed: {detail}")]
    Tls { server: String, detail: String },
    #[error("no answer from the server at {server} within {seconds}s ({limit})")]
    Timeout { server: String, seconds: u64, limit: TimeLimit },
    /// The connection broke before the whole answer arrived, every retry included.
    #[error("the connection to the server at {server} broke during {what}: {detail}")]
    Interrupted { server: String, what: String, detail: String },
    /// An answer that is not what was asked for: another kind, a Status or an HTML page with 200.
    #[error("unexpected answer from the server at {server} to {what}: {detail}")]
    Unexpected { server: String, what: String, detail: String },
    #[error("the server at {server} answered {code}: {message}")]
    Server { server: String, code: u16, message: String },
    /// Not an access failure: the object does not exist. Bad usage, exit code 2.
    #[error("{0}")]
    NotFound(String),
}

/// Which limit a request ran into: a user who never set `--request-timeout` must not be told
/// they did, and should learn that it is the way to wait longer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeLimit {
    /// `--request-timeout`, as given.
    RequestTimeout,
    /// [`kubeconfig::SILENCE_LIMIT`], which applies when `--request-timeout` is 0 or not given.
    Silence,
}

impl fmt::Display for TimeLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeLimit::RequestTimeout => f.write_str("--request-timeout"),
            TimeLimit::Silence => {
                f.write_str("the limit on a silent server when --request-timeout is not set; set it to wait longer")
            }
        }
    }
}

impl AccessError {
    /// 2 for a name that does not exist (bad usage), 3 for every failure to reach the cluster.
    pub fn exit_code(&self) -> u8 {
        match self {
            AccessError::NotFound(_) => 2,
            _ => 3,
        }
    }
}
