//! Properties every offline-loader target checks.
#![allow(dead_code)]

use kubectl_ds::source::InputError;
use kubectl_ds::source::offline::{self, Located};

/// Lines of a text as an editor counts them: `\n`, `\r\n` and a lone `\r` each end one.
pub fn line_count(bytes: &[u8]) -> u64 {
    let mut lines = 1;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => lines += 1,
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => lines += 1,
            _ => {}
        }
        i += 1;
    }
    lines
}

/// An error names a file, and a line only within that file.
pub fn check_error(error: &InputError, file_lines: impl Fn(&str) -> Option<u64>) {
    assert!(!error.file.is_empty(), "error without a file: {error:?}");
    assert!(!error.message.is_empty(), "error without a message: {error:?}");
    if let Some(line) = error.line {
        let lines = file_lines(&error.file).unwrap_or_else(|| panic!("error names an unknown file: {error:?}"));
        assert!(line >= 1 && line <= lines + 1, "line {line} outside 1..={} : {error:?}", lines + 1);
    }
    // Rendering never panics and starts with the file.
    assert!(error.to_string().starts_with(&error.file));
}

pub fn check_located(located: &[Located], file_lines: impl Fn(&str) -> Option<u64>) {
    for place in located {
        let lines = file_lines(&place.file).unwrap_or_else(|| panic!("located in an unknown file: {}", place.file));
        assert!(place.line >= 1 && place.line <= lines + 1, "DaemonSet at line {} of {lines}", place.line);
        for field in ["", "metadata", "spec", "spec.template.spec", "spec.template.spec.containers[0]"] {
            if let Some(line) = place.fields.line_of(field) {
                assert!(line >= 1 && line <= lines + 1, "field {field:?} at line {line} of {lines}");
            }
        }
    }
}

/// Loads `paths` with both entry points; they must agree and keep every property.
pub fn check_load(paths: &[String], stdin: &[u8], file_lines: impl Fn(&str) -> Option<u64> + Copy) {
    let plain = offline::load(paths, &mut &stdin[..]);
    let located = offline::load_located(paths, &mut &stdin[..]);
    match (&plain, &located) {
        (Ok(a), Ok((b, _))) => {
            assert_eq!(a.nodes.len(), b.nodes.len());
            assert_eq!(a.pods.len(), b.pods.len());
            assert_eq!(a.daemonsets.len(), b.daemonsets.len());
            assert_eq!(a.notes, b.notes);
        }
        (Err(a), Err(b)) if a == b => {}
        // `lint` reads DaemonSets as written and reports what the API server would refuse as
        // findings, so where `load` refuses a DaemonSet, `load_located` reads on.
        (Err(a), _) if a.message.starts_with("DaemonSet") => {}
        _ => panic!("load and load_located disagree: {:?} / {:?}", plain.as_ref().err(), located.as_ref().err()),
    }
    if let Err(e) = &plain {
        check_error(e, file_lines);
    }
    if let Ok((_, located)) = &located {
        check_located(located, file_lines);
    }
}

/// Feeds `bytes` as standard input (`-f -`).
pub fn check_stdin(bytes: &[u8]) {
    let lines = line_count(bytes);
    check_load(&[offline::STDIN.to_string()], bytes, |file| (file == "<stdin>").then_some(lines));
}
