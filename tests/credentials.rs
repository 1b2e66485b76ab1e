//! Credentials never reach output: failing commands run with recognisable secrets, and neither
//! stdout nor stderr may carry them (SECURITY.md).

mod common;

use common::kubectl_ds_env;

const TOKEN: &str = "kds-test-token-5f2a9c0e7b1d";
const PASSWORD: &str = "kds-test-password-8e3b";

fn kubeconfig(dir: &std::path::Path) -> String {
    let path = dir.join("config");
    let text = format!(
        "apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: prod
  cluster: {{server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true}}
users:
- name: admin
  user: {{token: {TOKEN}, username: admin, password: {PASSWORD}}}
contexts:
- name: prod
  context: {{cluster: prod, user: admin, namespace: kube-system}}
"
    );
    std::fs::write(&path, text).expect("write kubeconfig");
    path.display().to_string()
}

#[test]
fn secrets_appear_in_no_output_of_any_subcommand() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = kubeconfig(dir.path());
    let commands: [&[&str]; 6] = [
        &["explain", "agent"],
        &["why-not-scheduled", "agent"],
        &["rollout-status", "agent"],
        &["lint", "agent"],
        &["lint", "-A", "-o", "json"],
        &["explain", "agent", "--token", TOKEN, "-o", "json"],
    ];
    for args in commands {
        let mut all = args.to_vec();
        all.extend(["--request-timeout", "2s"]);
        let run = kubectl_ds_env(&all, &[("KUBECONFIG", config.as_str()), ("RUST_BACKTRACE", "1")]);
        assert_eq!(run.code, 3, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("127.0.0.1:1"), "{args:?} names the server: {}", run.stderr);
        for secret in [TOKEN, PASSWORD] {
            assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret), "{args:?} leaked {secret}");
        }
    }
}
