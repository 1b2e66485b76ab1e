//! Cluster state through the Kubernetes API: only what a command needs, fetched concurrently,
//! paginated, retried where retrying is safe. Read-only: every request is a get or a list.

use std::future::Future;
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use jiff::Timestamp;
use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::core::v1::{Event, Namespace, Node, Pod, ServiceAccount};
use k8s_openapi::api::node::v1::RuntimeClass;
use k8s_openapi::api::scheduling::v1::PriorityClass;
use kube::Resource;
use kube::api::{Api, ListParams};
use serde::de::DeserializeOwned;

use super::kubeconfig::{Connection, SILENCE_LIMIT};
use super::{AccessError, TimeLimit};
use crate::snapshot::{Kind, Origin, Snapshot};
use crate::version::KubeVersion;

/// Large pages: fewer round trips on big clusters, still bounded memory per response.
const PAGE_SIZE: u32 = 500;
const MAX_ATTEMPTS: u32 = 6;
/// Per-node pod lists run this many at once.
const NODE_LISTS_IN_FLIGHT: usize = 16;

impl Connection {
    fn origin(&self) -> Origin {
        Origin::Live { context: self.context.clone() }
    }

    pub(crate) fn classify(
        &self,
        error: kube::Error,
        verb: &'static str,
        resource: &'static str,
        namespace: Option<&str>,
    ) -> AccessError {
        classify(error, &self.server, self.request_timeout, verb, resource, namespace)
    }
}

/// `request_timeout` is the connection's `--request-timeout`: none means the silence limit applied.
pub fn classify(
    error: kube::Error,
    server: &str,
    request_timeout: Option<Duration>,
    verb: &'static str,
    resource: &'static str,
    namespace: Option<&str>,
) -> AccessError {
    let server = server.trim_end_matches('/').to_string();
    let what = || {
        let place = namespace.map(|ns| format!(" in namespace {ns}")).unwrap_or_default();
        format!("{verb} {resource}{place}")
    };
    match error {
        kube::Error::Api(status) => match status.code {
            401 => AccessError::Unauthorized { server },
            403 => AccessError::Forbidden { verb, resource, namespace: namespace.map(str::to_string) },
            code => AccessError::Server { server, code, message: status.message },
        },
        kube::Error::SerdeError(error) => {
            let detail = match error.classify() {
                serde_json::error::Category::Syntax => format!("not JSON ({error})"),
                serde_json::error::Category::Eof => format!("JSON cut short ({error})"),
                _ => error.to_string(),
            };
            AccessError::Unexpected { server, what: what(), detail }
        }
        other if dropped(&other) => AccessError::Interrupted { server, what: what(), detail: error_chain(&other) },
        other => {
            let detail = error_chain(&other);
            let lower = detail.to_lowercase();
            if lower.contains("timed out") || lower.contains("timeout") || lower.contains("elapsed") {
                let (limit, which) = match request_timeout {
                    Some(limit) => (limit, TimeLimit::RequestTimeout),
                    None => (SILENCE_LIMIT, TimeLimit::Silence),
                };
                // Rounded up: a 500ms limit is not "0s".
                let seconds = limit.as_secs() + u64::from(limit.subsec_nanos() > 0);
                AccessError::Timeout { server, seconds, limit: which }
            } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
                AccessError::Tls { server, detail }
            } else {
                AccessError::Unreachable { server, detail }
            }
        }
    }
}

/// A connection that broke before the whole answer arrived (reset, closed, cut short): safe to ask
/// again, since every request is a read. Not a timeout, a refused connection or a TLS failure.
fn dropped(error: &kube::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = cause {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset, UnexpectedEof};
            if matches!(io.kind(), ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof) {
                return true;
            }
        }
        // hyper's IncompleteMessage: the server closed the connection before (all of) its answer.
        if error.to_string().contains("connection closed before message completed") {
            return true;
        }
        cause = error.source();
    }
    false
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}

/// Retries what is safe to retry (429 and 5xx on reads, a dropped connection), waiting what the
/// server asks (Retry-After) or backing off. With a request timeout, the read and its retries
/// together end within it, however slowly the server answers.
async fn with_retries<T, F, Fut>(timeout: Option<Duration>, mut call: F) -> Result<T, kube::Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, kube::Error>>,
{
    let started = Instant::now();
    let mut delay = Duration::from_millis(200);
    let mut attempt = 1;
    loop {
        let result = match timeout {
            Some(limit) => tokio::time::timeout(limit.saturating_sub(started.elapsed()), call())
                .await
                .unwrap_or_else(|elapsed| Err(kube::Error::Service(Box::new(elapsed)))),
            None => call().await,
        };
        // Some(how long the server asks to wait) when the read may be tried again.
        let retry = match &result {
            Err(kube::Error::Api(status)) if status.code == 429 || status.code >= 500 => {
                Some(status.details.as_ref().map(|d| d.retry_after_seconds).filter(|s| *s > 0))
            }
            Err(error) if dropped(error) => Some(None),
            _ => None,
        };
        let Some(asked) = retry.filter(|_| attempt < MAX_ATTEMPTS) else { return result };
        let wait = asked.map_or(delay, |s| Duration::from_secs(u64::from(s)));
        if timeout.is_some_and(|limit| started.elapsed() + wait > limit) {
            return result;
        }
        tokio::time::sleep(wait).await;
        delay = (delay * 2).min(Duration::from_secs(5));
        attempt += 1;
    }
}

/// Every page of a list. A page whose connection broke is asked for again with the same continue
/// token; a continue token that expired (410 Gone) restarts the list: the pages already read may
/// be stale, and mixing them would misreport. A page of another kind fails the list.
async fn list_all<K>(api: &Api<K>, params: &ListParams, timeout: Option<Duration>) -> Result<Vec<K>, kube::Error>
where
    K: Resource + Clone + DeserializeOwned + std::fmt::Debug,
    K::DynamicType: Default,
{
    let mut restarts = 0;
    'restart: loop {
        let mut items = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut page = params.clone();
            // A list from the watch cache comes whole; kube drops resourceVersion=0 beside a limit.
            if page.resource_version.as_deref() != Some("0") {
                page = page.limit(PAGE_SIZE);
            }
            if let Some(token) = &token {
                page = page.continue_token(token);
            }
            match with_retries(timeout, || api.list(&page)).await {
                Ok(list) => {
                    of_kind::<K>(&list.types.kind)?;
                    items.extend(list.items);
                    match list.metadata.continue_.filter(|t| !t.is_empty()) {
                        Some(next) => token = Some(next),
                        None => return Ok(items),
                    }
                }
                Err(kube::Error::Api(status)) if status.code == 410 && token.is_some() && restarts < 3 => {
                    restarts += 1;
                    continue 'restart;
                }
                Err(error) => return Err(error),
            }
        }
    }
}

/// A list answer must be `<Kind>List` (or a plain `List`): an empty PodList where NodeList was
/// asked would otherwise read as "no nodes", and its pods would deserialize as nodes.
fn of_kind<K>(kind: &str) -> Result<(), kube::Error>
where
    K: Resource,
    K::DynamicType: Default,
{
    let expected = format!("{}List", K::kind(&K::DynamicType::default()));
    if kind == expected || kind == "List" {
        return Ok(());
    }
    let got = if kind.is_empty() { "an object without a kind".to_string() } else { format!("a {kind}") };
    Err(kube::Error::SerdeError(serde::de::Error::custom(format!("{got}, not a {expected}"))))
}

/// A read the report can do without: forbidden leaves it unknown. Any other failure is the
/// command's: a snapshot silently missing it would pass for complete.
fn unless_forbidden<T>(result: Result<Option<T>, kube::Error>) -> Result<Option<T>, kube::Error> {
    match result {
        Err(kube::Error::Api(status)) if status.code == 403 => Ok(None),
        other => other,
    }
}

/// The result of a list the user may not be allowed to make: forbidden becomes a gap.
enum Listed<K> {
    Items(Vec<K>),
    Forbidden(String),
}

async fn list_or_gap<K>(
    conn: &Connection,
    api: Api<K>,
    params: ListParams,
    resource: &'static str,
    namespace: Option<&str>,
) -> Result<Listed<K>, AccessError>
where
    K: Resource + Clone + DeserializeOwned + std::fmt::Debug,
    K::DynamicType: Default,
{
    match list_all(&api, &params, conn.request_timeout).await {
        Ok(items) => Ok(Listed::Items(items)),
        Err(kube::Error::Api(status)) if status.code == 403 => {
            let place = namespace.map(|ns| format!(" in namespace {ns}")).unwrap_or_default();
            Ok(Listed::Forbidden(format!("cannot list {resource}{place} (forbidden): needs get/list on {resource}")))
        }
        Err(error) => Err(conn.classify(error, "list", resource, namespace)),
    }
}

fn store<K>(snapshot: &mut Snapshot, kind: Kind, listed: Listed<K>, into: impl FnOnce(&mut Snapshot) -> &mut Vec<K>) {
    match listed {
        Listed::Items(items) => {
            snapshot.present.insert(kind);
            into(snapshot).extend(items);
        }
        Listed::Forbidden(why) => {
            snapshot.missing.insert(kind, why);
        }
    }
}

/// The server's version, for the engine's rules.
async fn server_version(conn: &Connection) -> Result<Option<KubeVersion>, AccessError> {
    match with_retries(conn.request_timeout, || conn.client.apiserver_version()).await {
        Ok(info) => Ok(info.git_version.parse().ok()),
        Err(kube::Error::Api(status)) if status.code == 403 => Ok(None),
        Err(error) => Err(conn.classify(error, "get", "/version", None)),
    }
}

/// Everything `explain` needs for one DaemonSet: the DaemonSet, every node, its pods, revisions
/// and events, its namespace and RuntimeClass; then the pods on the nodes whose fit must be
/// checked. With a `manifest` (what-if) the DaemonSet of that name need not exist, and the fit is
/// checked on every node the manifest would run on.
pub async fn daemonset_snapshot(
    conn: &Connection,
    name: &str,
    manifest: Option<&DaemonSet>,
) -> Result<Snapshot, AccessError> {
    let ns = conn.namespace.as_str();
    let daemonsets: Api<DaemonSet> = Api::namespaced(conn.client.clone(), ns);
    let (version, existing) =
        tokio::join!(server_version(conn), with_retries(conn.request_timeout, || daemonsets.get_opt(name)));
    let version = version?;
    let existing = existing.map_err(|e| conn.classify(e, "get", "daemonsets.apps", Some(ns)))?;
    // Eligibility follows the manifest when there is one; the pods are the existing DaemonSet's.
    let (ds, owner) = match (manifest, &existing) {
        (Some(manifest), Some(existing)) => (manifest.clone(), existing.clone()),
        (Some(manifest), None) => (manifest.clone(), manifest.clone()),
        (None, Some(existing)) => (existing.clone(), existing.clone()),
        (None, None) => return Err(not_found(conn, name).await),
    };
    let selector = kube_core::Selector::try_from(owner.spec.selector.clone()).ok().filter(|s| !s.selects_all());
    let by_selector = |params: ListParams| match &selector {
        Some(selector) => params.labels_from(selector),
        None => params,
    };
    let events = ListParams::default().fields(&format!("involvedObject.kind=DaemonSet,involvedObject.name={name}"));
    let runtime_class = ds.spec.template.spec.as_ref().and_then(|s| s.runtime_class_name.clone());
    let client = &conn.client;
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let runtime_classes: Api<RuntimeClass> = Api::all(client.clone());
    let (nodes, pods, revisions, events, namespace, runtime_class) = tokio::join!(
        list_or_gap(conn, Api::<Node>::all(client.clone()), ListParams::default(), "nodes", None),
        list_or_gap(
            conn,
            Api::<Pod>::namespaced(client.clone(), ns),
            by_selector(ListParams::default()),
            "pods",
            Some(ns)
        ),
        list_or_gap(
            conn,
            Api::<ControllerRevision>::namespaced(client.clone(), ns),
            by_selector(ListParams::default()),
            "controllerrevisions.apps",
            Some(ns)
        ),
        list_or_gap(conn, Api::<Event>::namespaced(client.clone(), ns), events, "events", Some(ns)),
        with_retries(conn.request_timeout, || namespaces.get_opt(ns)),
        async {
            match &runtime_class {
                Some(class) => with_retries(conn.request_timeout, || runtime_classes.get_opt(class))
                    .await
                    .map(|rc| rc.map(|rc| vec![rc])),
                None => Ok(None),
            }
        },
    );
    let mut snapshot = Snapshot::empty(conn.origin());
    snapshot.server_version = version;
    snapshot.present.insert(Kind::DaemonSet);
    snapshot.daemonsets.extend(existing);
    store(&mut snapshot, Kind::Node, nodes?, |s| &mut s.nodes);
    store(&mut snapshot, Kind::Pod, pods?, |s| &mut s.pods);
    store(&mut snapshot, Kind::ControllerRevision, revisions?, |s| &mut s.revisions);
    store(&mut snapshot, Kind::Event, events?, |s| &mut s.events);
    // Reading the namespace or RuntimeClass is a nicety: without the permission, do without.
    let namespace = unless_forbidden(namespace).map_err(|e| conn.classify(e, "get", "namespaces", None))?;
    let runtime_class =
        unless_forbidden(runtime_class).map_err(|e| conn.classify(e, "get", "runtimeclasses.node.k8s.io", None))?;
    if let Some(namespace) = namespace {
        snapshot.present.insert(Kind::Namespace);
        snapshot.namespaces.push(namespace);
    }
    if let Some(classes) = runtime_class {
        snapshot.present.insert(Kind::RuntimeClass);
        snapshot.runtime_classes.extend(classes);
    }
    snapshot.as_of = Some(Timestamp::now());

    let version = snapshot.server_version.unwrap_or(KubeVersion::NEWEST_KNOWN);
    let need_fit = crate::engine::explain::nodes_needing_fit(&snapshot, &ds, version, manifest.is_some());
    if snapshot.has(Kind::Pod) && !need_fit.is_empty() {
        let pods_api: Api<Pod> = Api::all(conn.client.clone());
        let per_node: Vec<Listed<Pod>> = futures::stream::iter(need_fit)
            .map(|node| {
                // From the server's watch cache (resourceVersion=0): a quorum read makes it read
                // every pod of the cluster from etcd for each node. A node's pods fit in one
                // answer, and usage a moment old is good enough for a fit check.
                let params = ListParams::default().fields(&format!("spec.nodeName={node}")).match_any();
                list_or_gap(conn, pods_api.clone(), params, "pods", None)
            })
            .buffer_unordered(NODE_LISTS_IN_FLIGHT)
            .try_collect()
            .await?;
        let mut seen: std::collections::HashSet<String> =
            snapshot.pods.iter().filter_map(|p| p.metadata.uid.clone()).collect();
        for listed in per_node {
            match listed {
                Listed::Items(pods) => {
                    for pod in pods {
                        if pod.metadata.uid.as_ref().is_none_or(|uid| seen.insert(uid.clone())) {
                            snapshot.push_pod(pod);
                        }
                    }
                }
                Listed::Forbidden(why) => {
                    let note = format!("{why}: resource fit on nodes unknown");
                    if !snapshot.notes.contains(&note) {
                        snapshot.notes.push(note);
                    }
                }
            }
        }
    }
    Ok(snapshot)
}

/// The DaemonSets to lint: those of the connection's namespace, or of every namespace.
pub async fn list_daemonsets(conn: &Connection, all_namespaces: bool) -> Result<Vec<DaemonSet>, AccessError> {
    let (api, namespace) = if all_namespaces {
        (Api::<DaemonSet>::all(conn.client.clone()), None)
    } else {
        (Api::<DaemonSet>::namespaced(conn.client.clone(), &conn.namespace), Some(conn.namespace.as_str()))
    };
    list_all(&api, &ListParams::default(), conn.request_timeout)
        .await
        .map_err(|e| conn.classify(e, "list", "daemonsets.apps", namespace))
}

/// Every DaemonSet of one namespace (or all) with what `explain` needs for each: nodes, pods,
/// ControllerRevisions and events of that scope. For the overview and the node view.
pub async fn cluster_snapshot(conn: &Connection, all_namespaces: bool) -> Result<Snapshot, AccessError> {
    let client = &conn.client;
    let ns = conn.namespace.as_str();
    let scope = (!all_namespaces).then_some(ns);
    fn api<K>(client: &kube::Client, scope: Option<&str>) -> Api<K>
    where
        K: Resource<Scope = k8s_openapi::NamespaceResourceScope>,
        K::DynamicType: Default,
    {
        match scope {
            Some(ns) => Api::namespaced(client.clone(), ns),
            None => Api::all(client.clone()),
        }
    }
    let all = ListParams::default();
    let (version, nodes, daemonsets, pods, revisions, events) = tokio::join!(
        server_version(conn),
        list_or_gap(conn, Api::<Node>::all(client.clone()), all.clone(), "nodes", None),
        list_or_gap(conn, api::<DaemonSet>(client, scope), all.clone(), "daemonsets.apps", scope),
        list_or_gap(conn, api::<Pod>(client, scope), all.clone(), "pods", scope),
        list_or_gap(conn, api::<ControllerRevision>(client, scope), all.clone(), "controllerrevisions.apps", scope),
        list_or_gap(
            conn,
            api::<Event>(client, scope),
            ListParams::default().fields("involvedObject.kind=DaemonSet"),
            "events",
            scope
        ),
    );
    let mut snapshot = Snapshot::empty(conn.origin());
    snapshot.server_version = version?;
    store(&mut snapshot, Kind::Node, nodes?, |s| &mut s.nodes);
    match daemonsets? {
        Listed::Items(items) => {
            snapshot.present.insert(Kind::DaemonSet);
            snapshot.daemonsets = items;
        }
        Listed::Forbidden(_) => {
            return Err(AccessError::Forbidden {
                verb: "list",
                resource: "daemonsets.apps",
                namespace: scope.map(str::to_string),
            });
        }
    }
    store(&mut snapshot, Kind::Pod, pods?, |s| &mut s.pods);
    store(&mut snapshot, Kind::ControllerRevision, revisions?, |s| &mut s.revisions);
    store(&mut snapshot, Kind::Event, events?, |s| &mut s.events);
    if scope.is_some() {
        snapshot.notes.push(format!(
            "pods of namespace {ns} only: resource and host-port fit on nodes does not count other namespaces' pods (-A does)"
        ));
    }
    snapshot.as_of = Some(Timestamp::now());
    Ok(snapshot)
}

/// Names for shell completion, from the first page of a list: DaemonSets of the connection's
/// namespace, nodes, or namespaces.
pub async fn names_for_completion(conn: &Connection, kind: Kind) -> Vec<String> {
    let params = ListParams::default().limit(PAGE_SIZE);
    let client = conn.client.clone();
    let names = match kind {
        Kind::DaemonSet => Api::<DaemonSet>::namespaced(client, &conn.namespace)
            .list_metadata(&params)
            .await
            .map(|l| l.items.into_iter().filter_map(|o| o.metadata.name).collect()),
        Kind::Node => Api::<Node>::all(client)
            .list_metadata(&params)
            .await
            .map(|l| l.items.into_iter().filter_map(|o| o.metadata.name).collect()),
        Kind::Namespace => Api::<Namespace>::all(client)
            .list_metadata(&params)
            .await
            .map(|l| l.items.into_iter().filter_map(|o| o.metadata.name).collect()),
        _ => Ok(Vec::new()),
    };
    names.unwrap_or_default()
}

/// What `lint` reads beside the DaemonSet's own snapshot: every PriorityClass, and the
/// ServiceAccounts of the DaemonSet's namespace. Forbidden lists become gaps.
pub async fn add_lint_context(conn: &Connection, snapshot: &mut Snapshot) -> Result<(), AccessError> {
    let ns = conn.namespace.as_str();
    let (classes, accounts) = tokio::join!(
        list_or_gap(
            conn,
            Api::<PriorityClass>::all(conn.client.clone()),
            ListParams::default(),
            "priorityclasses.scheduling.k8s.io",
            None
        ),
        list_or_gap(
            conn,
            Api::<ServiceAccount>::namespaced(conn.client.clone(), ns),
            ListParams::default(),
            "serviceaccounts",
            Some(ns)
        ),
    );
    store(snapshot, Kind::PriorityClass, classes?, |s| &mut s.priority_classes);
    store(snapshot, Kind::ServiceAccount, accounts?, |s| &mut s.service_accounts);
    Ok(())
}

/// Names the DaemonSets that do exist in the namespace, the closest name, and other namespaces
/// holding that name, as far as the user may list them.
async fn not_found(conn: &Connection, name: &str) -> AccessError {
    let ns = conn.namespace.as_str();
    let here: Api<DaemonSet> = Api::namespaced(conn.client.clone(), ns);
    let everywhere: Api<DaemonSet> = Api::all(conn.client.clone());
    let same_name = ListParams::default().fields(&format!("metadata.name={name}"));
    let all = ListParams::default();
    let (local, elsewhere) = tokio::join!(
        list_all(&here, &all, conn.request_timeout),
        list_all(&everywhere, &same_name, conn.request_timeout)
    );
    let mut message = format!("daemonset {name:?} not found in namespace {ns:?}");
    let names: Vec<String> = local.map(|l| l.into_iter().filter_map(|d| d.metadata.name).collect()).unwrap_or_default();
    if let Some(closest) = crate::cli::closest_name(name, names.iter().map(String::as_str)) {
        message.push_str(&format!("; did you mean {closest:?}?"));
    }
    let mut others: Vec<String> =
        elsewhere.map(|l| l.into_iter().filter_map(|d| d.metadata.namespace).collect()).unwrap_or_default();
    others.sort();
    if !others.is_empty() {
        message.push_str(&format!("; it exists in namespace {} (use -n)", others.join(", ")));
    }
    if names.is_empty() {
        message.push_str(&format!("; namespace {ns:?} has no DaemonSets"));
    } else {
        message.push_str(&format!("; DaemonSets in {ns:?}: {}", names.join(", ")));
    }
    AccessError::NotFound(message)
}

/// A wake-up call each time the DaemonSet or one of its pods changes, from a list and a watch of
/// each (the watch verb, never a write). A watch that drops or errors resumes from the last
/// resourceVersion, after a backoff; one too far behind (410 Gone) starts over with a fresh list,
/// which wakes the caller, since what changed in between came with no event. Each watch ends on the
/// server's side a little before the connection's silence limit, and resumes. A watch ends for
/// good only when it is not allowed (401, 403); the caller polls anyway.
pub fn daemonset_changes(conn: &Connection, ds: &DaemonSet) -> futures::stream::BoxStream<'static, ()> {
    use kube::runtime::watcher::Config;

    let ns = ds.metadata.namespace.clone().unwrap_or_else(|| conn.namespace.clone());
    let name = ds.metadata.name.clone().unwrap_or_default();
    let seconds = u32::try_from(conn.silence_limit().as_secs() * 9 / 10).unwrap_or(u32::MAX).max(1);
    let daemonsets: Api<DaemonSet> = Api::namespaced(conn.client.clone(), &ns);
    let pods: Api<Pod> = Api::namespaced(conn.client.clone(), &ns);
    let mut pod_config = Config::default().timeout(seconds);
    if let Some(selector) = kube_core::Selector::try_from(ds.spec.selector.clone()).ok().filter(|s| !s.selects_all()) {
        pod_config = pod_config.labels_from(&selector);
    }
    let daemonset_config = Config::default().timeout(seconds).fields(&format!("metadata.name={name}"));
    futures::stream::select(changes(daemonsets, daemonset_config), changes(pods, pod_config)).boxed()
}

/// How long a watch refused with 410 Gone waits before it starts over with a fresh list.
const WATCH_RESTART_PAUSE: Duration = Duration::from_secs(1);

/// What one watcher event means to a caller waiting for changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Watched {
    Changed,
    Quiet,
    /// Start over with a new watcher (and a fresh list).
    Restart,
    /// Not allowed: stop watching.
    Ended,
}

/// One watcher's events, resumed with kube's default backoff, and restarted with a fresh list when
/// a watch is refused with 410 Gone (kube's watcher would retry the same resourceVersion forever).
fn changes<K>(api: Api<K>, config: kube::runtime::watcher::Config) -> futures::stream::BoxStream<'static, ()>
where
    K: Resource + Clone + DeserializeOwned + std::fmt::Debug + Send + 'static,
{
    use kube::runtime::{WatchStreamExt, watcher};
    use std::future::ready;

    futures::stream::unfold(false, move |restarted| {
        let (api, config) = (api.clone(), config.clone());
        async move {
            if restarted {
                tokio::time::sleep(WATCH_RESTART_PAUSE).await;
            }
            // The first list says nothing new (the caller has just read the same objects); a
            // later one, after a 410, may.
            let mut listed = restarted;
            let generation = watcher::watcher(api, config)
                .default_backoff()
                .map(move |event| watched(&event, &mut listed))
                .take_while(|w| ready(*w != Watched::Restart));
            Some((generation, true))
        }
    })
    .flatten()
    .take_while(|w| ready(*w != Watched::Ended))
    .filter_map(|w| ready((w == Watched::Changed).then_some(())))
    .boxed()
}

fn watched<K>(
    event: &Result<kube::runtime::watcher::Event<K>, kube::runtime::watcher::Error>,
    listed: &mut bool,
) -> Watched {
    use kube::runtime::watcher::{Error, Event};
    match event {
        Ok(Event::Apply(_) | Event::Delete(_)) => Watched::Changed,
        Ok(Event::InitDone) if std::mem::replace(listed, true) => Watched::Changed,
        Ok(Event::Init | Event::InitApply(_) | Event::InitDone) => Watched::Quiet,
        Err(error) => {
            let code = match error {
                Error::InitialListFailed(kube::Error::Api(status))
                | Error::WatchStartFailed(kube::Error::Api(status))
                | Error::WatchFailed(kube::Error::Api(status)) => Some(status.code),
                Error::WatchError(status) => Some(status.code),
                _ => None,
            };
            match code {
                Some(401 | 403) => Watched::Ended,
                Some(410) if matches!(error, Error::WatchStartFailed(_)) => Watched::Restart,
                // A dropped connection, a 5xx, 410 within the stream: the watcher resumes itself.
                _ => Watched::Quiet,
            }
        }
    }
}

/// Events about the named pods of the connection's namespace (FailedScheduling, FailedMount,
/// image pulls, probes), for `why-not-scheduled`: a list per pod when they are few, one list of
/// the namespace's pod events otherwise. Reads only. Forbidden becomes a note.
pub async fn pod_events(conn: &Connection, pods: &[String]) -> Result<(Vec<Event>, Option<String>), AccessError> {
    const PER_POD_LISTS: usize = 20;
    let ns = conn.namespace.as_str();
    let api: Api<Event> = Api::namespaced(conn.client.clone(), ns);
    let lists: Vec<ListParams> = if pods.len() <= PER_POD_LISTS {
        pods.iter()
            .map(|pod| ListParams::default().fields(&format!("involvedObject.kind=Pod,involvedObject.name={pod}")))
            .collect()
    } else {
        vec![ListParams::default().fields("involvedObject.kind=Pod")]
    };
    let listed: Vec<Listed<Event>> = futures::stream::iter(lists)
        .map(|params| list_or_gap(conn, api.clone(), params, "events", Some(ns)))
        .buffer_unordered(NODE_LISTS_IN_FLIGHT)
        .try_collect()
        .await?;
    let mut events = Vec::new();
    let mut note = None;
    for list in listed {
        match list {
            Listed::Items(items) => events.extend(
                items.into_iter().filter(|e| e.involved_object.name.as_ref().is_some_and(|n| pods.contains(n))),
            ),
            Listed::Forbidden(why) => note = Some(format!("{why}: the pods' events are unknown")),
        }
    }
    Ok((events, note))
}

/// One PriorityClass by name: `Ok(Some(None))` when it does not exist, `Ok(None)` when the user
/// may not read it (then nothing is known).
pub async fn priority_class(
    conn: &Connection,
    name: &str,
) -> Result<Option<Option<k8s_openapi::api::scheduling::v1::PriorityClass>>, AccessError> {
    let api: Api<k8s_openapi::api::scheduling::v1::PriorityClass> = Api::all(conn.client.clone());
    match with_retries(conn.request_timeout, || api.get_opt(name)).await {
        Ok(found) => Ok(Some(found)),
        Err(kube::Error::Api(status)) if status.code == 403 => Ok(None),
        Err(error) => Err(conn.classify(error, "get", "priorityclasses.scheduling.k8s.io", None)),
    }
}
