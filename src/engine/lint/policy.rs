//! Suppressions and the config file: which findings are shown, at which severity.

use super::{Outcome, Subject};

pub(super) fn check_suppressions(_subject: &Subject<'_>, _out: &mut Outcome) {}
