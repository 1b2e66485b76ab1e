//! Kubernetes minor versions whose rules differ, and how the engine picks one.

use std::fmt;
use std::str::FromStr;

/// A Kubernetes release, `v1.<minor>.<patch>`. Only 1.x exists; the minor decides the rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubeVersion {
    pub minor: u32,
    pub patch: u32,
}

impl KubeVersion {
    /// The newest release whose rules the engine knows.
    pub const NEWEST_KNOWN: KubeVersion = KubeVersion { minor: 36, patch: 0 };

    pub const fn new(minor: u32, patch: u32) -> Self {
        Self { minor, patch }
    }

    pub fn at_least(self, minor: u32) -> bool {
        self.minor >= minor
    }
}

impl fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v1.{}.{}", self.minor, self.patch)
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid Kubernetes version {0:?}: expected v1.MINOR or v1.MINOR.PATCH (e.g. v1.31.4)")]
pub struct ParseVersionError(pub String);

impl FromStr for KubeVersion {
    type Err = ParseVersionError;

    /// Accepts what kubelets and `/version` report: `v1.31.4`, `1.31`, `v1.28.3-gke.1286000`,
    /// `v1.20.2+k3s1`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseVersionError(s.to_string());
        let trimmed = s.trim();
        let rest = trimmed.strip_prefix('v').unwrap_or(trimmed);
        let core = rest.split(['-', '+']).next().ok_or_else(err)?;
        let mut parts = core.split('.');
        if parts.next() != Some("1") {
            return Err(err());
        }
        let minor = parts.next().and_then(|m| m.parse().ok()).ok_or_else(err)?;
        let patch = match parts.next() {
            Some(p) => p.parse().map_err(|_| err())?,
            None => 0,
        };
        if parts.next().is_some() {
            return Err(err());
        }
        Ok(Self { minor, patch })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_kubelets_report() {
        assert_eq!("v1.31.4".parse(), Ok(KubeVersion::new(31, 4)));
        assert_eq!("1.20".parse(), Ok(KubeVersion::new(20, 0)));
        assert_eq!("v1.28.3-gke.1286000".parse(), Ok(KubeVersion::new(28, 3)));
        assert_eq!("v1.20.2+k3s1".parse(), Ok(KubeVersion::new(20, 2)));
    }

    #[test]
    fn rejects_what_is_not_a_version() {
        for bad in ["", "v2.1.0", "latest", "v1.x", "v1.2.3.4", "v1."] {
            assert!(bad.parse::<KubeVersion>().is_err(), "{bad}");
        }
    }

    #[test]
    fn orders_by_minor_then_patch() {
        assert!(KubeVersion::new(28, 0) > KubeVersion::new(27, 9));
        assert!(KubeVersion::new(20, 2).at_least(20));
        assert!(!KubeVersion::new(20, 2).at_least(24));
    }
}
