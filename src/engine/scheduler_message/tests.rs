use super::*;

fn verdicts(message: &str) -> Option<(u32, Vec<(u32, Verdict)>)> {
    parse(message).map(|fit| (fit.nodes, fit.entries))
}

fn insufficient(resource: &str) -> Verdict {
    Verdict::Insufficient(resource.to_string())
}

fn taint(key: &str, value: &str) -> Verdict {
    Verdict::Taint(Some((key.to_string(), value.to_string())))
}

// pkg/scheduler FitError.Error, `0/<N> nodes are available: <count> <reason>, ....` with the
// reasons each plugin of the release printed, and the PostFilter suffix (`preemption: ...`, after
// `no new claims to deallocate, ` with DRA, sometimes ending in `..`). Messages as clusters
// reported them:
//   ≤1.17 TaintToleration ErrReasonNotMatch "node(s) had taints that the pod didn't tolerate";
//   1.18-1.24 "node(s) had taint {%s: %s}, that the pod didn't tolerate";
//   1.25-1.34 "node(s) had untolerated taint {%s: %s}"; ≥1.35 "node(s) had untolerated taint(s)";
//   NodeAffinity ≤1.20 "node(s) didn't match node selector", later "node(s) didn't match Pod's
//   node affinity/selector", PreFilter-narrowed nodes "node(s) didn't satisfy plugin(s) [NodeAffinity]";
//   NodePorts ErrReason "node(s) didn't have free ports for the requested pod ports";
//   NodeResourcesFit "Insufficient <resource>" and "Too many pods".
#[test]
fn parse_real_messages() {
    type Case = (&'static str, u32, Vec<(u32, Verdict)>);
    let cases: Vec<Case> = vec![
        (
            "0/2 nodes are available: 1 Insufficient memory, 1 node(s) had taints that the pod didn't tolerate.",
            2,
            vec![(1, insufficient("memory")), (1, Verdict::Taint(None))],
        ),
        (
            "0/4 nodes are available: 1 node(s) had taints that the pod didn't tolerate, 3 node(s) didn't have free ports for the requested pod ports.",
            4,
            vec![(1, Verdict::Taint(None)), (3, Verdict::HostPorts)],
        ),
        (
            "0/4 nodes are available: 1 Insufficient memory, 2 node(s) didn't match node selector, 4 Insufficient cpu.",
            4,
            vec![(1, insufficient("memory")), (2, Verdict::NodeAffinity), (4, insufficient("cpu"))],
        ),
        (
            "0/1 nodes are available: 1 Insufficient devices.kubevirt.io/kvm, 1 Insufficient devices.kubevirt.io/tun, 1 node(s) didn't match node selector.",
            1,
            vec![
                (1, insufficient("devices.kubevirt.io/kvm")),
                (1, insufficient("devices.kubevirt.io/tun")),
                (1, Verdict::NodeAffinity),
            ],
        ),
        (
            "0/1 nodes are available: 1 node(s) had taint {node.kubernetes.io/not-ready: }, that the pod didn't tolerate.",
            1,
            vec![(1, taint("node.kubernetes.io/not-ready", ""))],
        ),
        (
            "0/3 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate, 2 Insufficient cpu.",
            3,
            vec![(1, taint("node-role.kubernetes.io/master", "")), (2, insufficient("cpu"))],
        ),
        (
            "0/3 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate, 2 node(s) didn't match pod affinity/anti-affinity, 2 node(s) didn't satisfy existing pods anti-affinity rules.",
            3,
            vec![
                (1, taint("node-role.kubernetes.io/master", "")),
                (2, Verdict::Other("node(s) didn't match pod affinity/anti-affinity".to_string())),
                (2, Verdict::Other("node(s) didn't satisfy existing pods anti-affinity rules".to_string())),
            ],
        ),
        (
            "0/1 nodes are available: 1 node(s) had untolerated taint {node.cloudprovider.kubernetes.io/uninitialized: true}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..",
            1,
            vec![(1, taint("node.cloudprovider.kubernetes.io/uninitialized", "true"))],
        ),
        (
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/master: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 3 Preemption is not helpful for scheduling.",
            3,
            vec![(1, taint("node-role.kubernetes.io/master", "")), (2, Verdict::NodeAffinity)],
        ),
        (
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't have free ports for the requested pod ports. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..",
            3,
            vec![(1, taint("node-role.kubernetes.io/control-plane", "")), (2, Verdict::HostPorts)],
        ),
        (
            "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].",
            3,
            vec![(1, insufficient("cpu")), (2, Verdict::NodeAffinity)],
        ),
        (
            "0/4 nodes are available: 1 Insufficient cpu, 3 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.",
            4,
            vec![(1, insufficient("cpu")), (3, Verdict::NodeAffinity)],
        ),
        (
            "0/4 nodes are available: 1 Too many pods, 3 node(s) didn't satisfy plugin(s) [NodeAffinity]. no new claims to deallocate, preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.",
            4,
            vec![(1, Verdict::TooManyPods), (3, Verdict::NodeAffinity)],
        ),
        (
            "0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports. no new claims to deallocate, preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
            3,
            vec![(3, Verdict::HostPorts)],
        ),
        (
            "0/17 nodes are available: 17 node(s) had untolerated taint(s). no new claims to deallocate, preemption: 0/17 nodes are available: 17 Preemption is not helpful for scheduling.",
            17,
            vec![(17, Verdict::Taint(None))],
        ),
        (
            "0/8 nodes are available: 1 node(s) didn't match pod affinity rules, 7 node(s) didn't satisfy plugin(s) [NodeAffinity]. no new claims to deallocate, preemption: 0/8 nodes are available: 8 Preemption is not helpful for scheduling.",
            8,
            vec![
                (1, Verdict::Other("node(s) didn't match pod affinity rules".to_string())),
                (7, Verdict::NodeAffinity),
            ],
        ),
        (
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) were unschedulable, 1 node(s) didn't match PersistentVolume's node affinity.",
            3,
            vec![
                (1, taint("node-role.kubernetes.io/control-plane", "")),
                (1, Verdict::NodeUnschedulable),
                (1, Verdict::Other("node(s) didn't match PersistentVolume's node affinity".to_string())),
            ],
        ),
        (
            "0/3 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate, 1 node(s) had taint {node.kubernetes.io/unreachable: }, that the pod didn't tolerate, 1 node(s) had volume node affinity conflict.",
            3,
            vec![
                (1, taint("node-role.kubernetes.io/master", "")),
                (1, taint("node.kubernetes.io/unreachable", "")),
                (1, Verdict::Other("node(s) had volume node affinity conflict".to_string())),
            ],
        ),
        ("0/2 nodes are available: 2 node(s) didn't match the requested node name.", 2, vec![(2, Verdict::NodeName)]),
    ];
    for (message, nodes, entries) in cases {
        assert_eq!(verdicts(message), Some((nodes, entries)), "{message}");
    }
}

// Messages that are not a FitError (no nodes at all, an error from a later extension point) are
// not parsed, and target_node_reasons passes them through whole.
#[test]
fn not_a_fit_error() {
    for message in [
        "no nodes available to schedule pods",
        "running PreBind plugin \"VolumeBinding\": binding volumes: timed out waiting for the condition",
        "pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
        "",
    ] {
        assert_eq!(verdicts(message), None, "{message}");
        let reasons = target_node_reasons(message);
        assert_eq!(reasons.len(), 1, "{message}");
        assert_eq!(reasons[0].cause, Cause::Unschedulable { scheduler_message: message.to_string() }, "{message}");
    }
}

fn codes(message: &str) -> Vec<&'static str> {
    target_node_reasons(message).iter().map(Reason::code).collect()
}

// DaemonSet semantics §10: a DaemonSet pod is pinned to one node, so N-1 nodes fail NodeAffinity
// (the PreFilter's "didn't satisfy plugin(s) [NodeAffinity]", or the Filter's node selector /
// affinity wording before the PreFilter narrowed the set); the rest is about the target node.
#[test]
fn target_node_reasons_drop_the_other_nodes() {
    let cases: Vec<(&str, Vec<&str>)> = vec![
        (
            "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].",
            vec!["InsufficientResources"],
        ),
        (
            "0/7 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 6 node(s) didn't satisfy plugin(s) [NodeAffinity].",
            vec!["HostPortConflict"],
        ),
        (
            "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
            vec!["InsufficientResources"],
        ),
        (
            "0/4 nodes are available: 1 Too many pods, 3 node(s) didn't satisfy plugin(s) [NodeAffinity]. no new claims to deallocate, preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.",
            vec!["InsufficientResources"],
        ),
        (
            "0/3 nodes are available: 1 node(s) had taint {dedicated: gpu}, that the pod didn't tolerate, 2 node(s) didn't match node selector.",
            vec!["UntoleratedTaint"],
        ),
        (
            "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint(s).",
            vec!["UntoleratedTaint"],
        ),
        // Every node failing NodeAffinity: the pod's own node does too (its nodeSelector), so one
        // NodeAffinity entry remains.
        ("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.", vec!["NodeAffinityMismatch"]),
        // A reason that is neither a resource, a port, a taint nor affinity is shown as is.
        (
            "0/3 nodes are available: 1 node(s) had volume node affinity conflict, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].",
            vec!["Unschedulable"],
        ),
        // Several resources short on the one node: one reason each.
        (
            "0/2 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 node(s) didn't satisfy plugin(s) [NodeAffinity].",
            vec!["InsufficientResources", "InsufficientResources"],
        ),
    ];
    for (message, want) in cases {
        assert_eq!(codes(message), want, "{message}");
    }
}

// The reasons carry what the message says: the resource name, the taint key and value (≥1.35
// and ≤1.17 messages name no taint).
#[test]
fn target_node_reason_detail() {
    let reasons = target_node_reasons(
        "0/3 nodes are available: 1 Insufficient nvidia.com/gpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].",
    );
    assert_eq!(
        reasons.iter().map(|r| &r.cause).collect::<Vec<_>>(),
        vec![&Cause::InsufficientResources {
            resource: "nvidia.com/gpu".to_string(),
            requested: None,
            free: None,
            allocatable: None,
        }]
    );
    assert_eq!(reasons[0].message, "scheduler: Insufficient nvidia.com/gpu");

    let cases = [
        (
            "0/1 nodes are available: 1 node(s) had untolerated taint {node.cloudprovider.kubernetes.io/uninitialized: true}.",
            Some(TaintRef {
                key: "node.cloudprovider.kubernetes.io/uninitialized".to_string(),
                value: Some("true".to_string()),
                effect: None,
            }),
            "scheduler: untolerated taint node.cloudprovider.kubernetes.io/uninitialized=true",
        ),
        (
            "0/1 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate.",
            Some(TaintRef { key: "node-role.kubernetes.io/master".to_string(), value: None, effect: None }),
            "scheduler: untolerated taint node-role.kubernetes.io/master",
        ),
        (
            "0/1 nodes are available: 1 node(s) had untolerated taint(s).",
            None,
            "scheduler: the node has a taint the pod does not tolerate",
        ),
        (
            "0/1 nodes are available: 1 node(s) had taints that the pod didn't tolerate.",
            None,
            "scheduler: the node has a taint the pod does not tolerate",
        ),
    ];
    for (message, want_taint, want_text) in cases {
        let reasons = target_node_reasons(message);
        assert_eq!(reasons.len(), 1, "{message}");
        assert_eq!(reasons[0].cause, Cause::UntoleratedTaint { taint: want_taint }, "{message}");
        assert_eq!(reasons[0].message, want_text, "{message}");
    }
}

// The PodScheduled condition message is what the scheduler wrote; surrounding whitespace (as
// `kubectl describe` wraps it) does not change the reading.
#[test]
fn surrounding_whitespace() {
    let message = "  0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't satisfy plugin(s) [NodeAffinity].\n";
    assert_eq!(verdicts(message), Some((2, vec![(1, insufficient("cpu")), (1, Verdict::NodeAffinity)])));
}

// One message per wording, each as the plugin of its release prints it, read for a pinned
// DaemonSet pod (kubernetes/kubernetes pkg/scheduler/framework/plugins/*, FitError.Error in
// pkg/scheduler/framework/types.go):
//   1.17  predicates ErrTaintsTolerationsNotMatch, ErrNodeSelectorNotMatch
//   1.18-1.19 nodeaffinity ErrReason "node(s) didn't match node selector"; tainttoleration
//         "node(s) had taint {%s: %s}, that the pod didn't tolerate"; nodeunschedulable
//         ErrReasonUnschedulable; nodename ErrReason
//   1.20-1.21 nodeaffinity ErrReasonPod "node(s) didn't match Pod's node affinity" and
//         errReasonEnforced "node(s) didn't match scheduler-enforced node affinity" (the
//         profile's addedAffinity), as the 1.20.2 scheduler of tests/why_live.rs writes them
//   1.22+ "node(s) didn't match Pod's node affinity/selector"
//   1.25+ "node(s) had untolerated taint {%s: %s}"; PostFilter "preemption: ..."
//   1.27+ PreFilter-narrowed nodes "node(s) didn't satisfy plugin(s) [NodeAffinity]"
//   1.35+ "node(s) had untolerated taint(s)"
#[test]
fn each_release_wording_reads_as_the_same_codes() {
    let cases: Vec<(&str, &str, Vec<&str>)> = vec![
        (
            "1.17",
            "0/3 nodes are available: 1 node(s) had taints that the pod didn't tolerate, 2 node(s) didn't match node selector.",
            vec!["UntoleratedTaint"],
        ),
        (
            "1.19",
            "0/5 nodes are available: 1 Insufficient cpu, 4 node(s) didn't match node selector.",
            vec!["InsufficientResources"],
        ),
        (
            "1.19",
            "0/5 nodes are available: 1 node(s) had taint {dedicated: infra}, that the pod didn't tolerate, 4 node(s) didn't match node selector.",
            vec!["UntoleratedTaint"],
        ),
        (
            "1.19",
            "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match node selector.",
            vec!["Unschedulable"],
        ),
        (
            "1.20",
            "0/4 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 3 node(s) didn't match Pod's node affinity.",
            vec!["HostPortConflict"],
        ),
        (
            "1.23",
            "0/4 nodes are available: 1 Insufficient memory, 3 node(s) didn't match Pod's node affinity/selector.",
            vec!["InsufficientResources"],
        ),
        (
            "1.23",
            "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) didn't match scheduler-enforced node affinity.",
            vec!["Unschedulable"],
        ),
        (
            "1.26",
            "0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..",
            vec!["UntoleratedTaint"],
        ),
        (
            "1.29",
            "0/6 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 5 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/6 nodes are available: 1 No preemption victims found for incoming pod, 5 Preemption is not helpful for scheduling.",
            vec!["InsufficientResources", "InsufficientResources"],
        ),
        (
            "1.35",
            "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
            vec!["UntoleratedTaint"],
        ),
        // A PreFilter rejection replaces the per-node list (FitError.Error ≥1.28): passed through.
        (
            "1.28",
            "0/3 nodes are available: pod affinity terms conflict. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
            vec!["Unschedulable"],
        ),
    ];
    for (release, message, want) in cases {
        assert_eq!(codes(message), want, "{release}: {message}");
    }
    assert_eq!(
        verdicts("0/2 nodes are available: 2 node(s) didn't match scheduler-enforced node affinity."),
        Some((2, vec![(2, Verdict::Other("node(s) didn't match scheduler-enforced node affinity".to_string()))])),
        "the profile's affinity is not the pod's"
    );
}

// Written by the real 1.20.2 kube-scheduler of tests/why_live.rs, five nodes: the pod's own
// (fake-node-2 with its host port taken, fake-node-5 short of cpu), a tainted node that failed
// TaintToleration before it reached NodeAffinity, three that failed NodeAffinity. The tainted
// node's entry cannot be told from one of the pod's own by the text alone: callers confirm the
// entries against the node (explain's unschedulable_reasons, the trace's read_fit_error).
#[test]
fn messages_of_a_real_1_20_scheduler() {
    let ports = "0/5 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 1 node(s) had taint {dedicated: infra}, that the pod didn't tolerate, 3 node(s) didn't match Pod's node affinity.";
    assert_eq!(
        verdicts(ports),
        Some((5, vec![(1, Verdict::HostPorts), (1, taint("dedicated", "infra")), (3, Verdict::NodeAffinity)]))
    );
    assert_eq!(codes(ports), ["HostPortConflict", "UntoleratedTaint"]);
    let cpu = "0/5 nodes are available: 1 Insufficient cpu, 1 node(s) had taint {dedicated: infra}, that the pod didn't tolerate, 3 node(s) didn't match Pod's node affinity.";
    assert_eq!(
        verdicts(cpu),
        Some((5, vec![(1, insufficient("cpu")), (1, taint("dedicated", "infra")), (3, Verdict::NodeAffinity)]))
    );
    assert_eq!(Verdict::NodeAffinity.code(), "NodeAffinityMismatch");
    assert_eq!(taint("dedicated", "infra").describe(), "untolerated taint dedicated");
}
