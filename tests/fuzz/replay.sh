#!/bin/sh
# replay.sh — run every fuzz harness once over its seed corpus and its
# regression inputs (tests/fuzz/corpus/HARNESS/ and
# tests/fuzz/regressions/HARNESS/): a fast, deterministic check for CI.
#
# Usage:
#   tests/fuzz/replay.sh [HARNESS...]
#
# Builds the harnesses first with run-fuzzers.sh --build-only (same flags,
# same $FUZZ_BUILD, default /tmp/polsearch-fuzz); set FUZZ_NO_BUILD=1 to
# reuse binaries already there.  libFuzzer runs each file given on its
# command line exactly once.  When a harness fails, each of its files is
# run on its own to name every input that fails.  Exits 0 when all inputs
# pass, 1 when any fails, 2 when the build fails.  Works from any directory.
set -u

here=$(cd "$(dirname "$0")" && pwd)
build=${FUZZ_BUILD:-/tmp/polsearch-fuzz}
all="fuzz_normalize_tokenize fuzz_query fuzz_paragraph fuzz_snippet fuzz_decode fuzz_refs fuzz_ofd fuzz_pdf fuzz_docx fuzz_doc fuzz_codebook"
harnesses=${*:-$all}

if [ "${FUZZ_NO_BUILD:-0}" != 1 ]; then
    FUZZ_BUILD=$build "$here/run-fuzzers.sh" --build-only $harnesses || exit 2
fi
mkdir -p "$build/logs"
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export UBSAN_OPTIONS

status=0
for h in $harnesses; do
    bin=$build/bin/$h
    [ -x "$bin" ] || { echo "replay.sh: $bin missing" >&2; exit 2; }
    list=$build/logs/replay-$h.list
    : >"$list"
    for d in "$here/corpus/$h" "$here/regressions/$h"; do
        [ -d "$d" ] && find "$d" -type f ! -name '*.md' ! -name '.*' | sort >>"$list"
    done
    count=$(wc -l <"$list")
    if [ "$count" -eq 0 ]; then
        printf '%-26s no inputs\n' "$h"
        continue
    fi
    log=$build/logs/replay-$h.log
    # shellcheck disable=SC2046
    if (cd "$build" && xargs "$bin" -rss_limit_mb=2048 -timeout=30 <"$list") >"$log" 2>&1; then
        printf '%-26s %5d inputs  ok\n' "$h" "$count"
        continue
    fi
    status=1
    printf '%-26s %5d inputs  FAILED\n' "$h" "$count"
    while IFS= read -r f; do
        if ! "$bin" -rss_limit_mb=2048 -timeout=30 "$f" >"$log.one" 2>&1; then
            what=$(grep -m1 -E 'invariant failed|^SUMMARY|ERROR: libFuzzer' "$log.one" | cut -c1-110)
            echo "    FAIL $f"
            echo "         ${what:-see $log.one}"
            cp "$log.one" "$build/logs/replay-$h-$(basename "$f").log"
        fi
    done <"$list"
done
exit $status
