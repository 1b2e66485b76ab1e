#!/usr/bin/env bash
# Issue 8's live benchmark (not part of any test command): `kubectl ds explain` against the local
# control plane of testenv/testenv.sh (Kubernetes v1.20.2) loaded with 500 to 5,000 nodes, side by
# side with the kubectl commands a user runs today to answer the same question, one after the other:
#   kubectl get nodes -o json
#   kubectl get pods -n security -l app.kubernetes.io/name=security-agent -o wide
#   kubectl describe ds security-agent -n security
# Each size gets a fresh control plane. Nodes are the generator's (examples/generate-cluster:
# labels, taints, allocatable, conditions, 40 images), created with their status through the API
# (the node registry keeps status on create, as when a kubelet registers) in the state the node
# lifecycle controller leaves a node whose kubelet stopped posting: conditions Unknown, taint
# node.kubernetes.io/unreachable:NoSchedule (no fake kubelet can heartbeat 5,000 nodes on 2 cores,
# and letting the controller get there itself costs ~4 writes per node at its 20 QPS: 17 minutes at
# 5,000). The DaemonSet is the generator's security-agent; the real DaemonSet controller and
# scheduler make and bind its pods, which stay Pending (no kubelet). Prints Markdown tables on
# stdout (also written to $RUN/results.md); progress on stderr.
#
#   bash scripts/bench-live.sh                      # 500 1000 2000 5000 nodes
#   NODES="500" REPEAT=1 bash scripts/bench-live.sh
#
# Env: NODES (sizes), REPEAT (3: median of), RUN (/tmp/kds-bench-live; RUN/N per size), API_PORT (26443),
# ETCD_PORT (33790, and +1), KDS (target/release/kubectl-ds), GEN (target/release/examples/
# generate-cluster, built when missing), FULL_EVERY (250: one node in 250 has 500m allocatable cpu,
# too little for the agent's 1-cpu request, so its pod stays unschedulable and explain checks the
# fit on it), NODE_STATE (stopped; ready: the generator's Ready nodes, left to the node lifecycle
# controller), KUBECTL (kubectl; a gcloud dispatcher adds a GET /version per call: pass a plain
# kubectl), QUIET_WRITES (15: the server counts as idle when fewer writes than this arrive in 15 s),
# SETUP_TIMEOUT (1500 s per size), KEEP=1 (leave the last control plane running), KDS_ALT (a second
# kubectl-ds binary, e.g. a candidate fix, measured in the same runs), FOREIGN_MAX (0.3: a
# measurement during which processes other than the command and the control plane used more CPU
# than this many cores is taken again, up to RETRIES (4) times, RETRY_WAIT (20) s apart, and the
# attempt with the least of it is kept; the figures are in the notes).
# Everything it starts is stopped on exit (testenv.sh down; OWNER_PID's watchdog if killed).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TESTENV=$ROOT/testenv/testenv.sh
NODES=${NODES:-"500 1000 2000 5000"}
REPEAT=${REPEAT:-3}
RUN=${RUN:-/tmp/kds-bench-live}
export API_PORT=${API_PORT:-26443} ETCD_PORT=${ETCD_PORT:-33790}
KDS=${KDS:-$ROOT/target/release/kubectl-ds}
GEN=${GEN:-$ROOT/target/release/examples/generate-cluster}
FULL_EVERY=${FULL_EVERY:-250}
QUIET_WRITES=${QUIET_WRITES:-15}
NODE_STATE=${NODE_STATE:-stopped}
KUBECTL=${KUBECTL:-kubectl}
SETUP_TIMEOUT=${SETUP_TIMEOUT:-1500}
KEEP=${KEEP:-0}
KDS_ALT=${KDS_ALT:-}
FOREIGN_MAX=${FOREIGN_MAX:-0.3}
RETRIES=${RETRIES:-4}
RETRY_WAIT=${RETRY_WAIT:-20}
NS=security
DS=security-agent
SELECTOR=app.kubernetes.io/name=security-agent

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
trap 'log "error: line $LINENO: $BASH_COMMAND"' ERR
k() { "$KUBECTL" --kubeconfig "$CUR/kubeconfig" "$@"; }

command -v "$KUBECTL" >/dev/null || die "$KUBECTL not found"
# gcloud's kubectl dispatcher runs a real kubectl and adds a GET /version to every call.
if "$KUBECTL" version --client 2>/dev/null | grep -q -- -dispatcher; then
  die "$KUBECTL is gcloud's dispatcher; pass a plain kubectl, e.g. KUBECTL=$(ls "$(dirname "$(readlink -f "$(command -v "$KUBECTL")")")"/kubectl.1.* 2>/dev/null | tail -1)"
fi
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is needed"
[ -x "$KDS" ] || (cd "$ROOT" && cargo build --release --quiet --bin kubectl-ds)
[ -x "$GEN" ] || (cd "$ROOT" && cargo build --release --quiet --example generate-cluster)
SIZES=$(tr ' ' '\n' <<<"$NODES" | grep . | sort -n | uniq | paste -sd' ')
MAX=${SIZES##* }
for port in "$API_PORT" "$ETCD_PORT" "$((ETCD_PORT + 1))"; do
  ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || die "port $port is in use"
done

bash "$TESTENV" build
for old in "$RUN"/*/kube-apiserver.pid; do [ -f "$old" ] && bash "$TESTENV" down "$(dirname "$old")"; done
rm -rf "$RUN"; mkdir -p "$RUN"
CUR=
cleanup() {
  [ -n "$CUR" ] || return 0
  if [ "$KEEP" = 1 ]; then log "KEEP=1: stop it with: bash $TESTENV down $CUR"; else bash "$TESTENV" down "$CUR"; fi
}
trap cleanup EXIT
KUBECTL_VERSION=$("$KUBECTL" version --client -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["clientVersion"]["gitVersion"])')

# --- helpers in Python (stdlib only) -------------------------------------------------------------
cat >"$RUN/load_nodes.py" <<'PY'
"""load_nodes.py DUMP N FULL_EVERY STATE: creates the dump's first N nodes (metadata, spec and
status: the registry keeps a node's status on create, as when a kubelet registers), 8 at a time;
then prints how many of them the DaemonSet wants (linux) and how many of those are full.
STATE stopped: as the node lifecycle controller leaves a node whose kubelet stopped posting."""
import http.client, json, os, ssl, sys, threading, time
from datetime import datetime, timedelta, timezone
dump, hi, full_every, state = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
lo = 0
port, ca = int(os.environ["API_PORT"]), os.environ["CUR"] + "/pki/ca.crt"
now = datetime.now(timezone.utc)
stamp = lambda minutes: (now - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
# The TTL the ttl controller gives every node at this size (its boundaries: 100, 500, 1000, 2000).
ttl = next(t for size, t in ((100, 0), (500, 15), (1000, 30), (2000, 60), (10000, 300), (1 << 31, 600)) if hi <= size)
nodes = [i for i in json.load(open(dump))["items"] if i["kind"] == "Node"]
if hi > len(nodes):
    sys.exit(f"the dump has only {len(nodes)} nodes")

def full(i):
    return full_every > 0 and i % full_every == full_every // 2

def prepare(i, node):
    meta = node["metadata"]
    for field in ("uid", "resourceVersion", "creationTimestamp"):
        meta.pop(field, None)
    if full(i):
        node["status"]["allocatable"]["cpu"] = "500m"
    meta.setdefault("annotations", {})["node.alpha.kubernetes.io/ttl"] = str(ttl)
    if state == "stopped":
        for c in node["status"]["conditions"]:
            c.update(status="Unknown", reason="NodeStatusUnknown", message="Kubelet stopped posting node status.",
                     lastHeartbeatTime=stamp(3), lastTransitionTime=stamp(2))
        spec = node["spec"]
        taints = [t for t in spec.get("taints", []) if t["key"] != "node.kubernetes.io/not-ready"]
        taints.append({"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule", "timeAdded": stamp(2)})
        spec["taints"] = taints
    return json.dumps(node).encode()

work = list(range(lo, hi))
lock, errors = threading.Lock(), []

def worker():
    ctx = ssl.create_default_context(cafile=ca)
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx)
    headers = {"Authorization": "Bearer admin-token", "Content-Type": "application/json", "User-Agent": "bench-live-loader"}
    while True:
        with lock:
            if not work or errors:
                return
            i = work.pop()
        body = prepare(i, nodes[i])
        for attempt in range(6):
            try:
                conn.request("POST", "/api/v1/nodes", body, headers)
                resp = conn.getresponse(); text = resp.read()
                if resp.status in (201, 409):
                    break
                if resp.status != 429 and resp.status < 500:
                    with lock: errors.append(f"node {i}: {resp.status} {text[:300]!r}")
                    return
            except (OSError, http.client.HTTPException):
                conn.close(); conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx)
            time.sleep(0.2 * 2 ** attempt)
        else:
            with lock: errors.append(f"node {i}: gave up")
            return

threads = [threading.Thread(target=worker) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
if errors:
    sys.exit("\n".join(errors[:5]))
linux = [i for i in range(hi) if nodes[i]["metadata"]["labels"].get("kubernetes.io/os") == "linux"]
print(len(linux), sum(1 for i in linux if full(i)))
PY

cat >"$RUN/audit.py" <<'PY'
"""audit.py LOG FROM TO USER: the requests USER made in bytes FROM..TO of the audit log: one line
of totals (requests, lists, pages, span of the first request to the last answer, summed
server-side latency), then one line per request."""
import json, sys, urllib.parse
from datetime import datetime
log, lo, hi, user = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
with open(log, "rb") as f:
    f.seek(lo); data = f.read(hi - lo)
def ts(s): return datetime.fromisoformat(s.replace("Z", "+00:00"))
events = []
for line in data.splitlines():
    try: e = json.loads(line)
    except ValueError: continue
    if e.get("user", {}).get("username") != user or e.get("stage") != "ResponseComplete": continue
    events.append(e)
events.sort(key=lambda e: e["requestReceivedTimestamp"])
if not events:
    print("no requests"); sys.exit()
start = ts(events[0]["requestReceivedTimestamp"]); end = max(ts(e["stageTimestamp"]) for e in events)
lat = lambda e: (ts(e["stageTimestamp"]) - ts(e["requestReceivedTimestamp"])).total_seconds()
pages = [e for e in events if e["verb"] == "list"]
firsts = [e for e in pages if "continue=" not in e["requestURI"]]
print(f"{len(events)} requests ({len(firsts)} lists in {len(pages)} pages), "
      f"{(end - start).total_seconds():.2f} s from first request to last answer, "
      f"{sum(lat(e) for e in events):.2f} s summed server latency; agent {events[0].get('userAgent', '?')}")
for e in events:
    uri = urllib.parse.unquote(e["requestURI"])
    if "continue=" in uri:
        head, _, rest = uri.partition("continue=")
        uri = head + "continue=…" + ("&" + rest.split("&", 1)[1] if "&" in rest else "")
    at = (ts(e["requestReceivedTimestamp"]) - start).total_seconds()
    print(f"  +{at:6.3f} s {lat(e):6.3f} s {e['responseStatus'].get('code')} {e['verb']:5} {uri}")
PY

HZ=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
cp_ticks() { local c s=0; for c in kube-apiserver kube-controller-manager kube-scheduler etcd; do s=$((s + $(ticks "$(cat "$CUR/$c.pid")"))); done; echo "$s"; }

# CPU the control plane burns while idle, over 10 s (percent of one core, per process).
idle_cpu() {
  local c pids=() t0=() t1=() i out=""
  for c in kube-apiserver kube-controller-manager kube-scheduler etcd; do pids+=("$(cat "$CUR/$c.pid")"); done
  for i in "${!pids[@]}"; do t0[i]=$(ticks "${pids[i]}"); done
  sleep 10
  for i in "${!pids[@]}"; do t1[i]=$(ticks "${pids[i]}"); done
  local names=(apiserver controller-manager scheduler etcd)
  for i in "${!pids[@]}"; do out+="${names[i]} $(( (t1[i] - t0[i]) * 100 / HZ / 10 ))%, "; done
  echo "${out%, }"
}

# Wait until the server is idle: fewer than QUIET_WRITES writes (create, update, patch, delete)
# in 15 s, as the audit log sees them.
wait_quiet() {
  local deadline=$((SECONDS + SETUP_TIMEOUT)) before writes top
  while :; do
    before=$(stat -c %s "$CUR/audit.log"); sleep 15
    read -r writes top < <(tail -c +$((before + 1)) "$CUR/audit.log" | python3 -c '
import json, sys, collections
c = collections.Counter()
for l in sys.stdin:
    try: e = json.loads(l)
    except ValueError: continue
    if e["verb"] not in ("create", "update", "patch", "delete", "deletecollection"): continue
    r = e.get("objectRef", {})
    c[(e["user"]["username"].split(":")[-1], e["verb"], r.get("resource", "") + ("/" + r["subresource"] if r.get("subresource") else ""))] += 1
print(sum(c.values()), "; ".join(f"{u} {v} {r} x{n}" for (u, v, r), n in c.most_common(3)))')
    [ "$writes" -lt "$QUIET_WRITES" ] && return 0
    if [ $SECONDS -gt "$deadline" ]; then log "  still busy, measuring anyway: $writes writes in 15 s ($top)"; BUSY=1; return 0; fi
    log "  server busy: $writes writes in 15 s ($top)"
  done
}

# GNU time of one command, output discarded: "WALL RSS_KB FOREIGN"; fails on a non-zero exit.
# FOREIGN: cores used meanwhile by processes other than the command and the control plane (this
# machine may be shared); above FOREIGN_MAX the measurement is taken again, RETRY_WAIT s later, up
# to RETRIES attempts, and the attempt with the least foreign CPU is kept (under a steady foreign
# load, e.g. a compile, the last attempt is no better than the first).
measure() {
  local t attempt b0 c0 b1 c1 wall rss user sys foreign best=
  t=$(mktemp)
  for attempt in $(seq 1 "$RETRIES"); do
    b0=$(busy_ticks); c0=$(cp_ticks)
    if ! /usr/bin/time -f "%e s %M KB %U %S" -o "$t" "$@" >/dev/null 2>>"$CUR/bench-stderr.log"; then
      cat "$t" >&2; rm -f "$t"; die "failed: $* (see $CUR/bench-stderr.log)"
    fi
    b1=$(busy_ticks); c1=$(cp_ticks)
    read -r wall _ rss _ user sys < <(grep ' KB ' "$t")
    foreign=$(awk -v b=$((b1 - b0)) -v c=$((c1 - c0)) -v hz="$HZ" -v u="$user" -v s="$sys" -v w="$wall" \
      'BEGIN { f = (b - c) / hz - u - s; if (f < 0) f = 0; printf "%.2f", (w > 0 ? f / w : 0) }')
    if [ -z "$best" ] || awk -v f="$foreign" -v b="${best##* }" 'BEGIN { exit !(f < b) }'; then best="$wall $rss $foreign"; fi
    awk -v f="$foreign" -v m="$FOREIGN_MAX" 'BEGIN { exit !(f <= m) }' && break
    if [ "$attempt" = "$RETRIES" ]; then
      log "  other processes used $foreign cores during ${key:-$1} (${wall} s); keeping the attempt with ${best##* }"; break
    fi
    log "  other processes used $foreign cores during ${key:-$1} (${wall} s); again in $RETRY_WAIT s"; sleep "$RETRY_WAIT"
  done
  rm -f "$t"; echo "$best"
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
fmt() { # "WALLS" "RSSES" → "1.23 s, 45 MB"
  local w r; w=$(tr ' ' '\n' <<<"$1" | grep . | median); r=$(tr ' ' '\n' <<<"$2" | grep . | median)
  awk -v w="$w" -v r="$r" 'BEGIN { printf "%.2f s, %d MB", w, r / 1024 }'
}

sequence() {
  "$KUBECTL" --kubeconfig "$CUR/kubeconfig" get nodes -o json
  "$KUBECTL" --kubeconfig "$CUR/kubeconfig" get pods -n "$NS" -l "$SELECTOR" -o wide
  "$KUBECTL" --kubeconfig "$CUR/kubeconfig" describe ds "$DS" -n "$NS"
}
export -f sequence; export KUBECTL NS DS SELECTOR

DUMP=$RUN/nodes-$MAX.json
log "generating $MAX nodes with $GEN"
"$GEN" --nodes "$MAX" --pods-per-node 0 --daemonsets 0 --output "$DUMP"

# --- each size: a fresh control plane ------------------------------------------------------------
ROWS=() AUDIT_ROWS=() NOTES=()
for n in $SIZES; do
  CUR=$RUN/$n; export CUR
  log "== $n nodes: starting the control plane in $CUR (API on 127.0.0.1:$API_PORT)"
  started=$SECONDS
  if [ "$KEEP" = 1 ]; then bash "$TESTENV" up "$CUR"; else OWNER_PID=$$ bash "$TESTENV" up "$CUR"; fi
  SERVER_VERSION=$(k version -o json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["serverVersion"]["gitVersion"])')
  k create namespace "$NS" >/dev/null
  k create serviceaccount "$DS" -n "$NS" >/dev/null
  # The generator's security-agent (1 cpu, nodeSelector kubernetes.io/os=linux, tolerates every
  # taint, system-node-critical), as applied by a user.
  k apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: $DS
  namespace: $NS
  labels: {app.kubernetes.io/name: $DS}
spec:
  revisionHistoryLimit: 10
  selector:
    matchLabels: {app.kubernetes.io/name: $DS}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 1}
  template:
    metadata:
      labels: {app.kubernetes.io/name: $DS}
    spec:
      serviceAccountName: $DS
      priorityClassName: system-node-critical
      nodeSelector: {kubernetes.io/os: linux}
      tolerations: [{operator: Exists}]
      containers:
      - name: $DS
        image: registry.example.com/security/security-agent:v2.10
        args: [--log-level=info, --metrics-bind-address=:8080, --node-name=\$(NODE_NAME)]
        env:
        - name: NODE_NAME
          valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
        resources:
          requests: {cpu: "1", memory: 128Mi}
          limits: {memory: 256Mi}
        securityContext: {privileged: true}
        volumeMounts: [{name: host-root, mountPath: /host, readOnly: true}]
      volumes:
      - name: host-root
        hostPath: {path: /}
YAML
  log "  creating $n nodes"
  loaded=$(python3 "$RUN/load_nodes.py" "$DUMP" "$n" "$FULL_EVERY" "$NODE_STATE")
  read -r want full <<<"$loaded"
  log "  nodes created in $((SECONDS - started)) s; the DaemonSet wants $want ($full without room for it)"
  deadline=$((SECONDS + SETUP_TIMEOUT))
  while :; do
    read -r d c < <(k get ds "$DS" -n "$NS" -o jsonpath='{.status.desiredNumberScheduled} {.status.currentNumberScheduled}{"\n"}')
    [ "${d:-0}" = "$want" ] && [ "${c:-0}" = "$want" ] && break
    [ $SECONDS -gt "$deadline" ] && die "the DaemonSet controller has $c of $want pods after $SETUP_TIMEOUT s"
    log "  DaemonSet: desired ${d:-0}, current ${c:-0} of $want"; sleep 10
  done
  log "  controller made $want pods ($((SECONDS - started)) s into the setup); waiting for the scheduler"
  while :; do
    left=$(k get pods -n "$NS" -l "$SELECTOR" -o jsonpath='{range .items[*]}{.spec.nodeName}{"|"}{.status.conditions[?(@.type=="PodScheduled")].status}{"\n"}{end}' \
      | awk -F'|' '$1 == "" && $2 != "False"' | wc -l)
    [ "$left" = 0 ] && break
    [ $SECONDS -gt "$deadline" ] && die "$left pods still not scheduled after $SETUP_TIMEOUT s"
    log "  scheduler: $left pods not tried yet"; sleep 10
  done
  log "  every pod bound or unschedulable ($((SECONDS - started)) s); waiting for the server to go idle"
  BUSY=0; wait_quiet
  log "  setup of $n nodes took $((SECONDS - started)) s"
  pods=$(k get pods -n "$NS" -l "$SELECTOR" -o name | wc -l)
  bound=$(k get pods -n "$NS" -l "$SELECTOR" --field-selector spec.nodeName!= -o name | wc -l)
  notready=$(k get nodes --no-headers | awk '$2 !~ /^Ready/' | wc -l)
  cpu=$(idle_cpu)
  curlq() { curl -sf --cacert "$CUR/pki/ca.crt" -H 'Authorization: Bearer admin-token' "https://127.0.0.1:$API_PORT$1"; }
  mb_nodes=$(curlq /api/v1/nodes | wc -c | awk '{printf "%.1f", $1 / 1048576}')
  mb_pods=$(curlq "/api/v1/namespaces/$NS/pods?labelSelector=$SELECTOR" | wc -c | awk '{printf "%.1f", $1 / 1048576}')
  busy=; [ "$BUSY" = 1 ] && busy="; the server was NOT idle when measured"
  NOTES+=("$n nodes: $pods pods ($bound bound, the rest unschedulable), $notready nodes not Ready; node list $mb_nodes MB of JSON, pod list $mb_pods MB; idle CPU: $cpu$busy; setup $((SECONDS - started)) s")

  # explain -o json reports every node?
  reported=$("$KDS" explain "$DS" -n "$NS" --kubeconfig "$CUR/kubeconfig" -o json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["nodes"]))')
  [ "$reported" = "$n" ] || die "explain -o json reported $reported nodes of $n"
  # ... and so does the table measured below: its summary line and one row per node of the server.
  "$KDS" explain "$DS" -n "$NS" --kubeconfig "$CUR/kubeconfig" --color never >"$CUR/explain.txt"
  summary=$(sed -n 's/^Nodes: *\([0-9]*\) nodes.*/\1/p' "$CUR/explain.txt")
  rows=$(awk 'NR == FNR { sub("^node/", ""); name[$0] = 1; next } $1 in name { n++ } END { print n + 0 }' \
    <(k get nodes -o name) "$CUR/explain.txt")
  [ "$summary" = "$n" ] && [ "$rows" = "$n" ] || die "explain's table: summary $summary nodes, $rows node rows, of $n"
  log "  explain reports every node: $(grep '^Nodes:' "$CUR/explain.txt")"
  k get nodes -o json >/dev/null; k describe ds "$DS" -n "$NS" >/dev/null   # warm kubectl's discovery cache

  # One explain run and one kubectl sequence, each request as the audit log saw it.
  a0=$(stat -c %s "$CUR/audit.log"); "$KDS" explain "$DS" -n "$NS" --kubeconfig "$CUR/kubeconfig" >/dev/null
  sleep 1; a1=$(stat -c %s "$CUR/audit.log"); bash -c sequence >/dev/null; sleep 1; a2=$(stat -c %s "$CUR/audit.log")
  python3 "$RUN/audit.py" "$CUR/audit.log" "$a0" "$a1" admin >"$CUR/audit-explain.txt"
  python3 "$RUN/audit.py" "$CUR/audit.log" "$a1" "$a2" admin >"$CUR/audit-kubectl.txt"
  AUDIT_ROWS+=("| $n | $(head -1 "$CUR/audit-explain.txt") | $(head -1 "$CUR/audit-kubectl.txt") |")

  declare -A W=() R=()
  FOREIGN=()
  for r in $(seq 1 "$REPEAT"); do
    log "  run $r of $REPEAT"
    # measure runs in a process substitution, where its die cannot stop the script: check its line.
    add() { local key=$1 w= rss= f=; shift; read -r w rss f < <(measure "$@") || true
            [ -n "$f" ] || die "measuring $key failed (see $CUR/bench-stderr.log)"
            log "    $key: $w s, $((rss / 1024)) MB, other processes $f cores"
            W[$key]+=" $w"; R[$key]+=" $rss"; FOREIGN+=("$f"); }
    add explain "$KDS" explain "$DS" -n "$NS" --kubeconfig "$CUR/kubeconfig"
    [ -z "$KDS_ALT" ] || add alt "$KDS_ALT" explain "$DS" -n "$NS" --kubeconfig "$CUR/kubeconfig"
    add json "$KDS" explain "$DS" -n "$NS" --kubeconfig "$CUR/kubeconfig" -o json
    add seq bash -c sequence
    add nodes "$KUBECTL" --kubeconfig "$CUR/kubeconfig" get nodes -o json
    add pods "$KUBECTL" --kubeconfig "$CUR/kubeconfig" get pods -n "$NS" -l "$SELECTOR" -o wide
    add describe "$KUBECTL" --kubeconfig "$CUR/kubeconfig" describe ds "$DS" -n "$NS"
  done
  alt=; [ -z "$KDS_ALT" ] || alt=" $(fmt "${W[alt]}" "${R[alt]}") |"
  worst=$(printf '%s\n' "${FOREIGN[@]}" | sort -n | tail -1); typical=$(printf '%s\n' "${FOREIGN[@]}" | median)
  NOTES[-1]+="; other processes used $typical cores during the median measurement kept, $worst at most"
  ROWS+=("| $n | $pods | $(fmt "${W[explain]}" "${R[explain]}") |$alt $(fmt "${W[json]}" "${R[json]}"), $reported nodes | $(fmt "${W[nodes]}" "${R[nodes]}") | $(fmt "${W[pods]}" "${R[pods]}") | $(fmt "${W[describe]}" "${R[describe]}") | $(fmt "${W[seq]}" "${R[seq]}") |")
  log "  ${ROWS[-1]}"
  unset W R
  if [ "$KEEP" != 1 ] || [ "$n" != "$MAX" ]; then bash "$TESTENV" down "$CUR"; CUR=; fi
done

{
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; control plane $SERVER_VERSION (testenv.sh); kubectl $KUBECTL_VERSION; $("$KDS" version --client 2>/dev/null | head -1 || echo kubectl-ds); median of $REPEAT runs (wall, peak RSS)"
  echo
  if [ -n "$KDS_ALT" ]; then
    echo "| nodes | pods | kubectl ds explain | $(basename "$KDS_ALT") explain | kubectl ds explain -o json | kubectl get nodes -o json | kubectl get pods -l -o wide | kubectl describe ds | kubectl, the three in a row |"
    echo "|---:|---:|---|---|---|---|---|---|---|"
  else
    echo "| nodes | pods | kubectl ds explain | kubectl ds explain -o json | kubectl get nodes -o json | kubectl get pods -l -o wide | kubectl describe ds | kubectl, the three in a row |"
    echo "|---:|---:|---|---|---|---|---|---|"
  fi
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "One run of each as the audit log saw it (requests by user admin):"
  echo
  echo "| nodes | kubectl ds explain | kubectl, the three in a row |"
  echo "|---:|---|---|"
  printf '%s\n' "${AUDIT_ROWS[@]}"
  echo
  printf -- '- %s\n' "${NOTES[@]}"
} | tee "$RUN/results.md"
log "per-request audit listings: $RUN/N/audit-explain.txt, $RUN/N/audit-kubectl.txt"
