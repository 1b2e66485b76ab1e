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
