//! What a real server cannot be made to do on demand (a 500 on a read, a 429 with Retry-After,
//! an expired continue token), scripted under kube's `Client::new`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http::{Request, Response, StatusCode};
use kube::client::Body;
use kubectl_ds::snapshot::Kind;
use kubectl_ds::source::AccessError;
use kubectl_ds::source::kubeconfig::Connection;
use kubectl_ds::source::live::daemonset_snapshot;
use serde_json::{Value, json};

type Script = dyn Fn(&str, usize) -> (u16, Value) + Send + Sync;

/// A client whose every request is answered by `script(path and query, how many times that
/// path was asked before)`. Returns the requests seen, in order.
fn scripted(script: Box<Script>) -> (Connection, Arc<Mutex<Vec<String>>>) {
    let (service, mut handle) = tower_test::mock::pair::<Request<Body>, Response<Body>>();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        let mut counts: HashMap<String, usize> = HashMap::new();
        while let Some((request, respond)) = handle.next_request().await {
            let uri = request.uri().path_and_query().map(|p| p.to_string()).unwrap_or_default();
            log.lock().unwrap().push(format!("{} {uri}", request.method()));
            let attempt = counts.entry(uri.clone()).or_default();
            let (code, body) = script(&uri, *attempt);
            *attempt += 1;
            let response = Response::builder()
                .status(StatusCode::from_u16(code).unwrap())
                .header("content-type", "application/json")
                .body(Body::from(serde_json::to_vec(&body).unwrap()))
                .unwrap();
            respond.send_response(response);
        }
    });
    let client = kube::Client::new(service, "default");
    let conn = Connection {
        client,
        namespace: "ns".to_string(),
        context: None,
        server: "https://scripted.invalid".to_string(),
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

/// Everything but the path under test answers normally.
fn normal(uri: &str) -> (u16, Value) {
    let path = uri.split('?').next().unwrap_or(uri);
    match path {
        "/version" => (200, version()),
        "/apis/apps/v1/namespaces/ns/daemonsets/agent" => (200, daemonset()),
        "/api/v1/nodes" => (200, list("Node", vec![node("n1")], None)),
        "/api/v1/namespaces/ns" => (200, json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ns"}})),
        p if p.ends_with("/pods") => (200, list("Pod", vec![], None)),
        p if p.ends_with("/controllerrevisions") => (200, list("ControllerRevision", vec![], None)),
        p if p.ends_with("/events") => (200, list("Event", vec![], None)),
        _ => (404, status(404, "NotFound", 0)),
    }
}

#[tokio::test]
async fn a_500_on_a_read_is_retried() {
    let (conn, seen) = scripted(Box::new(|uri, attempt| {
        if uri.starts_with("/api/v1/nodes") && attempt < 2 {
            (500, status(500, "InternalError", 0))
        } else {
            normal(uri)
        }
    }));
    let snapshot = daemonset_snapshot(&conn, "agent", None).await.expect("retried past two 500s");
    assert_eq!(snapshot.nodes.len(), 1);
    let node_lists = seen.lock().unwrap().iter().filter(|r| r.starts_with("GET /api/v1/nodes")).count();
    assert_eq!(node_lists, 3);
}

#[tokio::test]
async fn a_500_that_persists_is_reported_as_a_server_failure() {
    let (mut conn, _) = scripted(Box::new(|uri, _| {
        if uri.starts_with("/api/v1/nodes") { (500, status(500, "InternalError", 0)) } else { normal(uri) }
    }));
    conn.request_timeout = Some(Duration::from_secs(2));
    let started = Instant::now();
    let error = daemonset_snapshot(&conn, "agent", None).await.expect_err("the server keeps failing");
    assert_eq!(
        error,
        AccessError::Server { server: "https://scripted.invalid".into(), code: 500, message: "scripted 500".into() }
    );
    assert_eq!(error.exit_code(), 3);
    assert!(started.elapsed() < Duration::from_secs(3), "retries stay within --request-timeout");
}

#[tokio::test]
async fn a_429_waits_as_long_as_the_server_asks() {
    let (conn, _) = scripted(Box::new(|uri, attempt| {
        if uri.starts_with("/api/v1/nodes") && attempt == 0 {
            (429, status(429, "TooManyRequests", 1))
        } else {
            normal(uri)
        }
    }));
    let started = Instant::now();
    let snapshot = daemonset_snapshot(&conn, "agent", None).await.expect("retried after Retry-After");
    assert!(started.elapsed() >= Duration::from_secs(1), "waited {:?}", started.elapsed());
    assert!(snapshot.has(Kind::Node));
}

#[tokio::test]
async fn an_expired_continue_token_restarts_the_list() {
    let (conn, seen) = scripted(Box::new(|uri, attempt| {
        let path = uri.split('?').next().unwrap_or(uri);
        if path != "/api/v1/nodes" {
            return normal(uri);
        }
        if uri.contains("continue=page2") {
            // The first continuation expires; the second time around it works.
            if attempt == 0 { (410, status(410, "Expired", 0)) } else { (200, list("Node", vec![node("n2")], None)) }
        } else {
            (200, list("Node", vec![node("n1")], Some("page2")))
        }
    }));
    let snapshot = daemonset_snapshot(&conn, "agent", None).await.expect("list restarted");
    let names: Vec<_> = snapshot.nodes.iter().filter_map(|n| n.metadata.name.clone()).collect();
    assert_eq!(names, ["n1", "n2"], "no page is counted twice");
    let firsts =
        seen.lock().unwrap().iter().filter(|r| r.starts_with("GET /api/v1/nodes") && !r.contains("continue")).count();
    assert_eq!(firsts, 2);
}

#[tokio::test]
async fn forbidden_lists_become_gaps_not_failures() {
    let (conn, _) = scripted(Box::new(|uri, _| {
        if uri.starts_with("/api/v1/nodes") { (403, status(403, "Forbidden", 0)) } else { normal(uri) }
    }));
    let snapshot = daemonset_snapshot(&conn, "agent", None).await.expect("nodes are optional");
    assert!(!snapshot.has(Kind::Node));
    assert_eq!(snapshot.missing[&Kind::Node], "cannot list nodes (forbidden): needs get/list on nodes");
}

#[tokio::test]
async fn every_request_is_a_get() {
    let (conn, seen) = scripted(Box::new(|uri, _| normal(uri)));
    daemonset_snapshot(&conn, "agent", None).await.expect("snapshot");
    let seen = seen.lock().unwrap();
    assert!(seen.len() >= 6, "{seen:?}");
    assert!(seen.iter().all(|r| r.starts_with("GET ")), "{seen:?}");
}
