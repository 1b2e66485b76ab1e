//! Times the engine alone: `explain` of every DaemonSet of a dump over all its nodes, the input
//! already parsed. Used by scripts/bench.sh; figures in BENCHMARKS.md.
//!
//!     cargo run --release --example bench-engine -- DUMP [ROUNDS]

use std::time::{Duration, Instant};

use kubectl_ds::engine::{Options, Target, explain};
use kubectl_ds::source::offline::{Need, load_needed};
use kubectl_ds::version::KubeVersion;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dump) = args.next() else {
        eprintln!("usage: bench-engine DUMP [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
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
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            // A fresh copy each round, so that the indexes the engine builds on first use are
            // built and timed every round, as in one run of the command.
            let snapshot = snapshot.clone();
            let start = Instant::now();
            let rows: usize = snapshot
                .daemonsets
                .iter()
                .map(|ds| std::hint::black_box(explain(&snapshot, Target::Existing(ds), &opts)).nodes.len())
                .sum();
            std::hint::black_box(rows);
            start.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "engine: {} DaemonSets x {} nodes ({} pods whole, {} nodes with folded pods): median {:.1} ms, min {:.1} ms, max {:.1} ms over {rounds} rounds",
        snapshot.daemonsets.len(),
        snapshot.nodes.len(),
        snapshot.pods.len(),
        snapshot.folded.len(),
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
    );
}
