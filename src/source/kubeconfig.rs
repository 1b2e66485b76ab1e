//! Connecting the way kubectl connects: its flags, and client-go's kubeconfig semantics where
//! kube differs (KUBECONFIG lists skip missing files; in-cluster fallback; POD_NAMESPACE).

use std::path::{Path, PathBuf};
use std::time::Duration;

use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};

use super::AccessError;

/// kubectl's connection flags, as every subcommand accepts them after its name.
#[derive(Clone, Debug, Default)]
pub struct ConnectionFlags {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    pub cluster: Option<String>,
    pub user: Option<String>,
    pub namespace: Option<String>,
    /// `None` or zero: no limit on a request's duration, as kubectl's `--request-timeout=0`; the
    /// connection still gives up on a server silent for [`SILENCE_LIMIT`].
    pub request_timeout: Option<Duration>,
    pub impersonate: Option<String>,
    pub impersonate_groups: Vec<String>,
    pub server: Option<String>,
    pub token: Option<String>,
    pub certificate_authority: Option<PathBuf>,
    pub insecure_skip_tls_verify: bool,
}

/// A client and what the user sees of it. Cloning shares the client (and its credentials).
#[derive(Clone)]
pub struct Connection {
    pub client: Client,
    pub namespace: String,
    pub context: Option<String>,
    pub server: String,
    pub request_timeout: Option<Duration>,
}

/// Without `--request-timeout` (or with `0`): how long the connection waits to connect, to send,
/// and for each next byte of an answer. kubectl sets no limit and so waits forever on a server
/// that accepts the connection and never answers (a hung API server, a load balancer whose backend
/// is gone); the API server answers every request but a watch within its own 60 s request timeout,
/// so a server silent for that long is not going to answer. Watches end on the server's side before
/// this (`live::daemonset_changes`) and resume.
pub const SILENCE_LIMIT: Duration = Duration::from_secs(60);

impl Connection {
    /// The longest this connection waits for the server: `--request-timeout`, or [`SILENCE_LIMIT`].
    pub fn silence_limit(&self) -> Duration {
        self.request_timeout.unwrap_or(SILENCE_LIMIT)
    }
}

const SERVICE_ACCOUNT_NAMESPACE: &str = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

/// kubectl's `--request-timeout`: `0` (none), a whole number of seconds, or a Go duration
/// (`500ms`, `5s`, `1m30s`, `2h`).
pub fn parse_request_timeout(text: &str) -> Result<Option<Duration>, String> {
    let invalid = || {
        "Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)".to_string()
    };
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok((seconds > 0).then(|| Duration::from_secs(seconds)));
    }
    let mut total = Duration::ZERO;
    let mut rest = text;
    if rest.is_empty() {
        return Err(invalid());
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        let (number, after) = rest.split_at(digits);
        let number: f64 = number.parse().map_err(|_| invalid())?;
        let unit_len = after.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_len);
        let scale = match unit {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 1e-3,
            "us" | "µs" => 1e-6,
            "ns" => 1e-9,
            _ => return Err(invalid()),
        };
        total += Duration::from_secs_f64(number * scale);
        rest = after;
    }
    Ok((!total.is_zero()).then_some(total))
}

/// The kubeconfig kubectl would use: `--kubeconfig` alone; else every existing file of
/// KUBECONFIG merged, first wins (missing ones skipped, as client-go does); else
/// ~/.kube/config. `Ok(None)`: there is none.
fn load_kubeconfig(flags: &ConnectionFlags) -> Result<Option<Kubeconfig>, AccessError> {
    let read = |path: &Path| {
        Kubeconfig::read_from(path)
            .map_err(|e| AccessError::Config(format!("cannot read kubeconfig {}: {e}", path.display())))
    };
    if let Some(path) = &flags.kubeconfig {
        if !path.exists() {
            return Err(AccessError::Config(format!("kubeconfig {}: no such file", path.display())));
        }
        return read(path).map(Some);
    }
    if let Some(list) = std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
        let listed: Vec<PathBuf> = std::env::split_paths(&list).filter(|p| !p.as_os_str().is_empty()).collect();
        let mut merged: Option<Kubeconfig> = None;
        for path in listed.iter().filter(|p| p.exists()) {
            let next = read(path)?;
            merged = Some(match merged {
                None => next,
                Some(first) => first
                    .merge(next)
                    .map_err(|e| AccessError::Config(format!("cannot merge kubeconfig {}: {e}", path.display())))?,
            });
        }
        if merged.is_none() && std::env::var_os("KUBERNETES_SERVICE_HOST").is_none() && flags.server.is_none() {
            let names: Vec<String> = listed.iter().map(|p| p.display().to_string()).collect();
            return Err(AccessError::Config(format!(
                "none of the kubeconfig files in KUBECONFIG exists ({})",
                names.join(", ")
            )));
        }
        return Ok(merged);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).map(|h| h.join(".kube").join("config"));
    match home.filter(|p| p.exists()) {
        Some(path) => read(&path).map(Some),
        None => Ok(None),
    }
}

/// Applies the flags that override kubeconfig fields to the context that will be used, so that
/// kube resolves files, exec plugins and CA data exactly as it would without them.
fn apply_overrides(kubeconfig: &mut Kubeconfig, flags: &ConnectionFlags) {
    let context_name = flags.context.clone().or_else(|| kubeconfig.current_context.clone());
    let context = context_name
        .as_deref()
        .and_then(|name| kubeconfig.contexts.iter().find(|c| c.name == name))
        .and_then(|c| c.context.clone());
    let cluster_name = flags.cluster.clone().or_else(|| context.as_ref().map(|c| c.cluster.clone()));
    let user_name = flags.user.clone().or_else(|| context.as_ref().and_then(|c| c.user.clone()));
    if let Some(cluster) = cluster_name
        .and_then(|name| kubeconfig.clusters.iter_mut().find(|c| c.name == name))
        .and_then(|c| c.cluster.as_mut())
    {
        if let Some(server) = &flags.server {
            cluster.server = Some(server.clone());
        }
        if let Some(ca) = &flags.certificate_authority {
            cluster.certificate_authority = Some(ca.display().to_string());
            cluster.certificate_authority_data = None;
        }
        if flags.insecure_skip_tls_verify {
            cluster.insecure_skip_tls_verify = Some(true);
            cluster.certificate_authority = None;
            cluster.certificate_authority_data = None;
        }
    }
    if let Some(user) = user_name
        .and_then(|name| kubeconfig.auth_infos.iter_mut().find(|u| u.name == name))
        .and_then(|u| u.auth_info.as_mut())
    {
        if let Some(token) = &flags.token {
            *user = kube::config::AuthInfo { token: Some(token.clone().into()), ..Default::default() };
        }
        if let Some(who) = &flags.impersonate {
            user.impersonate = Some(who.clone());
        }
        if !flags.impersonate_groups.is_empty() {
            user.impersonate_groups = Some(flags.impersonate_groups.clone());
        }
    }
}

/// A kubeconfig made from flags alone (`--server` without any kubeconfig).
fn kubeconfig_from_flags(server: &str) -> Kubeconfig {
    let text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: flags\n  cluster:\n    server: {server:?}\nusers:\n- name: flags\n  user: {{}}\ncontexts:\n- name: flags\n  context:\n    cluster: flags\n    user: flags\ncurrent-context: flags\n"
    );
    Kubeconfig::from_yaml(&text).unwrap_or_default()
}

/// The context, cluster and user names of the kubeconfig the flags choose, for completion.
pub fn kubeconfig_names(flags: &ConnectionFlags) -> [Vec<String>; 3] {
    let Ok(Some(config)) = load_kubeconfig(flags) else { return Default::default() };
    [
        config.contexts.iter().map(|c| c.name.clone()).collect(),
        config.clusters.iter().map(|c| c.name.clone()).collect(),
        config.auth_infos.iter().map(|a| a.name.clone()).collect(),
    ]
}

pub async fn connect(flags: &ConnectionFlags) -> Result<Connection, AccessError> {
    let (mut config, context) = match load_kubeconfig(flags)? {
        Some(mut kubeconfig) => {
            apply_overrides(&mut kubeconfig, flags);
            let context = flags.context.clone().or_else(|| kubeconfig.current_context.clone());
            let options = KubeConfigOptions {
                context: flags.context.clone(),
                cluster: flags.cluster.clone(),
                user: flags.user.clone(),
            };
            let config = Config::from_custom_kubeconfig(kubeconfig, &options)
                .await
                .map_err(|e| AccessError::Config(format!("kubeconfig: {e}")))?;
            (config, context)
        }
        None if flags.server.is_some() => {
            let mut kubeconfig = kubeconfig_from_flags(flags.server.as_deref().unwrap_or_default());
            apply_overrides(&mut kubeconfig, flags);
            let config = Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
                .await
                .map_err(|e| AccessError::Config(format!("--server: {e}")))?;
            (config, None)
        }
        None if std::env::var_os("KUBERNETES_SERVICE_HOST").is_some() => {
            let mut config =
                Config::incluster().map_err(|e| AccessError::Config(format!("in-cluster configuration: {e}")))?;
            config.default_namespace = std::env::var("POD_NAMESPACE")
                .ok()
                .filter(|ns| !ns.is_empty())
                .or_else(|| std::fs::read_to_string(SERVICE_ACCOUNT_NAMESPACE).ok().map(|ns| ns.trim().to_string()))
                .filter(|ns| !ns.is_empty())
                .unwrap_or_else(|| "default".to_string());
            if let Some(token) = &flags.token {
                config.auth_info.token = Some(token.clone().into());
                config.auth_info.token_file = None;
            }
            (config, None)
        }
        None => {
            return Err(AccessError::Config(
                "no kubeconfig: set KUBECONFIG, pass --kubeconfig or --server, or use --from with dumps".to_string(),
            ));
        }
    };
    config.apply_debug_overrides();
    apply_limits(&mut config, flags.request_timeout);
    // We retry ourselves, bounded by --request-timeout, honouring the server's Retry-After.
    config.default_retry = false;
    let agent = format!("kubectl-ds/{} ({})", env!("CARGO_PKG_VERSION"), std::env::consts::OS);
    if let Ok(value) = http::HeaderValue::from_str(&agent) {
        config.headers.push((http::header::USER_AGENT, value));
    }
    let namespace = flags.namespace.clone().unwrap_or_else(|| config.default_namespace.clone());
    let server = config.cluster_url.to_string();
    let client = Client::try_from(config).map_err(|e| AccessError::Config(format!("cannot build a client: {e}")))?;
    Ok(Connection { client, namespace, context, server, request_timeout: flags.request_timeout })
}

/// The connection's time limits: `--request-timeout` for connecting, sending and each read (the
/// whole request is bounded in `live`), or [`SILENCE_LIMIT`] without it. kube sets no read limit.
fn apply_limits(config: &mut Config, request_timeout: Option<Duration>) {
    let limit = request_timeout.unwrap_or(SILENCE_LIMIT);
    config.connect_timeout = Some(limit);
    config.read_timeout = Some(limit);
    config.write_timeout = Some(limit);
    // Count from when the request was sent, not from when its pooled connection went idle.
    config.reset_reader_on_write = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_timeouts_read_like_kubectl() {
        assert_eq!(parse_request_timeout("0"), Ok(None));
        assert_eq!(parse_request_timeout("5"), Ok(Some(Duration::from_secs(5))));
        assert_eq!(parse_request_timeout("1m30s"), Ok(Some(Duration::from_secs(90))));
        assert_eq!(parse_request_timeout("500ms"), Ok(Some(Duration::from_millis(500))));
        assert_eq!(parse_request_timeout("2h"), Ok(Some(Duration::from_secs(7200))));
        for bad in ["abc", "5x", "", "-1", "1.5.5s"] {
            assert!(parse_request_timeout(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn without_a_request_timeout_a_silent_server_is_given_up_on() {
        let limits = |timeout| {
            let mut config = Config::new("https://127.0.0.1:6443".parse().unwrap());
            apply_limits(&mut config, timeout);
            (config.connect_timeout, config.read_timeout, config.write_timeout, config.reset_reader_on_write)
        };
        let sixty = Some(Duration::from_secs(60));
        assert_eq!(limits(None), (sixty, sixty, sixty, true), "kube's default has no read timeout");
        let two = Some(Duration::from_secs(2));
        assert_eq!(limits(two), (two, two, two, true));
    }
}
