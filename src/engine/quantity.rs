//! Resource quantities the way apimachinery's `resource.ParseQuantity` reads them
//! (pkg/api/resource/quantity.go, suffix.go), in thousandths of the base unit.
//!
//! kube_quantity, the crate this replaced here, parses the number with a float parser: it refuses
//! quantities the API server stores (`1E`, `12E`, `1Ei`, `.`, anything past 7.9e28 such as
//! `1e400`) and accepts ones it refuses (`1e3Ki`). The API server's grammar is small, and
//! reading it exactly is what makes the loader, `lint` and the fit arithmetic agree with it.

use std::fmt;

/// The largest magnitude [`milli`] gives, in thousandths: far past anything a node offers, and
/// small enough that sums over any number of containers, pods and overheads stay inside i128.
pub const MAX_MILLI: i128 = 1 << 100;

/// ParseQuantity caps a binary-suffixed quantity (`Ki` … `Ei`) at 2^63-1 base units.
const BINARY_CAP_MILLI: i128 = i64::MAX as i128 * 1000;

/// Why a text is not a quantity, as ParseQuantity says it.
#[derive(Clone, Debug, PartialEq, Eq)]
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

enum Suffix {
    /// Times 10^n.
    Decimal(i64),
    /// Times 2^n.
    Binary(u32),
}

/// `parseQuantityString`: sign, integer digits, fraction digits, suffix.
fn split(text: &str) -> Result<(bool, &str, &str, &str), QuantityError> {
    let bytes = text.as_bytes();
    let digits_from = |from: usize| from + bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    let (negative, mut at) = match bytes.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let integer_end = digits_from(at);
    let integer = &text[at..integer_end];
    at = integer_end;
    let mut fraction = "";
    if bytes.get(at) == Some(&b'.') {
        let fraction_end = digits_from(at + 1);
        fraction = &text[at + 1..fraction_end];
        at = fraction_end;
    }
    let suffix_start = at;
    at += bytes[at..].iter().take_while(|b| b"eEinumkKMGTP".contains(b)).count();
    if matches!(bytes.get(at), Some(b'-' | b'+')) {
        at += 1;
    }
    if digits_from(at) != bytes.len() {
        return Err(QuantityError::Format);
    }
    Ok((negative, integer, fraction, &text[suffix_start..]))
}

/// `suffixer.interpret`. An exponent must fit the int32 that ParseQuantity keeps it in.
fn suffix(text: &str) -> Result<Suffix, QuantityError> {
    let power = |n: i64| Ok(Suffix::Decimal(n));
    match text {
        "" => power(0),
        "n" => power(-9),
        "u" => power(-6),
        "m" => power(-3),
        "k" => power(3),
        "M" => power(6),
        "G" => power(9),
        "T" => power(12),
        "P" => power(15),
        "E" => power(18),
        "Ki" => Ok(Suffix::Binary(10)),
        "Mi" => Ok(Suffix::Binary(20)),
        "Gi" => Ok(Suffix::Binary(30)),
        "Ti" => Ok(Suffix::Binary(40)),
        "Pi" => Ok(Suffix::Binary(50)),
        "Ei" => Ok(Suffix::Binary(60)),
        _ => match text.strip_prefix(['e', 'E']).map(str::parse::<i32>) {
            Some(Ok(exponent)) => power(i64::from(exponent)),
            _ => Err(QuantityError::Suffix),
        },
    }
}

/// A quantity in thousandths of its base unit, rounded away from zero (ParseQuantity rounds up to
/// a nano, `MilliValue` up to a milli), its magnitude capped at [`MAX_MILLI`].
pub fn milli(text: &str) -> Result<i128, QuantityError> {
    if text.is_empty() {
        return Err(QuantityError::Format);
    }
    let (negative, integer, fraction, suffix_text) = split(text)?;
    let (power, binary) = match suffix(suffix_text)? {
        Suffix::Decimal(power) => (power, 0),
        Suffix::Binary(bits) => (0, bits),
    };
    let exponent = power + 3 - fraction.len() as i64;
    let magnitude = match short(integer, fraction) {
        Some(value) => scale(value << binary, exponent),
        None => long(integer, fraction, binary, exponent),
    };
    let magnitude = if binary > 0 { magnitude.min(BINARY_CAP_MILLI) } else { magnitude };
    Ok(if negative { -magnitude } else { magnitude })
}

/// The digits as one integer when they fit 19 digits: then times 2^60 still fits i128.
fn short(integer: &str, fraction: &str) -> Option<i128> {
    let digits = integer.bytes().chain(fraction.bytes()).skip_while(|b| *b == b'0');
    let mut value = 0i128;
    for (count, digit) in digits.enumerate() {
        if count == 19 {
            return None;
        }
        value = value * 10 + i128::from(digit - b'0');
    }
    Some(value)
}

/// `value` times 10^exponent, rounded up, at most [`MAX_MILLI`].
fn scale(value: i128, exponent: i64) -> i128 {
    if value == 0 {
        return 0;
    }
    if exponent >= 0 {
        let factor = u32::try_from(exponent).ok().and_then(|e| 10i128.checked_pow(e));
        return factor.and_then(|f| value.checked_mul(f)).map_or(MAX_MILLI, |v| v.min(MAX_MILLI));
    }
    match u32::try_from(-exponent).ok().and_then(|e| 10i128.checked_pow(e)) {
        Some(divisor) => (value / divisor + i128::from(value % divisor != 0)).min(MAX_MILLI),
        // Below one thousandth, and not zero: rounds up to one.
        None => 1,
    }
}

/// Any number of digits: as a decimal digit string.
fn long(integer: &str, fraction: &str, binary: u32, exponent: i64) -> i128 {
    let mut digits: Vec<u8> = integer.bytes().chain(fraction.bytes()).map(|b| b - b'0').collect();
    multiply(&mut digits, 1u64 << binary);
    let start = digits.iter().position(|d| *d != 0).unwrap_or(digits.len());
    let digits = &digits[start..];
    let whole = digits.len() as i64 + exponent;
    if digits.is_empty() || whole <= 0 {
        // Below one thousandth, and not zero: rounds up to one.
        i128::from(!digits.is_empty())
    } else if whole > 31 {
        // At least 10^31 thousandths, past MAX_MILLI.
        MAX_MILLI
    } else {
        let kept = digits.len().min(whole as usize);
        let value = digits[..kept].iter().fold(0i128, |v, d| v * 10 + i128::from(*d));
        let value = value * 10i128.pow((whole as usize - kept) as u32);
        let dropped = digits[kept..].iter().any(|d| *d != 0);
        (value + i128::from(dropped)).min(MAX_MILLI)
    }
}

/// Multiplies a big-endian decimal digit string by `factor` in place.
fn multiply(digits: &mut Vec<u8>, factor: u64) {
    if factor == 1 {
        return;
    }
    let mut carry = 0u128;
    for digit in digits.iter_mut().rev() {
        let product = u128::from(*digit) * u128::from(factor) + carry;
        *digit = (product % 10) as u8;
        carry = product / 10;
    }
    let mut head = Vec::new();
    while carry > 0 {
        head.push((carry % 10) as u8);
        carry /= 10;
    }
    head.reverse();
    digits.splice(0..0, head);
}

#[cfg(test)]
mod tests;
