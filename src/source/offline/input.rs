//! Bytes in: one pass over the input that refuses what is not text and blanks the pod logs
//! `kubectl cluster-info dump` writes between its lists, so that the parsers after it only ever
//! see YAML or JSON. Blanking keeps every newline, so the parsers' line numbers stay the file's.

use std::cell::RefCell;
use std::io::{self, Read};
use std::rc::Rc;

use memchr::memmem;

use crate::source::InputError;

const LOGS_START: &[u8] = b"==== START logs for container";
const LOGS_END: &[u8] = b"==== END logs for container";
const CHUNK: usize = 256 * 1024;

/// Where a reader's refusal is kept: the parser only sees an I/O error, the loader reports this.
pub type Refusal = Rc<RefCell<Option<InputError>>>;

pub struct Checked<R> {
    inner: R,
    name: String,
    buf: Vec<u8>,
    spare: Vec<u8>,
    /// `buf[ready..released]` may be handed out; `buf[released..]` waits for the rest of a line.
    ready: usize,
    released: usize,
    eof: bool,
    /// Lines before `buf[0]`.
    lines: u64,
    at_start: bool,
    /// Whether the bytes released last ended a line, so the next chunk begins one.
    after_newline: bool,
    in_logs: bool,
    refusal: Refusal,
}

impl<R: Read> Checked<R> {
    pub fn new(inner: R, name: &str, refusal: Refusal) -> Self {
        Self {
            inner,
            name: name.to_string(),
            buf: Vec::with_capacity(CHUNK * 2),
            spare: Vec::new(),
            ready: 0,
            released: 0,
            eof: false,
            lines: 0,
            at_start: true,
            after_newline: false,
            in_logs: false,
            refusal,
        }
    }

    fn refuse(&self, offset: usize, message: &str) -> io::Error {
        let line = self.lines + 1 + memchr::memchr_iter(b'\n', &self.buf[..offset]).count() as u64;
        *self.refusal.borrow_mut() = Some(InputError::new(&self.name, Some(line), message));
        io::Error::new(io::ErrorKind::InvalidData, message.to_string())
    }

    /// Reads the next chunk and decides how much of it can be released: whole lines, or all of
    /// it at the end of the input or when a single line outgrows the buffer.
    fn refill(&mut self) -> io::Result<()> {
        self.lines += memchr::memchr_iter(b'\n', &self.buf[..self.released]).count() as u64;
        self.buf.drain(..self.released);
        self.ready = 0;
        let checked_from = self.buf.len();
        while self.buf.len() < CHUNK && !self.eof {
            // Zeroed once: the spare capacity is reused across chunks, never cleared again.
            if self.spare.len() < CHUNK {
                self.spare.resize(CHUNK, 0);
            }
            match self.inner.read(&mut self.spare[..CHUNK]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.buf.extend_from_slice(&self.spare[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let message = format!("cannot read: {e}");
                    *self.refusal.borrow_mut() = Some(InputError::new(&self.name, None, &message));
                    return Err(io::Error::other(message));
                }
            }
        }
        if self.at_start && self.buf.starts_with(b"\xEF\xBB\xBF") {
            self.buf.drain(..3);
        }
        if let Some(nul) = memchr::memchr(0, &self.buf[checked_from.min(self.buf.len())..]) {
            return Err(self.refuse(checked_from + nul, "binary data (NUL byte): expected YAML or JSON text"));
        }
        self.released = if self.eof {
            self.buf.len()
        } else {
            match memchr::memrchr(b'\n', &self.buf) {
                Some(newline) => newline + 1,
                None => self.buf.len() - incomplete_utf8_tail(&self.buf),
            }
        };
        if let Err(e) = std::str::from_utf8(&self.buf[..self.released]) {
            return Err(self.refuse(e.valid_up_to(), "invalid UTF-8: expected YAML or JSON text"));
        }
        let region_at_line_start = self.at_start || self.after_newline;
        self.blank_logs(region_at_line_start);
        self.after_newline = self.released > 0 && self.buf[self.released - 1] == b'\n';
        self.at_start = false;
        Ok(())
    }

    /// Blanks `==== START logs ...` through `==== END logs ...` lines in the released bytes.
    fn blank_logs(&mut self, region_at_line_start: bool) {
        let end = self.released;
        let mut pos = 0;
        while pos < end {
            let banner = if self.in_logs { LOGS_END } else { LOGS_START };
            let found = memmem::find_iter(&self.buf[pos..end], banner)
                .map(|at| pos + at)
                .find(|&at| if at == 0 { region_at_line_start } else { self.buf[at - 1] == b'\n' });
            if !self.in_logs {
                let Some(start) = found else { break };
                self.in_logs = true;
                pos = start;
                continue;
            }
            let stop = match found {
                Some(at) => memchr::memchr(b'\n', &self.buf[at..end]).map_or(end, |nl| at + nl),
                None => end,
            };
            blank(&mut self.buf[pos..stop]);
            self.in_logs = found.is_none();
            pos = stop;
        }
    }
}

fn blank(bytes: &mut [u8]) {
    for b in bytes.iter_mut().filter(|b| **b != b'\n') {
        *b = b' ';
    }
}

/// How many bytes at the end start a UTF-8 sequence the next chunk completes.
fn incomplete_utf8_tail(bytes: &[u8]) -> usize {
    match std::str::from_utf8(bytes) {
        Err(e) if e.error_len().is_none() => bytes.len() - e.valid_up_to(),
        _ => 0,
    }
}

impl<R: Read> Read for Checked<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.ready == self.released {
            if self.eof && self.released == self.buf.len() {
                return Ok(0);
            }
            self.refill()?;
        }
        let n = out.len().min(self.released - self.ready);
        out[..n].copy_from_slice(&self.buf[self.ready..self.ready + n]);
        self.ready += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(text: &[u8]) -> Result<String, InputError> {
        let refusal = Refusal::default();
        let mut out = String::new();
        let result = Checked::new(text, "f", refusal.clone()).read_to_string(&mut out);
        match result {
            Ok(_) => Ok(out),
            Err(_) => Err(refusal.borrow_mut().take().expect("a refusal is recorded")),
        }
    }

    #[test]
    fn logs_between_banners_become_blank_lines() {
        let text = b"{}\n==== START logs for container a of pod x/y ====\nhello }\n==== END logs for container a of pod x/y ====\n{}\n";
        let out = through(text).unwrap();
        assert_eq!(out.lines().count(), 5);
        assert_eq!(out.split_whitespace().collect::<Vec<_>>(), ["{}", "{}"]);
    }

    #[test]
    fn refusals_name_the_line() {
        let e = through(b"a: 1\nb: caf\xe9\n").unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (Some(2), "invalid UTF-8: expected YAML or JSON text"));
        assert_eq!(through(b"a\n\nb\x00").unwrap_err().line, Some(3));
    }

    #[test]
    fn long_lines_and_split_characters_pass_whole() {
        let long = "é".repeat(CHUNK);
        assert_eq!(through(long.as_bytes()).unwrap(), long);
    }
}
