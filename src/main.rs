//! `kubectl ds`: the binary only calls the library's command line.
#![forbid(unsafe_code)]

// glibc's allocator spent a fifth of the engine's time consolidating and unlinking the small
// blocks that reports and parsed objects are made of (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    kubectl_ds::cli::main()
}
