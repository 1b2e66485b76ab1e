#!/usr/bin/env bash
# Issue 8's benchmarks, side by side in one run on this machine (not part of the test command):
# `kubectl ds explain` on synthetic dumps of 500 to 5,000 nodes against jq and kubectl reading
# the same file, and the engine alone. Prints Markdown rows for BENCHMARKS.md.
#
#   bash scripts/bench.sh                 # 500 1000 2000 5000 nodes
#   NODES="500 5000" KUBECTL_MAX=1000 bash scripts/bench.sh
#
# KUBECTL_MAX: largest node count kubectl reads (it needs ~10 GB and minutes at 5,000 nodes).
set -euo pipefail
cd "$(dirname "$0")/.."

NODES=${NODES:-"500 1000 2000 5000"}
YAML_NODES=${YAML_NODES:-"500 5000"}
KUBECTL_MAX=${KUBECTL_MAX:-5000}
DIR=${BENCH_DIR:-/tmp/kubectl-ds-bench}
mkdir -p "$DIR"

cargo build --release --quiet --bin kubectl-ds --example generate-cluster --example bench-engine
BIN=target/release/kubectl-ds

# wall seconds and peak RSS (MB) of one command, its output discarded
measure() {
  local times
  times=$(mktemp)
  /usr/bin/time -o "$times" -f "%e %M" "$@" >/dev/null 2>&1 || true
  awk '{ printf "%.2f s, %d MB", $1, $2 / 1024 }' "$times"
  rm -f "$times"
}

dump() { # nodes format
  local file="$DIR/cluster-$1.$2"
  [ -s "$file" ] || target/release/examples/generate-cluster --nodes "$1" --output "$file"
  echo "$file"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; $(jq --version); kubectl $(kubectl version --client -o json | jq -r .clientVersion.gitVersion)"
echo
echo "| nodes | pods | dump | kubectl ds explain | jq '.items \\| length' | kubectl label --local -f DUMP x=y -o name | engine, 10 DaemonSets |"
echo "|---:|---:|---:|---|---|---|---|"
for n in $NODES; do
  file=$(dump "$n" json)
  size=$(du -mL "$file" | cut -f1)
  pods=$(grep -c '"kind": "Pod"' "$file" || true)
  ours=$(measure "$BIN" explain security-agent -n security --from "$file")
  theirs_jq=$(measure jq '.items | length' "$file")
  if [ "$n" -le "$KUBECTL_MAX" ]; then
    theirs_kubectl=$(measure kubectl label --local -f "$file" x=y -o name)
  else
    theirs_kubectl="not run"
  fi
  engine=$(target/release/examples/bench-engine "$file" 20 | sed 's/.*: overview median \([0-9.]* ms\).*/\1 median/')
  echo "| $n | $pods | $size MB | $ours | $theirs_jq | $theirs_kubectl | $engine |"
done
echo
echo "| nodes | YAML dump | kubectl ds explain | kubectl label --local -f DUMP x=y -o name |"
echo "|---:|---:|---|---|"
for n in $YAML_NODES; do
  file=$(dump "$n" yaml)
  size=$(du -mL "$file" | cut -f1)
  ours=$(measure "$BIN" explain security-agent -n security --from "$file")
  if [ "$n" -le "$KUBECTL_MAX" ]; then
    theirs_kubectl=$(measure kubectl label --local -f "$file" x=y -o name)
  else
    theirs_kubectl="not run"
  fi
  echo "| $n | $size MB | $ours | $theirs_kubectl |"
done
