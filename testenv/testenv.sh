#!/usr/bin/env bash
# A real Kubernetes control plane on 127.0.0.1 for kubectl-ds's live tests: kube-apiserver,
# kube-controller-manager and kube-scheduler v1.20.2 built from Debian bookworm's `kubernetes`
# source package, Debian's etcd, and fake nodes kept alive by fake_kubelet.py.
#
#   deps              apt-get what building and running need (Go, etcd, openssl, curl, python3)
#   build             build the three binaries once into $KDS_TESTENV_CACHE/bin (minutes, cached)
#   up RUN            start etcd + apiserver (+ controllers unless CONTROLLERS=0); writes RUN/kubeconfig*
#   nodes RUN N       create fake-node-1..N and start the fake kubelet; waits until they are Ready
#   down RUN          stop everything `up` started, by the pids it recorded
#
# Env: KDS_TESTENV_CACHE (~/.cache/k8s-testenv), API_PORT (16443), ETCD_PORT (23790; ETCD_PORT+1 is
# used too), CONTROLLERS (1), OWNER_PID: when set, a watchdog runs `down` once that process exits, so
# a test binary that dies leaves nothing running.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${KDS_TESTENV_CACHE:-${K8S_TESTENV_CACHE:-$HOME/.cache/k8s-testenv}}
BIN=$CACHE/bin
VERSION=v1.20.2
COMMANDS="kube-apiserver kube-controller-manager kube-scheduler"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

deps() {
  local need=()
  command -v go >/dev/null || need+=(golang-go)
  command -v etcd >/dev/null || need+=(etcd-server etcd-client)
  [ -d /usr/share/gocode/src/github.com/modern-go/reflect2 ] || need+=(golang-github-modern-go-reflect2-dev)
  command -v openssl >/dev/null || need+=(openssl)
  command -v curl >/dev/null || need+=(curl ca-certificates)
  command -v python3 >/dev/null || need+=(python3)
  [ ${#need[@]} = 0 ] && return
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
}

build() {
  if [ -f "$BIN/.built-$VERSION" ]; then return; fi
  deps
  local W=$CACHE/work
  rm -rf "$W"; mkdir -p "$W/apt/lists/partial" "$W/apt/parts" "$W/dl" "$BIN"
  # Source entries from the machine's own Debian sources, so no other host is contacted.
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$W/apt/parts/src.sources"
  else
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >"$W/apt/parts/src.list"
  fi
  local apt=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$W/apt/parts" -o Dir::State::Lists="$W/apt/lists")
  apt-get "${apt[@]}" update -qq
  (cd "$W/dl" && apt-get "${apt[@]}" source --download-only kubernetes >/dev/null 2>&1)
  mkdir -p "$W/gopath/src/k8s.io"
  tar xzf "$W"/dl/kubernetes_*.orig.tar.gz -C "$W/gopath/src/k8s.io"
  mv "$W"/gopath/src/k8s.io/kubernetes-* "$W/gopath/src/k8s.io/kubernetes"
  cd "$W/gopath/src/k8s.io/kubernetes"
  # The vendored reflect2 1.0.1 crashes under Go >= 1.18; Debian ships a fixed one.
  rm -rf vendor/github.com/modern-go/reflect2 && mkdir -p vendor/github.com/modern-go/reflect2
  cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.{go,s} vendor/github.com/modern-go/reflect2/
  export GO111MODULE=off GOPATH=$W/gopath GOCACHE=$W/gocache CGO_ENABLED=0 GOFLAGS=
  # Upstream generates pkg/generated/openapi at build time; so do we.
  go build -o "$W/openapi-gen" ./vendor/k8s.io/kube-openapi/cmd/openapi-gen
  local dirs
  dirs=$(grep -Rl --include='*.go' '+k8s:openapi-gen=' pkg vendor/k8s.io \
    | grep -v -E '^vendor/k8s.io/(code-generator|sample-apiserver)/|_test\.go$' | xargs -n1 dirname \
    | LC_ALL=C sort -u | sed 's|^|k8s.io/kubernetes/|' | paste -sd, -)
  "$W/openapi-gen" --logtostderr -i "$dirs" -p k8s.io/kubernetes/pkg/generated/openapi -O zz_generated.openapi \
    -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt -r "$W/violations.report" -o "$GOPATH/src" 2>/dev/null
  local ldflags="-s -w" pkg kv
  for pkg in vendor/k8s.io/client-go/pkg/version vendor/k8s.io/component-base/version; do
    for kv in gitVersion=$VERSION gitMajor=1 gitMinor=20 gitTreeState=clean buildDate=2021-01-13T00:00:00Z \
              gitCommit=faecb196815e248d3ecfb03c680a4507229c2a56; do ldflags="$ldflags -X k8s.io/kubernetes/$pkg.$kv"; done
  done
  local c; for c in $COMMANDS; do go build -ldflags "$ldflags" -o "$BIN/$c" "./cmd/$c"; done
  touch "$BIN/.built-$VERSION"
  cd /; rm -rf "$W"
}

pki() { # a throwaway CA, serving and client certificates, service-account keys, static tokens
  local dir=$1; mkdir -p "$dir"; [ -f "$dir/ca.crt" ] && return
  ( cd "$dir"
    ssl() { openssl "$@" 2>/dev/null; }
    sign() { ssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -out "$1.crt" -extfile <(printf '%b' "$2"); rm "$1.csr"; }
    client() { ssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2"
               sign "$1" 'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth'; }
    ssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=kubectl-ds-test-ca"
    ssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver"
    sign apiserver 'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default'
    client admin "/CN=admin/O=system:masters"
    client controller-manager "/CN=system:kube-controller-manager"
    client scheduler "/CN=system:kube-scheduler"
    ssl genrsa -out sa.key 2048; ssl rsa -in sa.key -pubout -out sa.pub
    # token,user,uid,"groups": admin; a namespace-scoped viewer (tests grant it RBAC); nobody.
    printf 'admin-token,token-admin,1000,"system:masters"\nviewer-token,viewer,1001,"test-viewers"\nnobody-token,nobody,1002,\n' >tokens.csv )
}

write_kubeconfig() { # FILE USER-YAML
  cat >"$1" <<K
apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $(base64 -w0 "$PKI/ca.crt")
users:
- name: test-user
  user:
$2
contexts:
- name: test
  context: {cluster: test, user: test-user, namespace: default}
current-context: test
K
}

wait_for() { # SECONDS COMMAND...: poll every 0.1 s
  local tries=$(( $1 * 10 )); shift
  local i; for i in $(seq 1 "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1
}

up() {
  RUN=$(mkdir -p "$1" && cd "$1" && pwd); PKI=$RUN/pki
  API_PORT=${API_PORT:-16443}; ETCD_PORT=${ETCD_PORT:-23790}
  [ -x "$BIN/kube-apiserver" ] || { echo "control plane not built: run $0 build" >&2; return 1; }
  mkdir -p "$RUN/logs"; pki "$PKI"
  cat >"$RUN/audit-policy.yaml" <<'P'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
P
  etcd --name test --data-dir "$RUN/etcd" --logger=zap \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    --initial-cluster "test=http://127.0.0.1:$((ETCD_PORT + 1))" >"$RUN/logs/etcd.log" 2>&1 &
  echo $! >"$RUN/etcd.pid"
  local admission=()
  [ "${CONTROLLERS:-1}" = 1 ] || admission=(--disable-admission-plugins=ServiceAccount)
  "$BIN/kube-apiserver" --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" --insecure-port=0 \
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --client-ca-file="$PKI/ca.crt" --token-auth-file="$PKI/tokens.csv" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --service-cluster-ip-range=10.0.0.0/24 --authorization-mode=RBAC --allow-privileged=true \
    --endpoint-reconciler-type=none --cert-dir="$RUN/certs" --profiling=false \
    --audit-policy-file="$RUN/audit-policy.yaml" --audit-log-path="$RUN/audit.log" --audit-log-format=json \
    "${admission[@]}" >"$RUN/logs/kube-apiserver.log" 2>&1 &
  echo $! >"$RUN/kube-apiserver.pid"
  if [ -n "${OWNER_PID:-}" ]; then
    # The watchdog outlives this script and the test that ran it, and cleans up after both.
    nohup setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; exec bash "$2" down "$3"' \
      _ "$OWNER_PID" "$HERE/testenv.sh" "$RUN" >/dev/null 2>&1 &
  fi
  certs() { printf '    client-certificate-data: %s\n    client-key-data: %s\n' "$(base64 -w0 "$PKI/$1.crt")" "$(base64 -w0 "$PKI/$1.key")"; }
  write_kubeconfig "$RUN/kubeconfig" "$(certs admin)"
  write_kubeconfig "$RUN/kubeconfig-cm" "$(certs controller-manager)"
  write_kubeconfig "$RUN/kubeconfig-sched" "$(certs scheduler)"
  local t; for t in admin viewer nobody; do write_kubeconfig "$RUN/kubeconfig-$t-token" "    token: $t-token"; done
  write_kubeconfig "$RUN/kubeconfig-bad-token" "    token: not-a-token"
  ready() { curl -sf --cacert "$PKI/ca.crt" -H 'Authorization: Bearer admin-token' "https://127.0.0.1:$API_PORT/readyz"; }
  if ! wait_for 60 ready; then tail -20 "$RUN/logs/kube-apiserver.log" >&2; return 1; fi
  if [ "${CONTROLLERS:-1}" = 1 ]; then
    "$BIN/kube-controller-manager" --kubeconfig="$RUN/kubeconfig-cm" --leader-elect=false --controllers='*' \
      --use-service-account-credentials=true --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
      --node-monitor-period=1s --node-monitor-grace-period=10s --bind-address=127.0.0.1 --secure-port=0 --port=0 \
      >"$RUN/logs/kube-controller-manager.log" 2>&1 &
    echo $! >"$RUN/kube-controller-manager.pid"
    "$BIN/kube-scheduler" --kubeconfig="$RUN/kubeconfig-sched" --leader-elect=false \
      --bind-address=127.0.0.1 --secure-port=0 --port=0 >"$RUN/logs/kube-scheduler.log" 2>&1 &
    echo $! >"$RUN/kube-scheduler.pid"
    # The service-account controller making default/default means the controllers run.
    sa() { KUBECONFIG=$RUN/kubeconfig kubectl -n default get serviceaccount default; }
    wait_for 60 sa || { echo "controllers did not start" >&2; return 1; }
  fi
}

nodes() { # RUN N
  RUN=$(cd "$1" && pwd); local n=${2:-3} i
  for i in $(seq 1 "$n"); do
    printf -- '---\napiVersion: v1\nkind: Node\nmetadata:\n  name: fake-node-%s\n  labels: {kubernetes.io/hostname: fake-node-%s, kubernetes.io/os: linux, type: fake}\n' "$i" "$i"
  done | KUBECONFIG=$RUN/kubeconfig kubectl apply -f - >/dev/null
  if [ ! -f "$RUN/fake-kubelet.pid" ]; then
    python3 "$HERE/fake_kubelet.py" "$RUN/kubeconfig" >"$RUN/logs/fake-kubelet.log" 2>&1 &
    echo $! >"$RUN/fake-kubelet.pid"
  fi
  # Ready once the node lifecycle controller has lifted the not-ready taints.
  all_ready() {
    ! KUBECONFIG=$RUN/kubeconfig kubectl get nodes -l type=fake -o \
      jsonpath='{range .items[*]}{.spec.taints}{" ready="}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' \
      | grep -q -E 'node.kubernetes.io/not-ready|ready=$|ready=[^T]'
  }
  wait_for 60 all_ready || { echo "fake nodes not Ready in 60 s" >&2; return 1; }
}

down() {
  RUN=$1; local c pid pids=() i
  alive() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${st:0:1}" != Z ]; }
  for c in fake-kubelet kube-scheduler kube-controller-manager kube-apiserver etcd; do
    [ -f "$RUN/$c.pid" ] || continue
    pid=$(cat "$RUN/$c.pid"); rm -f "$RUN/$c.pid"
    kill "$pid" 2>/dev/null && pids+=("$pid") || true
  done
  for pid in "${pids[@]}"; do
    for i in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$RUN/etcd"
}

cmd=${1:-}; shift || true
case "$cmd" in
  deps | build | up | nodes | down) "$cmd" "$@" ;;
  *) sed -n '2,16p' "$0"; exit 2 ;;
esac
