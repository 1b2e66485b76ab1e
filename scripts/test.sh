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

cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings
cargo test --locked --all-targets
