//! Writes a synthetic cluster dump shaped like `kubectl get nodes,pods,ds,controllerrevisions,events
//! -A -o json|yaml`: real-sized nodes (labels, taints, allocatable, conditions, 40 images each),
//! DaemonSets with different placement rules and the pods their controller would have made, and
//! ordinary pods on every node. Deterministic for a seed.
//!
//!     cargo run --release --example generate-cluster -- --nodes 5000 --output /tmp/cluster.json
//!
//! Flags: --nodes N (5000), --pods-per-node K (24), --daemonsets M (10, at most 10),
//! --seed S (1), --format json|yaml (from the output's extension, else json), --output FILE (stdout).

use std::io::{BufWriter, Write};

use serde_json::{Value, json};

fn main() {
    if let Err(message) = run() {
        eprintln!("generate-cluster: {message}");
        std::process::exit(2);
    }
}

struct Settings {
    nodes: usize,
    pods_per_node: usize,
    daemonsets: usize,
    seed: u64,
    yaml: bool,
    output: Option<String>,
}

fn settings() -> Result<Settings, String> {
    let mut s = Settings { nodes: 5000, pods_per_node: 24, daemonsets: 10, seed: 1, yaml: false, output: None };
    let mut format = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let number = |v: String| v.parse::<usize>().map_err(|_| format!("{flag}: not a number: {v}"));
        match flag.as_str() {
            "--nodes" => s.nodes = number(value()?)?,
            "--pods-per-node" => s.pods_per_node = number(value()?)?,
            "--daemonsets" => s.daemonsets = number(value()?)?.min(PLANS.len()),
            "--seed" => s.seed = number(value()?)? as u64,
            "--format" => format = Some(value()?),
            "--output" => s.output = Some(value()?),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    let by_extension = s.output.as_deref().is_some_and(|o| o.ends_with(".yaml") || o.ends_with(".yml"));
    s.yaml = match format.as_deref() {
        Some("yaml") => true,
        Some("json") => false,
        Some(other) => return Err(format!("--format: json or yaml, not {other}")),
        None => by_extension,
    };
    Ok(s)
}

fn run() -> Result<(), String> {
    let s = settings()?;
    let sink: Box<dyn Write> = match &s.output {
        Some(path) => Box::new(std::fs::File::create(path).map_err(|e| format!("{path}: {e}"))?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = ListWriter::new(BufWriter::with_capacity(1 << 20, sink), s.yaml).map_err(|e| e.to_string())?;
    generate(&s, &mut out).and_then(|()| out.finish()).map_err(|e| e.to_string())
}

/// splitmix64: small, fast and the same on every platform, which is all a generator needs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
    fn hex(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len);
        while s.len() < len {
            s.push_str(&format!("{:016x}", self.next()));
        }
        s.truncate(len);
        s
    }
    fn suffix(&mut self) -> String {
        const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..5).map(|_| ALPHABET[self.below(ALPHABET.len() as u64) as usize] as char).collect()
    }
    fn uid(&mut self) -> String {
        let h = self.hex(32);
        format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
    }
}

/// Writes the items of one `List`, one at a time, as kubectl prints them.
struct ListWriter<W: Write> {
    out: W,
    yaml: bool,
    first: bool,
}

impl<W: Write> ListWriter<W> {
    fn new(mut out: W, yaml: bool) -> std::io::Result<Self> {
        if yaml {
            out.write_all(b"apiVersion: v1\nitems:\n")?;
        } else {
            out.write_all(b"{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n")?;
        }
        Ok(Self { out, yaml, first: true })
    }

    fn item(&mut self, item: &Value) -> std::io::Result<()> {
        if self.yaml {
            let text = serde_saphyr::to_string(item).map_err(std::io::Error::other)?;
            for (i, line) in text.lines().enumerate() {
                self.out.write_all(if i == 0 { b"- " } else { b"  " })?;
                self.out.write_all(line.as_bytes())?;
                self.out.write_all(b"\n")?;
            }
            return Ok(());
        }
        if !self.first {
            self.out.write_all(b",\n")?;
        }
        self.first = false;
        let mut text = Vec::with_capacity(8192);
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
        item.serialize(&mut serde_json::Serializer::with_formatter(&mut text, formatter))?;
        for (i, line) in text.split(|b| *b == b'\n').enumerate() {
            if i > 0 {
                self.out.write_all(b"\n")?;
            }
            self.out.write_all(b"        ")?;
            self.out.write_all(line)?;
        }
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<()> {
        if self.yaml {
            self.out.write_all(b"kind: List\nmetadata:\n  resourceVersion: \"\"\n")?;
        } else {
            self.out.write_all(b"\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n")?;
        }
        self.out.flush()
    }
}

use serde::Serialize;

const ZONES: [&str; 3] = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const NOW: &str = "2026-11-01T12:00:00Z";

fn at(minutes_before: u64) -> String {
    let t: jiff::Timestamp = NOW.parse().unwrap_or_default();
    let then = t - jiff::SignedDuration::from_secs(60 * minutes_before as i64);
    then.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// What a generated node is, decided once so that nodes and DaemonSet pods agree.
struct NodeShape {
    name: String,
    zone: &'static str,
    arch: &'static str,
    os: &'static str,
    pool: &'static str,
    control_plane: bool,
    cordoned: bool,
    not_ready: bool,
    cpu_milli: u64,
}

fn shape(i: usize, rng: &mut Rng) -> NodeShape {
    let control_plane = i < 3;
    let pool = if control_plane {
        "system"
    } else if rng.chance(40) {
        "gpu"
    } else if rng.chance(100) {
        "infra"
    } else {
        "general"
    };
    NodeShape {
        name: format!("ip-10-{}-{}-{}.eu-west-1.compute.internal", i / 65536 % 256, i / 256 % 256, i % 256),
        zone: ZONES[i % 3],
        arch: if rng.chance(200) { "arm64" } else { "amd64" },
        os: if !control_plane && rng.chance(10) { "windows" } else { "linux" },
        pool,
        control_plane,
        cordoned: !control_plane && rng.chance(5),
        not_ready: !control_plane && rng.chance(5),
        cpu_milli: if rng.chance(100) { 1930 } else { 7910 },
    }
}

fn node(n: &NodeShape, rng: &mut Rng) -> Value {
    let mut taints = Vec::new();
    if n.control_plane {
        taints.push(json!({"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}));
    }
    if n.pool == "gpu" {
        taints.push(json!({"effect": "NoSchedule", "key": "nvidia.com/gpu", "value": "present"}));
    }
    if n.cordoned {
        taints.push(json!({"effect": "NoSchedule", "key": "node.kubernetes.io/unschedulable", "timeAdded": at(90)}));
    }
    if n.not_ready {
        taints.push(json!({"effect": "NoSchedule", "key": "node.kubernetes.io/not-ready", "timeAdded": at(30)}));
        taints.push(json!({"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "timeAdded": at(30)}));
    }
    let images: Vec<Value> = (0..40)
        .map(|i| {
            let repo = format!("registry.example.com/platform/component-{:02}", (i * 7 + rng.below(5) as usize) % 60);
            json!({"names": [format!("{repo}@sha256:{}", rng.hex(64)), format!("{repo}:v1.{}.{}", i % 9, rng.below(20))],
                   "sizeBytes": 20_000_000 + rng.below(400_000_000)})
        })
        .collect();
    let heartbeat = at(rng.below(2));
    let ready = if n.not_ready {
        json!({"lastHeartbeatTime": at(31), "lastTransitionTime": at(30), "message": "Kubelet stopped posting node status.",
               "reason": "NodeStatusUnknown", "status": "Unknown", "type": "Ready"})
    } else {
        json!({"lastHeartbeatTime": heartbeat, "lastTransitionTime": at(9000), "message": "kubelet is posting ready status",
               "reason": "KubeletReady", "status": "True", "type": "Ready"})
    };
    let pressure = |kind: &str, reason: &str, message: &str| {
        json!({"lastHeartbeatTime": heartbeat, "lastTransitionTime": at(9000), "message": message,
               "reason": reason, "status": "False", "type": kind})
    };
    let memory = if n.cpu_milli > 2000 { "32386524Ki" } else { "7869656Ki" };
    let mut labels = json!({
        "beta.kubernetes.io/arch": n.arch, "beta.kubernetes.io/os": n.os,
        "failure-domain.beta.kubernetes.io/region": "eu-west-1", "failure-domain.beta.kubernetes.io/zone": n.zone,
        "kubernetes.io/arch": n.arch, "kubernetes.io/hostname": n.name, "kubernetes.io/os": n.os,
        "node.kubernetes.io/instance-type": if n.cpu_milli > 2000 { "m6i.2xlarge" } else { "t3.medium" },
        "topology.kubernetes.io/region": "eu-west-1", "topology.kubernetes.io/zone": n.zone,
        "topology.ebs.csi.aws.com/zone": n.zone, "pool": n.pool,
        "eks.amazonaws.com/nodegroup": format!("{}-{}", n.pool, n.zone), "eks.amazonaws.com/capacityType": "ON_DEMAND",
    });
    if n.control_plane {
        labels["node-role.kubernetes.io/control-plane"] = json!("");
    }
    let mut node = json!({
        "apiVersion": "v1", "kind": "Node",
        "metadata": {
            "annotations": {
                "alpha.kubernetes.io/provided-node-ip": "10.0.0.1",
                "csi.volume.kubernetes.io/nodeid": format!("{{\"ebs.csi.aws.com\":\"i-{}\"}}", rng.hex(17)),
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true"
            },
            "creationTimestamp": at(9000 + rng.below(50_000)), "labels": labels, "name": n.name,
            "resourceVersion": format!("{}", 1_000_000 + rng.below(9_000_000)), "uid": rng.uid()
        },
        "spec": {"providerID": format!("aws:///{}/i-{}", n.zone, rng.hex(17))},
        "status": {
            "addresses": [{"address": "10.0.0.1", "type": "InternalIP"}, {"address": n.name, "type": "Hostname"},
                          {"address": n.name, "type": "InternalDNS"}],
            "allocatable": {"cpu": format!("{}m", n.cpu_milli), "ephemeral-storage": "95551679124",
                            "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": memory, "pods": "110"},
            "capacity": {"cpu": if n.cpu_milli > 2000 { "8" } else { "2" }, "ephemeral-storage": "104845292Ki",
                         "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": memory, "pods": "110"},
            "conditions": [
                pressure("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                pressure("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                pressure("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                ready
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "images": images,
            "nodeInfo": {"architecture": n.arch, "bootID": rng.uid(), "containerRuntimeVersion": "containerd://1.7.27",
                         "kernelVersion": "6.1.132-147.221.amzn2023.x86_64", "kubeProxyVersion": "v1.33.4",
                         "kubeletVersion": "v1.33.4-eks-a737599", "machineID": rng.hex(32),
                         "operatingSystem": n.os, "osImage": "Amazon Linux 2023.7.20250512", "systemUUID": rng.uid()}
        }
    });
    if !taints.is_empty() {
        node["spec"]["taints"] = json!(taints);
    }
    if n.cordoned {
        node["spec"]["unschedulable"] = json!(true);
    }
    node
}

/// One DaemonSet's placement and shape. The generator decides which nodes should run it with
/// the plain rules below; the tool under test must reach the same answer on its own.
struct Plan {
    name: &'static str,
    namespace: &'static str,
    cpu: &'static str,
    host_port: Option<i32>,
    tolerate_all: bool,
    node_selector: Option<(&'static str, &'static str)>,
    /// matchExpressions of required node affinity: key, operator, values.
    affinity: Option<(&'static str, &'static str, &'static [&'static str])>,
    /// A rollout in progress: this share of pods (per mille) still runs the old revision.
    old_per_mille: u64,
    crashing_per_mille: u64,
}

const PLANS: [Plan; 10] = [
    Plan {
        name: "kube-proxy",
        namespace: "kube-system",
        cpu: "100m",
        host_port: None,
        tolerate_all: true,
        node_selector: Some(("kubernetes.io/os", "linux")),
        affinity: None,
        old_per_mille: 0,
        crashing_per_mille: 0,
    },
    Plan {
        name: "aws-node",
        namespace: "kube-system",
        cpu: "25m",
        host_port: Some(61678),
        tolerate_all: true,
        node_selector: None,
        affinity: Some(("kubernetes.io/os", "In", &["linux"])),
        old_per_mille: 0,
        crashing_per_mille: 1,
    },
    Plan {
        name: "node-exporter",
        namespace: "monitoring",
        cpu: "100m",
        host_port: Some(9100),
        tolerate_all: true,
        node_selector: Some(("kubernetes.io/os", "linux")),
        affinity: None,
        old_per_mille: 300,
        crashing_per_mille: 0,
    },
    Plan {
        name: "fluent-bit",
        namespace: "logging",
        cpu: "200m",
        host_port: Some(2020),
        tolerate_all: false,
        node_selector: None,
        affinity: None,
        old_per_mille: 0,
        crashing_per_mille: 3,
    },
    Plan {
        name: "nvidia-device-plugin",
        namespace: "kube-system",
        cpu: "50m",
        host_port: None,
        tolerate_all: false,
        node_selector: Some(("pool", "gpu")),
        affinity: None,
        old_per_mille: 0,
        crashing_per_mille: 0,
    },
    Plan {
        name: "ebs-csi-node",
        namespace: "kube-system",
        cpu: "30m",
        host_port: Some(9808),
        tolerate_all: true,
        node_selector: None,
        affinity: Some(("kubernetes.io/arch", "In", &["amd64"])),
        old_per_mille: 0,
        crashing_per_mille: 0,
    },
    Plan {
        name: "security-agent",
        namespace: "security",
        cpu: "1",
        host_port: None,
        tolerate_all: true,
        node_selector: Some(("kubernetes.io/os", "linux")),
        affinity: None,
        old_per_mille: 0,
        crashing_per_mille: 0,
    },
    Plan {
        name: "metrics-agent",
        namespace: "monitoring",
        cpu: "50m",
        host_port: Some(9100),
        tolerate_all: false,
        node_selector: None,
        affinity: Some(("pool", "In", &["infra"])),
        old_per_mille: 0,
        crashing_per_mille: 0,
    },
    Plan {
        name: "windows-exporter",
        namespace: "monitoring",
        cpu: "100m",
        host_port: Some(9182),
        tolerate_all: false,
        node_selector: Some(("kubernetes.io/os", "windows")),
        affinity: None,
        old_per_mille: 0,
        crashing_per_mille: 0,
    },
    Plan {
        name: "storage-agent",
        namespace: "storage",
        cpu: "100m",
        host_port: None,
        tolerate_all: false,
        node_selector: None,
        affinity: Some(("topology.kubernetes.io/zone", "NotIn", &["eu-west-1c"])),
        old_per_mille: 0,
        crashing_per_mille: 0,
    },
];

impl Plan {
    fn label_of(&self, n: &NodeShape, key: &str) -> Option<&'static str> {
        Some(match key {
            "kubernetes.io/os" => n.os,
            "kubernetes.io/arch" => n.arch,
            "pool" => n.pool,
            "topology.kubernetes.io/zone" => n.zone,
            _ => return None,
        })
    }

    /// Whether the controller wants a pod on this node (selector, affinity, NoSchedule taints).
    fn wants(&self, n: &NodeShape) -> bool {
        let selected = self.node_selector.is_none_or(|(k, v)| self.label_of(n, k) == Some(v));
        let affine = self.affinity.is_none_or(|(k, op, values)| {
            let has = self.label_of(n, k).is_some_and(|l| values.contains(&l));
            if op == "In" { has } else { !has }
        });
        let tolerated = self.tolerate_all || !(n.control_plane || n.pool == "gpu" || n.cordoned || n.not_ready);
        let tolerated = tolerated || (self.name == "nvidia-device-plugin" && n.pool == "gpu" && !n.cordoned);
        selected && affine && tolerated
    }

    /// Whether the scheduler can place it: the 1-cpu agent does not fit on small nodes, and the
    /// second exporter on port 9100 finds it taken where node-exporter runs.
    fn fits(&self, n: &NodeShape) -> bool {
        let too_small = self.cpu == "1" && n.cpu_milli < 2000;
        let port_taken = self.name == "metrics-agent" && PLANS[2].wants(n);
        !too_small && !port_taken
    }

    fn template(&self, hash: &str) -> Value {
        let mut tolerations =
            vec![json!({"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"})];
        if self.tolerate_all {
            tolerations = vec![json!({"operator": "Exists"})];
        } else if self.name == "nvidia-device-plugin" {
            tolerations.push(json!({"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}));
        }
        let mut container = json!({
            "name": self.name, "image": format!("registry.example.com/{}/{}:v2.{}", self.namespace, self.name, hash.len()),
            "imagePullPolicy": "IfNotPresent",
            "args": ["--log-level=info", "--metrics-bind-address=:8080", format!("--node-name=$(NODE_NAME)")],
            "env": [{"name": "NODE_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}}],
            "resources": {"limits": {"memory": "256Mi"}, "requests": {"cpu": self.cpu, "memory": "128Mi"}},
            "securityContext": {"privileged": true},
            "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
            "volumeMounts": [{"mountPath": "/host", "name": "host-root", "readOnly": true}]
        });
        if let Some(port) = self.host_port {
            container["ports"] =
                json!([{"containerPort": port, "hostPort": port, "name": "metrics", "protocol": "TCP"}]);
        }
        let mut spec = json!({
            "containers": [container], "dnsPolicy": "ClusterFirst", "priorityClassName": "system-node-critical",
            "restartPolicy": "Always", "schedulerName": "default-scheduler", "securityContext": {},
            "serviceAccountName": self.name, "terminationGracePeriodSeconds": 30, "tolerations": tolerations,
            "volumes": [{"hostPath": {"path": "/", "type": ""}, "name": "host-root"}]
        });
        if let Some((k, v)) = self.node_selector {
            spec["nodeSelector"] = json!({k: v});
        }
        if let Some((k, op, values)) = self.affinity {
            spec["affinity"] = json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": [{"key": k, "operator": op, "values": values}]}]}}});
        }
        json!({"metadata": {"labels": {"app.kubernetes.io/name": self.name}}, "spec": spec})
    }
}

fn generate<W: Write>(s: &Settings, out: &mut ListWriter<W>) -> std::io::Result<()> {
    let mut rng = Rng(s.seed);
    let shapes: Vec<NodeShape> = (0..s.nodes).map(|i| shape(i, &mut rng)).collect();
    for n in &shapes {
        out.item(&node(n, &mut rng))?;
    }
    let plans = &PLANS[..s.daemonsets];
    let mut daemonsets = Vec::new();
    let mut revisions = Vec::new();
    let mut events = Vec::new();
    for plan in plans {
        let uid = rng.uid();
        let hash = rng.hex(10);
        let old_hash = rng.hex(10);
        let generation = if plan.old_per_mille > 0 { 2 } else { 1 };
        let template = plan.template(&hash);
        let labels = json!({"app.kubernetes.io/name": plan.name});
        let owner = json!([{"apiVersion": "apps/v1", "blockOwnerDeletion": true, "controller": true,
                            "kind": "DaemonSet", "name": plan.name, "uid": uid}]);
        let revision = |hash: &str, number: u32, rng: &mut Rng| {
            json!({"apiVersion": "apps/v1", "kind": "ControllerRevision", "data": {"spec": {"template": template}},
                   "metadata": {"creationTimestamp": at(5000 / number as u64), "labels": {"app.kubernetes.io/name": plan.name,
                   "controller-revision-hash": hash}, "name": format!("{}-{hash}", plan.name), "namespace": plan.namespace,
                   "ownerReferences": owner, "uid": rng.uid(), "resourceVersion": "1"}, "revision": number})
        };
        revisions.push(revision(&hash, generation, &mut rng));
        if generation == 2 {
            revisions.push(revision(&old_hash, 1, &mut rng));
        }
        let (mut desired, mut scheduled, mut ready, mut updated) = (0, 0, 0, 0);
        for n in shapes.iter().filter(|n| plan.wants(n)) {
            desired += 1;
            let old = rng.chance(plan.old_per_mille);
            let fits = plan.fits(n);
            let crashing = rng.chance(plan.crashing_per_mille) || n.not_ready;
            scheduled += u32::from(fits);
            ready += u32::from(fits && !crashing);
            updated += u32::from(!old);
            let pod_name = format!("{}-{}", plan.name, rng.suffix());
            let pod = daemon_pod(
                plan,
                &template,
                n,
                &pod_name,
                &owner,
                if old { &old_hash } else { &hash },
                old,
                fits,
                crashing,
                &mut rng,
            );
            if !fits {
                events.push(json!({"apiVersion": "v1", "kind": "Event", "count": 40 + rng.below(300),
                    "firstTimestamp": at(600), "lastTimestamp": at(rng.below(5)), "involvedObject": {"apiVersion": "v1",
                    "kind": "Pod", "name": pod_name, "namespace": plan.namespace, "uid": pod["metadata"]["uid"]},
                    "message": scheduler_message(plan, s.nodes), "metadata": {"creationTimestamp": at(600),
                    "name": format!("{pod_name}.{}", rng.hex(16)), "namespace": plan.namespace, "uid": rng.uid()},
                    "reason": "FailedScheduling", "reportingComponent": "default-scheduler", "source": {"component": "default-scheduler"},
                    "type": "Warning"}));
            }
            out.item(&pod)?;
        }
        let annotations = json!({"deprecated.daemonset.template.generation": generation.to_string()});
        daemonsets.push(json!({
            "apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"annotations": annotations, "creationTimestamp": at(9000), "generation": generation, "labels": labels,
                         "name": plan.name, "namespace": plan.namespace, "resourceVersion": "1", "uid": uid},
            "spec": {"revisionHistoryLimit": 10, "selector": {"matchLabels": {"app.kubernetes.io/name": plan.name}},
                     "template": template, "updateStrategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}, "type": "RollingUpdate"}},
            "status": {"currentNumberScheduled": scheduled, "desiredNumberScheduled": desired, "numberAvailable": ready,
                       "numberMisscheduled": 0, "numberReady": ready, "numberUnavailable": desired - ready,
                       "observedGeneration": generation, "updatedNumberScheduled": updated}
        }));
    }
    for (i, n) in shapes.iter().enumerate() {
        for j in 0..s.pods_per_node {
            out.item(&workload_pod(n, i * s.pods_per_node + j, &mut rng))?;
        }
    }
    for item in daemonsets.iter().chain(&revisions).chain(&events) {
        out.item(item)?;
    }
    Ok(())
}

fn scheduler_message(plan: &Plan, nodes: usize) -> String {
    if plan.cpu == "1" {
        format!(
            "0/{nodes} nodes are available: 1 Insufficient cpu, {} node(s) didn't match Pod's node affinity/selector. preemption: 0/{nodes} nodes are available: 1 No preemption victims found for incoming pod, {} Preemption is not helpful for scheduling.",
            nodes - 1,
            nodes - 1
        )
    } else {
        format!(
            "0/{nodes} nodes are available: 1 node(s) didn't have free ports for the requested pod ports, {} node(s) didn't match Pod's node affinity/selector. preemption: 0/{nodes} nodes are available: 1 No preemption victims found for incoming pod, {} Preemption is not helpful for scheduling.",
            nodes - 1,
            nodes - 1
        )
    }
}

#[allow(clippy::too_many_arguments)]
fn daemon_pod(
    plan: &Plan,
    template: &Value,
    n: &NodeShape,
    name: &str,
    owner: &Value,
    hash: &str,
    old: bool,
    fits: bool,
    crashing: bool,
    rng: &mut Rng,
) -> Value {
    let mut spec = template["spec"].clone();
    spec["affinity"] = json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [n.name]}]}]}}});
    let tolerations = spec["tolerations"].as_array_mut().map(std::mem::take).unwrap_or_default();
    let defaults = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]
        .map(|k| json!({"effect": "NoExecute", "key": k, "operator": "Exists"}))
        .into_iter()
        .chain(
            [
                "node.kubernetes.io/disk-pressure",
                "node.kubernetes.io/memory-pressure",
                "node.kubernetes.io/pid-pressure",
                "node.kubernetes.io/unschedulable",
            ]
            .map(|k| json!({"effect": "NoSchedule", "key": k, "operator": "Exists"})),
        );
    spec["tolerations"] = json!(tolerations.into_iter().chain(defaults).collect::<Vec<_>>());
    spec["enableServiceLinks"] = json!(true);
    spec["preemptionPolicy"] = json!("PreemptLowerPriority");
    spec["priority"] = json!(2_000_001_000);
    let started = at(100 + rng.below(5000));
    let status = if !fits {
        spec.as_object_mut().map(|s| s.remove("nodeName"));
        json!({"conditions": [{"lastProbeTime": null, "lastTransitionTime": at(600), "message": "0/1 nodes are available",
               "reason": "Unschedulable", "status": "False", "type": "PodScheduled"}], "phase": "Pending", "qosClass": "Burstable"})
    } else {
        spec["nodeName"] = json!(n.name);
        let state = if crashing {
            json!({"waiting": {"message": "back-off 5m0s restarting failed container", "reason": "CrashLoopBackOff"}})
        } else {
            json!({"running": {"startedAt": started}})
        };
        let ready = if crashing { "False" } else { "True" };
        json!({
            "conditions": conditions(&started, ready),
            "containerStatuses": [{"containerID": format!("containerd://{}", rng.hex(64)), "image": template["spec"]["containers"][0]["image"],
                "imageID": format!("registry.example.com/{}@sha256:{}", plan.name, rng.hex(64)), "lastState": {}, "name": plan.name,
                "ready": !crashing, "restartCount": if crashing { 41 } else { 0 }, "started": !crashing, "state": state}],
            "hostIP": "10.0.0.1", "hostIPs": [{"ip": "10.0.0.1"}], "phase": "Running", "podIP": "10.0.0.1",
            "podIPs": [{"ip": "10.0.0.1"}], "qosClass": "Burstable", "startTime": started
        })
    };
    let generation = if old {
        "1"
    } else if plan.old_per_mille > 0 {
        "2"
    } else {
        "1"
    };
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"creationTimestamp": started, "generateName": format!("{}-", plan.name),
            "labels": {"app.kubernetes.io/name": plan.name, "controller-revision-hash": hash, "pod-template-generation": generation},
            "name": name, "namespace": plan.namespace, "ownerReferences": owner, "resourceVersion": format!("{}", rng.below(9_000_000)),
            "uid": rng.uid()},
        "spec": spec,
        "status": status
    })
}

fn workload_pod(n: &NodeShape, index: usize, rng: &mut Rng) -> Value {
    let team = format!("team-{:02}", index % 40);
    let app = format!("service-{:03}", index % 300);
    let replica_set = format!("{app}-{}", rng.hex(10));
    let name = format!("{replica_set}-{}", rng.suffix());
    let started = at(10 + rng.below(20_000));
    let containers = if rng.chance(100) { 2 } else { 1 };
    let container = |i: usize, rng: &mut Rng| {
        json!({
            "name": if i == 0 { app.clone() } else { "envoy".to_string() },
            "image": format!("registry.example.com/{team}/{app}:{}", rng.hex(12)), "imagePullPolicy": "IfNotPresent",
            "env": [{"name": "ENVIRONMENT", "value": "production"}],
            "ports": [{"containerPort": 8080 + i as i32, "name": "http", "protocol": "TCP"}],
            "resources": {"limits": {"memory": "512Mi"}, "requests": {"cpu": format!("{}m", 50 + rng.below(150)), "memory": "256Mi"}},
            "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"
        })
    };
    let containers: Vec<Value> = (0..containers).map(|i| container(i, rng)).collect();
    let statuses: Vec<Value> = containers
        .iter()
        .map(|c| {
            json!({"containerID": format!("containerd://{}", rng.hex(64)), "image": c["image"], "imageID": c["image"],
                        "lastState": {}, "name": c["name"], "ready": true, "restartCount": 0, "started": true,
                        "state": {"running": {"startedAt": started}}})
        })
        .collect();
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"creationTimestamp": started, "generateName": format!("{replica_set}-"),
            "labels": {"app": app, "pod-template-hash": &replica_set[replica_set.len() - 10..], "team": team},
            "name": name, "namespace": team,
            "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": true, "controller": true, "kind": "ReplicaSet",
                                 "name": replica_set, "uid": rng.uid()}],
            "resourceVersion": format!("{}", rng.below(9_000_000)), "uid": rng.uid()},
        "spec": {"containers": containers, "dnsPolicy": "ClusterFirst", "enableServiceLinks": true, "nodeName": n.name,
                 "preemptionPolicy": "PreemptLowerPriority", "priority": 0, "restartPolicy": "Always",
                 "schedulerName": "default-scheduler", "securityContext": {}, "serviceAccountName": "default",
                 "terminationGracePeriodSeconds": 30,
                 "tolerations": [{"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
                                 {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}]},
        "status": {
            "conditions": conditions(&started, "True"),
            "containerStatuses": statuses, "hostIP": "10.0.0.1", "phase": "Running",
            "podIP": "10.1.0.1", "qosClass": "Burstable", "startTime": started
        }
    })
}

fn conditions(started: &str, ready: &str) -> Vec<Value> {
    ["Initialized", "Ready", "PodScheduled"]
        .iter()
        .map(|t| {
            let status = if *t == "Ready" { ready } else { "True" };
            json!({"lastProbeTime": null, "lastTransitionTime": started, "status": status, "type": t})
        })
        .collect()
}
