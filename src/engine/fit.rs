//! The scheduler filters that still apply to DaemonSet pods once the controller has created
//! them: NodePorts and NodeResourcesFit (pkg/scheduler/framework/plugins). The controller ignores
//! both, so an eligible node can hold a pod that never schedules.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, Node, Pod, PodSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::pods::is_terminal;
use crate::report::{Cause, Reason};
use crate::snapshot::Snapshot;

/// Resource amounts in thousandths of the base unit (millicores, millibytes), so that cpu
/// `100m` and memory `1Gi` share one exact integer type.
pub type Amounts = BTreeMap<String, i128>;

pub use super::quantity::MAX_MILLI;

/// A quantity in thousandths, as the API server reads it; none if it would refuse it.
pub fn milli(quantity: &Quantity) -> Option<i128> {
    super::quantity::milli(&quantity.0).ok()
}

fn add_into(total: &mut Amounts, more: &Amounts) {
    for (name, &value) in more {
        add_amount(total, name, value);
    }
}

/// Adds to one resource's total, allocating its name only the first time.
fn add_amount(total: &mut Amounts, name: &str, value: i128) {
    match total.get_mut(name) {
        Some(sum) => *sum += value,
        None => {
            total.insert(name.to_string(), value);
        }
    }
}

/// Adds [`pod_requests`] to `total`. Most pods have neither init containers nor overhead: their
/// containers' requests go straight into the total, without the parts' maps.
fn add_pod_requests(total: &mut Amounts, spec: &PodSpec) {
    if spec.init_containers.as_ref().is_some_and(|init| !init.is_empty()) || spec.overhead.is_some() {
        add_into(total, &pod_requests(spec));
        return;
    }
    for container in &spec.containers {
        for_each_request(container, |name, value| add_amount(total, name, value));
    }
}

/// Each resource of [`container_requests`], without building its map.
fn for_each_request(container: &Container, mut each: impl FnMut(&str, i128)) {
    let Some(resources) = container.resources.as_ref() else { return };
    let (limits, requests) = (resources.limits.as_ref(), resources.requests.as_ref());
    let requested = |name: &str| requests.and_then(|r| r.get(name)).and_then(milli);
    for (name, limit) in limits.into_iter().flatten() {
        if let Some(value) = requested(name).or_else(|| milli(limit)) {
            each(name, value);
        }
    }
    let unlimited = requests.into_iter().flatten().filter(|(name, _)| !limits.is_some_and(|l| l.contains_key(*name)));
    for (name, request) in unlimited {
        if let Some(value) = milli(request) {
            each(name, value);
        }
    }
}

/// A container's requests; like the API server's defaulting, a limit without a request is the
/// request (manifests not yet applied have not been defaulted).
fn container_requests(container: &Container) -> Amounts {
    let mut amounts = Amounts::new();
    for_each_request(container, |name, value| {
        amounts.insert(name.to_string(), value);
    });
    amounts
}

/// `PodRequests` (k8s.io/component-helpers/resource): containers summed; sidecars (restartable
/// init containers) added to the sum; each ordinary init container needs its own request plus
/// the sidecars started before it; the pod needs the larger of the two; overhead on top.
pub fn pod_requests(spec: &PodSpec) -> Amounts {
    request_parts(spec).into_iter().map(|(name, parts)| (name, parts.total())).collect()
}

/// How a pod's request for one resource is made up, in `PodRequests`' terms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestParts {
    /// The regular containers, summed.
    pub containers: i128,
    /// Sidecars (restartable init containers), summed: they keep running beside the containers.
    pub sidecars: i128,
    /// The most any init container needs while it runs, with the sidecars started before it.
    pub init_peak: i128,
    /// `spec.overhead`, set from the RuntimeClass at admission.
    pub overhead: i128,
}

impl RequestParts {
    pub fn total(&self) -> i128 {
        (self.containers + self.sidecars).max(self.init_peak) + self.overhead
    }
}

/// Each resource the pod requests, broken down into its parts.
pub fn request_parts(spec: &PodSpec) -> BTreeMap<String, RequestParts> {
    let mut parts: BTreeMap<String, RequestParts> = BTreeMap::new();
    for container in &spec.containers {
        for (name, value) in container_requests(container) {
            parts.entry(name).or_default().containers += value;
        }
    }
    let mut sidecars = Amounts::new();
    for init in spec.init_containers.as_deref().unwrap_or_default() {
        let own = container_requests(init);
        let needed = if init.restart_policy.as_deref() == Some("Always") {
            for (name, value) in &own {
                parts.entry(name.clone()).or_default().sidecars += value;
            }
            add_into(&mut sidecars, &own);
            sidecars.clone()
        } else {
            let mut with_sidecars = own;
            add_into(&mut with_sidecars, &sidecars);
            with_sidecars
        };
        for (name, value) in needed {
            let entry = parts.entry(name).or_default();
            entry.init_peak = entry.init_peak.max(value);
        }
    }
    if let Some(overhead) = spec.overhead.as_ref() {
        for (name, q) in overhead {
            if let Some(v) = milli(q) {
                parts.entry(name.clone()).or_default().overhead += v;
            }
        }
    }
    parts
}

/// What the other pods on a node already use: requests of assigned, non-terminal pods
/// (terminating pods still count, as in the scheduler's cache), their host ports, their count.
#[derive(Clone, Default)]
pub struct NodeUsage<'a> {
    pub requested: Amounts,
    /// Host ports held, and the pod holding each.
    pub ports: Vec<(HostPort, PortHolder<'a>)>,
    pub pods: i128,
}

/// The pod holding a host port, named (namespace/name) only when a conflict is reported: most
/// ports conflict with nothing.
#[derive(Clone, Copy, Debug)]
pub enum PortHolder<'a> {
    Pod(&'a Pod),
    /// A pod the source folded, by its namespace/name.
    Folded(&'a str),
}

impl std::fmt::Display for PortHolder<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortHolder::Pod(pod) => f.write_str(&pod_key(pod)),
            PortHolder::Folded(name) => f.write_str(name),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostPort {
    pub ip: String,
    pub protocol: String,
    pub port: i32,
}

impl HostPort {
    /// `HostPortInfo.CheckConflict`: 0.0.0.0 conflicts with every address.
    fn conflicts(&self, other: &HostPort) -> bool {
        self.port == other.port
            && self.protocol == other.protocol
            && (self.ip == other.ip || self.ip == "0.0.0.0" || other.ip == "0.0.0.0")
    }
}

/// The host ports a pod asks for (`GetHostPorts`): those of its sidecars (restartable init
/// containers) and of its containers; ordinary init containers have exited before the pod runs.
/// With hostNetwork the API defaults hostPort to containerPort.
pub fn host_ports(spec: &PodSpec) -> Vec<HostPort> {
    let host_network = spec.host_network.unwrap_or(false);
    let sidecars = spec.init_containers.as_deref().unwrap_or_default().iter();
    sidecars
        .filter(|c| c.restart_policy.as_deref() == Some("Always"))
        .chain(&spec.containers)
        .flat_map(|c| c.ports.as_deref().unwrap_or_default())
        .filter_map(|p| {
            let port = p.host_port.filter(|p| *p > 0).or(host_network.then_some(p.container_port))?;
            Some(HostPort {
                ip: p.host_ip.clone().filter(|ip| !ip.is_empty()).unwrap_or_else(|| "0.0.0.0".to_string()),
                protocol: p.protocol.clone().unwrap_or_else(|| "TCP".to_string()),
                port,
            })
        })
        .collect()
}

/// The other pods bound to each node, summed only for the nodes asked about: indexing pods by
/// node is cheap, reading their quantities is not, and most nodes never need a fit check.
pub struct Usage<'a> {
    snapshot: &'a Snapshot,
    exclude: Box<dyn Fn(&Pod) -> bool + 'a>,
}

impl<'a> Usage<'a> {
    /// Skips the pods `exclude` names (the DaemonSet's own, which a new pod would replace) and
    /// terminal ones; adds the pods the source folded per node.
    pub fn new(snapshot: &'a Snapshot, exclude: impl Fn(&Pod) -> bool + 'a) -> Self {
        Usage { snapshot, exclude: Box::new(exclude) }
    }

    pub fn on(&self, node: &str) -> NodeUsage<'a> {
        usage_on(self.snapshot, node, &self.exclude)
    }

    /// Every node's usage at once, for views that look at most nodes.
    pub fn all(&self) -> BTreeMap<&'a str, NodeUsage<'a>> {
        let bound = self.snapshot.pods.iter().filter_map(|p| p.spec.as_ref()?.node_name.as_deref());
        let nodes: std::collections::BTreeSet<&str> =
            bound.filter(|n| !n.is_empty()).chain(self.snapshot.folded.keys().map(String::as_str)).collect();
        nodes.into_iter().map(|node| (node, self.on(node))).filter(|(_, u)| u.pods > 0 || !u.ports.is_empty()).collect()
    }
}

fn usage_on<'a>(snapshot: &'a Snapshot, node: &str, exclude: &dyn Fn(&Pod) -> bool) -> NodeUsage<'a> {
    let mut usage = NodeUsage::default();
    if let Some(others) = snapshot.folded.get(node) {
        add_into(&mut usage.requested, &others.requested);
        usage.ports.extend(others.host_ports.iter().map(|p| {
            let port = HostPort { ip: p.ip.clone(), protocol: p.protocol.clone(), port: p.port };
            (port, PortHolder::Folded(&p.pod))
        }));
        usage.pods += i128::from(others.pods);
    }
    for pod in snapshot.pods_bound_to(node).filter(|p| !is_terminal(p) && !exclude(p)) {
        let Some(spec) = pod.spec.as_ref() else { continue };
        add_pod_requests(&mut usage.requested, spec);
        usage.ports.extend(host_ports(spec).into_iter().map(|p| (p, PortHolder::Pod(pod))));
        usage.pods += 1;
    }
    usage
}

/// Each node's usage by all its pods, summed once for every DaemonSet that asks about the node:
/// the overview checks the same nodes' fit for DaemonSet after DaemonSet. Safe to share between
/// threads.
pub struct SharedUsage<'a> {
    snapshot: &'a Snapshot,
    /// By position in the snapshot's nodes.
    by_node: Vec<std::sync::OnceLock<NodeUsage<'a>>>,
}

impl<'a> SharedUsage<'a> {
    pub fn new(snapshot: &'a Snapshot) -> Self {
        SharedUsage { snapshot, by_node: std::iter::repeat_with(Default::default).take(snapshot.nodes.len()).collect() }
    }

    pub fn snapshot(&self) -> &'a Snapshot {
        self.snapshot
    }

    /// The usage on `node` by every pod but `own` (the DaemonSet's pods for that node, which a
    /// new pod would replace).
    pub fn on(&self, node: &str, own: &[&Pod]) -> std::borrow::Cow<'_, NodeUsage<'a>> {
        let counted = |p: &&Pod| !is_terminal(p) && p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node);
        let cached = self.snapshot.node_position(node).and_then(|position| self.by_node.get(position));
        match cached {
            Some(cached) if !own.iter().any(counted) => {
                std::borrow::Cow::Borrowed(cached.get_or_init(|| usage_on(self.snapshot, node, &|_| false)))
            }
            _ => std::borrow::Cow::Owned(usage_on(self.snapshot, node, &|p| own.iter().any(|o| std::ptr::eq(*o, p)))),
        }
    }
}

/// Usage by the pods bound to each node, as [`Usage::all`].
pub fn usage_by_node<'a>(
    snapshot: &'a Snapshot,
    exclude: impl Fn(&Pod) -> bool + 'a,
) -> BTreeMap<&'a str, NodeUsage<'a>> {
    Usage::new(snapshot, exclude).all()
}

/// NodePorts then NodeResourcesFit for one pod on one node. Empty: it fits. `None` when the node
/// reports no allocatable resources (the fit cannot be judged).
pub fn check_fit(spec: &PodSpec, node: &Node, usage: Option<&NodeUsage<'_>>) -> Option<Vec<Reason>> {
    check_asks(spec, &PodAsks::of(spec), node, usage)
}

/// [`check_fit`] with what the pod asks read beforehand, for a pod checked against many nodes.
pub fn check_asks(spec: &PodSpec, asks: &PodAsks, node: &Node, usage: Option<&NodeUsage<'_>>) -> Option<Vec<Reason>> {
    let check = evaluate_asks(asks, node, usage);
    let mut reasons: Vec<Reason> =
        check.ports.iter().filter_map(|p| p.held_by.as_ref().map(|holder| port_conflict(&p.port, holder))).collect();
    for resource in check.resources? {
        if !resource.fits() {
            let written = (resource.requested >= MAX_MILLI).then(|| written_request(spec, &resource.resource));
            let requested = written.flatten().unwrap_or_else(|| format_amount(&resource.resource, resource.requested));
            reasons.push(insufficient(&resource.resource, requested, resource.free(), resource.allocatable));
        }
    }
    Some(reasons)
}

/// The request as written when it is past what the engine counts: `1e400` says more than the
/// 2^100 thousandths it is counted as.
fn written_request(spec: &PodSpec, resource: &str) -> Option<String> {
    let containers = spec.containers.iter().chain(spec.init_containers.iter().flatten());
    let amounts = containers
        .filter_map(|c| c.resources.as_ref())
        .flat_map(|r| [r.requests.as_ref(), r.limits.as_ref()])
        .chain([spec.overhead.as_ref()])
        .flatten();
    let mut written = amounts.filter_map(|amounts| amounts.get(resource));
    written.find(|q| milli(q).is_some_and(|v| v >= MAX_MILLI)).map(|q| q.0.clone())
}

/// A host port the pod asks for, and the pod on the node that already holds it.
#[derive(Clone, Debug)]
pub struct PortCheck {
    pub port: HostPort,
    /// namespace/name
    pub held_by: Option<String>,
}

/// One resource on one node: the pod's request, what the other pods there already request, what
/// the node allows. `pods` counts pods (1000 per pod, like every amount here).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceCheck {
    pub resource: String,
    pub requested: i128,
    pub used: i128,
    pub allocatable: i128,
}

impl ResourceCheck {
    pub fn free(&self) -> i128 {
        self.allocatable - self.used
    }

    pub fn fits(&self) -> bool {
        self.requested <= self.free()
    }
}

/// NodePorts and NodeResourcesFit with every number they compare, passing or not.
#[derive(Clone, Debug)]
pub struct FitCheck {
    pub ports: Vec<PortCheck>,
    /// The pod count first (when the node reports it), then each resource the pod requests;
    /// `None` when the node reports no allocatable resources.
    pub resources: Option<Vec<ResourceCheck>>,
}

/// What a pod asks of every node: its requests and host ports.
pub struct PodAsks {
    requests: Amounts,
    ports: Vec<HostPort>,
}

impl PodAsks {
    pub fn of(spec: &PodSpec) -> Self {
        PodAsks { requests: pod_requests(spec), ports: host_ports(spec) }
    }
}

pub fn evaluate_fit(spec: &PodSpec, node: &Node, usage: Option<&NodeUsage<'_>>) -> FitCheck {
    evaluate_asks(&PodAsks::of(spec), node, usage)
}

fn evaluate_asks(asks: &PodAsks, node: &Node, usage: Option<&NodeUsage<'_>>) -> FitCheck {
    let empty = NodeUsage::default();
    let usage = usage.unwrap_or(&empty);
    let ports = asks
        .ports
        .iter()
        .map(|wanted| {
            let held_by =
                usage.ports.iter().find(|(used, _)| used.conflicts(wanted)).map(|(_, holder)| holder.to_string());
            PortCheck { port: wanted.clone(), held_by }
        })
        .collect();
    let resources = node.status.as_ref().and_then(|s| s.allocatable.as_ref()).map(|allocatable| {
        // Only the resources asked for: a node lists a dozen, and this runs for every node checked.
        let allocatable = |resource: &str| allocatable.get(resource).and_then(milli);
        let mut checks = Vec::new();
        if let Some(max_pods) = allocatable("pods") {
            checks.push(ResourceCheck {
                resource: "pods".to_string(),
                requested: 1000,
                used: usage.pods * 1000,
                allocatable: max_pods,
            });
        }
        for (resource, &wanted) in &asks.requests {
            if wanted <= 0 || resource == "pods" {
                continue;
            }
            checks.push(ResourceCheck {
                used: usage.requested.get(resource).copied().unwrap_or(0),
                allocatable: allocatable(resource).unwrap_or(0),
                requested: wanted,
                resource: resource.clone(),
            });
        }
        checks
    });
    FitCheck { ports, resources }
}

/// `namespace/name`, the way the reports name a pod.
pub fn pod_key(pod: &Pod) -> String {
    format!(
        "{}/{}",
        pod.metadata.namespace.as_deref().unwrap_or_default(),
        pod.metadata.name.as_deref().unwrap_or_default()
    )
}

fn port_conflict(wanted: &HostPort, holder: &str) -> Reason {
    Reason {
        message: format!("host port {}/{} is held by pod {holder}", wanted.port, wanted.protocol),
        hint: Some(format!(
            "free port {}/{} on this node (pod {holder}) or change the DaemonSet's hostPort",
            wanted.port, wanted.protocol
        )),
        cause: Cause::HostPortConflict {
            port: Some(wanted.port),
            protocol: Some(wanted.protocol.clone()),
            held_by: Some(holder.to_string()),
        },
    }
}

fn insufficient(resource: &str, requested: String, free: i128, allocatable: i128) -> Reason {
    let (free, allocatable) = (format_amount(resource, free), format_amount(resource, allocatable));
    let message = if resource == "pods" {
        format!("too many pods: the node allows {allocatable} and has no room left")
    } else {
        format!("insufficient {resource}: requests {requested}, {free} free of {allocatable} allocatable")
    };
    Reason {
        hint: Some(format!(
            "lower the DaemonSet's {resource} request or free {resource} on this node (requests of the other pods there)"
        )),
        cause: Cause::InsufficientResources {
            resource: resource.to_string(),
            requested: Some(requested),
            free: Some(free),
            allocatable: Some(allocatable),
        },
        message,
    }
}

/// Amounts the way `kubectl describe node` shows them: cpu in cores or millicores, byte
/// resources in the largest binary unit that keeps them whole.
pub fn format_amount(resource: &str, milli: i128) -> String {
    if resource == "cpu" {
        return if milli % 1000 == 0 { format!("{}", milli / 1000) } else { format!("{milli}m") };
    }
    if milli % 1000 != 0 {
        return format!("{milli}m");
    }
    let value = milli / 1000;
    if resource == "memory" || resource.starts_with("ephemeral-storage") || resource.starts_with("hugepages-") {
        for (suffix, factor) in [("Ti", 1_i128 << 40), ("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] {
            if value != 0 && value % factor == 0 {
                return format!("{}{suffix}", value / factor);
            }
        }
    }
    value.to_string()
}

#[cfg(test)]
mod tests;
