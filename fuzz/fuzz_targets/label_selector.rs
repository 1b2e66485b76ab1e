//! The `-l` label selector: never panics; a parsed selector printed and read again selects the
//! same label sets (when its keys and values are plain label text).
#![no_main]

use std::collections::BTreeMap;

use kube_core::{Expression, Selector, SelectorExt};
use kubectl_ds::cli::selector;
use libfuzzer_sys::fuzz_target;

fn plain(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/'))
}

fn parts(expression: &Expression) -> (&str, Vec<&str>) {
    match expression {
        Expression::In(key, values) | Expression::NotIn(key, values) => {
            (key, values.iter().map(String::as_str).collect())
        }
        Expression::Equal(key, value) | Expression::NotEqual(key, value) => (key, vec![value.as_str()]),
        Expression::Exists(key) | Expression::DoesNotExist(key) => (key, vec![]),
    }
}

/// Label sets that tell selectors apart: none, each key with each value, every key at once.
fn label_sets(selector: &Selector) -> Vec<BTreeMap<String, String>> {
    let expressions: Vec<Expression> = selector.clone().into_iter().collect();
    let mut sets = vec![BTreeMap::new()];
    let mut all = BTreeMap::new();
    for expression in expressions.iter().take(6) {
        let (key, mut values) = parts(expression);
        values.push("other");
        for value in values.iter().take(4) {
            sets.push(BTreeMap::from([(key.to_string(), value.to_string())]));
        }
        all.insert(key.to_string(), values[0].to_string());
    }
    sets.push(all);
    sets
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(parsed) = selector::parse(text) else { return };
    let sets = label_sets(&parsed);
    for labels in &sets {
        let _ = parsed.matches(labels);
    }
    let expressions: Vec<Expression> = parsed.clone().into_iter().collect();
    let all_plain = expressions.iter().all(|e| {
        let (key, values) = parts(e);
        !key.is_empty() && plain(key) && values.iter().all(|v| plain(v))
    });
    if !all_plain {
        return;
    }
    let printed = parsed.to_string();
    let again = selector::parse(&printed).unwrap_or_else(|e| panic!("{text:?} printed as {printed:?}: {e}"));
    for labels in &sets {
        assert_eq!(parsed.matches(labels), again.matches(labels), "{text:?} / {printed:?} on {labels:?}");
    }
});
