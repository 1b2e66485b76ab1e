//! kubectl-ds: explains, per node, why a DaemonSet's pod is present, missing or stuck.
//!
//! Data flows one way: [`source`] -> [`snapshot::Snapshot`] -> [`engine`] -> [`report`] -> [`render`].
#![forbid(unsafe_code)]

pub mod cli;
pub mod engine;
mod parallel;
pub mod render;
pub mod report;
pub mod snapshot;
pub mod source;
pub mod version;
