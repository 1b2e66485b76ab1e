//! Times the engine alone on every DaemonSet of a dump over all its nodes, the input already
//! parsed: the overview, and `explain` with every node's row. Used by scripts/bench.sh; figures
//! in BENCHMARKS.md.
//!
//!     cargo run --release --example bench-engine -- DUMP [ROUNDS]

use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::DaemonSet;
use kubectl_ds::engine::overview::overview;
use kubectl_ds::engine::{Options, Rows, Target, explain, explain_each};
use kubectl_ds::snapshot::Snapshot;
use kubectl_ds::source::offline::{Need, load_needed};
use kubectl_ds::version::KubeVersion;

// As the binary (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dump) = args.next() else {
        eprintln!("usage: bench-engine DUMP [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).filter(|&r| r > 0).unwrap_or(20);
    let snapshot = match load_needed(std::slice::from_ref(&dump), &mut std::io::empty(), Need::DaemonSets) {
        Ok(snapshot) => snapshot,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let opts = Options {
        as_of: snapshot.as_of.unwrap_or_else(jiff::Timestamp::now),
        version: snapshot.kubernetes_version().unwrap_or(KubeVersion::NEWEST_KNOWN),
        stuck_after: jiff::SignedDuration::from_mins(5),
    };
    let all: Vec<&DaemonSet> = snapshot.daemonsets.iter().collect();
    // A fresh copy each round, so that the indexes the engine builds on first use are built and
    // timed every round, as in one run of the command.
    let time = |explain_all: &dyn Fn(&Snapshot) -> usize| {
        let mut times: Vec<Duration> = (0..rounds)
            .map(|_| {
                let fresh = snapshot.clone();
                let start = Instant::now();
                std::hint::black_box(explain_all(&fresh));
                start.elapsed()
            })
            .collect();
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        format!(
            "median {:.1} ms (min {:.1}, max {:.1})",
            ms(times[times.len() / 2]),
            ms(times[0]),
            ms(times[rounds - 1])
        )
    };
    // What `kubectl ds` runs: every DaemonSet, each node counted, rows for the nodes lacking a
    // healthy pod; over the cores.
    let overview = time(&|s: &Snapshot| overview(s, None, &opts).daemon_sets.len());
    // Each DaemonSet on its own with every node's row, as `explain NAME` runs.
    let each_alone = time(&|s: &Snapshot| {
        all.iter().map(|ds| std::hint::black_box(explain(s, Target::Existing(ds), &opts)).nodes.len()).sum()
    });
    // Every node's row of every DaemonSet, over the cores.
    let every_row = time(&|s: &Snapshot| explain_each(s, &all, &opts, Rows::All).iter().map(|e| e.nodes.len()).sum());
    println!(
        "engine: {} DaemonSets x {} nodes ({} pods whole, {} nodes with folded pods), {rounds} rounds, {} cores: \
         overview {overview}; each alone, every row {each_alone}; every row of each, over the cores {every_row}",
        all.len(),
        snapshot.nodes.len(),
        snapshot.pods.len(),
        snapshot.folded.len(),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    );
}
