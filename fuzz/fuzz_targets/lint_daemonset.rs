//! Every lint rule on a DaemonSet deserialized from arbitrary JSON, without a cluster and (when
//! the first byte is odd) against a small snapshot, as `lint --from` does.
#![no_main]

use std::sync::OnceLock;

use k8s_openapi::api::apps::v1::DaemonSet;
use kubectl_ds::engine::lint::{self, Environment, Subject};
use kubectl_ds::engine::{DEFAULT_STUCK_AFTER, Options};
use kubectl_ds::snapshot::{Origin, Snapshot};
use kubectl_ds::version::KubeVersion;
use libfuzzer_sys::fuzz_target;

fn cluster() -> &'static Snapshot {
    static CLUSTER: OnceLock<Snapshot> = OnceLock::new();
    CLUSTER.get_or_init(|| {
        let text = include_bytes!("../../tests/fixtures/why/taints.yaml");
        kubectl_ds::source::offline::load(&["-".to_string()], &mut &text[..]).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, json)) = data.split_first() else { return };
    let Ok(ds) = serde_json::from_slice::<DaemonSet>(json) else { return };
    let opts = Options {
        as_of: "2026-01-01T00:00:00Z".parse().unwrap(),
        version: KubeVersion::NEWEST_KNOWN,
        stuck_after: DEFAULT_STUCK_AFTER,
    };
    let empty = Snapshot::empty(Origin::Offline { paths: vec![] });
    let with_cluster = pick & 1 == 1;
    let snapshot = if with_cluster { cluster() } else { &empty };
    let subject = Subject::new(&ds, Some("apps/v1"), pick & 2 == 2);
    let env = Environment {
        snapshot,
        cluster: with_cluster,
        namespace: ds.metadata.namespace.as_deref().unwrap_or("kube-system"),
        live: snapshot.daemonsets.iter().find(|d| d.metadata.name == ds.metadata.name),
        is_live_object: false,
        opts: &opts,
    };
    let outcome = lint::lint(&subject, &env);
    for finding in &outcome.findings {
        assert!(!finding.rule.is_empty());
        assert!(!finding.message.is_empty(), "{finding:?}");
    }
});
