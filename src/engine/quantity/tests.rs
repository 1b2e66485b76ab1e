use super::*;

const KI: i128 = 1 << 10;
const GI: i128 = 1 << 30;

// apimachinery's TestQuantityParse, in thousandths: every row parses, and so does its negation.
#[test]
fn the_quantities_kubernetes_parses() {
    let cases: &[(&str, i128)] = &[
        ("0", 0),
        ("0n", 0),
        ("0Ki", 0),
        ("0T", 0),
        ("1", 1_000),
        ("1Ki", KI * 1000),
        ("8Ki", 8 * KI * 1000),
        ("7Mi", 7 * (1 << 20) * 1000),
        ("6Gi", 6 * GI * 1000),
        ("5Ti", 5 * (1 << 40) * 1000),
        ("4Pi", 4 * (1 << 50) * 1000),
        ("3Ei", 3 * (1 << 60) * 1000),
        ("5n", 1),
        ("4u", 1),
        ("3m", 3),
        ("8k", 8_000_000),
        ("50k", 50_000_000),
        ("7M", 7_000_000_000),
        ("6G", 6_000_000_000_000),
        ("5T", 5_000_000_000_000_000),
        ("2P", 2_000_000_000_000_000_000),
        ("1E", 1_000_000_000_000_000_000_000),
        ("12E", 12_000_000_000_000_000_000_000),
        ("1E-3", 1),
        ("1e3", 1_000_000),
        ("1E6", 1_000_000_000),
        ("1e18", 1_000_000_000_000_000_000_000),
        ("100.035k", 100_035_000),
        ("0.001", 1),
        ("0.0005k", 500),
        ("0.5", 500),
        ("0.5e0", 500),
        ("0.5e-1", 50),
        ("0.5e-2", 5),
        ("10.035M", 10_035_000_000),
        ("1.2e3", 1_200_000),
        ("1.3E+6", 1_300_000_000),
        ("1.53E12", 1_530_000_000_000_000),
        ("9.01", 9_010),
        ("7.123456M", 7_123_456_000),
        ("1.01E", 1_010_000_000_000_000_000_000),
        // Rounded up to a nano by ParseQuantity, then to a thousandth.
        ("3.001n", 1),
        ("0.0000000001", 1),
        ("0.00000012345", 1),
        ("1.0001", 1_001),
        // Binary quantities are capped at 2^63-1 base units.
        ("9Ei", i64::MAX as i128 * 1000),
        ("9223372036854775807Ki", i64::MAX as i128 * 1000),
        ("100.035Ki", 102_435_840),
        ("0.5Mi", 512 * KI * 1000),
        ("0.025Ti", 27_487_790_694_400),
        ("0.000000000001Ki", 1),
        (".001", 1),
        (".0001k", 100),
        ("1.", 1_000),
        ("1.G", 1_000_000_000_000),
        // What the grammar allows and reads as zero.
        (".", 0),
    ];
    for (text, want) in cases {
        assert_eq!(milli(text), Ok(*want), "{text}");
        assert_eq!(milli(&format!("-{text}")), Ok(-want), "-{text}");
        assert_eq!(milli(&format!("+{text}")), Ok(*want), "+{text}");
    }
    assert_eq!((milli("-"), milli("+")), (Ok(0), Ok(0)), "a sign alone is zero");
}

// apimachinery's invalid table, and suffixes it does not know.
#[test]
fn what_kubernetes_refuses() {
    let format = ["", "1.1.M", "1+1.0M", "0.1am", "aoeu", " 1", "1 ", "12Zi", "1e3Ki", "0x10", "1_000", "12 Gi"];
    for text in format {
        assert_eq!(milli(text), Err(QuantityError::Format), "{text:?}");
    }
    let suffix = ["0.1mi", ".5i", "1i", "-3.01i", "-3.01e-", "--1", "1K", "1e", "1ee3", "1e2147483648"];
    for text in suffix {
        assert_eq!(milli(text), Err(QuantityError::Suffix), "{text:?}");
    }
}

// Valid and beyond any machine: 10^400 is a quantity (its exponent fits an int32); the engine
// counts it as the most it can.
#[test]
fn quantities_beyond_any_machine_are_the_most_the_engine_counts() {
    for text in
        ["1e400", "1e300", "1e28", "1e2147483647", "5678901256789012345634563456T", "99999999999999999999999999999E"]
    {
        assert_eq!(milli(text), Ok(MAX_MILLI), "{text}");
        assert_eq!(milli(&format!("-{text}")), Ok(-MAX_MILLI), "-{text}");
    }
    assert_eq!(milli("1e-400"), Ok(1), "a positive amount is never rounded to nothing");
    assert_eq!(milli("1e-2147483648"), Ok(1));
    // Past 2^53 thousandths the amount is kube_quantity's float: exact to 15 digits, which is
    // finer than any node's capacity is written.
    for (text, want) in [
        ("1e26", 100_000_000_000_000_000_000_000_000_000i128),
        ("1234567890123456789012", 1_234_567_890_123_456_789_012_000),
        ("123456789012345.678901Ki", 126_419_751_948_641_975_195),
    ] {
        let got = milli(text).unwrap_or_default();
        assert!((got - want).abs() <= want / 1_000_000_000_000_000, "{text}: {got} is not {want}");
    }
    let long = format!("1{}", "0".repeat(100_000));
    assert_eq!(milli(&long), Ok(MAX_MILLI));
    let tiny = format!("0.{}1", "0".repeat(100_000));
    assert_eq!(milli(&tiny), Ok(1));
}
