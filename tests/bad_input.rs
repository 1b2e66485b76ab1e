//! Bad input ends with one clear line naming the file (and line), exit code 2, no panic.

mod common;

use common::{Run, kubectl_ds, kubectl_ds_with_stdin};

const NODES: &str = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata:\n    name: n1\n";

fn refused(run: &Run) -> String {
    assert_eq!(run.code, 2, "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty(), "nothing may be printed as if it were a result: {}", run.stdout);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
    run.stderr.trim_end().to_string()
}

fn explain_file(name: &str, content: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    let path = path.display().to_string();
    let message = refused(&kubectl_ds(&["explain", "agent", "--from", &path]));
    message.replace(&path, name)
}

#[test]
fn malformed_yaml_names_the_line() {
    let text = format!("{NODES}---\nkind: DaemonSet\nmetadata:\n  name: agent\n  labels: [a, b\n");
    let message = explain_file("bad.yaml", text.as_bytes());
    assert!(message.starts_with("error: bad.yaml:12: invalid YAML: "), "{message}");
}

#[test]
fn malformed_json_names_the_line() {
    let message =
        explain_file("bad.json", b"{\"kind\": \"List\",\n \"items\": [\n  {\"kind\": \"Node\" \"metadata\": {}}]}");
    assert!(message.starts_with("error: bad.json:3: invalid JSON: expected `,` or `}`"), "{message}");
}

#[test]
fn wrong_field_types_name_the_field_and_line() {
    let text = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  minReadySeconds: soon\n";
    let message = explain_file("ds.yaml", text.as_bytes());
    assert!(message.starts_with("error: ds.yaml:6: DaemonSet field `spec.minReadySeconds`: invalid"), "{message}");
}

#[test]
fn invalid_utf8_empty_and_binary_input() {
    assert_eq!(
        explain_file("latin1.yaml", b"apiVersion: v1\nkind: Node\nmetadata:\n  name: caf\xe9\n"),
        "error: latin1.yaml:4: invalid UTF-8: expected YAML or JSON text"
    );
    assert_eq!(
        explain_file("empty.yaml", b""),
        "error: empty.yaml: empty input: expected Kubernetes objects in YAML or JSON"
    );
    assert_eq!(
        explain_file("garbage.bin", &[0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0]),
        "error: garbage.bin:1: binary data (NUL byte): expected YAML or JSON text"
    );
}

#[test]
fn an_alias_bomb_is_stopped_with_bounded_memory() {
    let mut bomb = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (name, previous) in ('b'..='j').zip('a'..='i') {
        bomb.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{previous}"); 9].join(",")));
    }
    let message = explain_file("bomb.yaml", bomb.as_bytes());
    assert!(message.starts_with("error: bomb.yaml:"), "{message}");
    assert!(message.contains("budget"), "{message}");
}

#[test]
fn a_name_not_in_the_snapshot_lists_the_ones_that_are() {
    let run = kubectl_ds(&["explain", "log-agnet", "--from", "examples/cluster"]);
    assert_eq!(
        refused(&run),
        "error: daemonset \"log-agnet\" not found; did you mean \"log-agent\"?; DaemonSets in the input: kube-system/log-agent, monitoring/node-exporter"
    );
    let run = kubectl_ds(&["explain", "log-agent", "-n", "monitoring", "--from", "examples/cluster"]);
    assert_eq!(
        refused(&run),
        "error: daemonset \"log-agent\" not found in namespace \"monitoring\"; it exists in namespace kube-system; DaemonSets in the input: kube-system/log-agent, monitoring/node-exporter"
    );
}

#[test]
fn missing_files_and_stdin() {
    let run = kubectl_ds(&["explain", "agent", "--from", "no/such/dump"]);
    assert_eq!(refused(&run), "error: no/such/dump: no such file or directory");
    let run = kubectl_ds_with_stdin(&["explain", "agent", "--from", "-"], Some(b""));
    assert_eq!(refused(&run), "error: <stdin>: empty input: expected Kubernetes objects in YAML or JSON");
    let run =
        kubectl_ds_with_stdin(&["explain", "agent", "--from", "-"], Some(b"{\"kind\": \"NodeList\", \"items\": [{"));
    assert!(refused(&run).starts_with("error: <stdin>:1: truncated JSON"), "{}", run.stderr);
}

#[test]
fn usage_errors_exit_2() {
    let run = kubectl_ds(&["explain"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("Usage: kubectl ds explain"), "{}", run.stderr);
    let run = kubectl_ds(&["explain", "agent", "--from", "examples/cluster", "--status", "Sad"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown status \"Sad\""), "{}", run.stderr);
    let run = kubectl_ds(&["explain", "agent", "--from", "examples/cluster", "-l", "zone in a"]);
    assert_eq!(refused(&run), "error: invalid selector \"zone in a\": expected a value list in parentheses, got \"a\"");
}
