//! Reports to bytes: tables for people, JSON and YAML for programs. Every renderer writes to
//! any `Write`; colour is decided by the caller ([`ColorChoice::enabled`]) and passed in.

pub mod explain;
pub mod junit;
pub mod lint;
pub mod overview;
pub mod rollout;
pub mod sarif;
#[cfg(test)]
mod test_support;
pub mod trace;

use std::io::{self, IsTerminal, Write};

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// `auto` colours only a terminal, and honours NO_COLOR (https://no-color.org);
    /// `always` is an explicit request and wins over NO_COLOR.
    pub fn enabled(self, stream_is_terminal: bool, no_color: Option<&str>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stream_is_terminal && no_color.is_none_or(str::is_empty),
        }
    }

    pub fn for_stdout(self) -> bool {
        self.enabled(io::stdout().is_terminal(), std::env::var("NO_COLOR").ok().as_deref())
    }
}

/// How a table is drawn.
pub struct TextOptions {
    pub wide: bool,
    pub color: bool,
    pub no_headers: bool,
    /// Fit the table to this many columns (a terminal's width); `None`: never wrap.
    pub width: Option<u16>,
}

impl TextOptions {
    /// For stdout: wrapped to the terminal (COLUMNS, else 120) unless wide or piped.
    pub fn for_stdout(wide: bool, color: ColorChoice, no_headers: bool) -> Self {
        let terminal = io::stdout().is_terminal();
        let columns = std::env::var("COLUMNS").ok().and_then(|c| c.parse::<u16>().ok());
        let width = (terminal && !wide).then(|| columns.unwrap_or(120));
        Self { wide, color: color.for_stdout(), no_headers, width }
    }
}

/// A table as kubectl draws one: no borders, columns flush left, three spaces between them,
/// wrapped to `opts.width` when there is one; the header unless `--no-headers`.
pub fn write_table(
    out: &mut dyn Write,
    header: Vec<&str>,
    rows: impl IntoIterator<Item = Vec<String>>,
    opts: &TextOptions,
) -> io::Result<()> {
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::NOTHING);
    match opts.width {
        Some(width) => table.set_content_arrangement(comfy_table::ContentArrangement::Dynamic).set_width(width),
        None => table.set_content_arrangement(comfy_table::ContentArrangement::Disabled),
    };
    if !opts.no_headers {
        table.set_header(header);
    }
    for row in rows {
        table.add_row(row);
    }
    for column in table.column_iter_mut() {
        column.set_padding((0, 3));
    }
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

pub fn json(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

pub fn yaml(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    let text = serde_saphyr::to_string(value).map_err(io::Error::other)?;
    out.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::ColorChoice::*;

    #[test]
    fn colour_follows_the_flag_the_terminal_and_no_color() {
        assert!(Auto.enabled(true, None));
        assert!(Auto.enabled(true, Some("")), "an empty NO_COLOR does not count");
        assert!(!Auto.enabled(true, Some("1")));
        assert!(!Auto.enabled(false, None), "pipes get no colour");
        assert!(Always.enabled(false, Some("1")), "an explicit request wins over NO_COLOR");
        assert!(!Never.enabled(true, None));
    }
}
