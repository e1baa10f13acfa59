# lib.sh — TAP helpers for the CLI tests (sourced).  Each check prints
# "ok N - what" or "not ok N - what"; finish() prints the plan.
set -u
: "${POLSEARCH:?POLSEARCH must name the polsearch binary}"
: "${SEEDS:=$(cd "$(dirname "$0")/../.." && pwd)/seeds}"
PY=${PYTHON3:-python3}
[ -n "$PY" ] || PY=python3
TAP_N=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/polsearch-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
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
