//! `kubectl ds`: the binary only calls the library's command line.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    kubectl_ds::cli::main()
}
