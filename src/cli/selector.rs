//! The `-l` label selector syntax (apimachinery `labels.Parse`), into kube-core's Selector.

use std::collections::BTreeSet;

use kube_core::{Expression, Selector};

/// Parses `a=b,c!=d,e in (f,g),h notin (i),j,!k`.
pub fn parse(text: &str) -> Result<Selector, String> {
    let mut expressions = Vec::new();
    for part in split_top_level(text) {
        let part = part.trim();
        if part.is_empty() {
            return Err(format!("invalid selector {text:?}: empty requirement"));
        }
        expressions.push(parse_requirement(part).map_err(|e| format!("invalid selector {text:?}: {e}"))?);
    }
    Ok(expressions.into_iter().collect())
}

fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn parse_set(rest: &str) -> Result<BTreeSet<String>, String> {
    let inner = rest
        .trim()
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| format!("expected a value list in parentheses, got {rest:?}"))?;
    Ok(inner.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect())
}

fn parse_requirement(part: &str) -> Result<Expression, String> {
    if let Some(key) = part.strip_prefix('!') {
        return Ok(Expression::DoesNotExist(key.trim().to_string()));
    }
    for (word, is_in) in [(" notin ", false), (" in ", true)] {
        if let Some((key, rest)) = part.split_once(word) {
            let values = parse_set(rest)?;
            let key = key.trim().to_string();
            return Ok(if is_in { Expression::In(key, values) } else { Expression::NotIn(key, values) });
        }
    }
    if let Some((key, value)) = part.split_once("!=") {
        return Ok(Expression::NotEqual(key.trim().to_string(), value.trim().to_string()));
    }
    if let Some((key, value)) = part.split_once("==").or_else(|| part.split_once('=')) {
        return Ok(Expression::Equal(key.trim().to_string(), value.trim().to_string()));
    }
    if part.contains(['<', '>', '(', ')', ' ']) {
        return Err(format!("cannot read requirement {part:?}"));
    }
    Ok(Expression::Exists(part.to_string()))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use kube_core::SelectorExt;

    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn every_operator_matches_like_kubectl() {
        let node = labels(&[("zone", "a"), ("role", "worker")]);
        for (selector, expected) in [
            ("zone=a", true),
            ("zone==a", true),
            ("zone!=a", false),
            ("zone in (a,b)", true),
            ("zone notin (a,b)", false),
            ("gpu notin (yes)", true),
            ("role", true),
            ("!role", false),
            ("!gpu", true),
            ("zone=a,role=worker", true),
            ("zone in (b, c),role=worker", false),
        ] {
            assert_eq!(parse(selector).unwrap().matches(&node), expected, "{selector}");
        }
    }

    #[test]
    fn malformed_selectors_are_refused() {
        for bad in ["zone=a,", "zone in a", "x > 3", ","] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
