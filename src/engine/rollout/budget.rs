//! The rolling update's budget (pkg/controller/daemon/util `UnavailableCount`, `SurgeCount`,
//! `AllowsSurge`; update.go `updatedDesiredNodeCounts`; apimachinery
//! `GetScaledValueFromIntOrPercent`).

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::version::KubeVersion;

/// maxUnavailable and maxSurge as numbers of nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_unavailable: u32,
    pub max_surge: u32,
}

/// `GetScaledValueFromIntOrPercent(value, total, roundUp=true)`: an integer as it is, a
/// percentage of `total` rounded up. Anything else is the controller's "invalid value" error.
pub fn scaled(value: &IntOrString, total: u32) -> Result<i64, String> {
    match value {
        IntOrString::Int(n) => Ok(i64::from(*n)),
        IntOrString::String(text) => {
            let Some(number) = text.strip_suffix('%') else {
                return Err(format!("{text:?} is neither an integer nor a percentage"));
            };
            let percent: i64 = number.parse().map_err(|_| format!("{text:?} is not a valid percentage"))?;
            // Go computes math.Ceil(float64(v) * float64(total) / 100); so do we, for the same
            // rounding at every size.
            Ok((percent as f64 * f64::from(total) / 100.0).ceil() as i64)
        }
    }
}

fn strategy_type(ds: &DaemonSet) -> &str {
    ds.spec.update_strategy.as_ref().and_then(|s| s.type_.as_deref()).unwrap_or("RollingUpdate")
}

/// The API defaults maxUnavailable to 1 and maxSurge to 0; a snapshot written by hand may lack
/// them, so the defaults are applied here as the server would have.
fn values(ds: &DaemonSet) -> (IntOrString, IntOrString) {
    let rolling = ds.spec.update_strategy.as_ref().and_then(|s| s.rolling_update.as_ref());
    let unavailable = rolling.and_then(|r| r.max_unavailable.clone()).unwrap_or(IntOrString::Int(1));
    let surge = rolling.and_then(|r| r.max_surge.clone()).unwrap_or(IntOrString::Int(0));
    (unavailable, surge)
}

/// `SurgeCount`: 0 unless the strategy is RollingUpdate with a surge. maxSurge is alpha (off) in
/// 1.21 and beta (on) from 1.22; before 1.21 the API drops the field.
pub fn surge_count(ds: &DaemonSet, total: u32, version: KubeVersion) -> Result<u32, String> {
    if strategy_type(ds) != "RollingUpdate" || !version.at_least(22) {
        return Ok(0);
    }
    let value = scaled(&values(ds).1, total).map_err(|e| format!("invalid maxSurge: {e}"))?;
    non_negative(value, "maxSurge")
}

/// `UnavailableCount`: 0 unless the strategy is RollingUpdate.
pub fn unavailable_count(ds: &DaemonSet, total: u32) -> Result<u32, String> {
    if strategy_type(ds) != "RollingUpdate" {
        return Ok(0);
    }
    let value = scaled(&values(ds).0, total).map_err(|e| format!("invalid maxUnavailable: {e}"))?;
    non_negative(value, "maxUnavailable")
}

fn non_negative(value: i64, field: &str) -> Result<u32, String> {
    u32::try_from(value).map_err(|_| format!("invalid {field}: {value} is negative"))
}

/// `AllowsSurge`: manage keeps an old and a new pod side by side only when maxSurge scaled
/// against one node is positive, so any non-zero percentage turns it on.
pub fn allows_surge(ds: &DaemonSet, version: KubeVersion) -> bool {
    surge_count(ds, 1, version).is_ok_and(|n| n > 0)
}

/// The limits the rolling update works with for `desired` eligible nodes. Since 1.21 a
/// configuration allowing neither (which validation forbids) falls back to maxUnavailable 1.
pub fn limits(ds: &DaemonSet, desired: u32, version: KubeVersion) -> Result<Limits, String> {
    let mut max_unavailable = unavailable_count(ds, desired)?;
    let max_surge = surge_count(ds, desired, version)?;
    if version.at_least(21) && desired > 0 && max_unavailable == 0 && max_surge == 0 {
        max_unavailable = 1;
    }
    Ok(Limits { max_unavailable, max_surge })
}
