//! What installing and everyday use look like: kubectl finds the plugin, completes it through the
//! plugin completion protocol, and the generated scripts and man page match the CLI.

mod common;

use common::{kubectl, kubectl_ds, root};

#[test]
fn kubectl_lists_the_plugin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = kubectl(&["plugin", "list"], dir.path());
    assert!(run.stdout.contains("kubectl-ds"), "{}{}", run.stdout, run.stderr);
}

#[test]
fn kubectl_completes_through_the_installed_helper() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().display().to_string();
    let install = kubectl_ds(&["completion", "install", "--dir", &target]);
    assert_eq!(install.code, 0, "{}", install.stderr);
    assert!(dir.path().join("kubectl_complete-ds").exists());

    let subcommands = kubectl(&["__complete", "ds", "w"], dir.path());
    assert_eq!(
        subcommands.stdout.lines().next(),
        Some("why-not-scheduled\tFor each node without a healthy pod: every rule, its evidence, and the fix")
    );
    assert!(subcommands.stdout.trim_end().ends_with(":4"), "{}", subcommands.stdout);
    assert!(quiet(&subcommands.stderr), "the helper stays silent on stderr: {}", subcommands.stderr);

    let values = kubectl(&["__complete", "ds", "lint", "-o", ""], dir.path());
    let candidates: Vec<&str> = values.stdout.lines().map(|l| l.split('\t').next().unwrap_or_default()).collect();
    assert_eq!(candidates[..5], ["text", "json", "yaml", "sarif", "junit"], "{}", values.stdout);

    // No cluster answers (KUBECONFIG points nowhere): no names, no noise, still the directive.
    let names = kubectl(&["__complete", "ds", "explain", ""], dir.path());
    assert_eq!(names.stdout.trim(), ":4");
    assert!(quiet(&names.stderr), "{}", names.stderr);
}

/// kubectl's own `__complete` debug lines are all stderr may hold: nothing from the helper.
fn quiet(stderr: &str) -> bool {
    stderr.lines().all(|l| l.starts_with("[Debug]") || l.starts_with("Completion ended with directive"))
}

fn generated(name: &str) -> String {
    std::fs::read_to_string(root().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn completion_scripts_are_in_sync_with_the_cli() {
    for (shell, file) in [
        ("bash", "completions/kubectl-ds.bash"),
        ("zsh", "completions/kubectl-ds.zsh"),
        ("fish", "completions/kubectl-ds.fish"),
        ("powershell", "completions/kubectl-ds.ps1"),
    ] {
        let run = kubectl_ds(&["completion", shell]);
        assert_eq!(run.code, 0);
        assert!(run.stdout.contains("why-not-scheduled"), "{shell}");
        assert_eq!(run.stdout, generated(file), "{file} is stale: regenerate it with `kubectl ds completion {shell}`");
    }
}

#[test]
fn the_man_page_is_in_sync_with_the_cli() {
    let page = String::from_utf8(kubectl_ds::cli::man_page()).expect("man page is UTF-8");
    assert!(page.contains(".TH kubectl-ds"), "{}", &page[..200.min(page.len())]);
    assert!(page.contains("why\\-not\\-scheduled"));
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::write(root().join("man/kubectl-ds.1"), &page).expect("write man page");
    }
    assert_eq!(page, generated("man/kubectl-ds.1"), "man/kubectl-ds.1 is stale: rerun with UPDATE_GENERATED=1");
}

#[test]
fn version_prints_the_tools_version_and_names_an_unreachable_server() {
    let client = kubectl_ds(&["version", "--client"]);
    assert_eq!(client.stdout, format!("kubectl-ds v{}\n", env!("CARGO_PKG_VERSION")));
    let flag = kubectl_ds(&["--version"]);
    assert_eq!(flag.stdout.trim(), format!("kubectl-ds {}", env!("CARGO_PKG_VERSION")));
    let unreachable = kubectl_ds(&["version", "--server", "https://127.0.0.1:1"]);
    assert_eq!(unreachable.code, 3);
    assert!(unreachable.stderr.contains("127.0.0.1:1"), "{}", unreachable.stderr);
}
