#!/bin/sh
# run-fuzzers.sh — build the libFuzzer harnesses of tests/fuzz/ and run them.
#
# Usage:
#   tests/fuzz/run-fuzzers.sh [SECONDS] [HARNESS...]
#   tests/fuzz/run-fuzzers.sh --build-only [HARNESS...]
#
#   SECONDS      how long each harness runs (-max_total_time), default 60
#   HARNESS      which ones (fuzz_normalize_tokenize fuzz_query fuzz_paragraph
#                fuzz_snippet fuzz_decode fuzz_refs fuzz_ofd fuzz_pdf fuzz_docx fuzz_doc); default all
#   --build-only build the binaries and stop (replay.sh uses this)
#
# Environment:
#   FUZZ_BUILD   build and work directory (default /tmp/polsearch-fuzz)
#   CC           compiler (default clang; must have libFuzzer)
#   FUZZ_JOBS    harnesses run at the same time (default 1)
#   FUZZ_FLAGS   extra libFuzzer flags; "-fork=1 -ignore_crashes=1" keeps
#                fuzzing past a known crash (each crash is saved and counted)
#
# Each harness is built with
#   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
#         -std=c11 -D_GNU_SOURCE -Isrc
# against the modules in src/ (all src/*.c but the commands — polsearch.c, cli.c,
# cmd_*.c — and the Xapian side: xapian-shim.cc and what includes its
# header), put in an archive so that each binary links only what it uses,
# plus zlib and the document readers' libraries (pkg-config).  Each run starts from a fresh copy of corpus/HARNESS and
# regressions/HARNESS in $FUZZ_BUILD/corpus/HARNESS (which keeps what the
# run found), writes crash files to $FUZZ_BUILD/artifacts/HARNESS/ and its
# log to $FUZZ_BUILD/logs/HARNESS.log.  Prints the executions of each
# harness (stat::number_of_executed_units) and exits 1 if any harness
# crashed, leaked, timed out or ran out of memory (the crash file is
# printed), 2 if the build failed.  Works from any directory.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${FUZZ_BUILD:-/tmp/polsearch-fuzz}
cc=${CC:-clang}
jobs=${FUZZ_JOBS:-1}
all="fuzz_normalize_tokenize fuzz_query fuzz_paragraph fuzz_snippet fuzz_decode fuzz_refs fuzz_ofd fuzz_pdf fuzz_docx fuzz_doc fuzz_codebook"

build_only=0
seconds=60
if [ "${1:-}" = "--build-only" ]; then
    build_only=1
    shift
elif [ $# -gt 0 ] && [ "$1" -eq "$1" ] 2>/dev/null; then
    seconds=$1
    shift
fi
harnesses=${*:-$all}
for h in $harnesses; do
    [ -f "$here/$h.c" ] || { echo "run-fuzzers.sh: no harness $h ($here/$h.c)" >&2; exit 2; }
done

CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -std=c11 -D_GNU_SOURCE -I$root/src"
# The document readers' libraries (poppler-glib, libxml2, libzip, libgsf) and nettle (SHA-256, decode.c), as configure finds them.
DOC_PKGS="poppler-glib libxml-2.0 libzip libgsf-1 nettle"
CFLAGS="$CFLAGS $(pkg-config --cflags $DOC_PKGS 2>/dev/null)"
LIBS="$(pkg-config --libs $DOC_PKGS 2>/dev/null) -lz -lm -ldl"

# ---- build ------------------------------------------------------------------
mkdir -p "$build/obj" "$build/bin" "$build/logs" || exit 2
# ocr.c reads configure's config.h: the harnesses build without Tesseract
# (OCR is not fuzzed here; its inputs are Tesseract's), so an empty one.
# Besides, the SONAMEs the program dlopens: digest.c opens nettle and web.c
# libmicrohttpd by the name configure found, so found here the same way.
soname() {
    _dir=$(pkg-config --variable=libdir "$1" 2>/dev/null)
    _so=$(objdump -p "$_dir/$2" 2>/dev/null | sed -n 's/^ *SONAME  *//p')
    echo "${_so:-$3}"
}
{
    printf '#define NETTLE_SONAME "%s"\n' "$(soname nettle libnettle.so libnettle.so.8)"
    printf '#define MHD_SONAME "%s"\n' "$(soname libmicrohttpd libmicrohttpd.so libmicrohttpd.so.12)"
} > "$build/config.h" || exit 2
CFLAGS="$CFLAGS -I$build"
rm -f "$build/obj"/*.o "$build/libpolsearch-fuzz.a"
echo "== building into $build ($($cc --version | head -n 1))"
for src in "$root"/src/*.c; do
    base=$(basename "$src" .c)
    case $base in
        polsearch|cli|cmd_*|reader_dl) continue ;;   # reader_dl: the program's dlopen of the readers; the harnesses link them
    esac
    # The Xapian side is C++ and not fuzzed here.
    grep -q '#include "xapian-shim.h"' "$src" && continue
    if ! $cc $CFLAGS -DPOLSEARCH_DATADIR="\"$root/data\"" -c "$src" -o "$build/obj/$base.o" \
            2>"$build/logs/cc-$base.log"; then
        # Another module may be mid-edit: only a harness that needs it fails.
        echo "warning: src/$base.c does not compile (see $build/logs/cc-$base.log)" >&2
    fi
done
ar rcs "$build/libpolsearch-fuzz.a" "$build"/obj/*.o || exit 2

status=0
built=""
for h in $harnesses; do
    # shellcheck disable=SC2086
    if $cc $CFLAGS -I"$here" "$here/$h.c" "$build/libpolsearch-fuzz.a" $LIBS \
            -o "$build/bin/$h" 2>"$build/logs/cc-$h.log"; then
        built="$built $h"
    else
        echo "error: $h does not build:" >&2
        sed 's/^/    /' "$build/logs/cc-$h.log" | head -n 20 >&2
        status=2
    fi
done
[ $build_only -eq 1 ] && exit $status

# ---- run --------------------------------------------------------------------
# Stack traces for UBSan reports too (ASan prints them anyway).
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export UBSAN_OPTIONS
run_one() {
    h=$1
    corpus=$build/corpus/$h
    art=$build/artifacts/$h
    rm -rf "$corpus"
    mkdir -p "$corpus" "$art"
    touch "$build/logs/$h.stamp"
    for d in "$here/corpus/$h" "$here/regressions/$h"; do
        [ -d "$d" ] && find "$d" -type f -exec cp {} "$corpus/" \;
    done
    # shellcheck disable=SC2086
    "$build/bin/$h" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 \
        -timeout=30 -print_final_stats=1 -artifact_prefix="$art/" ${FUZZ_FLAGS:-} \
        "$corpus" >"$build/logs/$h.log" 2>&1
    echo $? >"$build/logs/$h.rc"
}

echo "== running $(echo $built | wc -w) harness(es) for ${seconds}s each, $jobs at a time"
running=0
for h in $built; do
    run_one "$h" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait
        running=0
    fi
done
wait

printf '\n%-26s %14s  %s\n' harness executions result
for h in $built; do
    log=$build/logs/$h.log
    rc=$(cat "$build/logs/$h.rc" 2>/dev/null || echo 99)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    # -fork=N mode prints no final stats: take its last progress line.
    [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9][0-9]*\): cov:.*/\1/p' "$log" | tail -n 1)
    # Inputs saved by this run (-fork mode does not name them in the log).
    found=$(find "$build/artifacts/$h" -type f -newer "$build/logs/$h.stamp" | sort)
    if [ "$rc" -eq 0 ] && [ -z "$found" ]; then
        result=ok
    else
        status=1
        what=$(grep -m1 -E 'invariant failed|runtime error|^==[0-9]+==ERROR|^SUMMARY|ERROR: libFuzzer' "$log" | cut -c1-110)
        result="FAILED (rc $rc): ${what:-see log}"
        crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        for f in $found; do
            [ "$f" = "$crash" ] || result="$result
    crash file: $f"
        done
        [ -n "$crash" ] && result="$result
    crash file: $crash
    reproduce:  $build/bin/$h $crash"
        result="$result
    log:        $log"
    fi
    printf '%-26s %14s  %s\n' "$h" "${execs:-?}" "$result"
done
exit $status
