#!/usr/bin/env bash
# The project's one test command (README, CI): installs what the tests need on a fresh
# machine, then checks formatting and lints and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The CLI tests run `kubectl ds ...` through a real kubectl.
if ! command -v kubectl >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root apt-get install -y -qq kubernetes-client
fi

# The live tests start a real control plane (Kubernetes 1.20 built from Debian's source
# package, cached in ~/.cache/k8s-testenv: minutes the first time, instant afterwards).
bash testenv/testenv.sh build

# Licenses, banned crates and sources of every dependency (deny.toml). The advisories check needs
# the RustSec database from GitHub, which CI cannot reach: the release workflow runs it. cargo-deny
# is built only when missing, unoptimised: its release profile (fat LTO, one codegen unit) takes
# about 8 minutes on 2 cores, this about 2.5, and the check still runs in seconds.
if ! cargo deny --version >/dev/null 2>&1; then
  CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 CARGO_PROFILE_RELEASE_LTO=false \
    CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_INCREMENTAL=false \
    cargo install cargo-deny --locked --version 0.20.2
fi

cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings
cargo deny --locked check licenses bans sources
cargo test --locked --all-targets
