//! YAML streams on standard input: `---` splitting, every document parsed, typed and located.
#![no_main]

mod common;

use kubectl_ds::source::positions::FieldLines;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // A leading `{` or `[` sends the input to the JSON reader: keep this target on YAML.
    let mut bytes = b"# yaml\n".to_vec();
    bytes.extend_from_slice(data);
    common::check_stdin(&bytes);
    // Field positions of any text: never panic, never a line outside the text.
    if let Ok(text) = std::str::from_utf8(&bytes) {
        let lines = common::line_count(&bytes);
        let fields = FieldLines::of_yaml(text, 1);
        for field in ["", "metadata", "metadata.name", "spec", "items[0]", "spec.template.spec.containers[0]"] {
            if let Some(line) = fields.line_of(field) {
                assert!(line >= 1 && line <= lines + 1, "{field:?} at line {line} of {lines}");
            }
        }
        let _ = fields.below("items[0]").line_of("");
    }
});
