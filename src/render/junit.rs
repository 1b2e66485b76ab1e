use std::io::{self, Write};

use crate::report::lint::LintReport;

pub fn write(out: &mut dyn Write, report: &LintReport) -> io::Result<()> {
    super::json(out, report)
}
