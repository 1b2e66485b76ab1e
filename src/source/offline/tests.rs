use super::*;

fn load_text(name: &str, text: &str) -> Result<Snapshot, InputError> {
    let mut loader = Loader::default();
    loader.read_text(name, text.as_bytes(), true)?;
    Ok(loader.finish(Origin::Offline { paths: vec![name.to_string()] }))
}

fn names<T>(
    items: &[T],
    meta: impl Fn(&T) -> &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
) -> Vec<String> {
    items.iter().map(|i| meta(i).name.clone().unwrap_or_default()).collect()
}

const NODE_YAML: &str = "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  uid: u-n1\n";

#[test]
fn multi_document_yaml_with_comments_and_empty_documents() {
    let text = format!(
        "# leading comment\n---\n{NODE_YAML}---\n# only a comment\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\n  namespace: kube-system\nspec:\n  selector:\n    matchLabels: {{app: agent}}\n  template:\n    metadata:\n      labels: {{app: agent}}\n    spec:\n      containers: [{{name: a, image: a}}]\n...\n"
    );
    let snapshot = load_text("multi.yaml", &text).unwrap();
    assert_eq!(names(&snapshot.nodes, |n| &n.metadata), ["n1"]);
    assert_eq!(names(&snapshot.daemonsets, |d| &d.metadata), ["agent"]);
    assert!(snapshot.has(Kind::Node) && snapshot.has(Kind::DaemonSet) && !snapshot.has(Kind::Pod));
}

#[test]
fn single_json_object_and_json_value_stream() {
    let one = r#"{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}}"#;
    assert_eq!(load_text("one.json", one).unwrap().nodes.len(), 1);
    let stream = r#"{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}}
{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n2"}}{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n3"}}"#;
    assert_eq!(names(&load_text("stream.json", stream).unwrap().nodes, |n| &n.metadata), ["n1", "n2", "n3"]);
}

#[test]
fn list_envelopes_give_kindless_items_their_kind() {
    let typed = r#"{"kind": "NodeList", "apiVersion": "v1", "metadata": {"resourceVersion": "9"},
        "items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]}"#;
    assert_eq!(names(&load_text("x.json", typed).unwrap().nodes, |n| &n.metadata), ["a", "b"]);
    let generic = "apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p, namespace: ns}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n";
    let snapshot = load_text("list.yaml", generic).unwrap();
    assert_eq!(names(&snapshot.pods, |p| &p.metadata), ["p"]);
    assert_eq!(snapshot.notes, ["skipped 1 objects of kinds the tool does not use (Service: 1)"]);
    // A kind: List file named after its content (cluster-info dump) with kindless items.
    let kindless = r#"{"kind": "List", "apiVersion": "v1", "items": [{"metadata": {"name": "d", "namespace": "x"}}]}"#;
    assert_eq!(load_text("dump/x/pods.json", kindless).unwrap().pods.len(), 1);
}

#[test]
fn typed_lists_of_unused_kinds_are_counted_not_read() {
    let services = r#"{"kind": "ServiceList", "apiVersion": "v1", "items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]}"#;
    let snapshot = load_text("services.json", services).unwrap();
    assert_eq!(snapshot.notes, ["skipped 2 objects of kinds the tool does not use (Service: 2)"]);
}

#[test]
fn cluster_info_dump_stdout_skips_pod_logs_between_banners() {
    let text = r#"{
    "kind": "NodeList",
    "apiVersion": "v1",
    "items": [{"metadata": {"name": "n1"}}]
}
{
    "kind": "PodList",
    "apiVersion": "v1",
    "items": [{"metadata": {"name": "p1", "namespace": "kube-system"}}]
}
==== START logs for container agent of pod kube-system/p1 ====
{"level":"info","msg":"started"}
}
plain text
==== END logs for container agent of pod kube-system/p1 ====
{
    "kind": "EventList",
    "apiVersion": "v1",
    "items": []
}
"#;
    let snapshot = load_text("dump.txt", text).unwrap();
    assert_eq!(snapshot.nodes.len(), 1);
    assert_eq!(snapshot.pods.len(), 1);
    assert!(snapshot.has(Kind::Event), "an empty EventList still says events were listed");
}

#[test]
fn the_later_copy_wins_and_a_disagreement_is_noted() {
    let text = "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  uid: u1\n  labels: {a: b}\n---\napiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  uid: u1\n  labels: {a: c}\n---\napiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  uid: u1\n  labels: {a: c}\n";
    let snapshot = load_text("dup.yaml", text).unwrap();
    assert_eq!(snapshot.nodes.len(), 1);
    assert_eq!(snapshot.nodes[0].metadata.labels.as_ref().unwrap()["a"], "c");
    assert_eq!(
        snapshot.notes,
        ["Node n1 appears twice and the copies differ (dup.yaml:1 and dup.yaml:8): using the later one"]
    );
}

#[test]
fn as_of_is_the_newest_timestamp_in_the_data() {
    let text = r#"{"kind": "List", "apiVersion": "v1", "items": [
        {"kind": "Node", "apiVersion": "v1", "metadata": {"name": "n", "creationTimestamp": "2026-01-01T00:00:00Z"},
         "status": {"conditions": [{"type": "Ready", "status": "True", "lastHeartbeatTime": "2026-03-04T05:06:07Z"}]}},
        {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "p", "namespace": "x", "creationTimestamp": "2026-02-01T00:00:00Z",
         "deletionTimestamp": "2027-01-01T00:00:00Z"}}]}"#;
    let snapshot = load_text("t.json", text).unwrap();
    assert_eq!(snapshot.as_of, Some("2026-03-04T05:06:07Z".parse().unwrap()));
}

#[test]
fn events_v1_are_read_as_core_events() {
    let text = "apiVersion: events.k8s.io/v1\nkind: Event\nmetadata: {name: e, namespace: ns}\nregarding: {kind: DaemonSet, name: agent, namespace: ns}\nnote: boom\nreason: FailedCreate\ndeprecatedCount: 3\n";
    let snapshot = load_text("ev.yaml", text).unwrap();
    let event = &snapshot.events[0];
    assert_eq!(event.involved_object.name.as_deref(), Some("agent"));
    assert_eq!(event.message.as_deref(), Some("boom"));
    assert_eq!(event.count, Some(3));
}

fn error(name: &str, text: &str) -> InputError {
    load_text(name, text).expect_err("input must be refused")
}

#[test]
fn malformed_yaml_names_the_line() {
    let text = format!("{NODE_YAML}---\napiVersion: v1\nkind: Node\nmetadata:\n  name: [unclosed\n");
    let e = error("bad.yaml", &text);
    assert_eq!((e.file.as_str(), e.line), ("bad.yaml", Some(10)));
    assert!(e.message.starts_with("invalid YAML"), "{e}");
}

#[test]
fn truncated_json_names_the_line() {
    let e = error("t.json", "{\"kind\": \"NodeList\",\n \"items\": [\n  {\"metadata\": {\"name\": \"a\"");
    assert_eq!(e.line, Some(3));
    assert!(e.message.starts_with("truncated JSON"), "{e}");
}

#[test]
fn a_wrong_field_type_names_the_field_and_its_line() {
    let yaml = "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\nspec:\n  unschedulable: sometimes\n";
    let e = error("node.yaml", yaml);
    assert_eq!(e.line, Some(6), "{e}");
    assert!(e.message.contains("Node field `spec.unschedulable`"), "{e}");

    let json = "{\"kind\": \"PodList\", \"apiVersion\": \"v1\", \"items\": [\n {\"metadata\": {\"name\": \"a\"}},\n {\"metadata\": {\"name\": \"b\"},\n  \"spec\": {\"containers\": 5}}]}";
    let e = error("pods.json", json);
    assert_eq!(e.line, Some(4), "{e}");
    assert!(e.message.contains("items") || e.message.contains("spec.containers"), "{e}");
}

#[test]
fn non_text_and_empty_input_are_refused() {
    let mut loader = Loader::default();
    let e = loader.read_text("bin", b"\x7fELF\x02\x01\x00\x00", true).unwrap_err();
    assert!(e.message.contains("binary data"), "{e}");
    let e = loader.read_text("latin1.yaml", b"kind: Node\nname: caf\xe9\n", true).unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(e.message.contains("invalid UTF-8"), "{e}");
    let e = loader.read_text("empty.yaml", b"  \n\n", true).unwrap_err();
    assert!(e.message.starts_with("empty input"), "{e}");
    // An empty file inside a directory is not worth stopping for.
    assert!(loader.read_text("dir/empty.yaml", b"", false).is_ok());
}

#[test]
fn objects_without_kind_and_scalars_are_refused() {
    assert!(error("x.yaml", "metadata:\n  name: a\n").message.contains("no `kind`"));
    assert!(error("x.yaml", "just a string\n").message.contains("found a string"));
    assert!(error("x.yaml", "kind: 5\n").message.contains("`kind` must be a string"));
}

#[test]
fn back_to_back_yaml_objects_are_explained() {
    let text = format!("{NODE_YAML}apiVersion: v1\nkind: Node\nmetadata:\n  name: n2\n");
    let e = error("local.yaml", &text);
    assert!(e.message.contains("without `---`"), "{e}");
}

#[test]
fn alias_bombs_stop_at_the_budget() {
    let mut bomb = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (i, prev) in ('b'..='i').zip('a'..='h') {
        let refs = vec![format!("*{prev}"); 9].join(",");
        bomb.push_str(&format!("{i}: &{i} [{refs}]\n"));
    }
    let e = error("bomb.yaml", &bomb);
    assert!(e.message.contains("budget"), "{e}");
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = error("deep.json", &deep);
    assert_eq!(e.line, Some(1), "{e}");
    assert!(e.message.contains("found a list"), "{e}");
    let deep_yaml = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(error("deep.yaml", &deep_yaml).line, Some(1));
}

#[test]
fn directories_are_walked_in_order_and_skip_logs_and_html() {
    let dir = tempfile::tempdir().unwrap();
    let ns = dir.path().join("kube-system");
    std::fs::create_dir_all(ns.join("agent-x")).unwrap();
    std::fs::write(
        dir.path().join("nodes.json"),
        r#"{"kind":"NodeList","apiVersion":"v1","items":[{"metadata":{"name":"n"}}]}"#,
    )
    .unwrap();
    std::fs::write(
        ns.join("pods.json"),
        r#"{"kind":"PodList","apiVersion":"v1","items":[{"metadata":{"name":"p","namespace":"kube-system"}}]}"#,
    )
    .unwrap();
    std::fs::write(ns.join("agent-x").join("logs.txt"), "==== START logs\nnot json").unwrap();
    std::fs::write(dir.path().join("event-filter.html"), "<html>").unwrap();
    let path = dir.path().display().to_string();
    let snapshot = load(std::slice::from_ref(&path), &mut std::io::empty()).unwrap();
    assert_eq!((snapshot.nodes.len(), snapshot.pods.len()), (1, 1));
    assert_eq!(snapshot.origin, Origin::Offline { paths: vec![path] });
}

#[test]
fn missing_paths_and_empty_directories_are_named() {
    let e = load(&["/nonexistent/dump".to_string()], &mut std::io::empty()).unwrap_err();
    assert_eq!(e.to_string(), "/nonexistent/dump: no such file or directory");
    let dir = tempfile::tempdir().unwrap();
    let e = load(&[dir.path().display().to_string()], &mut std::io::empty()).unwrap_err();
    assert!(e.message.contains("no *.yaml"), "{e}");
}

#[test]
fn stdin_is_read_with_a_name() {
    let snapshot = load(&["-".to_string()], &mut NODE_YAML.as_bytes()).unwrap();
    assert_eq!(snapshot.nodes.len(), 1);
    let e = load(&["-".to_string()], &mut "kind: [".as_bytes()).unwrap_err();
    assert_eq!(e.file, "<stdin>");
}
