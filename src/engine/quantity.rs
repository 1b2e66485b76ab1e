//! Resource quantities as the API server reads them (apimachinery's `resource.ParseQuantity`,
//! pkg/api/resource/quantity.go and suffix.go), in thousandths of the base unit.
//!
//! kube_quantity gives the value. Its float parser does not decide what is a quantity the way the
//! API server does: it accepts `1e3Ki` and refuses `1E`, `1Ei`, `.` and anything past 7.9e28
//! (`1e400`). So the API server's grammar is checked here first; a quantity it accepts and
//! kube_quantity cannot read is read with the exa suffix spelt as an exponent, or counted as the
//! most the engine counts.

use std::fmt;

use kube_quantity::ParsedQuantity;

/// The largest magnitude [`milli`] gives, in thousandths: far past anything a node offers, and
/// small enough that sums over any number of containers, pods and overheads stay inside i128.
pub const MAX_MILLI: i128 = 1 << 100;

/// ParseQuantity caps a binary-suffixed quantity (`Ki` … `Ei`) at 2^63-1 base units.
const BINARY_CAP_MILLI: i128 = i64::MAX as i128 * 1000;

/// Why a text is not a quantity, as ParseQuantity says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantityError {
    /// `ErrFormatWrong`: not a number followed by a suffix (empty, `12 Gi`, `1.5.5`).
    Format,
    /// `ErrSuffix`: a suffix that is none of Kubernetes' (`12Zi`, `1K`, `1e`).
    Suffix,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QuantityError::Format => "not a quantity: expected a number with an optional suffix",
            QuantityError::Suffix => "not a quantity: unknown suffix",
        })?;
        f.write_str(" (m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e6)")
    }
}

/// What the grammar found: the sign, whether any digit is not zero, and the suffix.
struct Parts<'a> {
    negative: bool,
    nonzero: bool,
    /// The text without its sign.
    unsigned: &'a str,
    number: &'a str,
    suffix: &'a str,
    binary: bool,
}

/// `parseQuantityString` and `suffixer.interpret`: sign, integer digits, fraction digits, and a
/// suffix Kubernetes knows (an exponent must fit the int32 ParseQuantity keeps it in).
fn parts(text: &str) -> Result<Parts<'_>, QuantityError> {
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return Err(QuantityError::Format);
    }
    let digits_from = |from: usize| from + bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    let (negative, sign_end) = match bytes[0] {
        b'-' => (true, 1),
        b'+' => (false, 1),
        _ => (false, 0),
    };
    let mut at = digits_from(sign_end);
    if bytes.get(at) == Some(&b'.') {
        at = digits_from(at + 1);
    }
    let number_end = at;
    at += bytes[at..].iter().take_while(|b| b"eEinumkKMGTP".contains(b)).count();
    if matches!(bytes.get(at), Some(b'-' | b'+')) {
        at += 1;
    }
    if digits_from(at) != bytes.len() {
        return Err(QuantityError::Format);
    }
    let number = &text[sign_end..number_end];
    let suffix = &text[number_end..];
    let binary = match suffix {
        "" | "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" => false,
        "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => true,
        _ => match suffix.strip_prefix(['e', 'E']).map(str::parse::<i32>) {
            Some(Ok(_)) => false,
            _ => return Err(QuantityError::Suffix),
        },
    };
    let nonzero = number.bytes().any(|b| matches!(b, b'1'..=b'9'));
    Ok(Parts { negative, nonzero, unsigned: &text[sign_end..], number, suffix, binary })
}

/// A quantity in thousandths of its base unit, its magnitude capped at [`MAX_MILLI`]; a positive
/// amount below one thousandth counts as one (ParseQuantity rounds up to a nano, `MilliValue` up
/// to a milli).
pub fn milli(text: &str) -> Result<i128, QuantityError> {
    // A cluster repeats a handful of quantities (a DaemonSet's pods share their template's, nodes
    // of one instance type their allocatable), and reading one through kube_quantity costs a
    // hundred lookups: remember the short ones, per thread, a bounded number.
    const REMEMBERED: usize = 4096;
    const LONGEST: usize = 32;
    thread_local! {
        static READ: std::cell::RefCell<foldhash::HashMap<Box<str>, Result<i128, QuantityError>>> =
            Default::default();
    }
    if text.len() > LONGEST {
        return read(text);
    }
    if let Some(known) = READ.with_borrow(|read| read.get(text).copied()) {
        return known;
    }
    let value = read(text);
    READ.with_borrow_mut(|read| {
        if read.len() >= REMEMBERED {
            read.clear();
        }
        read.insert(text.into(), value);
    });
    value
}

fn read(text: &str) -> Result<i128, QuantityError> {
    let parts = parts(text)?;
    if !parts.nonzero {
        return Ok(0);
    }
    let magnitude = magnitude(&parts).map_or(MAX_MILLI, |m| m.max(1));
    let magnitude = if parts.binary { magnitude.min(BINARY_CAP_MILLI) } else { magnitude };
    Ok(if parts.negative { -magnitude } else { magnitude })
}

/// The magnitude from kube_quantity, in thousandths; none past what it can hold. Its float parser
/// reads `E` and `Ei` as a malformed exponent, so exa is asked as `e18`, and `Ei` as 1024 `Pi`.
fn magnitude(parts: &Parts) -> Option<i128> {
    let (parsed, factor) = match parts.suffix {
        "E" => (ParsedQuantity::try_from(format!("{}e18", parts.number)), 1.0),
        "Ei" => (ParsedQuantity::try_from(format!("{}Pi", parts.number)), 1024.0),
        _ => (ParsedQuantity::try_from(parts.unsigned), 1.0),
    };
    let value = parsed.ok()?.to_bytes_f64()? * factor * 1000.0;
    if !value.is_finite() || value >= MAX_MILLI as f64 {
        return None;
    }
    // The float carries noise in its last bits (0.001 times 1000 is not exactly 1); only a real
    // fraction of a thousandth rounds up.
    let nearest = value.round();
    let rounded = if (value - nearest).abs() <= value * 1e-12 { nearest } else { value.ceil() };
    Some(rounded as i128)
}

#[cfg(test)]
mod tests;
