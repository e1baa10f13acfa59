#!/bin/bash
# sweep.sh POLSEARCH SHIM WHAT RANGE... — out-of-memory fault injection
# (issue 22, part 5; as SQLite FTS5's fts5fault*.test).  For each N of the
# RANGEs, run WHAT over the seeds with the Nth allocation failed by SHIM
# (tests/fault/oomshim.so, LD_PRELOAD; see oomshim.cc), and classify the run:
#   ok       exit 0 and the same answer as without the fault
#   oom      exit 2, stderr "polsearch: ..." naming out of memory
#   msg      exit 2, another "polsearch: ..." message (listed: each must be
#            a right one for the failure; the log shows it)
#   CRASH    a signal, or stderr not polsearch's (terminate, abort)
#   SAN      a sanitizer report (ASan, UBSan, LeakSanitizer)
#   HANG     no end within $FAULT_TIMEOUT seconds (default 60)
#   WRONG    exit 0 or 1 with an answer unlike the clean one
#   DAMAGED  (index) the normal index run after the failed one does not
#            succeed, or its searches differ from a clean build's
# WHAT: search  `search --json --all` of two queries on a clean index
#       index   a fresh `index` of the seeds; then the searches, after a
#               normal `index` run when the faulty one failed
#       reindex an incremental `index` (two files changed, one gone, one
#               new) over a clean index of the seeds; then as for index,
#               against the same re-index made without the fault
# RANGE: N, A-B or A-B/STRIDE (every STRIDE-th from A), "last-K" (the last K
# allocations of a clean run: the output's), or "all" (1 to the
# allocations a clean run makes, counted by SHIM first).  Env: SEEDS (the
# seeds folder), FAULT_LOG (the per-run log; default $TMPDIR), FAULT_PERSIST=1
# (fail every allocation from the Nth on, not the Nth alone).  Prints one
# summary line per class and the bad runs; exits 0 when no run is bad
# (CRASH, SAN, HANG, WRONG, DAMAGED), 1 otherwise, 2 on a usage error.
set -u
[ $# -ge 4 ] || { echo "usage: sweep.sh POLSEARCH SHIM search|index|reindex RANGE..." >&2; exit 2; }
P=$(readlink -f "$1"); SHIM=$(readlink -f "$2"); WHAT=$3; shift 3
SEEDS=${SEEDS:-$(cd "$(dirname "$0")/../.." && pwd)/seeds}
TIMEOUT=${FAULT_TIMEOUT:-60}
case $WHAT in search|index|reindex) ;; *) echo "sweep.sh: WHAT: '$WHAT' is not search, index or reindex" >&2; exit 2 ;; esac
[ -x "$P" ] && [ -r "$SHIM" ] && [ -d "$SEEDS" ] || { echo "sweep.sh: no $P, $SHIM or $SEEDS" >&2; exit 2; }
W=$(mktemp -d "${TMPDIR:-/tmp}/polsearch-fault.XXXXXX")
trap 'rm -rf "$W"' EXIT
LOG=${FAULT_LOG:-$W/log}
: >"$LOG"
# The sanitizers may stay on; the shim comes before libasan in the link order.
export ASAN_OPTIONS="verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
# Xapian's own leaks on its out-of-memory paths are not ours (lsan-oom.supp).
# The full unwinder, so that a stack through libxapian (no frame pointers)
# shows its libxapian frames to the suppression.
export ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0"
export LSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")" && pwd)/lsan-oom.supp:print_suppressions=0"
QUERIES=(专精特新 企业)

# answer IDX OUT: the searches a run is judged by, without the fault.
answer() {
    local q
    for q in "${QUERIES[@]}"; do
        "$P" search -d "$1" --color=never --json --all "$q"; echo "rc=$?"
    done >"$2" 2>&1
    "$P" stats -d "$1" --json | grep -o '"\(files\|paragraphs\)": *[0-9]*' | head -2 >>"$2"
}
# faulty N ARGS...: polsearch ARGS with allocation N failed; sets RC, stdout
# in $W/out, stderr in $W/err.
faulty() {
    local n=$1; shift
    LAST_N=$n; LAST=("$@")
    timeout -k 5 "$TIMEOUT" env LD_PRELOAD="$SHIM" POLSEARCH_FAULT_NTH="$n" \
        POLSEARCH_FAULT_PERSIST="${FAULT_PERSIST:-0}" "$P" "$@" >"$W/out" 2>"$W/err"
    RC=$?
}
# judge: the class of the run in $W/out, $W/err with exit RC (0: compare
# $W/out with $W/want when $1 is "cmp").
judge() {
    echo "$RC" >"$W/rc"
    if grep -q 'Sanitizer\|runtime error:' "$W/err"; then echo SAN; return; fi
    if [ "$RC" = 124 ] || [ "$RC" = 137 ]; then echo HANG; return; fi
    if [ "$RC" -ge 128 ] || grep -qv '^polsearch: \|^  ' "$W/err"; then echo CRASH; return; fi
    if [ "$RC" = 2 ]; then
        if ! grep -q '^polsearch: ' "$W/err"; then echo CRASH
        elif grep -q 'out of memory' "$W/err"; then echo oom
        else echo msg; fi
        return
    fi
    if [ "$RC" -le 1 ] && { [ "${1:-}" != cmp ] || cmp -s "$W/want" "$W/out"; }; then echo ok; return; fi
    echo WRONG
}

# The clean answer, and the clean index the searches and re-index start from.
"$P" index -q -d "$W/clean" "$SEEDS" || { echo "sweep.sh: the clean index failed" >&2; exit 2; }
answer "$W/clean" "$W/want.index"
for q in "${QUERIES[@]}"; do
    "$P" search -d "$W/clean" --color=never --json --all "$q"; echo "rc=$?"
done >"$W/want.search" 2>&1
# The re-index's input: a copy of the seeds, indexed as it is (the index a
# faulty re-index starts from), then two files changed, one gone, one new.
mkdir -p "$W/docs2"
cp "$SEEDS"/* "$W/docs2/"
mapfile -t files < <(ls "$W/docs2" | sort)
if [ "$WHAT" = reindex ]; then
    "$P" index -q -d "$W/base" "$W/docs2" || { echo "sweep.sh: the base index failed" >&2; exit 2; }
    printf '\n追加一段：专精特新企业名单另行公布。\n' >>"$W/docs2/${files[0]}"
    sed -i 's/企业/单位/' "$W/docs2/${files[1]}"
    rm -f "$W/docs2/${files[2]}"
    printf '新文件的标题\n\n新文件谈企业的创新与专精特新。\n' >"$W/docs2/new.txt"
    touch -d '2030-01-01' "$W/docs2/${files[0]}" "$W/docs2/${files[1]}"
    cp -a "$W/base" "$W/clean2"     # the clean answer: the same re-index, without the fault
    "$P" index -q -d "$W/clean2" "$W/docs2" && answer "$W/clean2" "$W/want.reindex" ||
        { echo "sweep.sh: the clean re-index failed" >&2; exit 2; }
fi

# run_one N: one faulty run of WHAT; prints its class.
run_one() {
    local n=$1 c
    case $WHAT in
    search)
        cp "$W/want.search" "$W/want"
        : >"$W/out.all"; : >"$W/err.all"; local worst=ok rcs=""
        for q in "${QUERIES[@]}"; do
            faulty "$n" search -d "$W/clean" --color=never --json --all "$q"
            { cat "$W/out"; echo "rc=$RC"; } >>"$W/out.all"
            cat "$W/err" >>"$W/err.all"
            rcs="$rcs $RC"
            [ "$RC" = 0 ] || [ "$RC" = 1 ] || break
        done
        mv "$W/out.all" "$W/out"; mv "$W/err.all" "$W/err"
        # The rc of the last search decides; a failed one ends the pair.
        if [ "$RC" -le 1 ]; then
            judge cmp
        else
            judge
        fi
        ;;
    index|reindex)
        local src=$SEEDS want=$W/want.index
        rm -rf "$W/idx"
        if [ "$WHAT" = reindex ]; then cp -a "$W/base" "$W/idx"; src=$W/docs2; want=$W/want.reindex; fi
        faulty "$n" index -q -d "$W/idx" "$src"
        c=$(judge)
        cp "$W/err" "$W/err.faulty"
        if [ "$c" = oom ] || [ "$c" = msg ] || [ "$c" = ok ]; then
            # A failed run leaves what a normal run completes; a successful
            # one is complete already.
            if [ "$c" != ok ] && ! "$P" index -q -d "$W/idx" "$src" >"$W/rec.out" 2>"$W/rec.err"; then
                c=DAMAGED; cp "$W/rec.err" "$W/err"
            else
                answer "$W/idx" "$W/got"
                cmp -s "$want" "$W/got" || c=DAMAGED
            fi
        fi
        echo "$c"
        ;;
    esac
}

# The Ns of the ranges.
total=0
count_total() {
    if [ "$total" = 0 ]; then
        rm -f "$W/count"; rm -rf "$W/cidx"
        case $WHAT in
        search) env LD_PRELOAD="$SHIM" POLSEARCH_FAULT_COUNT="$W/count" \
                    "$P" search -d "$W/clean" --json --all "${QUERIES[0]}" >/dev/null 2>&1 ;;
        index) env LD_PRELOAD="$SHIM" POLSEARCH_FAULT_COUNT="$W/count" "$P" index -q -d "$W/cidx" "$SEEDS" ;;
        reindex) cp -a "$W/base" "$W/cidx"
                 env LD_PRELOAD="$SHIM" POLSEARCH_FAULT_COUNT="$W/count" "$P" index -q -d "$W/cidx" "$W/docs2" ;;
        esac
        total=$(head -1 "$W/count" | cut -d' ' -f1)
    fi
}
ns=()
for r in "$@"; do
    case $r in
    all) count_total; ns+=($(seq 1 "$total")) ;;
    last-*) count_total; k=${r#last-}; a=$((total > k ? total - k + 1 : 1)); ns+=($(seq "$a" "$total")) ;;
    *-*/*) a=${r%%-*}; rest=${r#*-}; b=${rest%/*}; s=${rest#*/}
           [ "$b" = end ] && { count_total; b=$total; }
           ns+=($(seq "$a" "$s" "$b")) ;;
    *-*) a=${r%-*}; b=${r#*-}; [ "$b" = end ] && { count_total; b=$total; }; ns+=($(seq "$a" "$b")) ;;
    *) ns+=("$r") ;;
    esac
done
count_total
declare -A seen
bad=0
for n in "${ns[@]}"; do
    c=$(run_one "$n")
    seen[$c]=$(( ${seen[$c]:-0} + 1 ))
    printf '%s %s rc=%s %s\n' "$n" "$c" "$(cat "$W/rc" 2>/dev/null)" "$(head -c 300 "$W/err" | tr '\n' '|')" >>"$LOG"
    if [ -n "${FAULT_GDB:-}" ] && [ "$c" = CRASH ]; then
        # The backtrace of the failing run, for the log (run_one ran in a
        # subshell: its last command is run again with the same N).
        run_one "$n" >/dev/null
        gdb -q -batch -ex 'set startup-with-shell off' -ex "set environment LD_PRELOAD=$SHIM" \
            -ex "set environment POLSEARCH_FAULT_NTH=$n" -ex run -ex bt --args "$P" "${LAST[@]}" 2>&1 |
            grep '^#' | head -25 | sed "s/^/  N=$n /" >>"$LOG"
    fi
    case $c in ok|oom|msg) ;; *) bad=$((bad + 1)); echo "BAD: N=$n $c rc=$(cat "$W/rc" 2>/dev/null): $(head -c 300 "$W/err" | tr '\n' '|')" ;; esac
done
echo "$WHAT: ${#ns[@]} runs (allocations in a clean run: $total; ranges: $*${FAULT_PERSIST:+; persistent}):" \
     "$(for k in "${!seen[@]}"; do printf '%s=%s ' "$k" "${seen[$k]}"; done)"
grep ' msg ' "$LOG" | cut -d' ' -f3- | sort | uniq -c | sort -rn | head -20 | sed 's/^/  msg: /'
[ "$bad" = 0 ]
