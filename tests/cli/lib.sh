# lib.sh — TAP helpers for the CLI tests (sourced).  Each check prints
# "ok N - what" or "not ok N - what"; finish() prints the plan.
set -u
: "${POLSEARCH:?POLSEARCH must name the polsearch binary}"
: "${SEEDS:=$(cd "$(dirname "$0")/../.." && pwd)/seeds}"
PY=${PYTHON3:-python3}
[ -n "$PY" ] || PY=python3
TAP_N=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/polsearch-test.XXXXXX")
# Servers started with start_server (below) are killed, even stopped ones,
# before the temporary directory goes.
SERVER_PIDS=""
cleanup() {
    local p
    for p in $SERVER_PIDS; do
        kill -CONT "$p" 2>/dev/null
        kill -9 "$p" 2>/dev/null
    done
    for p in $SERVER_PIDS; do
        wait "$p" 2>/dev/null
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT HUP
trap 'exit 143' TERM
ps() { "$POLSEARCH" "$@"; }

ok()     { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
not_ok() { TAP_N=$((TAP_N + 1)); echo "not ok $TAP_N - $*"; }
# check DESCRIPTION COMMAND...: passes when the command succeeds.
check()  { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "# expected: $2"; echo "# actual:   $3"; fi
}
# run_ps OUT ERR ARGS...: run polsearch, stdout to OUT, stderr to ERR; sets RC.
run_ps() { local o=$1 e=$2; shift 2; "$POLSEARCH" "$@" >"$o" 2>"$e"; RC=$?; }
finish() { echo "1..$TAP_N"; }
# require COMMAND WHAT: skip the whole script (plan 1..0) when COMMAND is
# not installed; WHAT names what provides it.
require() {
    if ! command -v "$1" >/dev/null; then
        echo "1..0 # SKIP $1 ($2) is not installed"
        exit 0
    fi
}
# deb_file PACKAGE PATH NAME: print where file PATH of Debian package
# PACKAGE is, as NAME in the tests' cache (\$XDG_CACHE_HOME or ~/.cache,
# polsearch-tests/), fetched there first by `apt-get download` and
# `dpkg-deb -x` when not cached; print nothing when it cannot be had (no
# apt sources, no network).
deb_file() {
    local pkg=$1 path=$2 name=$3 cache=${XDG_CACHE_HOME:-$HOME/.cache}/polsearch-tests
    if [ ! -s "$cache/$name" ] && command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null; then
        mkdir -p "$TMP/deb.$name" "$cache" 2>/dev/null
        (cd "$TMP/deb.$name" && timeout 120 apt-get download -q "$pkg" >/dev/null 2>&1 &&
            dpkg-deb -x "$pkg"_*.deb x && cp "x/$path" "$cache/$name") 2>/dev/null
    fi
    if [ -s "$cache/$name" ]; then echo "$cache/$name"; fi
}
# relay_tap FILE: the TAP a helper script (a .py checker) wrote to FILE,
# renumbered into this script's sequence: its plan is dropped, a failure
# marked TODO (an expected failure) stays one, other lines pass through.
relay_tap() {
    local line
    while IFS= read -r line; do
        case $line in
            "ok "*)     ok "${line#ok * - }" ;;
            "not ok "*"# TODO "*) TAP_N=$((TAP_N + 1)); echo "not ok $TAP_N - ${line#not ok * - }" ;;
            "not ok "*) not_ok "${line#not ok * - }" ;;
            1..*)       ;;
            *)          echo "$line" ;;
        esac
    done <"$1"
}

# --- remote indexes (polsearch serve on 127.0.0.1) ---------------------------
# A free TCP port (free on every address), from a random base, not in $*.
pick_port() {
    "$PY" -S -E - "$@" <<'PYEOF'
import random, socket, sys
used = {int(x) for x in sys.argv[1:]}
base = random.randint(20000, 59000)
for p in range(base, base + 300):
    if p in used:
        continue
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(('0.0.0.0', p))
    except OSError:
        continue
    finally:
        s.close()
    print(p)
    sys.exit(0)
sys.exit(1)
PYEOF
}
HAVE_SS=0
command -v ss >/dev/null 2>&1 && HAVE_SS=1
# port_listening PORT: something listens on PORT (any address).
port_listening() {
    if [ "$HAVE_SS" = 1 ]; then
        ss -ltnH 2>/dev/null | awk '{print $4}' | grep -q ":$1\$"
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}
# start_server NAME PORT SERVE-ARGS...: polsearch serve in the background,
# waiting (at most 10 s) until the port listens.  Sets PID_NAME.
start_server() {
    local name=$1 port=$2 pid
    shift 2
    "$POLSEARCH" serve "$@" --port "$port" >"$TMP/$name.out" 2>"$TMP/$name.err" &
    pid=$!
    SERVER_PIDS="$SERVER_PIDS $pid"
    printf -v "PID_$name" '%s' "$pid"
    wait_listening "$port" "$pid"
}
# wait_listening PORT PID: wait (at most 10 s) until PORT listens; 1 when
# process PID stopped first or it never did.
wait_listening() {
    local i
    for i in $(seq 1 100); do
        port_listening "$1" && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# --- polsearch web -------------------------------------------------------------
# start_web PORT WEB-ARGS...: polsearch web on 127.0.0.1:PORT in the
# background, its output in $TMP/web.PORT.out and $TMP/web.PORT.err,
# waiting (at most 10 s) until the port listens.  Sets WEB_PID (killed at
# exit).  Returns 1 when the server stopped or never listened.
start_web() {
    local port=$1
    shift
    "$POLSEARCH" web --port "$port" "$@" >"$TMP/web.$port.out" 2>"$TMP/web.$port.err" &
    WEB_PID=$!
    SERVER_PIDS="$SERVER_PIDS $WEB_PID"
    wait_listening "$port" "$WEB_PID"
}
# enc TEXT: TEXT percent-encoded for a URL (every byte but letters, digits and -._~).
enc() { "$PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
# web_status PATH [CURL-ARGS...]: the HTTP status of a request to $BASE.
web_status() { local p=$1; shift; curl -s -o /dev/null -w '%{http_code}' "$@" "$BASE$p"; }
# web_get PATH OUT: the body of a GET of $BASE PATH into OUT, headers into OUT.h; sets CODE.
web_get() { CODE=$(curl -s -D "$2.h" -o "$2" -w '%{http_code}' "$BASE$1"); }
# id_of PATH: the 16-hex id of an indexed path (FNV-1a, store_path_hash).
id_of() {
    "$PY" -c 'import sys
h = 1469598103934665603
for b in sys.argv[1].encode():
    h = ((h ^ b) * 0x100000001b3) & (2**64 - 1)
print("%016x" % h)' "$1"
}
