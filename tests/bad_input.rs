//! Bad input ends with one clear line naming the file (and line), exit code 2, no panic.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::{Feed, Run, kubectl_ds, kubectl_ds_limited, kubectl_ds_with_stdin, root};

const NODES: &str = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata:\n    name: n1\n";

fn refused(run: &Run) -> String {
    assert_eq!(run.code, 2, "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty(), "nothing may be printed as if it were a result: {}", run.stdout);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
    run.stderr.trim_end().to_string()
}

/// Writes `files` into a fresh directory: the directory (kept alive) and its path.
fn dump(files: &[(&str, &[u8])]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    let path = dir.path().display().to_string();
    (dir, path)
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
    assert!(
        message.starts_with("error: bomb.yaml:6: YAML anchors and aliases beyond the parser's budget"),
        "{message}"
    );
    assert!(!message.contains("{ "), "no Debug output of the budget: {message}");
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

const NODE: &str = "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  labels: {kubernetes.io/os: linux}\n";

/// A DaemonSet in `ns` whose pod requests `cpu`, `memory: 64Mi`.
fn daemonset(cpu: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\n  namespace: ns\nspec:\n  selector:\n    matchLabels: {{app: agent}}\n  template:\n    metadata:\n      labels: {{app: agent}}\n    spec:\n      containers:\n      - name: main\n        image: agent:1\n        resources:\n          requests: {{cpu: \"{cpu}\", memory: 64Mi}}\n"
    )
}

/// A Ready node with this much cpu allocatable.
fn node_with_cpu(cpu: &str) -> String {
    format!(
        "{NODE}status:\n  allocatable: {{cpu: \"{cpu}\", memory: 8Gi, pods: \"110\"}}\n  conditions: [{{type: Ready, status: \"True\"}}]\n"
    )
}

#[test]
fn truncated_yaml_and_json_files_name_the_line() {
    // Cut inside a flow mapping opened on the file's line 11 (the second document's line 6).
    let text = format!(
        "{NODE}---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\n  labels: {{app: a,\n    tier: node,\n"
    );
    let message = explain_file("cut.yaml", text.as_bytes());
    assert!(message.starts_with("error: cut.yaml:11: invalid YAML: unclosed bracket '{'"), "{message}");
    // Cut inside a flow sequence.
    let text = format!("{}        args: [--verbose,\n", daemonset("100m"));
    let message = explain_file("cut.yaml", text.as_bytes());
    assert!(message.starts_with("error: cut.yaml:18: invalid YAML: unclosed bracket '['"), "{message}");
    // Cut inside a quoted string.
    let message = explain_file("cut.yaml", b"apiVersion: v1\nkind: Node\nmetadata:\n  name: \"n1\n");
    assert!(message.starts_with("error: cut.yaml:4: invalid YAML: unclosed quote"), "{message}");
    // Cut inside a block mapping, after a key: YAML reads the stump as a string, and the field's
    // type names where it stopped.
    let message = explain_file(
        "cut.yaml",
        b"apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLa",
    );
    assert!(message.starts_with("error: cut.yaml:7: DaemonSet field `spec.selector`: "), "{message}");

    let json = "{\"apiVersion\": \"v1\", \"kind\": \"List\",\n \"items\": [\n  {\"apiVersion\": \"v1\", \"kind\": \"Node\",\n   \"metadata\": {\"name\": \"n1\", \"labels\": {\"a\": \"b\"";
    let message = explain_file("cut.json", json.as_bytes());
    assert!(message.starts_with("error: cut.json:4: truncated JSON: EOF while parsing an object"), "{message}");
    let message = explain_file("cut.json", &json.as_bytes()[..json.len() - 1]);
    assert!(message.starts_with("error: cut.json:4: truncated JSON: EOF while parsing a string"), "{message}");
}

/// 100,000 levels of nesting, where a typed field holds arbitrary JSON (managedFields' fieldsV1)
/// and at the top: refused by the parsers' depth limits, in bounded time and memory, never a
/// stack overflow.
#[test]
fn deep_nesting_is_refused_in_bounded_time_and_memory() {
    const DEPTH: usize = 100_000;
    let json = format!(
        "{{\"apiVersion\": \"v1\", \"kind\": \"Node\",\n \"metadata\": {{\"name\": \"n1\", \"managedFields\": [{{\"fieldsV1\":\n{}1{}}}]}}}}\n",
        "{\"a\":".repeat(DEPTH),
        "}".repeat(DEPTH)
    );
    let yaml = format!("{NODE}  managedFields:\n  - fieldsV1: {}1{}\n", "{a: ".repeat(DEPTH), "}".repeat(DEPTH));
    // Keys out of kubectl's order take another path: the object is read as a value first.
    let unordered = format!(
        "metadata:\n  name: n1\n  managedFields:\n  - fieldsV1: {}1{}\nkind: Node\n",
        "{a: ".repeat(DEPTH),
        "}".repeat(DEPTH)
    );
    let lists = format!("{}{}\n", "[".repeat(DEPTH), "]".repeat(DEPTH));
    let cases: [(&str, &str, &str); 4] = [
        ("deep.json", &json, "error: deep.json:3: JSON nested deeper than 127 levels at column "),
        ("deep.yaml", &yaml, "error: deep.yaml:7: YAML nested deeper than 128 levels (the parser's budget): "),
        ("unordered.yaml", &unordered, "error: unordered.yaml:4: "),
        ("lists.json", &lists, "error: lists.json:1: expected a Kubernetes object, found a list"),
    ];
    for (name, text, expected) in cases {
        let (_dir, path) = dump(&[(name, text.as_bytes())]);
        let file = format!("{path}/{name}");
        let (run, took) =
            kubectl_ds_limited(&["explain", "agent", "--from", &file], 256 << 10, None, Duration::from_secs(20));
        let message = refused(&run).replace(&format!("{path}/"), "");
        assert!(message.starts_with(expected), "{name}: {message}");
        assert!(took < Duration::from_secs(10), "{name} took {took:?}");
    }
    let (_dir, path) = dump(&[("unordered.yaml", unordered.as_bytes())]);
    let run = kubectl_ds(&["explain", "agent", "--from", &format!("{path}/unordered.yaml")]);
    assert!(refused(&run).contains("budget"), "{}", run.stderr);
    let feed: Feed = Box::new(move |pipe| {
        let _ = pipe.write_all(lists.as_bytes());
    });
    let (run, _) =
        kubectl_ds_limited(&["explain", "agent", "--from", "-"], 256 << 10, Some(feed), Duration::from_secs(20));
    assert_eq!(refused(&run), "error: <stdin>:1: expected a Kubernetes object, found a list");
}

/// Quantities the API server would never have stored ("12Zi", "" do not parse; requests and
/// allocatable are never negative) and one it would ("1e400", absurdly large): whatever the
/// verdict, never a panic (the fit arithmetic overflowing), never a partial answer.
#[test]
fn absurd_quantities_never_crash_the_arithmetic() {
    for value in ["1e400", "-5", "12Zi", "", "1e18", "-1e400", "0.0000000001", "9223372036854775807Ei"] {
        for (node, ds) in [(node_with_cpu("4"), daemonset(value)), (node_with_cpu(value), daemonset("100m"))] {
            let (_dir, path) = dump(&[("nodes.yaml", node.as_bytes()), ("ds.yaml", ds.as_bytes())]);
            let manifest = format!("{path}/ds.yaml");
            for args in [
                vec!["explain", "agent", "--from", path.as_str()],
                vec!["explain", "-f", manifest.as_str(), "--from", path.as_str()],
                vec!["why-not-scheduled", "agent", "--from", path.as_str()],
                vec!["node", "n1", "--from", path.as_str()],
            ] {
                let run = kubectl_ds(&args);
                assert!(!run.stderr.contains("panicked"), "{value:?} {args:?}: {}", run.stderr);
                assert!(run.code == 0 || run.code == 2, "{value:?} {args:?}: {}", run.stderr);
                if run.code == 2 {
                    refused(&run);
                }
            }
        }
    }
}

/// The verdict a user needs for each: a quantity that does not parse, or a negative one, is what
/// the API server refuses, so a dump holding one did not come from a cluster and a manifest
/// holding one would not be created: refused, naming the file, line and field (as a wrong field
/// type is), rather than silently dropped (a request) or read as zero (allocatable).
#[test]
fn quantities_the_api_server_refuses_are_refused() {
    for value in ["-5", "12Zi", ""] {
        let (_dir, path) =
            dump(&[("nodes.yaml", node_with_cpu("4").as_bytes()), ("ds.yaml", daemonset(value).as_bytes())]);
        let manifest = format!("{path}/ds.yaml");
        for args in
            [vec!["explain", "agent", "--from", path.as_str()], vec!["explain", "-f", &manifest, "--from", &path]]
        {
            let message = refused(&kubectl_ds(&args)).replace(&format!("{path}/"), "");
            let field =
                "error: ds.yaml:17: DaemonSet field `spec.template.spec.containers[0].resources.requests.cpu`: ";
            assert!(message.starts_with(field) && message.contains(&format!("{value:?}")), "{value:?}: {message}");
        }
        let (_dir, path) =
            dump(&[("nodes.yaml", node_with_cpu(value).as_bytes()), ("ds.yaml", daemonset("100m").as_bytes())]);
        let message = refused(&kubectl_ds(&["explain", "agent", "--from", &path])).replace(&format!("{path}/"), "");
        assert!(
            message.starts_with("error: nodes.yaml:7: Node field `status.allocatable.cpu`: "),
            "{value:?}: {message}"
        );
    }
}

/// The same refusal for a pod the command only sums per node (read without its field path, for
/// speed) and for a RuntimeClass's overhead; `lint` reads a manifest as written and reports such a
/// quantity as the finding DS107 instead.
#[test]
fn quantities_are_refused_in_folded_pods_and_runtime_classes_and_linted_in_manifests() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: ns\n  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web, uid: u, controller: true}]\nspec:\n  nodeName: n1\n  containers:\n  - name: c\n    image: x\n    resources:\n      requests: {cpu: \"12Zi\"}\n";
    let class = "apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata:\n  name: kata\nhandler: kata\noverhead:\n  podFixed: {memory: \"-1\"}\n";
    let ds = daemonset("100m");
    for (name, text, said) in [
        (
            "pods.yaml",
            pod,
            "error: pods.yaml:13: Pod field `spec.containers[0].resources.requests.cpu`: \"12Zi\" is not a quantity",
        ),
        (
            "rc.yaml",
            class,
            "error: rc.yaml:7: RuntimeClass field `overhead.podFixed.memory`: \"-1\" must be greater than or equal to 0",
        ),
    ] {
        let (_dir, path) =
            dump(&[("nodes.yaml", node_with_cpu("4").as_bytes()), ("ds.yaml", ds.as_bytes()), (name, text.as_bytes())]);
        let message = refused(&kubectl_ds(&["explain", "agent", "--from", &path])).replace(&format!("{path}/"), "");
        assert!(message.starts_with(said), "{message}");
    }
    let (_dir, path) = dump(&[("ds.yaml", daemonset("-5").as_bytes())]);
    let run = kubectl_ds(&["lint", "-f", &format!("{path}/ds.yaml")]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains("DS107") && run.stdout.contains("\"-5\" must be greater than or equal to 0"),
        "{}",
        run.stdout
    );
}

/// "1e400" is a valid Kubernetes quantity (10^400): a pod requesting it fits nowhere, and a node
/// offering it has room for anything. It was once dropped as a request (the pod "would run") and
/// read as 0 as allocatable ("insufficient cpu: requests 100m, 0 free of 0").
#[test]
fn a_quantity_beyond_any_machine_is_huge_not_zero() {
    let (_dir, path) =
        dump(&[("nodes.yaml", node_with_cpu("4").as_bytes()), ("ds.yaml", daemonset("1e400").as_bytes())]);
    let manifest = format!("{path}/ds.yaml");
    let run = kubectl_ds(&["explain", "-f", &manifest, "--from", &path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The manifest is also in the dump, so the what-if is an update and the row shows NOW.
    let row = "n1     WouldBePending   Missing   -     insufficient cpu: requests 1e400, 4 free of 4 allocatable";
    assert!(run.stdout.contains(row), "{}", run.stdout);
    let (_dir, path) =
        dump(&[("nodes.yaml", node_with_cpu("1e400").as_bytes()), ("ds.yaml", daemonset("100m").as_bytes())]);
    let manifest = format!("{path}/ds.yaml");
    let run = kubectl_ds(&["explain", "-f", &manifest, "--from", &path]);
    assert!(run.stdout.contains("n1     WouldRun "), "{}", run.stdout);
}

#[test]
fn an_object_without_kind_is_refused_and_a_pod_without_spec_is_read_as_unscheduled() {
    let text = format!("{NODE}---\napiVersion: v1\nmetadata:\n  name: x\n");
    assert_eq!(
        explain_file("kindless.yaml", text.as_bytes()),
        "error: kindless.yaml:7: object has no `kind`: expected a Kubernetes object (apiVersion, kind, metadata)"
    );
    let json = b"[{\"apiVersion\": \"v1\", \"kind\": \"Node\", \"metadata\": {\"name\": \"n1\"}},\n {\"apiVersion\": \"v1\", \"metadata\": {\"name\": \"x\"}}]";
    assert_eq!(
        explain_file("kindless.json", json),
        "error: kindless.json:2: object has no `kind`: expected a Kubernetes object (apiVersion, kind, metadata)"
    );
    // A pod with its spec stripped says nothing about where it runs: its node is missing a pod.
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent-x\n  namespace: ns\n  labels: {app: agent}\n  ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: agent, uid: u, controller: true}]\n";
    let text = format!("{NODE}---\n{}---\n{pod}", daemonset("100m"));
    let (_dir, path) = dump(&[("dump.yaml", text.as_bytes())]);
    let run = kubectl_ds(&["explain", "agent", "--from", &path, "-o", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = common::valid_json(&run.stdout);
    assert_eq!(report["nodes"][0]["node"], "n1");
    assert_eq!(report["nodes"][0]["status"], "Missing");
}

/// The API server never returns an object without a name, nor a DaemonSet without a selector or
/// a pod template: such input was made by hand or cut, and the verdicts built on it are wrong
/// (a nameless node gets a row with an empty name; a DaemonSet without a selector or template is
/// explained, and as a what-if "would run"). Refused, naming file and line. `lint` reads its
/// manifests as written and reports a missing selector as DS102, with the selector to add.
#[test]
fn nameless_objects_and_daemonsets_without_selector_or_template_are_refused() {
    let nameless = "apiVersion: v1\nkind: Node\nmetadata:\n  labels: {a: b}\n";
    let (_dir, path) = dump(&[("nodes.yaml", nameless.as_bytes()), ("ds.yaml", daemonset("100m").as_bytes())]);
    let message = refused(&kubectl_ds(&["explain", "agent", "--from", &path])).replace(&format!("{path}/"), "");
    assert!(message.starts_with("error: nodes.yaml:1: Node has no `metadata.name`"), "{message}");
    let full = daemonset("100m");
    let without_selector = full.replace("  selector:\n    matchLabels: {app: agent}\n", "");
    let without_template = full[..full.find("  template:").unwrap()].to_string();
    for (ds, field) in [(without_selector, "spec.selector"), (without_template, "spec.template")] {
        let (_dir, path) = dump(&[("nodes.yaml", NODE.as_bytes()), ("ds.yaml", ds.as_bytes())]);
        let manifest = format!("{path}/ds.yaml");
        for args in
            [vec!["explain", "agent", "--from", path.as_str()], vec!["explain", "-f", &manifest, "--from", &path]]
        {
            let message = refused(&kubectl_ds(&args)).replace(&format!("{path}/"), "");
            assert!(message.starts_with("error: ds.yaml:1: DaemonSet ns/agent has no `"), "{message}");
            assert!(message.contains(field), "{message}");
        }
        if field == "spec.selector" {
            let run = kubectl_ds(&["lint", "-f", &manifest]);
            assert_eq!(run.code, 1, "{}", run.stderr);
            assert!(run.stdout.contains("DS102") && run.stdout.contains("matchLabels: {app: agent}"), "{}", run.stdout);
        }
    }
    let (_dir, path) = dump(&[("ds.yaml", full.replace("  name: agent\n", "").as_bytes())]);
    let message = refused(&kubectl_ds(&["lint", "-f", &format!("{path}/ds.yaml")])).replace(&format!("{path}/"), "");
    assert!(message.starts_with("error: ds.yaml:1: DaemonSet has no `metadata.name`"), "{message}");
}

/// Kinds the tool does not read, a must-gather's ConfigMaps and Secrets among them, are counted
/// in a note, not refused; a Secret's data never reaches the output.
#[test]
fn unknown_kinds_are_skipped_with_a_note_that_keeps_secrets_out() {
    let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: ns\ntype: Opaque\ndata:\n  password: aHVudGVyMg==\nstringData:\n  token: s3cr3t-t0ken\n";
    let config =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: ns\ndata:\n  key: config-value-42\n";
    let frob = "apiVersion: example.com/v1\nkind: Frobnicator\nmetadata:\n  name: f\nspec:\n  frob: 11\n";
    let ds = daemonset("100m");
    let (_dir, path) = dump(&[
        ("cluster-scoped-resources/core/nodes/n1.yaml", NODE.as_bytes()),
        ("namespaces/ns/apps/daemonsets.yaml", ds.as_bytes()),
        ("namespaces/ns/core/secrets.yaml", secret.as_bytes()),
        ("namespaces/ns/core/configmaps.yaml", config.as_bytes()),
        ("namespaces/ns/example.com/frobnicators.yaml", frob.as_bytes()),
    ]);
    let note = "skipped 3 objects of kinds the tool does not use (ConfigMap: 1, Frobnicator: 1, Secret: 1)";
    let run = kubectl_ds(&["explain", "agent", "--from", &path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(&format!("\nNotes:       {note}\n")), "{}", run.stdout);
    let run = kubectl_ds(&["explain", "agent", "--from", &path, "-o", "json"]);
    assert_eq!(common::valid_json(&run.stdout)["notes"], serde_json::json!([note]));
    let every_view: [&[&str]; 7] = [
        &["explain", "agent"],
        &["explain", "agent", "-o", "yaml"],
        &["why-not-scheduled", "agent", "-o", "json"],
        &["-A", "-o", "json"],
        &["node", "n1", "-o", "yaml"],
        &["lint", "-A"],
        &["lint", "-A", "-o", "json"],
    ];
    for args in every_view {
        let run = kubectl_ds(&[args, &["--from", path.as_str()]].concat());
        assert!(run.code == 0 || run.code == 1, "{args:?}: {}", run.stderr);
        let all = format!("{}{}", run.stdout, run.stderr);
        for secret in ["aHVudGVyMg==", "hunter2", "s3cr3t-t0ken", "config-value-42"] {
            assert!(!all.contains(secret), "{args:?} printed {secret}: {all}");
        }
    }
}

/// Two files of a directory hold the same node with different labels: the later one (in the
/// walk's order) wins, and a note says which copies disagreed, in the table and in JSON.
#[test]
fn the_later_of_two_disagreeing_copies_wins_and_a_note_says_so() {
    let first =
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  uid: u1\n  labels: {kubernetes.io/os: linux, zone: a}\n";
    let later = "{\"apiVersion\": \"v1\", \"kind\": \"Node\", \"metadata\": {\"name\": \"n1\", \"uid\": \"u1\", \"labels\": {\"kubernetes.io/os\": \"linux\", \"zone\": \"b\"}}}\n";
    let ds = daemonset("100m")
        .replace("    spec:\n      containers:", "    spec:\n      nodeSelector: {zone: b}\n      containers:");
    let (_dir, path) =
        dump(&[("a/nodes.yaml", first.as_bytes()), ("a/ds.yaml", ds.as_bytes()), ("b/nodes.json", later.as_bytes())]);
    let note = format!(
        "Node n1 appears twice and the copies differ ({path}/a/nodes.yaml:1 and {path}/b/nodes.json): using the later one"
    );
    let run = kubectl_ds(&["explain", "agent", "--from", &path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(&format!("\nNotes:       {note}\n")), "{}", run.stdout);
    // zone=b is the later copy's: the node is selected and lacks its pod.
    assert!(run.stdout.contains("\nn1     Missing   -     "), "{}", run.stdout);
    for args in [&["explain", "agent"][..], &["-A"], &["node", "n1"]] {
        let run = kubectl_ds(&[args, &["--from", path.as_str(), "-o", "json"]].concat());
        assert_eq!(common::valid_json(&run.stdout)["notes"], serde_json::json!([note]), "{args:?}");
    }
    let run = kubectl_ds(&["explain", "agent", "--from", &path, "-o", "json"]);
    assert_eq!(common::valid_json(&run.stdout)["nodes"][0]["status"], "Missing");
}

/// The overview and node tables print the snapshot's notes under the table, as they print its
/// gaps: skipped kinds and disagreeing copies are not visible only with -o json/yaml.
#[test]
fn notes_reach_the_overview_and_node_tables() {
    let first = "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  uid: u1\n  labels: {zone: a}\n";
    let later = "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  uid: u1\n  labels: {zone: b}\n";
    let (_dir, path) =
        dump(&[("a.yaml", first.as_bytes()), ("b.yaml", later.as_bytes()), ("ds.yaml", daemonset("1").as_bytes())]);
    for args in [&["-A"][..], &["node", "n1"]] {
        let run = kubectl_ds(&[args, &["--from", path.as_str()]].concat());
        assert!(run.stdout.contains("Node n1 appears twice and the copies differ"), "{args:?}: {}", run.stdout);
    }
}

/// `explain agent --from PATH -o json`, stopped if it waits on a FIFO for 20 s.
fn explain_json_within_20s(path: &str) -> Run {
    let args = ["explain", "agent", "--from", path, "-o", "json"];
    kubectl_ds_limited(&args, 1 << 20, None, Duration::from_secs(20)).0
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().expect("run mkfifo");
    assert!(made.success(), "mkfifo {}", path.display());
}

/// What a directory walk meets besides dump files: a link to nowhere is named (the dump lacks
/// what it stood for), and a directory that happens to be called `x.yaml` is walked.
#[test]
fn a_dangling_link_is_named_and_a_directory_named_like_a_file_is_walked() {
    let ds = daemonset("100m");
    let (dir, path) = dump(&[("ds.yaml", ds.as_bytes()), ("nodes.yaml/n1.yaml", node_with_cpu("4").as_bytes())]);
    let run = kubectl_ds(&["explain", "agent", "--from", &path, "-o", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(common::valid_json(&run.stdout)["nodes"][0]["node"], "n1", "the directory nodes.yaml was read");

    std::os::unix::fs::symlink("pods-moved-away.yaml", dir.path().join("pods.yaml")).unwrap();
    let run = kubectl_ds(&["explain", "agent", "--from", &path]);
    assert_eq!(refused(&run), format!("error: {path}/pods.yaml: no such file or directory"));
}

/// A link to a directory inside a walk is walked like the directory (even one named like a
/// file); a directory reached twice, a link cycle among them, is read once and a note says so.
#[test]
fn links_to_directories_are_walked_once() {
    let ds = daemonset("100m");
    let (dir, path) = dump(&[("ds.yaml", ds.as_bytes()), ("real/n1.yaml", node_with_cpu("4").as_bytes())]);
    std::os::unix::fs::symlink("real", dir.path().join("nodes.yaml")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("real/up")).unwrap();
    let run = kubectl_ds(&["explain", "agent", "--from", &path, "-o", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = common::valid_json(&run.stdout);
    assert_eq!(report["nodes"][0]["node"], "n1", "the linked directory was read");
    let notes = report["notes"].as_array().unwrap();
    let once =
        |linked: &str, first: &str| format!("skipped {path}/{linked}: the same directory as {path}{first}, read once");
    assert_eq!(notes, &[once("nodes.yaml/up", ""), once("real", "/nodes.yaml")], "{notes:?}");
}

/// A FIFO named on the command line is read: `--from <(kubectl get nodes,ds -o yaml)` is one,
/// and a real dump through it is as large as through stdin (a FIFO has no size to bound it).
#[test]
fn a_fifo_named_with_from_is_read() {
    let large = format!("  annotations: {{big: \"{}\"}}\n", "x".repeat(3 << 20));
    for node in [NODE.to_string(), format!("{NODE}{large}")] {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("dump.yaml");
        mkfifo(&fifo);
        let text = format!("{node}---\n{}", daemonset("100m"));
        let writer = fifo.clone();
        std::thread::spawn(move || std::fs::write(writer, text));
        let path = fifo.display().to_string();
        let run = explain_json_within_20s(&path);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(common::valid_json(&run.stdout)["nodes"][0]["status"], "Missing");
    }
}

/// A FIFO inside a directory is not a dump file (kubectl and oc write regular files): the walk
/// skips it with a note naming it, rather than wait forever for a writer that never comes.
#[test]
fn a_fifo_inside_a_directory_is_skipped_not_waited_on() {
    let ds = daemonset("100m");
    let (dir, path) = dump(&[("nodes.yaml", NODE.as_bytes()), ("ds.yaml", ds.as_bytes())]);
    mkfifo(&dir.path().join("pods.yaml"));
    let run = explain_json_within_20s(&path);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = common::valid_json(&run.stdout);
    let notes = report["notes"].to_string();
    assert!(notes.contains(&format!("{path}/pods.yaml")) && notes.contains("not a regular file"), "{notes}");
}

/// A dump far larger than the memory the plugin may use streams through: a YAML stream whose
/// last document still counts. Three times the memory limit; 2 GiB in a release build. A debug
/// build reads such filler at about 29 MB/s (memchr unoptimised), so there it is 768 MiB.
#[test]
fn a_dump_larger_than_memory_streams_through() {
    const MIB: u64 = 1 << 20;
    let (input, limit_kib) = if cfg!(debug_assertions) { (768 * MIB, 256 << 10) } else { (2048 * MIB, 1 << 20) };
    let head = format!("apiVersion: v1\nkind: Node\nmetadata:\n  name: first\n---\n{}---\n", daemonset("100m"));
    let tail = "---\napiVersion: v1\nkind: Node\nmetadata:\n  name: last\n";
    let feed: Feed = Box::new(move |pipe| {
        let mut line = vec![b'x'; MIB as usize];
        line[0] = b'#';
        line[MIB as usize - 1] = b'\n';
        let written = pipe.write_all(head.as_bytes()).and_then(|()| {
            (0..input / MIB).try_for_each(|_| pipe.write_all(&line)).and_then(|()| pipe.write_all(tail.as_bytes()))
        });
        written.expect("the plugin reads the whole input");
    });
    let (run, took) = kubectl_ds_limited(
        &["explain", "agent", "--from", "-", "-o", "json"],
        limit_kib,
        Some(feed),
        Duration::from_secs(120),
    );
    eprintln!("{} MiB through a {} MiB limit in {took:?}", input / MIB, limit_kib >> 10);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = common::valid_json(&run.stdout);
    let nodes: Vec<(&str, &str)> = report["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["node"].as_str().unwrap(), n["status"].as_str().unwrap()))
        .collect();
    assert_eq!(nodes, [("first", "Missing"), ("last", "Missing")]);
}

/// One enormous line (a comment here, 256 MiB) streams through the YAML document splitter under
/// a 192 MiB memory limit; held whole, it aborted the plugin ("memory allocation failed").
#[test]
fn one_enormous_yaml_line_does_not_exhaust_memory() {
    const MIB: usize = 1 << 20;
    let feed: Feed = Box::new(move |pipe| {
        let chunk = vec![b'x'; MIB];
        let _ = pipe.write_all(b"#").and_then(|()| (0..256).try_for_each(|_| pipe.write_all(&chunk)));
        let _ = pipe.write_all(format!("\n{NODE}---\n{}", daemonset("100m")).as_bytes());
    });
    let (run, _) = kubectl_ds_limited(
        &["explain", "agent", "--from", "-", "-o", "json"],
        192 << 10,
        Some(feed),
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A producer that dies mid-object leaves a truncated input; one that never writes, or a stdin
/// that is /dev/null or closed, an empty one.
#[test]
fn stdin_closed_early_or_never_written() {
    let cut = |text: &'static str| -> Feed {
        Box::new(move |pipe| {
            let _ = pipe.write_all(text.as_bytes()).and_then(|()| pipe.flush());
            // The producer dies a moment later, with its object half-written.
            std::thread::sleep(Duration::from_millis(300));
        })
    };
    let yaml = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata:\n    name: n1\n    labels: {a: ";
    let (run, _) =
        kubectl_ds_limited(&["explain", "agent", "--from", "-"], 1 << 20, Some(cut(yaml)), Duration::from_secs(20));
    assert!(refused(&run).starts_with("error: <stdin>:8: invalid YAML: unclosed bracket '{'"), "{}", run.stderr);
    let json = "{\"kind\": \"NodeList\", \"items\": [{\"metadata\": {\"name\": \"n1\"}},\n {\"metadata\": {\"na";
    let (run, _) =
        kubectl_ds_limited(&["explain", "agent", "--from", "-"], 1 << 20, Some(cut(json)), Duration::from_secs(20));
    assert!(
        refused(&run).starts_with("error: <stdin>:2: truncated JSON: EOF while parsing a string"),
        "{}",
        run.stderr
    );
    let (run, _) = kubectl_ds_limited(
        &["explain", "agent", "--from", "-"],
        1 << 20,
        Some(Box::new(|_| {})),
        Duration::from_secs(20),
    );
    let empty = "error: <stdin>: empty input: expected Kubernetes objects in YAML or JSON";
    assert_eq!(refused(&run), empty);

    for args in [
        &["explain", "agent", "--from", "-"][..],
        &["explain", "-f", "-", "--from", "examples/cluster"],
        &["lint", "-f", "-"],
    ] {
        assert_eq!(refused(&kubectl_ds(args)), empty, "{args:?} with stdin /dev/null");
        // kubectl (Go) gives a plugin started with stdin closed /dev/null in its place.
        let closed = Command::new("sh")
            .arg("-c")
            .arg(format!("exec kubectl ds {} <&-", args.join(" ")))
            .current_dir(root())
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    Path::new(env!("CARGO_BIN_EXE_kubectl-ds")).parent().unwrap().display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .output()
            .unwrap();
        let run = Run {
            code: closed.status.code().unwrap_or(-1),
            stdout: String::from_utf8(closed.stdout).unwrap(),
            stderr: String::from_utf8(closed.stderr).unwrap(),
        };
        assert_eq!(refused(&run), empty, "{args:?} with stdin closed");
    }
}

/// Parser internals stay out of the one line a user reads: positions relative to the YAML
/// document rather than the file ("at char 70 line 5 column 11" on the file's line 10), Rust
/// debug output of a budget ("Depth { depth: 129 }", "CommentBytes { ... }"), and a field path
/// that ends in `?`.
#[test]
fn parser_internals_stay_out_of_messages() {
    let cut =
        format!("{NODE}---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\n  labels: {{app: a\n");
    let deep = format!(
        "metadata:\n  name: n1\n  managedFields:\n  - fieldsV1: {}1{}\nkind: Node\n",
        "{a: ".repeat(200),
        "}".repeat(200)
    );
    let comments = format!("{NODE}{}", format!("# {}\n", "x".repeat(1 << 20)).repeat(65));
    let deep_in_a_field = format!("{NODE}  managedFields:\n  - fieldsV1: {}1{}\n", "{a: ".repeat(200), "}".repeat(200));
    for (name, text, said) in [
        ("cut.yaml", cut, "error: cut.yaml:11: invalid YAML: unclosed bracket '{'"),
        ("deep.yaml", deep, "error: deep.yaml:4: YAML nested deeper than 128 levels (the parser's budget): "),
        ("field.yaml", deep_in_a_field, "error: field.yaml:7: YAML nested deeper than 128 levels"),
        ("comments.yaml", comments, "error: comments.yaml:69: more than 64 MiB of comments in one YAML document"),
    ] {
        let message = explain_file(name, text.as_bytes());
        assert!(message.starts_with(said), "{name}: {message}");
        for internal in [" at char ", " column ", "{ ", ".?`", "budget breached"] {
            assert!(!message.contains(internal), "{name}: {message}");
        }
    }
    // JSON's line is the prefix; on the one long line of `jq -c` output the column still helps.
    let deep = format!(
        "{{\"kind\": \"Node\", \"metadata\": {{\"name\": \"n1\", \"managedFields\": [{{\"fieldsV1\": {}1{}}}]}}}}",
        "[".repeat(200),
        "]".repeat(200)
    );
    let message = explain_file("deep.json", deep.as_bytes());
    let too_deep = deep.match_indices(['{', '[']).nth(127).map(|(at, _)| at + 1).unwrap();
    let said = format!("error: deep.json:1: JSON nested deeper than 127 levels at column {too_deep} ");
    assert!(message.starts_with(&said), "{message}");
    assert!(!message.contains("line 1") && !message.contains("recursion limit"), "{message}");
}
