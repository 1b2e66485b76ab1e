//! A real control plane for live tests, started by the test binary on free loopback ports with
//! testenv/testenv.sh, and stopped when the binary exits (a watchdog does it even after a crash).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::root;

pub struct TestCluster {
    pub run: PathBuf,
    pub port: u16,
}

fn script() -> PathBuf {
    root().join("testenv/testenv.sh")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// Two consecutive free ports for etcd (client and peer).
fn free_port_pair() -> u16 {
    loop {
        let port = free_port();
        if port < u16::MAX && TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            return port;
        }
    }
}

fn testenv(args: &[&str], envs: &[(&str, String)]) {
    let status = Command::new("bash")
        .arg(script())
        .args(args)
        .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::null())
        .status()
        .expect("run testenv.sh");
    assert!(status.success(), "testenv.sh {} failed", args.join(" "));
}

impl TestCluster {
    /// The control plane this test binary shares, with `nodes` fake nodes.
    pub fn shared(nodes: usize) -> &'static TestCluster {
        static CLUSTER: OnceLock<TestCluster> = OnceLock::new();
        CLUSTER.get_or_init(|| TestCluster::start(nodes))
    }

    pub fn start(nodes: usize) -> TestCluster {
        // Builds once per machine (minutes), then a no-op.
        testenv(&["build"], &[]);
        let run = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("testenv-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&run);
        let port = free_port();
        let envs = [
            ("API_PORT", port.to_string()),
            ("ETCD_PORT", free_port_pair().to_string()),
            ("OWNER_PID", std::process::id().to_string()),
        ];
        let run_arg = run.display().to_string();
        testenv(&["up", &run_arg], &envs);
        let cluster = TestCluster { run, port };
        if nodes > 0 {
            testenv(&["nodes", &run_arg, &nodes.to_string()], &envs);
        }
        cluster
    }

    pub fn kubeconfig(&self, which: &str) -> String {
        let name = if which == "admin" { "kubeconfig".to_string() } else { format!("kubeconfig-{which}") };
        self.run.join(name).display().to_string()
    }

    pub fn server(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    /// kubectl as the cluster admin.
    pub fn kubectl(&self, args: &[&str]) -> Output {
        Command::new("kubectl").args(args).env("KUBECONFIG", self.kubeconfig("admin")).output().expect("run kubectl")
    }

    pub fn kubectl_ok(&self, args: &[&str]) -> String {
        let out = self.kubectl(args);
        assert!(out.status.success(), "kubectl {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn apply(&self, yaml: &str) {
        let mut child = Command::new("kubectl")
            .args(["apply", "-f", "-"])
            .env("KUBECONFIG", self.kubeconfig("admin"))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run kubectl apply");
        use std::io::Write;
        child.stdin.take().expect("stdin").write_all(yaml.as_bytes()).expect("write manifest");
        let out = child.wait_with_output().expect("kubectl apply");
        assert!(out.status.success(), "kubectl apply: {}\n{yaml}", String::from_utf8_lossy(&out.stderr));
    }

    pub fn audit_log(&self) -> String {
        std::fs::read_to_string(self.run.join("audit.log")).unwrap_or_default()
    }
}

/// Polls until `check` returns Some, or panics naming `what`.
pub fn wait_for<T>(what: &str, timeout: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(started.elapsed() < timeout, "timed out after {timeout:?} waiting for {what}");
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// The nodes the failure-mode tests share: fake-node-1 tainted dedicated=infra:NoSchedule,
/// fake-node-2 labelled disk=ssd, fake-node-3 cordoned, fake-node-5 with only 1 cpu (waited for,
/// so that the scheduler sees it before any pod is placed). fake-node-4 is left to each test.
pub fn prepare_failure_mode_nodes(cluster: &TestCluster) {
    cluster.kubectl_ok(&["taint", "node", "fake-node-1", "dedicated=infra:NoSchedule"]);
    cluster.kubectl_ok(&["label", "node", "fake-node-2", "disk=ssd"]);
    cluster.kubectl_ok(&["cordon", "fake-node-3"]);
    cluster.kubectl_ok(&["label", "node", "fake-node-5", "fake-kubelet/cpu=1"]);
    wait_for("fake-node-5 to report 1 cpu", Duration::from_secs(30), || {
        let cpu = cluster.kubectl_ok(&["get", "node", "fake-node-5", "-o", "jsonpath={.status.allocatable.cpu}"]);
        (cpu == "1").then_some(())
    });
}

/// A namespace, a bare pod holding host port 8080 on fake-node-2, and one DaemonSet per
/// `(name, pod spec line, container line)`, in YAML flow style.
pub fn failure_mode_manifests(namespace: &str, daemonsets: &[(&str, &str, &str)]) -> String {
    let mut manifests = format!(
        "apiVersion: v1\nkind: Namespace\nmetadata: {{name: {namespace}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: port-holder, namespace: {namespace}}}\nspec:\n  nodeName: fake-node-2\n  containers:\n  - name: web\n    image: registry.local/web:1\n    ports: [{{containerPort: 8080, hostPort: 8080}}]\n---\n"
    );
    for (name, pod, container) in daemonsets {
        let image = if container.starts_with("image:") { "" } else { "image: registry.local/agent:1" };
        manifests.push_str(&format!(
            "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: {name}, namespace: {namespace}}}\nspec:\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n    spec:\n      {pod}\n      terminationGracePeriodSeconds: 0\n      containers:\n      - name: main\n        {image}\n        {container}\n---\n"
        ));
    }
    manifests
}
