# Shared by the scripts in this folder: environment and prerequisites.
# Sourced, not run. Every step is idempotent: it checks before it installs.

HC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/healthchain/target}"
HC_NODE="$CARGO_TARGET_DIR/release/healthchain-node"

hc_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# What building the workspace needs from Debian: protoc for litep2p's build script, and
# OpenSSL's headers with pkg-config, since .cargo/config.toml links the system's OpenSSL instead
# of compiling one (OPENSSL_NO_VENDOR).
hc_ensure_build_deps() {
  local missing=()
  command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
  command -v pkg-config >/dev/null 2>&1 && pkg-config --exists openssl || missing+=(libssl-dev pkg-config)
  [ ${#missing[@]} -eq 0 ] || hc_apt_install "${missing[@]}"
}

# Installs Debian packages, with sudo unless root.
hc_apt_install() {
  hc_log "installing $*"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# Debian's PostgreSQL server, for the indexer's tests (each starts a server of its own in a
# scratch directory; as root they run its tools as the `postgres` user the package creates).
hc_ensure_postgres() {
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && id postgres >/dev/null 2>&1 && return 0
  hc_apt_install postgresql
}

# systemd-analyze, with which a test verifies the units in deploy/systemd.
hc_ensure_systemd_analyze() {
  command -v systemd-analyze >/dev/null 2>&1 && return 0
  hc_apt_install systemd
}

# podman with runc (the OCI runtime that works on CI's VMs) and debootstrap, for the container
# image's test: it builds the image with scripts/build-image --debootstrap and runs it.
hc_ensure_podman() {
  local missing=()
  command -v podman >/dev/null 2>&1 || missing+=(podman)
  command -v runc >/dev/null 2>&1 || missing+=(runc)
  command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
  [ ${#missing[@]} -eq 0 ] || hc_apt_install "${missing[@]}"
}

# nginx, the TLS reverse proxy of the public RPC node's test (deploy/nginx).
hc_ensure_nginx() {
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] && return 0
  hc_apt_install nginx-light
}

# rustup here does not auto-install what rust-toolchain.toml names, so add it explicitly.
hc_ensure_rust() {
  command -v rustup >/dev/null 2>&1 || { echo "rustup is required" >&2; return 1; }
  local toolchain
  toolchain="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$HC_ROOT/rust-toolchain.toml")"
  rustup toolchain list | grep -q "^$toolchain" || rustup toolchain install "$toolchain" --profile minimal
  local installed
  installed="$(rustup +"$toolchain" target list --installed)"
  for t in wasm32v1-none wasm32-unknown-unknown; do
    grep -qx "$t" <<<"$installed" || rustup +"$toolchain" target add "$t"
  done
  rustup +"$toolchain" component list --installed | grep -q '^rust-src' \
    || rustup +"$toolchain" component add rust-src
}

# The npm packages of the folder $1 (under the repository), exactly as its package-lock.json
# pins them; again only when the lock file changed.
hc_npm_ci() {
  command -v npm >/dev/null 2>&1 || { echo "node and npm are required" >&2; return 1; }
  local dir="$HC_ROOT/$1"
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    hc_log "installing npm packages of $1"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# npm packages of the end-to-end tests.
hc_ensure_npm() {
  hc_npm_ci tests/e2e
}

# The portal's npm packages and its bundle,
# portal/dist, which a vault serves with --portal. Building it takes a second or two.
hc_ensure_portal() {
  hc_npm_ci portal
  (cd "$HC_ROOT/portal" && node build.mjs)
}

# Debian's Chromium, which the portal's end-to-end test drives headless through playwright-core.
export HEALTHCHAIN_CHROMIUM="${HEALTHCHAIN_CHROMIUM:-/usr/lib/chromium/chromium}"
hc_ensure_chromium() {
  [ -x "$HEALTHCHAIN_CHROMIUM" ] && return 0
  hc_apt_install chromium
}

# Builds the node; further arguments go to cargo (`-p <crate>` builds more with it).
hc_build_node() {
  hc_log "building healthchain-node (release) into $CARGO_TARGET_DIR"
  (cd "$HC_ROOT" && cargo build --locked --release -p healthchain-node "$@")
}

# The S3-compatible server the custody test stores a clinic's records on: s3s-fs, the
# filesystem back end of the s3s project (the S3 protocol layer RustFS is built on), from
# crates.io with its own lock file. Chosen over Garage for build time on a 2-core machine
# (minutes, not a large distributed system's dependency tree); it speaks the S3 REST API with
# SigV4 authentication, which is what the vault's object_store client exercises.
HC_S3_SERVER_VERSION="0.14.1"
HC_TOOLS="${HC_TOOLS:-$HOME/.cache/healthchain/tools}"
export HEALTHCHAIN_S3_SERVER="$HC_TOOLS/bin/s3s-fs"
hc_ensure_s3_server() {
  if [ -x "$HEALTHCHAIN_S3_SERVER" ] && "$HEALTHCHAIN_S3_SERVER" --version 2>/dev/null | grep -q " $HC_S3_SERVER_VERSION$"; then
    return 0
  fi
  hc_log "installing s3s-fs $HC_S3_SERVER_VERSION (the S3-compatible server of the custody test) into $HC_TOOLS"
  CARGO_TARGET_DIR="${HC_TOOLS%/}-target" \
    cargo install --locked --quiet s3s-fs --version "$HC_S3_SERVER_VERSION" --features binary --root "$HC_TOOLS"
}

# Starts the `local` chain's four validators (Alice, Bob, Charlie, Dave) on loopback: state
# in DIR/<name>, log DIR/<name>.log, RPC on RPC_PORT..RPC_PORT+3, p2p on P2P_PORT..P2P_PORT+3,
# Prometheus on PROMETHEUS_PORT..+3 (none if it is empty), the well-known development node
# keys 1 to 4 (the peer ids the chain authorises), Alice as boot node; the rest of the
# arguments go to every node. Appends their pids to HC_VALIDATOR_PIDS.
#   hc_start_local_validators DIR RPC_PORT P2P_PORT PROMETHEUS_PORT [NODE FLAG]...
HC_VALIDATOR_PIDS=()
hc_start_local_validators() {
  local dir="$1" rpc_port="$2" p2p_port="$3" prometheus_port="$4"; shift 4
  local key_file="$dir/alice-node-key" boot_peer bootnode name i=0 args
  mkdir -p "$dir"
  printf '%064x' 1 >"$key_file"
  boot_peer="$("$HC_NODE" key inspect-node-key --file "$key_file")"
  bootnode="/ip4/127.0.0.1/tcp/$p2p_port/p2p/$boot_peer"
  for name in alice bob charlie dave; do
    args=(--chain local "--$name" --name "$name" --base-path "$dir/$name"
          --node-key "$(printf '%064x' $((i + 1)))"
          --rpc-port $((rpc_port + i)) --listen-addr "/ip4/127.0.0.1/tcp/$((p2p_port + i))"
          --no-mdns "$@")
    [ "$name" = alice ] || args+=(--bootnodes "$bootnode")
    if [ -n "$prometheus_port" ]; then args+=(--prometheus-port $((prometheus_port + i))); else args+=(--no-prometheus); fi
    "$HC_NODE" "${args[@]}" >"$dir/$name.log" 2>&1 &
    HC_VALIDATOR_PIDS+=("$!")
    i=$((i + 1))
  done
}

# Waits until something listens on 127.0.0.1:$1 (up to 60 s).
hc_wait_port() {
  local _
  for _ in $(seq 1 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.5
  done
  echo "nothing listens on port $1 after 60 s" >&2
  return 1
}

# The record vault and the CLI: HEALTHCHAIN_VAULT and HEALTHCHAIN_CLI name binaries to use
# instead of building them.
HC_VAULT="${HEALTHCHAIN_VAULT:-$CARGO_TARGET_DIR/release/healthchain-vault}"
HC_CLI="${HEALTHCHAIN_CLI:-$CARGO_TARGET_DIR/release/healthchain}"
hc_build_custody() {
  [ -n "${HEALTHCHAIN_VAULT:-}" ] && [ -n "${HEALTHCHAIN_CLI:-}" ] && return 0
  hc_log "building healthchain-vault and the healthchain CLI (release) into $CARGO_TARGET_DIR"
  (cd "$HC_ROOT" && cargo build --locked --release -p healthchain-vault -p healthchain-cli)
}

# Registers the vault whose key is VAULT_KEY at ENDPOINT for ORGANISATION and funds its account,
# signed by the organisation's ADMIN_KEY; once per vault key, endpoint and organisation key (a
# marker in DATA_DIR).
#   hc_register_vault NODE_WS ADMIN_KEY ORGANISATION VAULT_KEY ORGANISATION_KEY DATA_DIR ENDPOINT
hc_register_vault() {
  local node="$1" admin="$2" organisation="$3" vault_key="$4" organisation_key="$5" data="$6" endpoint="$7"
  mkdir -p "$data"
  local vault_account
  vault_account="$("$HC_CLI" --key-file "$vault_key" --output json key show | python3 -c 'import json,sys; print(json.load(sys.stdin)["account"])')"
  local registered="$organisation $vault_account $endpoint $(sha256sum <"$organisation_key" | cut -c1-16)"
  if [ "$(cat "$data/registered" 2>/dev/null)" != "$registered" ]; then
    hc_log "registering $vault_account as organisation $organisation's vault at $endpoint"
    "$HC_CLI" --node "$node" --key-file "$admin" transfer "$vault_account" "${HC_VAULT_FUNDS:-1000}"
    "$HC_CLI" --node "$node" --key-file "$admin" register-vault --organisation "$organisation" \
      --vault-key-file "$vault_key" --organisation-key-file "$organisation_key" --endpoint "$endpoint"
    printf '%s\n' "$registered" >"$data/registered"
  fi
}

# Runs an organisation's record vault in the foreground, registering it on chain first unless
# it already is at this endpoint with this key (a marker in its data directory says so): the
# admin signs register_vault, which also sets the organisation's encryption key on chain to
# the one the vault opens records with, and funds the vault's account for the fees of its
# access-log and erasure-confirmation transactions.
#
#   hc_run_vault NODE_WS ADMIN_KEY ORGANISATION VAULT_KEY ORGANISATION_KEY DATA_DIR LISTEN ENDPOINT [vault args]
# (ADMIN_KEY empty: registered before, by hc_register_vault where that key is.)
hc_run_vault() {
  local node="$1" admin="$2" organisation="$3" vault_key="$4" organisation_key="$5" data="$6" listen="$7" endpoint="$8"
  shift 8
  if [ -n "$admin" ]; then
    hc_register_vault "$node" "$admin" "$organisation" "$vault_key" "$organisation_key" "$data" "$endpoint"
  else
    hc_log "no organisation account key here: the vault was registered from the organisation's machine"
  fi
  hc_log "organisation $organisation's vault: $endpoint (listening on $listen, state in $data)"
  exec "$HC_VAULT" --node "$node" --key-file "$vault_key" --organisation-key-file "$organisation_key" \
    --data-dir "$data" --listen "$listen" "$@"
}
