//! Runs the built binary the way users do: `kubectl ds ...` through the real kubectl, which
//! finds `kubectl-ds` on PATH.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A directory holding only `kubectl-ds` (a link to the binary under test), put first on PATH.
fn plugin_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("plugin-path");
        std::fs::create_dir_all(&dir).expect("create plugin dir");
        let link = dir.join("kubectl-ds");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_kubectl-ds"), &link).expect("link kubectl-ds");
        let found = Command::new("kubectl").arg("version").arg("--client").output();
        assert!(
            found.is_ok_and(|o| o.status.success()),
            "these tests run `kubectl ds ...` through the real kubectl: install kubectl (see README)"
        );
        dir
    })
}

/// Plain `kubectl ...` (not `kubectl ds`), with the plugin and `extra` directories first on PATH.
pub fn kubectl(args: &[&str], extra: &Path) -> Run {
    let nowhere = extra.join("no-kubeconfig").display().to_string();
    kubectl_env(args, extra, &[("KUBECONFIG", nowhere.as_str())])
}

/// Plain `kubectl ...` with extra environment.
pub fn kubectl_env(args: &[&str], extra: &Path, envs: &[(&str, &str)]) -> Run {
    let path = format!("{}:{}:{}", extra.display(), plugin_dir().display(), std::env::var("PATH").unwrap_or_default());
    let output = Command::new("kubectl")
        .args(args)
        .current_dir(root())
        .env("PATH", path)
        .envs(envs.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("run kubectl");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

pub fn kubectl_ds(args: &[&str]) -> Run {
    run_kubectl_ds(args, None, &[])
}

pub fn kubectl_ds_with_stdin(args: &[&str], stdin: Option<&[u8]>) -> Run {
    run_kubectl_ds(args, stdin, &[])
}

/// `kubectl ds ...` with extra environment (KUBECONFIG for live tests).
pub fn kubectl_ds_env(args: &[&str], envs: &[(&str, &str)]) -> Run {
    run_kubectl_ds(args, None, envs)
}

/// `kubectl ds ARGS` from the repository root, with `first` (where kubectl finds `kubectl-ds`)
/// ahead of PATH, colour and width left to the tool, and stdin piped when `piped`.
fn kubectl_ds_command(first: &Path, args: &[&str], piped: bool) -> Command {
    let path = format!("{}:{}", first.display(), std::env::var("PATH").unwrap_or_default());
    let mut command = Command::new("kubectl");
    command
        .arg("ds")
        .args(args)
        .current_dir(root())
        .env("PATH", path)
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .stdin(if piped { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn run_kubectl_ds(args: &[&str], stdin: Option<&[u8]>, envs: &[(&str, &str)]) -> Run {
    let mut child = kubectl_ds_command(plugin_dir(), args, stdin.is_some())
        .envs(envs.iter().copied())
        .spawn()
        .expect("run kubectl");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        // The tool may stop reading early on bad input; that is its right.
        let _ = pipe.write_all(input);
    }
    let output = child.wait_with_output().expect("wait for kubectl");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// Feeds the plugin's stdin from another thread, as a producer on the other end of a pipe would.
pub type Feed = Box<dyn FnOnce(&mut dyn Write) + Send>;

/// `kubectl ds ARGS` with the plugin (not kubectl) limited to `memory_kib` of address space by a
/// `kubectl-ds` wrapper first on PATH, stdin fed by `feed` (or /dev/null), and killed if it is
/// still running after `deadline`. Returns the run and how long it took.
pub fn kubectl_ds_limited(args: &[&str], memory_kib: u64, feed: Option<Feed>, deadline: Duration) -> (Run, Duration) {
    let wrapper = tempfile::tempdir().unwrap();
    let script = wrapper.path().join("kubectl-ds");
    let binary = env!("CARGO_BIN_EXE_kubectl-ds");
    std::fs::write(&script, format!("#!/bin/sh\nulimit -v {memory_kib} || exit 99\nexec '{binary}' \"$@\"\n")).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let started = Instant::now();
    let mut child = kubectl_ds_command(wrapper.path(), args, feed.is_some()).spawn().expect("run kubectl");
    if let (Some(feed), Some(mut pipe)) = (feed, child.stdin.take()) {
        std::thread::spawn(move || feed(&mut pipe));
    }
    let drain = |mut from: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = from.read_to_string(&mut text);
            text
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > deadline {
            // kubectl has exec'd the wrapper, which exec'd the plugin: this is the plugin.
            let _ = child.kill();
            let _ = child.wait();
            panic!("`kubectl ds {}` still running after {deadline:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = started.elapsed();
    let run = Run { code: status.code().unwrap_or(-1), stdout: stdout.join().unwrap(), stderr: stderr.join().unwrap() };
    (run, took)
}

/// Checks a report against the published JSON Schema and returns it parsed.
pub fn valid_json(stdout: &str) -> serde_json::Value {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    let validator = VALIDATOR.get_or_init(|| {
        let text = std::fs::read_to_string(root().join("schema/kubectl-ds-v1.schema.json")).expect("schema");
        let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
        jsonschema::validator_for(&schema).expect("schema compiles")
    });
    let value: serde_json::Value = serde_json::from_str(stdout).expect("output is JSON");
    let errors: Vec<String> = validator.iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "output violates the schema:\n{}", errors.join("\n"));
    value
}

/// ../shared/corpus beside the clone, if it is there.
pub fn corpus() -> Option<Vec<PathBuf>> {
    let dir = root().join("../shared/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    Some(files)
}

pub mod cluster;
