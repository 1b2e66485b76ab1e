//! What a real server cannot be made to do on demand (a 500 on a read, a 429 with Retry-After, an
//! expired continue token, a connection that breaks mid-answer, credentials that expire mid-read,
//! an answer of another kind, an answer that never comes, a watch that drops or falls behind),
//! scripted under kube's `Client::new`; and what kube's own connector makes of a loopback server
//! that cuts its answer short or never answers.

use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::StreamExt;
use http::{Request, Response, StatusCode};
use http_body::Frame;
use http_body_util::StreamBody;
use k8s_openapi::api::apps::v1::DaemonSet;
use kube::client::Body;
use kubectl_ds::snapshot::Kind;
use kubectl_ds::source::kubeconfig::{Connection, ConnectionFlags, SILENCE_LIMIT, connect};
use kubectl_ds::source::live::{daemonset_changes, daemonset_snapshot};
use kubectl_ds::source::{AccessError, TimeLimit};
use serde_json::{Value, json};
use tower_test::mock::SendResponse;

const SERVER: &str = "https://scripted.invalid";

/// A response body: chunks, and possibly a broken connection in their place.
type Chunks = StreamBody<futures::stream::Iter<std::vec::IntoIter<Result<Frame<Bytes>, std::io::Error>>>>;

/// How the scripted server answers one request.
enum Reply {
    /// This status and JSON body.
    Json(u16, Value),
    /// 200 with this body, as it is.
    Text(&'static str),
    /// 200 and the first half of this JSON body; then the connection breaks.
    Cut(Value),
    /// The connection breaks before any answer.
    Reset,
    /// 200 and these watch events, one per line; then the connection breaks (`true`) or the
    /// server ends the watch.
    Events(Vec<Value>, bool),
    /// The normal answer, this long after the request.
    Late(Duration),
    /// No answer, ever; the connection stays open.
    Silent,
}

type Script = dyn Fn(&str, usize) -> Reply + Send + Sync;

fn reset() -> std::io::Error {
    std::io::Error::new(ErrorKind::ConnectionReset, "connection reset by peer")
}

fn answer(reply: Reply, respond: SendResponse<Response<Chunks>>) {
    let chunks = match reply {
        Reply::Json(code, body) => {
            let body = Bytes::from(serde_json::to_vec(&body).unwrap());
            return respond.send_response(response(code, vec![Ok(body)]));
        }
        Reply::Text(text) => vec![Ok(Bytes::from_static(text.as_bytes()))],
        Reply::Cut(body) => {
            let mut bytes = serde_json::to_vec(&body).unwrap();
            bytes.truncate(bytes.len() / 2);
            vec![Ok(Bytes::from(bytes)), Err(reset())]
        }
        Reply::Reset => return respond.send_error(reset()),
        Reply::Events(events, broken) => {
            let mut chunks: Vec<_> = events.iter().map(|e| Ok(Bytes::from(format!("{e}\n")))).collect();
            if broken {
                chunks.push(Err(reset()));
            }
            chunks
        }
        Reply::Late(_) | Reply::Silent => unreachable!("answered by the server loop"),
    };
    respond.send_response(response(200, chunks));
}

fn response(code: u16, chunks: Vec<Result<Bytes, std::io::Error>>) -> Response<Chunks> {
    let frames: Vec<_> = chunks.into_iter().map(|chunk| chunk.map(Frame::data)).collect();
    Response::builder()
        .status(StatusCode::from_u16(code).unwrap())
        .header("content-type", "application/json")
        .body(StreamBody::new(futures::stream::iter(frames)))
        .unwrap()
}

/// A client whose every request is answered by `script(path and query, how many times that
/// path and query was asked before)`. Returns the requests seen, in order.
fn scripted(script: impl Fn(&str, usize) -> Reply + Send + Sync + 'static) -> (Connection, Arc<Mutex<Vec<String>>>) {
    let script: Box<Script> = Box::new(script);
    let (service, mut handle) = tower_test::mock::pair::<Request<Body>, Response<Chunks>>();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        let mut counts: HashMap<String, usize> = HashMap::new();
        let mut unanswered = Vec::new();
        while let Some((request, respond)) = handle.next_request().await {
            let uri = request.uri().path_and_query().map(|p| p.to_string()).unwrap_or_default();
            log.lock().unwrap().push(format!("{} {uri}", request.method()));
            let attempt = counts.entry(uri.clone()).or_default();
            let reply = script(&uri, *attempt);
            *attempt += 1;
            match reply {
                Reply::Late(delay) => {
                    let reply = normal(&uri);
                    tokio::spawn(async move {
                        tokio::time::sleep(delay).await;
                        answer(reply, respond);
                    });
                }
                Reply::Silent => unanswered.push(respond),
                reply => answer(reply, respond),
            }
        }
    });
    let client = kube::Client::new(service, "default");
    let conn = Connection {
        client,
        namespace: "ns".to_string(),
        context: None,
        server: SERVER.to_string(),
        request_timeout: Some(Duration::from_secs(10)),
    };
    (conn, seen)
}

fn status(code: u16, reason: &str, retry_after: u32) -> Value {
    json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": format!("scripted {code}"),
           "reason": reason, "code": code, "details": {"retryAfterSeconds": retry_after}})
}

fn version() -> Value {
    json!({"major": "1", "minor": "31", "gitVersion": "v1.31.2", "gitCommit": "", "gitTreeState": "clean",
           "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.22", "compiler": "gc", "platform": "linux/amd64"})
}

fn daemonset() -> Value {
    json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent", "namespace": "ns", "uid": "u1"},
           "spec": {"selector": {"matchLabels": {"app": "agent"}},
                    "template": {"metadata": {"labels": {"app": "agent"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}})
}

fn list(kind: &str, items: Vec<Value>, next: Option<&str>) -> Value {
    json!({"apiVersion": "v1", "kind": format!("{kind}List"), "metadata": {"continue": next.unwrap_or("")}, "items": items})
}

fn node(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}})
}

fn path(uri: &str) -> &str {
    uri.split('?').next().unwrap_or(uri)
}

/// Everything but the path under test answers normally.
fn normal(uri: &str) -> Reply {
    let (code, body) = match path(uri) {
        "/version" => (200, version()),
        "/apis/apps/v1/namespaces/ns/daemonsets/agent" => (200, daemonset()),
        "/api/v1/nodes" => (200, list("Node", vec![node("n1")], None)),
        "/api/v1/namespaces/ns" => (200, json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ns"}})),
        p if p.ends_with("/pods") => (200, list("Pod", vec![], None)),
        p if p.ends_with("/controllerrevisions") => (200, list("ControllerRevision", vec![], None)),
        p if p.ends_with("/events") => (200, list("Event", vec![], None)),
        _ => (404, status(404, "NotFound", 0)),
    };
    Reply::Json(code, body)
}

fn count(seen: &Mutex<Vec<String>>, matching: impl Fn(&str) -> bool) -> usize {
    seen.lock().unwrap().iter().filter(|r| matching(r)).count()
}

#[tokio::test]
async fn a_500_on_a_read_is_retried() {
    let (conn, seen) = scripted(|uri, attempt| {
        if uri.starts_with("/api/v1/nodes") && attempt < 2 {
            Reply::Json(500, status(500, "InternalError", 0))
        } else {
            normal(uri)
        }
    });
    let snapshot = daemonset_snapshot(&conn, "agent", None).await.expect("retried past two 500s");
    assert_eq!(snapshot.nodes.len(), 1);
    assert_eq!(count(&seen, |r| r.starts_with("GET /api/v1/nodes")), 3);
}

#[tokio::test]
async fn a_500_that_persists_is_reported_as_a_server_failure() {
    let (mut conn, _) = scripted(|uri, _| {
        if uri.starts_with("/api/v1/nodes") { Reply::Json(500, status(500, "InternalError", 0)) } else { normal(uri) }
    });
    conn.request_timeout = Some(Duration::from_secs(2));
    let started = Instant::now();
    let error = daemonset_snapshot(&conn, "agent", None).await.expect_err("the server keeps failing");
    assert_eq!(error, AccessError::Server { server: SERVER.into(), code: 500, message: "scripted 500".into() });
    assert_eq!(error.exit_code(), 3);
    assert!(started.elapsed() < Duration::from_secs(3), "retries stay within --request-timeout");
}

#[tokio::test]
async fn a_429_waits_as_long_as_the_server_asks() {
    let (conn, _) = scripted(|uri, attempt| {
        if uri.starts_with("/api/v1/nodes") && attempt == 0 {
            Reply::Json(429, status(429, "TooManyRequests", 1))
        } else {
            normal(uri)
        }
    });
    let started = Instant::now();
    let snapshot = daemonset_snapshot(&conn, "agent", None).await.expect("retried after Retry-After");
    assert!(started.elapsed() >= Duration::from_secs(1), "waited {:?}", started.elapsed());
    assert!(snapshot.has(Kind::Node));
}

#[tokio::test]
async fn an_expired_continue_token_restarts_the_list() {
    let (conn, seen) = scripted(|uri, attempt| {
        if path(uri) != "/api/v1/nodes" {
            return normal(uri);
        }
        if uri.contains("continue=page2") {
            // The first continuation expires; the second time around it works.
            if attempt == 0 {
                Reply::Json(410, status(410, "Expired", 0))
            } else {
                Reply::Json(200, list("Node", vec![node("n2")], None))
            }
        } else {
            Reply::Json(200, list("Node", vec![node("n1")], Some("page2")))
        }
    });
    let snapshot = daemonset_snapshot(&conn, "agent", None).await.expect("list restarted");
    let names: Vec<_> = snapshot.nodes.iter().filter_map(|n| n.metadata.name.clone()).collect();
    assert_eq!(names, ["n1", "n2"], "no page is counted twice");
    assert_eq!(count(&seen, |r| r.starts_with("GET /api/v1/nodes") && !r.contains("continue")), 2);
}

#[tokio::test]
async fn forbidden_lists_become_gaps_not_failures() {
    let (conn, _) = scripted(|uri, _| {
        if uri.starts_with("/api/v1/nodes") { Reply::Json(403, status(403, "Forbidden", 0)) } else { normal(uri) }
    });
    let snapshot = daemonset_snapshot(&conn, "agent", None).await.expect("nodes are optional");
    assert!(!snapshot.has(Kind::Node));
    assert_eq!(snapshot.missing[&Kind::Node], "cannot list nodes (forbidden): needs get/list on nodes");
}

#[tokio::test]
async fn every_request_is_a_get() {
    let (conn, seen) = scripted(|uri, _| normal(uri));
    daemonset_snapshot(&conn, "agent", None).await.expect("snapshot");
    let seen = seen.lock().unwrap();
    assert!(seen.len() >= 6, "{seen:?}");
    assert!(seen.iter().all(|r| r.starts_with("GET ")), "{seen:?}");
}

#[tokio::test]
async fn a_connection_dropped_mid_list_asks_for_that_page_again() {
    let (conn, seen) = scripted(|uri, attempt| match path(uri) {
        // The second page breaks off half-way the first time.
        "/api/v1/nodes" if uri.contains("continue=page2") && attempt == 0 => {
            Reply::Cut(list("Node", vec![node("n2")], None))
        }
        "/api/v1/nodes" if uri.contains("continue=page2") => Reply::Json(200, list("Node", vec![node("n2")], None)),
        "/api/v1/nodes" => Reply::Json(200, list("Node", vec![node("n1")], Some("page2"))),
        // The connection of the events list is reset before any answer.
        "/api/v1/namespaces/ns/events" if attempt == 0 => Reply::Reset,
        _ => normal(uri),
    });
    let snapshot = daemonset_snapshot(&conn, "agent", None).await.expect("the broken reads are asked again");
    let names: Vec<_> = snapshot.nodes.iter().filter_map(|n| n.metadata.name.clone()).collect();
    assert_eq!(names, ["n1", "n2"], "each node once");
    assert!(snapshot.has(Kind::Event));
    assert_eq!(count(&seen, |r| r.starts_with("GET /api/v1/nodes") && r.contains("continue=page2")), 2);
    assert_eq!(count(&seen, |r| r.starts_with("GET /api/v1/nodes") && !r.contains("continue")), 1, "not restarted");
    assert_eq!(count(&seen, |r| r.starts_with("GET /api/v1/namespaces/ns/events")), 2);
}

#[tokio::test]
async fn a_connection_that_keeps_breaking_fails_the_command_naming_the_list() {
    let (mut conn, _) = scripted(|uri, _| match path(uri) {
        "/api/v1/nodes" if uri.contains("continue=page2") => Reply::Cut(list("Node", vec![node("n2")], None)),
        "/api/v1/nodes" => Reply::Json(200, list("Node", vec![node("n1")], Some("page2"))),
        _ => normal(uri),
    });
    conn.request_timeout = Some(Duration::from_secs(2));
    let started = Instant::now();
    let error = daemonset_snapshot(&conn, "agent", None).await.expect_err("no partial snapshot");
    let AccessError::Interrupted { server, what, detail } = &error else { panic!("{error:?}") };
    assert_eq!((server.as_str(), what.as_str()), (SERVER, "list nodes"));
    assert!(detail.contains("connection reset by peer"), "{detail}");
    assert_eq!(error.exit_code(), 3);
    assert!(
        error
            .to_string()
            .starts_with("the connection to the server at https://scripted.invalid broke during list nodes: ")
    );
    assert!(started.elapsed() < Duration::from_secs(3), "retries stay within --request-timeout");
}

#[tokio::test]
async fn credentials_that_expire_mid_read_fail_the_whole_read() {
    // Each time, the requests before succeed, and the one named is the first to get 401.
    for expired in ["/api/v1/nodes", "/api/v1/namespaces/ns", "/api/v1/pods", "/api/v1/namespaces/ns/events"] {
        let (conn, seen) =
            scripted(
                move |uri, _| {
                    if path(uri) == expired { Reply::Json(401, status(401, "Unauthorized", 0)) } else { normal(uri) }
                },
            );
        let result = daemonset_snapshot(&conn, "agent", None).await;
        assert_eq!(result.err(), Some(AccessError::Unauthorized { server: SERVER.into() }), "401 on {expired}");
        let asked = count(&seen, |r| path(r.trim_start_matches("GET ")) == expired);
        assert_eq!(asked, 1, "{expired} was read once: 401 is not retried");
    }
}

#[tokio::test]
async fn an_answer_of_another_kind_is_an_error_naming_the_read() {
    let pod = json!({"metadata": {"name": "p", "namespace": "ns"}, "spec": {"containers": []}, "status": {"phase": "Running"}});
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        ("/api/v1/nodes", list("Pod", vec![pod], None), "list nodes", "a PodList, not a NodeList"),
        ("/api/v1/nodes", list("Pod", vec![], None), "list nodes", "a PodList, not a NodeList"),
        ("/api/v1/nodes", status(200, "", 0), "list nodes", "missing field `items`"),
        (
            "/apis/apps/v1/namespaces/ns/daemonsets/agent",
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "agent"}}),
            "get daemonsets.apps in namespace ns",
            "invalid value: string \"v1\", expected apps/v1",
        ),
    ];
    for (asked, body, what, detail) in cases {
        let answer = body.clone();
        let (conn, _) =
            scripted(move |uri, _| if path(uri) == asked { Reply::Json(200, answer.clone()) } else { normal(uri) });
        let error = daemonset_snapshot(&conn, "agent", None).await.expect_err("not a snapshot");
        let AccessError::Unexpected { what: named, detail: said, .. } = &error else { panic!("{body}: {error:?}") };
        assert_eq!(named, what, "{body}");
        assert!(said.contains(detail), "{body}: {said}");
        assert_eq!(error.exit_code(), 3);
    }
    // An HTML page with 200 (a proxy's login page).
    let (conn, _) = scripted(|uri, _| {
        if path(uri) == "/api/v1/nodes" { Reply::Text("<html><body>Sign in</body></html>") } else { normal(uri) }
    });
    let error = daemonset_snapshot(&conn, "agent", None).await.expect_err("not a snapshot");
    assert_eq!(
        error.to_string(),
        "unexpected answer from the server at https://scripted.invalid to list nodes: not JSON (expected value at line 1 column 1)"
    );
}

#[tokio::test]
async fn an_answer_slower_than_the_request_timeout_fails_within_it() {
    let (mut conn, _) =
        scripted(
            |uri, _| if path(uri) == "/api/v1/nodes" { Reply::Late(Duration::from_secs(30)) } else { normal(uri) },
        );
    conn.request_timeout = Some(Duration::from_millis(1500));
    let started = Instant::now();
    let error = daemonset_snapshot(&conn, "agent", None).await.expect_err("too slow");
    assert_eq!(
        error,
        AccessError::Timeout { server: SERVER.into(), seconds: 2, limit: TimeLimit::RequestTimeout },
        "1.5 s rounds up"
    );
    assert!(started.elapsed() < Duration::from_millis(2500), "took {:?}", started.elapsed());

    // Slow, but within the limit: waited for.
    let (mut conn, _) =
        scripted(
            |uri, _| {
                if path(uri) == "/api/v1/nodes" { Reply::Late(Duration::from_millis(500)) } else { normal(uri) }
            },
        );
    conn.request_timeout = Some(Duration::from_millis(1500));
    let snapshot = daemonset_snapshot(&conn, "agent", None).await.expect("within the limit");
    assert_eq!(snapshot.nodes.len(), 1);
}

/// A loopback HTTP server that reads each request's head and hands its path and the connection
/// to `serve`.
fn loopback(serve: fn(&str, &mut TcpStream)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut byte = [0u8];
                while !head.ends_with(b"\r\n\r\n") {
                    match stream.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => return,
                    }
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                serve(head.split(' ').nth(1).unwrap_or_default(), &mut stream);
            });
        }
    });
    address
}

/// A connection through kube's own connector, configured as `kubectl ds` configures it.
async fn connect_to(server: &str, request_timeout: Option<Duration>) -> (Connection, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: \"{server}\"}}\nusers:\n- name: u\n  user: {{}}\ncontexts:\n- name: x\n  context: {{cluster: c, user: u, namespace: ns}}\ncurrent-context: x\n"
        ),
    )
    .unwrap();
    let flags = ConnectionFlags { kubeconfig: Some(kubeconfig), request_timeout, ..ConnectionFlags::default() };
    (connect(&flags).await.expect("connect"), dir)
}

fn never_answer(_: &str, _: &mut TcpStream) {
    std::thread::sleep(Duration::from_secs(600));
}

#[tokio::test]
async fn a_real_connection_cut_mid_body_fails_naming_the_read() {
    let server = loopback(|path, stream| {
        let body = if path == "/version" { version().to_string() } else { daemonset().to_string() };
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        // Everything but /version stops half-way.
        let sent = if path == "/version" { body.len() } else { body.len() / 2 };
        let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body.as_bytes()[..sent]));
    });
    let (conn, _dir) = connect_to(&server, Some(Duration::from_secs(2))).await;
    let error = daemonset_snapshot(&conn, "agent", None).await.expect_err("cut short");
    let AccessError::Interrupted { what, .. } = &error else { panic!("{error:?}") };
    assert_eq!(what, "get daemonsets.apps in namespace ns");
    assert_eq!(error.exit_code(), 3);
}

#[tokio::test]
async fn a_server_that_never_answers_fails_within_the_request_timeout() {
    let server = loopback(never_answer);
    let (conn, _dir) = connect_to(&server, Some(Duration::from_secs(1))).await;
    let started = Instant::now();
    let error = daemonset_snapshot(&conn, "agent", None).await.expect_err("no answer");
    assert_eq!(error, AccessError::Timeout { server: server.clone(), seconds: 1, limit: TimeLimit::RequestTimeout });
    assert_eq!(error.to_string(), format!("no answer from the server at {server} within 1s (--request-timeout)"));
    assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
}

/// Without --request-timeout (kubectl's default, no limit on a request) only the connection's own
/// limits end a read from a server that sends nothing, and the error names the silence limit.
/// `apply_limits` sets those limits to SILENCE_LIMIT (its unit test in kubeconfig.rs); here the
/// connector keeps the 1 s of `--request-timeout 1s` while the request loses its own bound, so
/// the same path ends in a second rather than a minute.
#[tokio::test]
async fn without_a_request_timeout_a_silent_server_is_given_up_on() {
    let server = loopback(never_answer);
    let (mut conn, _dir) = connect_to(&server, Some(Duration::from_secs(1))).await;
    conn.request_timeout = None;
    let started = Instant::now();
    let error = daemonset_snapshot(&conn, "agent", None).await.expect_err("no answer");
    let took = started.elapsed();
    assert!(matches!(error, AccessError::Timeout { limit: TimeLimit::Silence, .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        format!(
            "no answer from the server at {server} within {}s (the limit on a silent server when \
             --request-timeout is not set; set it to wait longer)",
            SILENCE_LIMIT.as_secs()
        )
    );
    assert!(took >= Duration::from_secs(1) && took < Duration::from_secs(3), "took {took:?}");
}

const DAEMONSETS: &str = "/apis/apps/v1/namespaces/ns/daemonsets";
const PODS: &str = "/api/v1/namespaces/ns/pods";

/// The resourceVersion a watch starts from.
fn watch_from(uri: &str) -> Option<&str> {
    uri.contains("watch=true").then(|| uri.split(['?', '&']).find_map(|p| p.strip_prefix("resourceVersion="))).flatten()
}

/// The DaemonSet as of a resourceVersion.
fn daemonset_at(version: &str) -> Value {
    let mut ds = daemonset();
    ds["metadata"]["resourceVersion"] = json!(version);
    ds
}

fn list_at(kind: &str, items: Vec<Value>, version: &str) -> Value {
    json!({"apiVersion": "v1", "kind": format!("{kind}List"), "metadata": {"resourceVersion": version}, "items": items})
}

fn modified(version: &str) -> Value {
    json!({"type": "MODIFIED", "object": daemonset_at(version)})
}

/// Lists and watches of the DaemonSet and its pods: the DaemonSet's watches as `watch` says
/// (given the resourceVersion and the attempt), the pods' quiet.
fn watches(
    lists: impl Fn(usize) -> &'static str + Send + Sync + 'static,
    watch: impl Fn(&str, usize) -> Reply + Send + Sync + 'static,
) -> (Connection, Arc<Mutex<Vec<String>>>, futures::stream::BoxStream<'static, ()>) {
    let (conn, seen) = scripted(move |uri, attempt| match (path(uri), watch_from(uri)) {
        (DAEMONSETS, None) => {
            Reply::Json(200, list_at("DaemonSet", vec![daemonset_at(lists(attempt))], lists(attempt)))
        }
        (DAEMONSETS, Some(version)) => watch(version, attempt),
        (PODS, None) => Reply::Json(200, list_at("Pod", vec![], "1")),
        (PODS, Some(_)) => Reply::Silent,
        _ => normal(uri),
    });
    let ds: DaemonSet = serde_json::from_value(daemonset()).unwrap();
    let changes = daemonset_changes(&conn, &ds);
    (conn, seen, changes)
}

async fn next_change(changes: &mut futures::stream::BoxStream<'static, ()>) -> Option<()> {
    tokio::time::timeout(Duration::from_secs(10), changes.next()).await.expect("a change or the end within 10 s")
}

/// Keeps the watch going (it only moves when polled) for two seconds, in which nothing changes.
async fn quiet(changes: &mut futures::stream::BoxStream<'static, ()>) {
    let next = tokio::time::timeout(Duration::from_secs(2), changes.next()).await;
    assert!(next.is_err(), "no change: {next:?}");
}

#[tokio::test]
async fn a_watch_that_drops_resumes_from_the_last_resource_version() {
    let (_conn, seen, mut changes) = watches(
        |_| "1",
        |version, _| match version {
            "1" => Reply::Events(vec![modified("2")], true),
            "2" => Reply::Events(vec![modified("3")], false),
            _ => Reply::Silent,
        },
    );
    assert_eq!(next_change(&mut changes).await, Some(()), "the event before the connection broke");
    assert_eq!(next_change(&mut changes).await, Some(()), "the event after resuming");
    quiet(&mut changes).await;
    let watched_from: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.contains(DAEMONSETS))
        .filter_map(|r| watch_from(r).map(str::to_string))
        .collect();
    assert_eq!(watched_from, ["1", "2", "3"], "broken off, then resumed where it was; then resumed after it ended");
    assert_eq!(count(&seen, |r| r.contains(DAEMONSETS) && watch_from(r).is_none()), 1, "listed once");
}

#[tokio::test]
async fn a_watch_too_far_behind_starts_over_with_a_fresh_list() {
    // 410 Gone within the stream, as the API server sends it.
    let gone = json!({"type": "ERROR", "object": status(410, "Expired", 0)});
    let (_conn, seen, mut changes) = watches(
        |attempt| if attempt == 0 { "1" } else { "5" },
        move |version, _| if version == "1" { Reply::Events(vec![gone.clone()], false) } else { Reply::Silent },
    );
    assert_eq!(next_change(&mut changes).await, Some(()), "a fresh list may hold changes no event told");
    assert_eq!(count(&seen, |r| r.contains(DAEMONSETS) && watch_from(r).is_none()), 2);
    quiet(&mut changes).await;
    assert_eq!(count(&seen, |r| watch_from(r) == Some("5")), 1, "watched from the fresh list");

    // 410 as the answer to the watch request: kube's watcher alone would retry it forever.
    let (_conn, seen, mut changes) = watches(
        |attempt| if attempt == 0 { "1" } else { "5" },
        |version, _| if version == "1" { Reply::Json(410, status(410, "Gone", 0)) } else { Reply::Silent },
    );
    assert_eq!(next_change(&mut changes).await, Some(()));
    assert_eq!(count(&seen, |r| r.contains(DAEMONSETS) && watch_from(r).is_none()), 2);
    quiet(&mut changes).await;
    assert_eq!(count(&seen, |r| watch_from(r) == Some("5")), 1, "watched from the fresh list");
    assert_eq!(count(&seen, |r| r.contains(DAEMONSETS) && watch_from(r) == Some("1")), 1, "not asked again");
}

#[tokio::test]
async fn a_watch_that_is_not_allowed_ends_and_leaves_polling() {
    let (conn, _) = scripted(|uri, _| {
        if watch_from(uri).is_some() { Reply::Json(403, status(403, "Forbidden", 0)) } else { normal_or_listed(uri) }
    });
    let ds: DaemonSet = serde_json::from_value(daemonset()).unwrap();
    let mut changes = daemonset_changes(&conn, &ds);
    assert_eq!(next_change(&mut changes).await, None);
}

fn normal_or_listed(uri: &str) -> Reply {
    match path(uri) {
        DAEMONSETS => Reply::Json(200, list_at("DaemonSet", vec![daemonset_at("1")], "1")),
        PODS => Reply::Json(200, list_at("Pod", vec![], "1")),
        _ => normal(uri),
    }
}
