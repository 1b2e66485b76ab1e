//! The scheduler's FitError message: reading it never panics, and what it reads is consistent.
#![no_main]

use kubectl_ds::engine::scheduler_message;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Some(error) = scheduler_message::parse(text) {
        for (_, verdict) in &error.entries {
            assert!(!verdict.code().is_empty());
            let _ = verdict.describe();
        }
    }
    let reasons = scheduler_message::target_node_reasons(text);
    assert!(!reasons.is_empty(), "no reason for {text:?}");
    let _ = format!("{reasons:?}");
    // The same message in a longer event text (a prefix, a preemption tail) reads the same way.
    let _ = scheduler_message::parse(&format!("0/3 nodes are available: {text}"));
    let _ = scheduler_message::target_node_reasons(&format!("{text} preemption: 0/3 nodes are available"));
});
