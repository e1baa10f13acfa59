#!/bin/bash
# para-cost.sh — what each part of a paragraph's fixed cost takes in the
# index (issue 21: tiny paragraphs' bytes).
#
# usage: bench/para-cost.sh FILE...     (e.g. the tiny and paras shapes of
#                                        bench/make-shapes.py, 1 MB)
#   env: OUT (scratch and the patched build, default /tmp/polsearch-para-cost)
#
# Builds HEAD in a scratch copy with bench/para-cost.patch applied (it
# leaves out one part of each paragraph document when an environment
# variable says so; the product never reads those variables), then indexes
# each FILE alone (-j 1, fresh index) once as built and once without each
# part, and prints the index bytes each part costs per paragraph: the
# copy-bucket terms (XC, XE), the version term XF, the heading term XH,
# the STORE_SLOT_KEY value (all of it, and its tail after the 8-byte copy
# key and after the 16 bytes of copy key and version id), and what is
# left: content terms, document lengths (the shard), and the text
# chunks (the records, deflated).  "Bytes" are du -sb of each database
# after xapian-compact (Debian's xapian-tools), so that a B-tree's free
# space does not blur a part's few bytes.
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-/tmp/polsearch-para-cost}
[ $# -gt 0 ] || { echo "usage: bench/para-cost.sh FILE..." >&2; exit 2; }
command -v xapian-compact >/dev/null || { echo "para-cost.sh: needs xapian-compact (xapian-tools)" >&2; exit 2; }
# The patched build, one per commit (kept in OUT for the next run).
head=$(git -C "$HERE" rev-parse --short HEAD)
BUILD=$OUT/build-$head
if [ ! -x "$BUILD/src/polsearch" ]; then
    rm -rf "$BUILD"; mkdir -p "$BUILD"
    git -C "$HERE" archive HEAD | tar -x -C "$BUILD"
    (cd "$BUILD" && patch -s -p1 <"$HERE/bench/para-cost.patch" && autoreconf -fi >/dev/null 2>&1 &&
        ./configure -q >/dev/null && make -s -j2 >/dev/null 2>&1) || { echo "para-cost.sh: build failed" >&2; exit 1; }
fi
PS=$BUILD/src/polsearch
export POLSEARCH_LEXICON=${POLSEARCH_LEXICON:-$HERE/data/policy-terms.tsv}

# size VARS...: index the current input with VARS set; prints
# "SHARD_BYTES TEXT_BYTES PARAGRAPHS" (compacted sizes)
size() {
    rm -rf "$OUT/idx" "$OUT/c"; mkdir -p "$OUT/c"
    env "$@" "$PS" index -q -j 1 --follow -d "$OUT/idx" "$OUT/in" >/dev/null
    xapian-compact -q "$OUT/idx/shard0" "$OUT/c/shard0" >/dev/null
    xapian-compact -q "$OUT/idx/text0" "$OUT/c/text0" >/dev/null
    local n
    n=$("$PS" stats -d "$OUT/idx" | awk '/^paragraphs:/ { print $2 }')
    echo "$(du -sb "$OUT/c/shard0" | cut -f1) $(du -sb "$OUT/c/text0" | cut -f1) $n"
}

printf '%-14s %8s %7s %7s %5s %5s %7s %9s %9s %7s %7s %7s\n' file paras text/p buckets XF XH key 'key>8' 'key>16' 'rest' text0 all
for f in "$@"; do
    rm -rf "$OUT/in"; mkdir -p "$OUT/in"; ln -s "$(cd "$(dirname "$f")" && pwd)/$(basename "$f")" "$OUT/in/"
    read -r s0 t0 n <<<"$(size X=)"
    read -r sb _ _ <<<"$(size PARA_COST_NO_BUCKETS=1)"
    read -r sf _ _ <<<"$(size PARA_COST_NO_XF=1)"
    read -r sh _ _ <<<"$(size PARA_COST_NO_XH=1)"
    read -r sk _ _ <<<"$(size PARA_COST_NO_KEY=1)"
    read -r s8 _ _ <<<"$(size PARA_COST_KEY_LEN=8)"
    read -r s16 _ _ <<<"$(size PARA_COST_KEY_LEN=16)"
    read -r sall _ _ <<<"$(size PARA_COST_NO_BUCKETS=1 PARA_COST_NO_XF=1 PARA_COST_NO_XH=1 PARA_COST_NO_KEY=1)"
    tb=$(wc -c <"$f")
    awk -v f="$(basename "$f")" -v n="$n" -v tb="$tb" -v s0="$s0" -v t0="$t0" -v sb="$sb" -v sf="$sf" -v sh="$sh" \
        -v sk="$sk" -v s8="$s8" -v s16="$s16" -v sall="$sall" 'BEGIN {
        printf "%-14s %8d %7.1f %7.1f %5.1f %5.1f %7.1f %9.1f %9.1f %7.1f %7.1f %7.1f\n", f, n, tb / n,
            (s0 - sb) / n, (s0 - sf) / n, (s0 - sh) / n, (s0 - sk) / n, (s0 - s8) / n,
            (s0 - s16) / n, sall / n, t0 / n, (s0 + t0) / n }'
done
rm -rf "$OUT/idx" "$OUT/c" "$OUT/in"
