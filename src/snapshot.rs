//! One picture of cluster state, whether it came from the API or from files.
//!
//! The engine only ever sees a [`Snapshot`]; it never knows where the objects came from.

use std::collections::{BTreeMap, BTreeSet};

// The indexes are keyed by node names and uids, not by anything an attacker chooses to collide,
// and are built and read thousands of times per command: a fast hash, not SipHash.
use foldhash::HashMap;
use hashbrown::HashTable;

use jiff::Timestamp;
use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::core::v1::{Event, Namespace, Node, Pod, ServiceAccount};
use k8s_openapi::api::node::v1::RuntimeClass;
use k8s_openapi::api::scheduling::v1::PriorityClass;
use serde::Serialize;

use crate::parallel::spread;
use crate::version::KubeVersion;

/// The kinds a snapshot can hold. `present` records which were listed at all, so that an
/// empty list ("no nodes") is told apart from a list never taken ("nodes unknown").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Kind {
    Node,
    DaemonSet,
    Pod,
    ControllerRevision,
    Event,
    Namespace,
    PriorityClass,
    RuntimeClass,
    ServiceAccount,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Node,
        Kind::DaemonSet,
        Kind::Pod,
        Kind::ControllerRevision,
        Kind::Event,
        Kind::Namespace,
        Kind::PriorityClass,
        Kind::RuntimeClass,
        Kind::ServiceAccount,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Node => "Node",
            Kind::DaemonSet => "DaemonSet",
            Kind::Pod => "Pod",
            Kind::ControllerRevision => "ControllerRevision",
            Kind::Event => "Event",
            Kind::Namespace => "Namespace",
            Kind::PriorityClass => "PriorityClass",
            Kind::RuntimeClass => "RuntimeClass",
            Kind::ServiceAccount => "ServiceAccount",
        }
    }

    /// The apiVersion the engine's types are for.
    pub fn api_version(self) -> &'static str {
        match self {
            Kind::Node | Kind::Pod | Kind::Event | Kind::Namespace | Kind::ServiceAccount => "v1",
            Kind::DaemonSet | Kind::ControllerRevision => "apps/v1",
            Kind::PriorityClass => "scheduling.k8s.io/v1",
            Kind::RuntimeClass => "node.k8s.io/v1",
        }
    }

    pub fn from_name(kind: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == kind)
    }
}

/// Where the snapshot came from, as the report's `source` prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Origin {
    Live {
        #[serde(skip_serializing_if = "Option::is_none")]
        context: Option<String>,
    },
    Offline {
        paths: Vec<String>,
    },
}

#[derive(Clone, Debug)]
pub struct Snapshot {
    pub origin: Origin,
    pub nodes: Vec<Node>,
    pub daemonsets: Vec<DaemonSet>,
    pub pods: Vec<Pod>,
    pub revisions: Vec<ControllerRevision>,
    pub events: Vec<Event>,
    pub namespaces: Vec<Namespace>,
    pub priority_classes: Vec<PriorityClass>,
    pub runtime_classes: Vec<RuntimeClass>,
    pub service_accounts: Vec<ServiceAccount>,
    /// Kinds that were listed, even if the list came back empty.
    pub present: BTreeSet<Kind>,
    /// The moment the data describes: the newest timestamp in it, or what the user or the
    /// live clock said. `None` only for a snapshot with no timestamps at all.
    pub as_of: Option<Timestamp>,
    /// The server's version (live) or none (offline; the engine then looks at kubelets).
    pub server_version: Option<KubeVersion>,
    /// Why a kind is absent, when the source knows (e.g. the user may not list nodes).
    pub missing: BTreeMap<Kind, String>,
    /// What the source noticed and the user should know: duplicates that disagreed, skipped
    /// kinds, lists it could not read.
    pub notes: Vec<String>,
    /// Pods the source read but did not keep whole, because no DaemonSet the command asked about
    /// can own them, summed per node into what the scheduler's filters read. Keyed by node name.
    pub folded: BTreeMap<String, FoldedPods>,
    /// Pods by controller and by node, built on first use: every DaemonSet's explanation reads
    /// them, and each would otherwise scan every pod of the snapshot.
    pod_index: std::sync::OnceLock<PodIndex>,
    /// Positions in `nodes`, found by name; built on first use.
    node_index: std::sync::OnceLock<NodeIndex>,
    /// Positions in `nodes` in the order of their names, built on first use.
    name_order: std::sync::OnceLock<Vec<usize>>,
}

/// Positions in `Snapshot::pods` by controller and by the node they are bound to.
#[derive(Clone, Debug, Default)]
struct PodIndex {
    /// By their controller's uid, exactly: a DaemonSet's pods are found without reading any
    /// other pod, and without reading their owner references again.
    controlled: HashTable<Controlled>,
    /// Pods without a controller: any DaemonSet whose selector matches may adopt them.
    uncontrolled: Vec<usize>,
    /// Each pod's node, by position in both lists; [`PodIndex::NOWHERE`] for pods not bound to
    /// a node of the snapshot.
    node_of: Vec<u32>,
    /// The pods bound to the node at position `p` are `bound[starts[p]..starts[p + 1]]`, in
    /// snapshot order.
    bound: Vec<usize>,
    starts: Vec<usize>,
    /// Bound to nodes the snapshot lacks, by node name.
    elsewhere: HashMap<String, Vec<usize>>,
}

/// A controller's pods, in snapshot order.
#[derive(Clone, Debug)]
struct Controlled {
    uid: Box<str>,
    pods: Vec<usize>,
}

/// What one run of pods tells the index, read on one core.
#[derive(Default)]
struct PodsRead<'a> {
    controlled: HashMap<&'a str, Vec<usize>>,
    uncontrolled: Vec<usize>,
    /// Each pod's node, as [`PodIndex::node_of`] with [`PodIndex::ELSEWHERE`].
    on: Vec<u32>,
}

impl PodIndex {
    const NOWHERE: u32 = u32::MAX;
    /// While reading: bound to a node the snapshot lacks.
    const ELSEWHERE: u32 = u32::MAX - 1;
    /// Pods read per task: tasks enough to keep both cores busy, each long enough to be worth
    /// handing out.
    const PODS_PER_TASK: usize = 4096;

    fn build(snapshot: &Snapshot) -> Self {
        // What each pod tells the index, read over the cores: at 150,000 pods the reading is
        // milliseconds of cache misses, the sorting into lists afterwards is not. A run's pods
        // have a few controllers between them, so grouping by uid within the run leaves the
        // merge a few lists to append.
        let chunks: Vec<&[Pod]> = snapshot.pods.chunks(Self::PODS_PER_TASK).collect();
        let read = spread(chunks.len(), |chunk| {
            let mut read = PodsRead { on: Vec::with_capacity(chunks[chunk].len()), ..Default::default() };
            for (offset, pod) in chunks[chunk].iter().enumerate() {
                let position = chunk * Self::PODS_PER_TASK + offset;
                match controller_uid(pod) {
                    Some(uid) => read.controlled.entry(uid).or_default().push(position),
                    None => read.uncontrolled.push(position),
                }
                read.on.push(snapshot.bound_position(pod));
            }
            read
        });
        let mut index = PodIndex { node_of: Vec::with_capacity(snapshot.pods.len()), ..Default::default() };
        let mut counts = vec![0; snapshot.nodes.len() + 1];
        let mut position = 0;
        for run in read {
            for (uid, pods) in run.controlled {
                let hash = name_hash(uid);
                match index.controlled.find_mut(hash, |c| *c.uid == *uid) {
                    Some(controlled) => controlled.pods.extend(pods),
                    None => {
                        index
                            .controlled
                            .insert_unique(hash, Controlled { uid: uid.into(), pods }, |c| name_hash(&c.uid));
                    }
                }
            }
            index.uncontrolled.extend(run.uncontrolled);
            for on in run.on {
                index.place(snapshot, position, on, &mut counts);
                position += 1;
            }
        }
        for node in 1..counts.len() {
            counts[node] += counts[node - 1];
        }
        index.bound = vec![0; counts.last().copied().unwrap_or(0)];
        let mut next = counts.clone();
        for (position, &on) in index.node_of.iter().enumerate() {
            if on != Self::NOWHERE {
                index.bound[next[on as usize]] = position;
                next[on as usize] += 1;
            }
        }
        index.starts = counts;
        index
    }

    /// Records where the pod at `position` is bound, counting it for its node.
    fn place(&mut self, snapshot: &Snapshot, position: usize, on: u32, counts: &mut [usize]) {
        match on {
            Self::NOWHERE => {}
            Self::ELSEWHERE => {
                let node = snapshot.pods[position].spec.as_ref().and_then(|s| s.node_name.clone());
                self.elsewhere.entry(node.unwrap_or_default()).or_default().push(position);
            }
            on => counts[on as usize + 1] += 1,
        }
        self.node_of.push(if on == Self::ELSEWHERE { Self::NOWHERE } else { on });
    }

    fn bound_to(&self, node_position: usize) -> &[usize] {
        match (self.starts.get(node_position), self.starts.get(node_position + 1)) {
            (Some(&start), Some(&end)) => &self.bound[start..end],
            _ => &[],
        }
    }
}

/// Positions in `Snapshot::nodes` by node name. The names are copied end to end: every pod's
/// node is looked up here, and reading 5,000 compact names stays in the cache where reading
/// 5,000 nodes scattered over the heap does not.
#[derive(Clone, Debug, Default)]
struct NodeIndex {
    /// Each node's position, with where its name is in `names`.
    table: HashTable<IndexedName>,
    names: String,
}

#[derive(Clone, Copy, Debug)]
struct IndexedName {
    position: u32,
    start: u32,
    end: u32,
}

impl NodeIndex {
    fn build(nodes: &[Node]) -> Self {
        let mut index = NodeIndex { table: HashTable::with_capacity(nodes.len()), names: String::new() };
        for (position, node) in nodes.iter().enumerate() {
            let Some(name) = node.metadata.name.as_deref() else { continue };
            let (Ok(position), Ok(start), Ok(end)) = (
                u32::try_from(position),
                u32::try_from(index.names.len()),
                u32::try_from(index.names.len() + name.len()),
            ) else {
                break;
            };
            let NodeIndex { table, names } = &mut index;
            let named = |entry: &IndexedName| &names[entry.start as usize..entry.end as usize];
            // The first of duplicates, as a scan would find it.
            let entry = table.entry(name_hash(name), |e| named(e) == name, |e| name_hash(named(e)));
            if let hashbrown::hash_table::Entry::Vacant(vacant) = entry {
                vacant.insert(IndexedName { position, start, end });
                names.push_str(name);
            }
        }
        index
    }

    fn find(&self, name: &str) -> Option<usize> {
        let named = |entry: &IndexedName| &self.names[entry.start as usize..entry.end as usize];
        self.table.find(name_hash(name), |e| named(e) == name).map(|e| e.position as usize)
    }
}

fn controller_uid(pod: &Pod) -> Option<&str> {
    let owners = pod.metadata.owner_references.as_deref().unwrap_or_default();
    owners.iter().find(|r| r.controller == Some(true)).map(|controller| controller.uid.as_str())
}

/// Other workloads' pods on one node, reduced to what NodeResourcesFit and NodePorts need and
/// what the fixes name: a 5,000-node dump has 150,000 pods, and one DaemonSet needs a few.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FoldedPods {
    /// Pods bound to the node and not terminal.
    pub pods: u32,
    /// Their summed requests, in thousandths of the base unit (as the engine's `Amounts`).
    pub requested: BTreeMap<String, i128>,
    pub host_ports: Vec<FoldedPort>,
    /// Per resource, the largest requests there (pod as namespace/name, amount), largest first,
    /// at most [`FoldedPods::LARGEST`].
    pub largest: BTreeMap<String, Vec<(String, i128)>>,
}

impl FoldedPods {
    pub const LARGEST: usize = 3;

    /// Adds one pod's requests and host ports.
    pub fn add(&mut self, pod: &str, requests: BTreeMap<String, i128>, ports: Vec<FoldedPort>) {
        self.pods += 1;
        for (resource, amount) in requests {
            *self.requested.entry(resource.clone()).or_default() += amount;
            if amount <= 0 {
                continue;
            }
            let largest = self.largest.entry(resource).or_default();
            let at = largest.partition_point(|(name, a)| *a > amount || (*a == amount && name.as_str() < pod));
            if at < Self::LARGEST {
                largest.insert(at, (pod.to_string(), amount));
                largest.truncate(Self::LARGEST);
            }
        }
        self.host_ports.extend(ports);
    }
}

/// A host port a folded pod holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoldedPort {
    pub ip: String,
    pub protocol: String,
    pub port: i32,
    /// namespace/name
    pub pod: String,
    /// Its controller, as "Kind name".
    pub owner: Option<String>,
}

fn name_hash(name: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::default().hash_one(name)
}

impl Snapshot {
    pub fn empty(origin: Origin) -> Self {
        Self {
            origin,
            nodes: Vec::new(),
            daemonsets: Vec::new(),
            pods: Vec::new(),
            revisions: Vec::new(),
            events: Vec::new(),
            namespaces: Vec::new(),
            priority_classes: Vec::new(),
            runtime_classes: Vec::new(),
            service_accounts: Vec::new(),
            present: BTreeSet::new(),
            as_of: None,
            server_version: None,
            missing: Default::default(),
            notes: Vec::new(),
            folded: BTreeMap::new(),
            pod_index: std::sync::OnceLock::new(),
            node_index: std::sync::OnceLock::new(),
            name_order: std::sync::OnceLock::new(),
        }
    }

    /// The node of that name.
    pub fn node(&self, name: &str) -> Option<&Node> {
        self.node_position(name).map(|position| &self.nodes[position])
    }

    /// The node's position in `nodes`.
    pub fn node_position(&self, name: &str) -> Option<usize> {
        self.node_index.get_or_init(|| NodeIndex::build(&self.nodes)).find(name)
    }

    /// Positions in `nodes`, ordered by node name (nodes of one name in snapshot order): the
    /// order of every per-node view.
    pub fn nodes_by_name(&self) -> &[usize] {
        self.name_order.get_or_init(|| {
            let mut order: Vec<usize> = (0..self.nodes.len()).collect();
            order.sort_by(|&a, &b| self.nodes[a].metadata.name.cmp(&self.nodes[b].metadata.name));
            order
        })
    }

    /// Adds a pod, forgetting the pods' index built so far.
    pub fn push_pod(&mut self, pod: Pod) {
        self.pod_index.take();
        self.pods.push(pod);
    }

    /// The pods bound to a node (`spec.nodeName`), in snapshot order.
    pub fn pods_bound_to<'a>(&'a self, node: &str) -> impl Iterator<Item = &'a Pod> + 'a {
        let index = self.pod_index();
        let positions = match self.node_position(node) {
            Some(on) => index.bound_to(on),
            None => index.elsewhere.get(node).map(Vec::as_slice).unwrap_or_default(),
        };
        self.indexed(positions)
    }

    /// The position in `nodes` of the node that the pod at `pod` (a position in `pods`) is bound
    /// to: `None` when it is not bound or its node is not in the snapshot.
    pub fn bound_node_position(&self, pod: usize) -> Option<usize> {
        let on = *self.pod_index().node_of.get(pod)?;
        (on != PodIndex::NOWHERE).then_some(on as usize)
    }

    /// Where `pod` is bound, as [`PodIndex::node_of`] reads it.
    fn bound_position(&self, pod: &Pod) -> u32 {
        let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()).filter(|n| !n.is_empty()) else {
            return PodIndex::NOWHERE;
        };
        match self.node_position(node).map(u32::try_from) {
            Some(Ok(on)) if on < PodIndex::ELSEWHERE => on,
            _ => PodIndex::ELSEWHERE,
        }
    }

    fn pod_index(&self) -> &PodIndex {
        self.pod_index.get_or_init(|| PodIndex::build(self))
    }

    /// Builds the indexes every DaemonSet's explanation reads: the nodes' name order beside their
    /// index by name, then the pods' index, which looks nodes up by name.
    pub fn build_indexes(&self) {
        rayon::join(|| self.nodes_by_name(), || self.node_position(""));
        self.pod_index();
    }

    /// The pods a controller with this uid may own: those it controls, in snapshot order, then
    /// those no controller does. `None`: every pod (without a uid, ownership goes by name).
    pub fn pods_ownable_by<'a>(&'a self, uid: Option<&str>) -> Box<dyn Iterator<Item = &'a Pod> + 'a> {
        let Some(uid) = uid else { return Box::new(self.pods.iter()) };
        let positions = self.pods_controlled_by(uid).iter().chain(self.uncontrolled_pods());
        Box::new(positions.map(|&position| &self.pods[position]))
    }

    /// Positions in `pods` of the pods whose controller has this uid, in snapshot order.
    pub fn pods_controlled_by(&self, uid: &str) -> &[usize] {
        let controlled = self.pod_index().controlled.find(name_hash(uid), |c| *c.uid == *uid);
        controlled.map(|c| c.pods.as_slice()).unwrap_or_default()
    }

    /// Positions in `pods` of the pods no controller owns, which any controller whose selector
    /// matches may adopt.
    pub fn uncontrolled_pods(&self) -> &[usize] {
        &self.pod_index().uncontrolled
    }

    fn indexed<'a>(&'a self, positions: &'a [usize]) -> impl Iterator<Item = &'a Pod> + 'a {
        positions.iter().map(|&position| &self.pods[position])
    }

    pub fn has(&self, kind: Kind) -> bool {
        self.present.contains(&kind)
    }

    /// The Kubernetes version whose rules apply: the server's, else the newest kubelet's.
    pub fn kubernetes_version(&self) -> Option<KubeVersion> {
        self.server_version.or_else(|| {
            self.nodes
                .iter()
                .filter_map(|n| n.status.as_ref()?.node_info.as_ref())
                .filter_map(|info| info.kubelet_version.parse().ok())
                .max()
        })
    }

    /// Namespaces holding a DaemonSet of this name, for `-n` defaulting and not-found hints.
    pub fn namespaces_with_daemonset(&self, name: &str) -> Vec<String> {
        let mut found: Vec<String> = self
            .daemonsets
            .iter()
            .filter(|ds| ds.metadata.name.as_deref() == Some(name))
            .filter_map(|ds| ds.metadata.namespace.clone())
            .collect();
        found.sort();
        found.dedup();
        found
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::PodSpec;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

    use super::*;

    fn pod(name: String, controller: Option<&str>, node: &str) -> Pod {
        let owner = |uid: &str| OwnerReference {
            controller: Some(true),
            uid: uid.to_string(),
            kind: "DaemonSet".to_string(),
            ..Default::default()
        };
        Pod {
            metadata: ObjectMeta {
                name: Some(name),
                owner_references: controller.map(|uid| vec![owner(uid)]),
                ..Default::default()
            },
            spec: Some(PodSpec { node_name: Some(node.to_string()), ..Default::default() }),
            ..Default::default()
        }
    }

    /// More pods than one task reads, so that the runs' findings are merged: lists stay exact
    /// and in snapshot order.
    #[test]
    fn pods_indexed_over_several_runs_keep_snapshot_order() {
        let mut snapshot = Snapshot::empty(Origin::Offline { paths: Vec::new() });
        snapshot.nodes = (0..4)
            .map(|n| Node {
                metadata: ObjectMeta { name: Some(format!("n{n}")), ..Default::default() },
                ..Default::default()
            })
            .collect();
        let total = PodIndex::PODS_PER_TASK * 2 + 7;
        let controller = |i: usize| [Some("uid-a"), Some("uid-b"), None][i % 3];
        snapshot.pods = (0..total).map(|i| pod(format!("p{i}"), controller(i), &format!("n{}", i % 5))).collect();
        snapshot.build_indexes();

        let every = |step_from: usize| (step_from..total).step_by(3).collect::<Vec<_>>();
        assert_eq!(snapshot.pods_controlled_by("uid-a"), every(0));
        assert_eq!(snapshot.pods_controlled_by("uid-b"), every(1));
        assert_eq!(snapshot.uncontrolled_pods(), every(2));
        assert!(snapshot.pods_controlled_by("uid-").is_empty());
        let owned: Vec<&str> =
            snapshot.pods_ownable_by(Some("uid-b")).filter_map(|p| p.metadata.name.as_deref()).collect();
        assert_eq!(owned.len(), every(1).len() + every(2).len());
        assert_eq!(owned[..2], ["p1", "p4"]);
        assert_eq!(snapshot.pods_ownable_by(None).count(), total);

        let on_n1: Vec<usize> = (1..total).step_by(5).collect();
        let bound: Vec<&str> = snapshot.pods_bound_to("n1").filter_map(|p| p.metadata.name.as_deref()).collect();
        assert_eq!(bound, on_n1.iter().map(|i| format!("p{i}")).collect::<Vec<_>>());
        assert_eq!(snapshot.pods_bound_to("n4").count(), (4..total).step_by(5).count());
        assert_eq!(snapshot.bound_node_position(6), Some(1));
        assert_eq!(snapshot.bound_node_position(4), None);
    }
}
