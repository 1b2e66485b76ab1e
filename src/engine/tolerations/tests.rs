use super::*;
use crate::engine::test_support::from_json;
use serde_json::json;

fn toleration(value: serde_json::Value) -> Toleration {
    from_json(value)
}

fn taint(value: serde_json::Value) -> Taint {
    from_json(value)
}

// k8s.io/api core/v1 toleration_test.go TestTolerationToleratesTaint. The Lt/Gt rows there run
// with the TaintTolerationComparisonOperators gate on; the engine models the default (alpha, off),
// where ToleratesTaint returns false for those operators, so every Lt/Gt row expects false here,
// including the two the gate would tolerate.
#[test]
fn toleration_tolerates_taint() {
    let cases = [
        (
            "same key and effect, Exists, taint has no value",
            json!({"key": "foo", "operator": "Exists", "effect": "NoSchedule"}),
            json!({"key": "foo", "effect": "NoSchedule"}),
            true,
        ),
        (
            "same key and effect, Exists, taint has some value",
            json!({"key": "foo", "operator": "Exists", "effect": "NoSchedule"}),
            json!({"key": "foo", "value": "bar", "effect": "NoSchedule"}),
            true,
        ),
        (
            "same effect, empty key and Exists matches all taints",
            json!({"key": "", "operator": "Exists", "effect": "NoSchedule"}),
            json!({"key": "foo", "value": "bar", "effect": "NoSchedule"}),
            true,
        ),
        (
            "same key, effect and value, Equal",
            json!({"key": "foo", "operator": "Equal", "value": "bar", "effect": "NoSchedule"}),
            json!({"key": "foo", "value": "bar", "effect": "NoSchedule"}),
            true,
        ),
        (
            "same key and effect, different values, Equal",
            json!({"key": "foo", "operator": "Equal", "value": "value1", "effect": "NoSchedule"}),
            json!({"key": "foo", "value": "value2", "effect": "NoSchedule"}),
            false,
        ),
        (
            "same key and value, different effects, Equal",
            json!({"key": "foo", "operator": "Equal", "value": "bar", "effect": "NoSchedule"}),
            json!({"key": "foo", "value": "bar", "effect": "NoExecute"}),
            false,
        ),
        (
            "Gt, taint value less than toleration value",
            json!({"key": "node.kubernetes.io/sla", "operator": "Gt", "value": "950", "effect": "NoSchedule"}),
            json!({"key": "node.kubernetes.io/sla", "value": "800", "effect": "NoSchedule"}),
            false,
        ),
        (
            "Gt, taint value greater than toleration value (tolerated only with the gate on)",
            json!({"key": "node.kubernetes.io/sla", "operator": "Gt", "value": "750", "effect": "NoSchedule"}),
            json!({"key": "node.kubernetes.io/sla", "value": "950", "effect": "NoSchedule"}),
            false,
        ),
        (
            "Lt, taint value greater than toleration value",
            json!({"key": "node.kubernetes.io/sla", "operator": "Lt", "value": "800", "effect": "NoSchedule"}),
            json!({"key": "node.kubernetes.io/sla", "value": "950", "effect": "NoSchedule"}),
            false,
        ),
        (
            "Lt, taint value less than toleration value (tolerated only with the gate on)",
            json!({"key": "node.kubernetes.io/sla", "operator": "Lt", "value": "950", "effect": "NoSchedule"}),
            json!({"key": "node.kubernetes.io/sla", "value": "800", "effect": "NoSchedule"}),
            false,
        ),
        (
            "Gt, equal numeric values",
            json!({"key": "node.kubernetes.io/sla", "operator": "Gt", "value": "950", "effect": "NoSchedule"}),
            json!({"key": "node.kubernetes.io/sla", "value": "950", "effect": "NoSchedule"}),
            false,
        ),
        (
            "Gt, non-numeric taint value",
            json!({"key": "node.kubernetes.io/sla", "operator": "Gt", "value": "950", "effect": "NoSchedule"}),
            json!({"key": "node.kubernetes.io/sla", "value": "high", "effect": "NoSchedule"}),
            false,
        ),
        (
            "Gt, negative values, taint below threshold",
            json!({"key": "test-key", "operator": "Gt", "value": "-100", "effect": "NoSchedule"}),
            json!({"key": "test-key", "value": "-200", "effect": "NoSchedule"}),
            false,
        ),
        (
            "Gt, large int64, taint below threshold",
            json!({"key": "test-key", "operator": "Gt", "value": "9223372036854775806", "effect": "NoSchedule"}),
            json!({"key": "test-key", "value": "100", "effect": "NoSchedule"}),
            false,
        ),
    ];
    for (description, tol, tnt, want) in cases {
        assert_eq!(tolerates(&toleration(tol), &taint(tnt)), want, "{description}");
    }
}

// toleration.go ToleratesTaint rules 1-3 and the `switch t.Operator` default: the defaulting
// corners TestTolerationToleratesTaint leaves implicit (empty effect, omitted operator and value,
// an operator the API does not know).
#[test]
fn toleration_defaults_and_unknown_operator() {
    let cases = [
        (
            "empty effect matches every effect",
            json!({"key": "foo", "operator": "Exists"}),
            json!({"key": "foo", "effect": "NoExecute"}),
            true,
        ),
        (
            "omitted operator means Equal, omitted values are equal",
            json!({"key": "foo", "effect": "NoSchedule"}),
            json!({"key": "foo", "effect": "NoSchedule"}),
            true,
        ),
        (
            "omitted operator means Equal, value must match",
            json!({"key": "foo", "effect": "NoSchedule"}),
            json!({"key": "foo", "value": "bar", "effect": "NoSchedule"}),
            false,
        ),
        (
            "empty value equals omitted value",
            json!({"key": "foo", "operator": "Equal", "value": "", "effect": "NoSchedule"}),
            json!({"key": "foo", "effect": "NoSchedule"}),
            true,
        ),
        (
            "key must match when set",
            json!({"key": "foo", "operator": "Exists", "effect": "NoSchedule"}),
            json!({"key": "bar", "effect": "NoSchedule"}),
            false,
        ),
        (
            "unknown operator never tolerates",
            json!({"key": "foo", "operator": "Matches", "value": "bar", "effect": "NoSchedule"}),
            json!({"key": "foo", "value": "bar", "effect": "NoSchedule"}),
            false,
        ),
        (
            "tolerationSeconds does not limit whether it tolerates",
            json!({"key": "foo", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 0}),
            json!({"key": "foo", "effect": "NoExecute"}),
            true,
        ),
    ];
    for (description, tol, tnt, want) in cases {
        assert_eq!(tolerates(&toleration(tol), &taint(tnt)), want, "{description}");
    }
}

// component-helpers scheduling/corev1 helpers_test.go TestFindMatchingUntoleratedTaint (rows
// without the comparison-operator gate). "tolerated" there is "no untolerated taint found".
#[test]
fn find_matching_untolerated_taint() {
    let all = |_: &Taint| true;
    let none = |_: &Taint| false;
    let no_execute = |t: &Taint| t.effect == NO_EXECUTE;
    let foo_no_schedule = json!([{"key": "foo", "operator": "Exists", "effect": "NoSchedule"}]);

    type Filter<'a> = &'a dyn Fn(&Taint) -> bool;
    let cases: [(&str, serde_json::Value, serde_json::Value, Filter, Vec<&str>); 6] = [
        ("empty tolerations tolerate empty taints", json!([]), json!([]), &all, vec![]),
        ("non-empty tolerations tolerate empty taints", foo_no_schedule.clone(), json!([]), &all, vec![]),
        (
            "tolerations match all taints",
            foo_no_schedule.clone(),
            json!([{"key": "foo", "effect": "NoSchedule"}]),
            &all,
            vec![],
        ),
        (
            "tolerations don't match taints, but no taints apply to the filter",
            foo_no_schedule.clone(),
            json!([{"key": "bar", "effect": "NoSchedule"}]),
            &none,
            vec![],
        ),
        (
            "all taints apply to the filter, tolerations don't match",
            foo_no_schedule,
            json!([{"key": "bar", "effect": "NoSchedule"}]),
            &all,
            vec!["bar"],
        ),
        (
            "tolerations match the NoExecute taints the filter keeps",
            json!([{"key": "foo", "operator": "Exists", "effect": "NoExecute"}]),
            json!([{"key": "foo", "effect": "NoExecute"}, {"key": "bar", "effect": "NoSchedule"}]),
            &no_execute,
            vec![],
        ),
    ];
    for (description, tolerations, taints, filter, want) in cases {
        let tolerations: Vec<Toleration> = from_json(tolerations);
        let taints: Vec<Taint> = from_json(taints);
        let got: Vec<&str> = untolerated(&taints, &tolerations, filter).iter().map(|t| t.key.as_str()).collect();
        assert_eq!(got, want, "{description}");
    }
}

// component-helpers TestFindMatchingUntoleratedTaint: "numeric Gt parse error is ignored when a
// later toleration matches the taint" - any toleration suffices, whatever the others do.
#[test]
fn any_toleration_suffices() {
    let tolerations: Vec<Toleration> = from_json(json!([
        {"key": "node.kubernetes.io/sla", "operator": "Gt", "value": "950", "effect": "NoSchedule"},
        {"key": "node.kubernetes.io/sla", "operator": "Exists", "effect": "NoSchedule"},
    ]));
    let taints: Vec<Taint> =
        from_json(json!([{"key": "node.kubernetes.io/sla", "value": "high", "effect": "NoSchedule"}]));
    assert!(untolerated(&taints, &tolerations, |_| true).is_empty());
}

fn keys_and_effects(tolerations: &[Toleration]) -> Vec<(String, String, String, Option<i64>)> {
    tolerations
        .iter()
        .map(|t| {
            (
                t.key.clone().unwrap_or_default(),
                t.operator.clone().unwrap_or_default(),
                t.effect.clone().unwrap_or_default(),
                t.toleration_seconds,
            )
        })
        .collect()
}

fn defaults(host_network: bool) -> Vec<(String, String, String, Option<i64>)> {
    let mut want = vec![
        (NOT_READY, NO_EXECUTE),
        (UNREACHABLE, NO_EXECUTE),
        (DISK_PRESSURE, NO_SCHEDULE),
        (MEMORY_PRESSURE, NO_SCHEDULE),
        (PID_PRESSURE, NO_SCHEDULE),
        (UNSCHEDULABLE, NO_SCHEDULE),
    ];
    if host_network {
        want.push((NETWORK_UNAVAILABLE, NO_SCHEDULE));
    }
    want.into_iter().map(|(k, e)| (k.to_string(), "Exists".to_string(), e.to_string(), None)).collect()
}

// pkg/controller/daemon/util daemonset_util.go AddOrUpdateDaemonPodTolerations: six Exists
// tolerations without tolerationSeconds in this order, network-unavailable only with hostNetwork.
#[test]
fn daemon_default_tolerations_in_order() {
    assert_eq!(keys_and_effects(&daemon_default_tolerations(false)), defaults(false));
    assert_eq!(keys_and_effects(&daemon_default_tolerations(true)), defaults(true));
    assert_eq!(keys_and_effects(&daemon_pod_tolerations(None)), defaults(false));
}

// pkg/apis/core/v1/helper AddOrUpdateTolerationInPodSpec, as AddOrUpdateDaemonPodTolerations calls
// it: a user toleration equal in key, operator, value and effect is replaced in place by the
// default (its tolerationSeconds is lost); one that differs in operator is kept beside the default;
// the user's tolerations come first.
#[test]
fn daemon_pod_tolerations_merge() {
    let spec: PodSpec = from_json(json!({
        "containers": [],
        "tolerations": [
            {"key": "dedicated", "operator": "Equal", "value": "user1", "effect": "NoSchedule"},
            {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
            {"key": "node.kubernetes.io/unreachable", "operator": "Equal", "value": "", "effect": "NoExecute", "tolerationSeconds": 300},
            {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"},
        ],
    }));
    let got = keys_and_effects(&daemon_pod_tolerations(Some(&spec)));
    let s = |v: &str| v.to_string();
    let want = vec![
        (s("dedicated"), s("Equal"), s("NoSchedule"), None),
        (s(NOT_READY), s("Exists"), s(NO_EXECUTE), None),
        (s(UNREACHABLE), s("Equal"), s(NO_EXECUTE), Some(300)),
        (s(UNSCHEDULABLE), s("Exists"), s(NO_SCHEDULE), None),
        (s(UNREACHABLE), s("Exists"), s(NO_EXECUTE), None),
        (s(DISK_PRESSURE), s("Exists"), s(NO_SCHEDULE), None),
        (s(MEMORY_PRESSURE), s("Exists"), s(NO_SCHEDULE), None),
        (s(PID_PRESSURE), s("Exists"), s(NO_SCHEDULE), None),
    ];
    assert_eq!(got, want);

    let host_network: PodSpec = from_json(json!({"containers": [], "hostNetwork": true}));
    assert_eq!(keys_and_effects(&daemon_pod_tolerations(Some(&host_network))), defaults(true));
}

// The fix the report proposes for a taint must tolerate exactly that taint (ToleratesTaint rules):
// Equal on the value when the taint has one, Exists when it has none, never another effect.
#[test]
fn toleration_for_tolerates_only_its_taint() {
    let cases = [
        (
            json!({"key": "dedicated", "value": "user1", "effect": "NoSchedule"}),
            "Equal",
            json!({"key": "dedicated", "value": "user2", "effect": "NoSchedule"}),
        ),
        (
            json!({"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}),
            "Exists",
            json!({"key": "node-role.kubernetes.io/control-plane", "effect": "NoExecute"}),
        ),
        (
            json!({"key": "dedicated", "value": "", "effect": "NoExecute"}),
            "Exists",
            json!({"key": "other", "effect": "NoExecute"}),
        ),
    ];
    for (target, operator, other) in cases {
        let target = taint(target);
        let fix = toleration_for(&target);
        assert_eq!(fix.operator.as_deref(), Some(operator), "{target:?}");
        assert_eq!(fix.toleration_seconds, None);
        assert!(tolerates(&fix, &target), "{target:?}");
        assert!(!tolerates(&fix, &taint(other)), "{target:?}");
    }
}

// `kubectl taint` syntax, key=value:Effect or key:Effect.
#[test]
fn taint_string_forms() {
    let cases = [
        (json!({"key": "dedicated", "value": "user1", "effect": "NoSchedule"}), "dedicated=user1:NoSchedule"),
        (
            json!({"key": "node.kubernetes.io/not-ready", "effect": "NoExecute"}),
            "node.kubernetes.io/not-ready:NoExecute",
        ),
        (json!({"key": "k", "value": "", "effect": "PreferNoSchedule"}), "k:PreferNoSchedule"),
    ];
    for (tnt, want) in cases {
        assert_eq!(taint_string(&taint(tnt)), want);
    }
}

// The toleration that almost matched: same key, and the fields that keep it from tolerating (the
// conditions of ToleratesTaint, one by one).
#[test]
fn nearest_toleration_names_what_differs() {
    let target = taint(json!({"key": "dedicated", "value": "infra", "effect": "NoSchedule"}));
    let cases = [
        (
            json!([{"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}]),
            Some(vec!["value"]),
        ),
        (json!([{"key": "dedicated", "operator": "Exists", "effect": "NoExecute"}]), Some(vec!["effect"])),
        (
            json!([{"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoExecute"}]),
            Some(vec!["effect", "value"]),
        ),
        (json!([{"key": "dedicated", "operator": "Lt", "value": "5", "effect": "NoSchedule"}]), Some(vec!["operator"])),
        // An empty key with Exists names every key; only the effect is wrong.
        (json!([{"operator": "Exists", "effect": "NoExecute"}]), Some(vec!["effect"])),
        // The closer of two.
        (
            json!([{"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoExecute"},
                   {"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}]),
            Some(vec!["value"]),
        ),
        (json!([{"key": "other", "operator": "Exists"}]), None),
        // A toleration that tolerates is no near miss.
        (json!([{"key": "dedicated", "operator": "Exists"}]), None),
    ];
    for (tolerations, want) in cases {
        let tolerations: Vec<Toleration> = from_json(tolerations.clone());
        let got = nearest_toleration(&target, &tolerations).map(|near| near.differs);
        assert_eq!(got, want, "{tolerations:?}");
    }
}

#[test]
fn tolerated_by_names_the_first_match_and_defaults_are_known() {
    let target = taint(json!({"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}));
    let tolerations = daemon_pod_tolerations(None);
    let found = tolerated_by(&target, &tolerations).expect("cordon is tolerated");
    assert!(is_daemon_default(found));
    assert_eq!(
        toleration_string(found),
        "{key: node.kubernetes.io/unschedulable, operator: Exists, effect: NoSchedule}"
    );
    let user = toleration(
        json!({"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule", "tolerationSeconds": 30}),
    );
    assert!(!is_daemon_default(&user), "a user's toleration with seconds is not the default");
    assert_eq!(
        toleration_string(&user),
        "{key: node.kubernetes.io/unschedulable, operator: Exists, effect: NoSchedule, tolerationSeconds: 30}"
    );
}

#[test]
fn yaml_scalars_keep_strings_strings() {
    for (text, want) in [
        ("infra", "infra"),
        ("nvidia.com/gpu", "nvidia.com/gpu"),
        ("true", "\"true\""),
        ("Yes", "\"Yes\""),
        ("1", "\"1\""),
        ("0.5", "\"0.5\""),
        ("", "\"\""),
        ("a: b", "\"a: b\""),
        ("-x", "\"-x\""),
    ] {
        assert_eq!(yaml_scalar(text), want, "{text}");
    }
}
