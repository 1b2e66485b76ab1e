//! Work spread over the machine's cores, for the passes over every node or pod that a
//! 5,000-node cluster makes long enough to matter.

use rayon::prelude::*;

/// `task` for each of `0..count`, spread over the machine's cores; the results in that order.
/// Callers size their tasks (runs of nodes, chunks of pods), so each index is a task of its own.
/// Rayon's threads outlive a call: a command spreads several passes, and starting threads for
/// each cost more than the shorter passes.
pub fn spread<T: Send>(count: usize, task: impl Fn(usize) -> T + Sync) -> Vec<T> {
    (0..count).into_par_iter().with_max_len(1).map(&task).collect()
}
