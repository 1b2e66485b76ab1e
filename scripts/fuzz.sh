#!/usr/bin/env bash
# Runs every cargo-fuzz target under fuzz/ for SECONDS each (default 60), one after another, and
# prints a table of executions, coverage and result. Exits non-zero when any target crashed.
# Not part of .ci/run: it takes minutes and needs libFuzzer's nightly flags, which
# RUSTC_BOOTSTRAP=1 unlocks on the stable toolchain.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Crash inputs land in fuzz/artifacts/TARGET/; logs in fuzz/logs/TARGET.log; the corpus grows in
# fuzz/corpus/TARGET/ (only the seed-* files there are committed).
set -uo pipefail
cd "$(dirname "$0")/../fuzz"

seconds=${1:-60}
shift || true
export RUSTC_BOOTSTRAP=1
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-2}
# No sanitizer by default: the code under test is safe Rust, and AddressSanitizer halves the
# executions. FUZZ_SANITIZER=address turns it on.
sanitizer=${FUZZ_SANITIZER:-none}

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked -j "$CARGO_BUILD_JOBS" || exit 2
fi

if [ "$#" -gt 0 ]; then targets=("$@"); else mapfile -t targets < <(cargo fuzz list); fi

# -a: debug assertions, so integer overflow panics as in a debug build.
cargo fuzz build -s "$sanitizer" -a || exit 2

mkdir -p logs
failed=0
rows=()
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  log="logs/$target.log"
  start=$(date +%s)
  cargo fuzz run -s "$sanitizer" -a "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=4096 -print_final_stats=1 >"$log" 2>&1
  status=$?
  elapsed=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  corpus=$(find "corpus/$target" -type f | wc -l)
  if [ "$status" -eq 0 ]; then
    result=ok
  else
    failed=1
    artifact=$(grep -oE 'artifacts/[^ ]+' "$log" | tail -1)
    result="CRASH (exit $status) ${artifact:-see $log}"
  fi
  rows+=("$(printf '%-18s %6ss %11s %7s %6s %6s %7s  %s' "$target" "$elapsed" "${execs:-?}" "${rate:-?}" \
    "${cov:-?}" "${ft:-?}" "$corpus" "$result")")
done

printf '%-18s %7s %11s %7s %6s %6s %7s  %s\n' target time execs exec/s cov ft corpus result
printf '%s\n' "${rows[@]}"
exit "$failed"
