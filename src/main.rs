fn main() -> std::process::ExitCode {
    kubectl_ds::cli::main()
}
