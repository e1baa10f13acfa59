#!/bin/bash
# oom.sh — out-of-memory fault injection, the bounded run for make check
# (issue 22, part 5; tests/fault/sweep.sh is the whole sweep, run by hand:
# CI does not run it).  tests/fault/oomshim.so (LD_PRELOAD) fails the Nth allocation
# counted from main (malloc, calloc, realloc, strdup, strndup, operator
# new, ...); for each N taken, `search --json --all` on a clean index of the
# seeds, a fresh `index` of the seeds and an incremental re-index must each end with success and the clean answer, or
# with exit 2 and a "polsearch: ..." message: never a crash, an exception
# out of the shim, a sanitizer report, a hang or a silently wrong answer;
# after a failed index run a normal one must give the same searches and
# counts as a clean build.  Here every OOM_STRIDE-th N (default: 97 for
# search, 761 for the index runs, from a different start each, so that
# the run stays within a minute); the full sweep takes every N.
. "$(dirname "$0")/lib.sh"
TOP=$(cd "$(dirname "$0")/../.." && pwd)
SHIM=$(dirname "$POLSEARCH")/../tests/fault/oomshim.so
if [ ! -r "$SHIM" ]; then
    echo "1..0 # SKIP $SHIM is not built (make check builds it)"
    exit 0
fi
case $(uname -s) in Linux) ;; *) echo "1..0 # SKIP the shim wraps glibc's __libc_start_main"; exit 0 ;; esac
# sweep WHAT RANGE: one sweep, its summary as the check's name, its bad runs
# as diagnostics.
sweep() {
    local what=$1 out=$TMP/sweep.$1
    shift
    FAULT_TIMEOUT=${OOM_TIMEOUT:-120} FAULT_LOG=$TMP/log.$what \
        bash "$TOP/tests/fault/sweep.sh" "$POLSEARCH" "$SHIM" "$what" "$@" >"$out" 2>&1
    local rc=$?
    grep -v '^  msg:' "$out" | grep -v "^$what: " | sed 's/^/# /'
    grep '^  msg:' "$out" | sed 's/^/# /'
    check "$(grep "^$what: " "$out" || echo "$what: no summary")" test "$rc" = 0
}
sweep search "1-end/${OOM_STRIDE:-97}"
# Every one of the last allocations, where the results are written: an
# out-of-memory there once passed for a broken stdout (exit 0, results
# missing).
sweep search last-${OOM_LAST:-160}
sweep index "5-end/${OOM_STRIDE:-761}"
# An incremental re-index under the fault (two files changed, one gone,
# one new), then a normal one, must give the clean re-index's answer.  It
# once did not, even after exit 0: an allocation failed while the file
# records were read, the walk over them stopped as if at their end, and
# the files left out were written again as new beside their live version.
sweep reindex "11-end/${OOM_STRIDE:-761}"

# The shim itself: it counts, and a fault is a fault.  Under ASan the
# shim is preloaded before libasan, which ASan allows when told.
export ASAN_OPTIONS="verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
rm -f "$TMP/count"
LD_PRELOAD=$SHIM POLSEARCH_FAULT_COUNT=$TMP/count ps --version >/dev/null 2>&1
check "the shim counts allocations ($(cut -d' ' -f1 "$TMP/count" 2>/dev/null))" \
    test "$(cut -d' ' -f1 "$TMP/count" 2>/dev/null || echo 0)" -gt 0
ps index -q -d "$TMP/idx" "$SEEDS" >/dev/null 2>&1
LD_PRELOAD=$SHIM POLSEARCH_FAULT_NTH=1 POLSEARCH_FAULT_PERSIST=1 ps search -d "$TMP/idx" 专精特新 >"$TMP/o" 2>"$TMP/e"
check_eq "every allocation failed: search exits 2" 2 "$?"
check_eq "with 'polsearch: out of memory'" "polsearch: out of memory" "$(cat "$TMP/e")"
finish
