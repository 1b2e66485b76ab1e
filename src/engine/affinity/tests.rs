use super::*;
use crate::engine::test_support::{from_json, labels, spec};
use serde_json::json;

fn selector(terms: serde_json::Value) -> NodeSelector {
    from_json(json!({ "nodeSelectorTerms": terms }))
}

fn matches(terms: serde_json::Value, node_name: &str, node_labels: &[(&str, &str)]) -> bool {
    match_node_selector(&selector(terms), node_name, &labels(node_labels)).is_ok()
}

// component-helpers scheduling/corev1 helpers_test.go TestMatchNodeSelectorTerms (all rows but
// "nil terms", which has no node): terms are ORed, matchExpressions read labels only, matchFields
// read the name only, a multi-valued matchFields is an error that matches nothing.
#[test]
fn match_node_selector_terms() {
    let cases = [
        (
            "node label matches matchExpressions terms",
            json!([{"matchExpressions": [{"key": "label_1", "operator": "In", "values": ["label_1_val"]}]}]),
            "",
            vec![("label_1", "label_1_val")],
            true,
        ),
        (
            "node field matches matchFields terms",
            json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["host_1"]}]}]),
            "host_1",
            vec![],
            true,
        ),
        (
            "invalid node field requirement",
            json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["host_1", "host_2"]}]}]),
            "host_1",
            vec![],
            false,
        ),
        (
            "fieldSelectorTerm with node labels",
            json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["host_1"]}]}]),
            "not_host_1",
            vec![("metadata.name", "host_1")],
            false,
        ),
        (
            "labelSelectorTerm with node fields",
            json!([{"matchExpressions": [{"key": "metadata.name", "operator": "In", "values": ["host_1"]}]}]),
            "host_1",
            vec![],
            false,
        ),
        (
            "labelSelectorTerm and fieldSelectorTerm was set, but only node fields",
            json!([{
                "matchExpressions": [{"key": "label_1", "operator": "In", "values": ["label_1_val"]}],
                "matchFields": [{"key": "metadata.name", "operator": "In", "values": ["host_1"]}],
            }]),
            "host_1",
            vec![],
            false,
        ),
        (
            "labelSelectorTerm and fieldSelectorTerm was set, both node fields and labels (both matched)",
            json!([{
                "matchExpressions": [{"key": "label_1", "operator": "In", "values": ["label_1_val"]}],
                "matchFields": [{"key": "metadata.name", "operator": "In", "values": ["host_1"]}],
            }]),
            "host_1",
            vec![("label_1", "label_1_val")],
            true,
        ),
        (
            "labelSelectorTerm and fieldSelectorTerm was set, both node fields and labels (one mismatched)",
            json!([{
                "matchExpressions": [{"key": "label_1", "operator": "In", "values": ["label_1_val"]}],
                "matchFields": [{"key": "metadata.name", "operator": "In", "values": ["host_1"]}],
            }]),
            "host_1",
            vec![("label_1", "label_1_val-failed")],
            false,
        ),
        (
            "multi-selector was set, both node fields and labels (one mismatched)",
            json!([
                {"matchExpressions": [{"key": "label_1", "operator": "In", "values": ["label_1_val"]}]},
                {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["host_1"]}]},
            ]),
            "host_1",
            vec![("label_1", "label_1_val-failed")],
            true,
        ),
    ];
    for (name, terms, node_name, node_labels, want) in cases {
        assert_eq!(matches(terms, node_name, &node_labels), want, "{name}");
    }
}

// nodeaffinity_test.go TestNodeSelectorMatch "invalid field selector and label selector": terms 0
// and 2 do not parse. NewNodeSelector rejects the whole selector, but the controller and scheduler
// use LazyErrorNodeSelector, which only reports parse errors when no term matches: the valid term
// 1 still decides.
#[test]
fn lazy_parse_errors_skip_only_their_term() {
    let terms = json!([
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["host_1", "host_2"]}]},
        {
            "matchExpressions": [{"key": "label_1", "operator": "In", "values": ["label_1_val"]}],
            "matchFields": [{"key": "metadata.name", "operator": "In", "values": ["host_1"]}],
        },
        {"matchExpressions": [{"key": "invalid key", "operator": "In", "values": ["label_value"]}]},
    ]);
    assert!(matches(terms.clone(), "host_1", &[("label_1", "label_1_val")]));

    let Err(failures) = match_node_selector(&selector(terms), "host_1", &labels(&[])) else {
        panic!("no term should match a node without label_1");
    };
    assert_eq!(failures.len(), 3);
    assert_eq!((failures[0].term, failures[0].failed.is_empty(), failures[0].parse_error.is_some()), (0, true, true));
    assert_eq!(
        failures[1],
        TermFailure { term: 1, failed: vec!["label_1 in (label_1_val)".to_string()], parse_error: None }
    );
    assert_eq!((failures[2].term, failures[2].failed.is_empty(), failures[2].parse_error.is_some()), (2, true, true));
}

// nodeaffinity_test.go TestNodeSelectorMatch, the rows that parse.
#[test]
fn node_selector_match() {
    let both = json!([{
        "matchExpressions": [{"key": "label_1", "operator": "In", "values": ["label_1_val"]}],
        "matchFields": [{"key": "metadata.name", "operator": "In", "values": ["host_1"]}],
    }]);
    let cases = [
        ("node matches field selector, but not labels", both.clone(), vec![], false),
        ("node matches field selector and label selector", both, vec![("label_1", "label_1_val")], true),
        (
            "second term matches",
            json!([
                {"matchExpressions": [{"key": "label_1", "operator": "In", "values": ["label_1_val"]}]},
                {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["host_1"]}]},
            ]),
            vec![],
            true,
        ),
    ];
    for (name, terms, node_labels, want) in cases {
        assert_eq!(matches(terms, "host_1", &node_labels), want, "{name}");
    }
}

// nodeaffinity_test.go TestNodeSelectorRequirementsAsSelector and apimachinery labels.NewRequirement:
// Exists/DoesNotExist take no values, In/NotIn at least one, Gt/Lt exactly one integer, the key
// must be a qualified name, values must be label values, other operators do not parse. A term
// that does not parse matches nothing, whatever the labels.
#[test]
fn requirement_parse_errors() {
    let cases = [
        ("Exists with values", json!({"key": "foo", "operator": "Exists", "values": ["bar", "baz"]})),
        ("DoesNotExist with values", json!({"key": "foo", "operator": "DoesNotExist", "values": ["bar"]})),
        ("In without values", json!({"key": "foo", "operator": "In", "values": []})),
        ("NotIn without values", json!({"key": "foo", "operator": "NotIn"})),
        ("Gt with two values", json!({"key": "foo", "operator": "Gt", "values": ["1", "2"]})),
        ("Gt with a non-integer", json!({"key": "foo", "operator": "Gt", "values": ["1.5"]})),
        ("Lt without values", json!({"key": "foo", "operator": "Lt", "values": []})),
        ("unknown operator", json!({"key": "foo", "operator": "Contains", "values": ["bar"]})),
        ("key with a space", json!({"key": "invalid key", "operator": "Exists"})),
        ("key with an empty prefix", json!({"key": "/foo", "operator": "Exists"})),
        ("invalid value", json!({"key": "foo", "operator": "NotIn", "values": ["invalid value: ___@#$%^"]})),
        ("negative Gt bound is not a label value", json!({"key": "foo", "operator": "Gt", "values": ["-1"]})),
    ];
    for (name, requirement) in cases {
        let terms = json!([{ "matchExpressions": [requirement] }]);
        let result = match_node_selector(&selector(terms), "n", &labels(&[("foo", "5")]));
        let Err(failures) = result else { panic!("{name}: should not match") };
        assert_eq!(failures.len(), 1, "{name}");
        assert!(failures[0].parse_error.is_some(), "{name}: {failures:?}");
        assert!(failures[0].failed.is_empty(), "{name}");
    }
}

// nodeaffinity_test.go TestNodeSelectorRequirementsAsSelector (`foo>1`, `bar<7` parse) and
// labels.Requirement.Matches: Gt/Lt are strict integer comparisons on a present, parseable label;
// NotIn and DoesNotExist match an absent key; In and Exists need it.
#[test]
fn requirement_matching() {
    let cases = [
        (json!({"key": "foo", "operator": "Gt", "values": ["1"]}), vec![("foo", "2")], true),
        (json!({"key": "foo", "operator": "Gt", "values": ["1"]}), vec![("foo", "1")], false),
        (json!({"key": "foo", "operator": "Gt", "values": ["1"]}), vec![], false),
        (json!({"key": "foo", "operator": "Gt", "values": ["1"]}), vec![("foo", "two")], false),
        (json!({"key": "bar", "operator": "Lt", "values": ["7"]}), vec![("bar", "6")], true),
        (json!({"key": "bar", "operator": "Lt", "values": ["7"]}), vec![("bar", "7")], false),
        (
            json!({"key": "kernel-version", "operator": "Gt", "values": ["0204"]}),
            vec![("kernel-version", "0206")],
            true,
        ),
        (json!({"key": "mem-type", "operator": "NotIn", "values": ["DDR", "DDR2"]}), vec![("mem-type", "DDR3")], true),
        (json!({"key": "mem-type", "operator": "NotIn", "values": ["DDR", "DDR2"]}), vec![("mem-type", "DDR")], false),
        (json!({"key": "mem-type", "operator": "NotIn", "values": ["DDR"]}), vec![], true),
        (json!({"key": "GPU", "operator": "Exists"}), vec![("GPU", "NVIDIA-GRID-K1")], true),
        (json!({"key": "GPU", "operator": "Exists"}), vec![], false),
        (json!({"key": "GPU", "operator": "DoesNotExist"}), vec![], true),
        (json!({"key": "GPU", "operator": "DoesNotExist"}), vec![("GPU", "")], false),
        (json!({"key": "foo", "operator": "In", "values": ["value1", "value2"]}), vec![("foo", "bar")], false),
        (json!({"key": "foo", "operator": "In", "values": ["bar", "value2"]}), vec![("foo", "bar")], true),
        (json!({"key": "example.com/zone", "operator": "In", "values": ["a"]}), vec![("example.com/zone", "a")], true),
    ];
    for (requirement, node_labels, want) in cases {
        let terms = json!([{ "matchExpressions": [requirement.clone()] }]);
        assert_eq!(matches(terms, "n", &node_labels), want, "{requirement} on {node_labels:?}");
    }
}

// nodeaffinity.go NewLazyErrorNodeSelector skips empty terms ("nil or empty term selects no
// objects"); nodeaffinity_test.go TestPodMatchesNodeSelectorAndAffinityTerms "Pod with an empty
// []NodeSelectorTerm", "nil []NodeSelectorTerm" and "empty MatchExpressions" match nothing.
#[test]
fn empty_terms_select_nothing() {
    for terms in [json!([]), json!([{"matchExpressions": []}]), json!([{}]), json!([{"matchFields": []}])] {
        let result = match_node_selector(&selector(terms.clone()), "node_1", &labels(&[("foo", "bar")]));
        let Err(failures) = result else { panic!("{terms} should match nothing") };
        assert_eq!(failures.len(), 1, "{terms}");
        assert!(failures[0].parse_error.is_some(), "{terms}");
    }
    let with_empty = json!([{}, {"matchExpressions": [{"key": "foo", "operator": "In", "values": ["bar"]}]}]);
    assert!(matches(with_empty, "node_1", &[("foo", "bar")]));
}

// nodeaffinity.go nodeSelectorRequirementsAsFieldSelector: only In and NotIn, each with exactly one
// value; a node exposes metadata.name (TestReplaceDaemonSetPodNodeNameNodeAffinity's "metadata.foo"
// row is kept as a field nobody has).
#[test]
fn match_fields() {
    let field = |operator: &str, key: &str, values: serde_json::Value| json!([{ "matchFields": [{"key": key, "operator": operator, "values": values}] }]);
    let cases = [
        (field("In", "metadata.name", json!(["node_1"])), "node_1", Some(true)),
        (field("In", "metadata.name", json!(["node_1"])), "node_2", Some(false)),
        (field("NotIn", "metadata.name", json!(["host_2"])), "host_1", Some(true)),
        (field("NotIn", "metadata.name", json!(["host_2"])), "host_2", Some(false)),
        (field("In", "metadata.foo", json!(["bar"])), "bar", Some(false)),
        (field("NotIn", "metadata.foo", json!(["bar"])), "bar", Some(true)),
        (field("Exists", "metadata.name", json!([])), "node_1", None),
        (field("NotIn", "metadata.name", json!(["a", "b"])), "node_1", None),
    ];
    for (terms, node_name, want) in cases {
        let result = match_node_selector(&selector(terms.clone()), node_name, &labels(&[]));
        match want {
            Some(want) => {
                assert_eq!(result.is_ok(), want, "{terms} on {node_name}");
                if let Err(failures) = result {
                    assert_eq!(failures[0].parse_error, None, "{terms}");
                    assert_eq!(failures[0].failed.len(), 1, "{terms}");
                }
            }
            None => {
                let Err(failures) = result else { panic!("{terms} should not parse") };
                assert!(failures[0].parse_error.is_some(), "{terms}");
            }
        }
    }
}

// Every failing requirement of a term is reported in label-selector syntax (the report and
// hints.affinity read the `key in (value)` form), and all terms are listed when none matches.
#[test]
fn failure_detail_names_each_requirement() {
    let terms = json!([
        {
            "matchExpressions": [
                {"key": "zone", "operator": "In", "values": ["a", "b"]},
                {"key": "gpu", "operator": "Exists"},
                {"key": "spot", "operator": "DoesNotExist"},
                {"key": "tier", "operator": "NotIn", "values": ["edge"]},
                {"key": "cores", "operator": "Gt", "values": ["8"]},
                {"key": "age", "operator": "Lt", "values": ["3"]},
            ],
            "matchFields": [{"key": "metadata.name", "operator": "NotIn", "values": ["n1"]}],
        },
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n2"]}]},
    ]);
    let node_labels = labels(&[("spot", "true"), ("tier", "edge"), ("cores", "4"), ("age", "5")]);
    let Err(failures) = match_node_selector(&selector(terms), "n1", &node_labels) else {
        panic!("nothing should match n1");
    };
    let want = vec![
        TermFailure {
            term: 0,
            failed: ["zone in (a,b)", "gpu", "!spot", "tier notin (edge)", "cores > 8", "age < 3", "metadata.name!=n1"]
                .map(String::from)
                .to_vec(),
            parse_error: None,
        },
        TermFailure { term: 1, failed: vec!["metadata.name=n2".to_string()], parse_error: None },
    ];
    assert_eq!(failures, want);
}

// nodeaffinity_test.go TestPodMatchesNodeSelectorAndAffinityTerms, the nodeSelector rows:
// every key=value must be on the node, extra node labels do not matter.
#[test]
fn node_selector_misses_rows() {
    let cases = [
        ("missing labels", vec![("foo", "bar")], vec![], vec![("foo", "bar", None)]),
        ("same labels", vec![("foo", "bar")], vec![("foo", "bar")], vec![]),
        ("node labels are superset", vec![("foo", "bar")], vec![("foo", "bar"), ("baz", "blah")], vec![]),
        (
            "node labels are subset",
            vec![("foo", "bar"), ("baz", "blah")],
            vec![("foo", "bar")],
            vec![("baz", "blah", None)],
        ),
        ("value differs", vec![("foo", "bar")], vec![("foo", "barrrrrr")], vec![("foo", "bar", Some("barrrrrr"))]),
        ("no selector", vec![], vec![("foo", "bar")], vec![]),
    ];
    for (name, wanted, node_labels, want) in cases {
        let got = node_selector_misses(&labels(&wanted), &labels(&node_labels));
        let want: Vec<SelectorMiss> = want
            .into_iter()
            .map(|(k, v, actual): (&str, &str, Option<&str>)| SelectorMiss {
                key: k.to_string(),
                wanted: v.to_string(),
                actual: actual.map(String::from),
            })
            .collect();
        assert_eq!(got, want, "{name}");
    }
}

// nodeaffinity.go GetRequiredNodeAffinity: only requiredDuringScheduling... counts; an absent
// affinity, nodeAffinity or required selector imposes nothing (TestPodMatchesNodeSelectorAndAffinityTerms
// "Pod with Affinity but nil NodeSelector will schedule onto a node").
#[test]
fn required_affinity_presence() {
    let cases = [
        (json!({"containers": []}), false),
        (json!({"containers": [], "affinity": {}}), false),
        (json!({"containers": [], "affinity": {"nodeAffinity": {}}}), false),
        (
            json!({"containers": [], "affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 1, "preference": {"matchExpressions": [{"key": "a", "operator": "Exists"}]}}
            ]}}}),
            false,
        ),
        (
            json!({"containers": [], "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": []
            }}}}),
            true,
        ),
    ];
    for (value, want) in cases {
        assert_eq!(required_affinity(&spec(value.clone())).is_some(), want, "{value}");
    }
}

// Every term evaluated, each requirement with what the node has for it, without the short cut
// after a matching term; match_node_selector agrees with it.
#[test]
fn check_node_selector_keeps_every_requirement() {
    let terms = json!([
        {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a", "b"]},
                              {"key": "gpu", "operator": "Exists"}]},
        {"matchFields": [{"key": "metadata.name", "operator": "NotIn", "values": ["n1"]}]},
        {"matchExpressions": [{"key": "bad key!", "operator": "Exists"}]},
        {},
    ]);
    let checks = check_node_selector(&selector(terms.clone()), "n1", &labels(&[("zone", "b")]));
    type Shown<'a> = (usize, Vec<(&'a str, bool, Option<&'a str>)>, bool);
    let shown: Vec<Shown> = checks
        .iter()
        .map(|t| {
            let expressions =
                t.expressions.iter().map(|e| (e.expression.as_str(), e.passed, e.actual.as_deref())).collect();
            (t.term, expressions, t.error.is_some())
        })
        .collect();
    assert_eq!(
        shown,
        [
            (0, vec![("zone in (a,b)", true, Some("b")), ("gpu", false, None)], false),
            (1, vec![("metadata.name!=n1", false, Some("n1"))], false),
            (2, vec![], true),
            (3, vec![], true),
        ]
    );
    assert!(checks.iter().all(|t| !t.matches()));
    assert!(!matches(terms.clone(), "n1", &[("zone", "b")]));
    assert!(matches(terms, "n2", &[("zone", "b")]), "term 1 matches another node");

    let empty = check_node_selector(&selector(json!([])), "n1", &labels(&[]));
    assert_eq!(empty[0].error.as_deref(), Some("no nodeSelectorTerms: selects no node"));
}

#[test]
fn node_selector_checks_list_every_entry() {
    let selector: BTreeMap<String, String> = labels(&[("disk", "ssd"), ("os", "linux")]);
    let checks = node_selector_checks(&selector, &labels(&[("os", "linux"), ("disk", "hdd")]));
    let shown: Vec<(&str, Option<&str>, bool)> =
        checks.iter().map(|c| (c.key.as_str(), c.actual.as_deref(), c.passed())).collect();
    assert_eq!(shown, [("disk", Some("hdd"), false), ("os", Some("linux"), true)]);
}
