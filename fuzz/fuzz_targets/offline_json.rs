//! JSON value streams on standard input: objects back to back, arrays, cluster-info dump stdout
//! with its log banners.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Keep this target on the JSON reader: the content, not the name, picks the format.
    let first = data.iter().find(|b| !b.is_ascii_whitespace());
    if matches!(first, Some(b'{' | b'[')) {
        common::check_stdin(data);
    } else {
        let mut bytes = b"{}\n".to_vec();
        bytes.extend_from_slice(data);
        common::check_stdin(&bytes);
    }
});
