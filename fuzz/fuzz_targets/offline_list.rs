//! `List` envelopes (`kubectl get -o json|yaml` of several objects, and cluster-info dump's
//! typed lists whose items carry no `kind`). The first byte picks the list kind and the format;
//! the rest is the text of the items.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

const KINDS: [&str; 8] =
    ["List", "NodeList", "PodList", "DaemonSetList", "EventList", "ConfigMapList", "ControllerRevisionList", ""];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, items)) = data.split_first() else { return };
    let kind = KINDS[usize::from(pick) % KINDS.len()];
    let kind_field = |json: bool| match (kind, json) {
        ("", _) => String::new(),
        (kind, true) => format!("\"kind\":\"{kind}\","),
        (kind, false) => format!("kind: {kind}\n"),
    };
    let mut bytes = Vec::new();
    if pick & 0x80 == 0 {
        bytes.extend_from_slice(format!("{{\"apiVersion\":\"v1\",{}\"items\":[", kind_field(true)).as_bytes());
        bytes.extend_from_slice(items);
        bytes.extend_from_slice(b"]}\n");
    } else {
        bytes.extend_from_slice(format!("apiVersion: v1\n{}items:\n", kind_field(false)).as_bytes());
        bytes.extend_from_slice(items);
    }
    common::check_stdin(&bytes);
});
