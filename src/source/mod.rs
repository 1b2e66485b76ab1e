//! The only I/O: where snapshots come from. Live (the API) and offline (files) both produce
//! one [`crate::snapshot::Snapshot`].

pub mod offline;

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
