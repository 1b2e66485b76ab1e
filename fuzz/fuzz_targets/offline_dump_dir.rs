//! `kubectl cluster-info dump` and must-gather directories. The input is split at 0xFF bytes
//! (never part of UTF-8 text) into up to 8 files; each part's first byte picks the file's name.
#![no_main]

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 12] = [
    "nodes.json",
    "kube-system/pods.json",
    "kube-system/daemonsets.json",
    "kube-system/events.json",
    "kube-system/controllerrevisions.json",
    "monitoring/daemonsets.yaml",
    "monitoring/pods.yml",
    "namespaces.json",
    "namespaces/shop/apps/daemonsets.yaml",
    "namespaces/shop/core/pods.yaml",
    "cluster-scoped-resources/core/nodes/node-a.yaml",
    "kube-system/log-agent-x/logs.txt",
];

fn root() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| std::env::temp_dir().join(format!("kubectl-ds-fuzz-dump-{}", std::process::id())))
}

fuzz_target!(|data: &[u8]| {
    let root = root();
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(root).unwrap();
    let mut written = std::collections::HashMap::new();
    for part in data.split(|b| *b == 0xFF).take(8) {
        let Some((&pick, content)) = part.split_first() else { continue };
        let name = NAMES[usize::from(pick) % NAMES.len()];
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        written.insert(path.display().to_string(), common::line_count(content));
    }
    let dir = root.display().to_string();
    common::check_load(std::slice::from_ref(&dir), &[], |file| {
        if file == dir {
            // Only "no files here" errors name the directory, and without a line.
            Some(0)
        } else {
            written.get(file).copied()
        }
    });
});
