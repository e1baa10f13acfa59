#!/bin/bash
# compare-outputs.sh REF_POLSEARCH NEW_POLSEARCH — index the seeds (+ tests/fixtures/refs) and the 10 MB bench subset
# with a reference binary (a build of the commit before a refactor) and with
# NEW_POLSEARCH, run the README's and the bench's queries in every output mode on both,
# and diff.  Prints IDENTICAL (exit 0) or the differences (exit 1).  Scratch: $TMPDIR.
# A binary copied out of its build tree needs POLSEARCH_LEXICON=…/data/policy-terms.tsv.
set -u
[ $# -eq 2 ] || { echo "usage: tools/compare-outputs.sh REF_POLSEARCH NEW_POLSEARCH" >&2; exit 2; }
REF=$(readlink -f "$1"); NEW=$(readlink -f "$2")
root=$(cd "$(dirname "$0")/.." && pwd)
# The bench's 10 MB subset (../shared/bench/make-corpus.sh --subset-10m), if it is there.
CORPUS=${CORPUS:-$root/../bench-data/corpus-10m}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$root"                 # seeds/ and tests/fixtures/refs/ of this tree
queries=(专精特新 力争宁波考核 高企 知识产权质押 企业家创新精神 科技型企业 第380号建议 "企业 -小巨人" "研发投入 OR 产学研" '"科技 成果"' 月 的 企业 创新 明月)
run_all() {  # BIN IDX OUTDIR
    local bin=$1 idx=$2 out=$3 i=0
    mkdir -p "$out"
    for q in "${queries[@]}"; do
        i=$((i+1))
        # shellcheck disable=SC2086
        for mode in "" "--json --all" "-l --all" "-c" "-n 3 --no-collapse" "--explain -n 2" "--json --no-expand -n 5" "--kwic=10 -n 5"; do
            { echo "## $mode $q"; "$bin" search -d "$idx" --color=never $mode $q; echo "rc=$?"; } >>"$out/q$i" 2>&1
        done
    done
    { "$bin" search -d "$idx" --year 2022 --issuer 银川 -n 1 科技型企业; echo rc=$?
      "$bin" search -d "$idx" --type pdf,ofd -n 2 企业家创新精神; echo rc=$?
      "$bin" search -d "$idx" -c --cites 银川市科技体制改革攻坚方案 银川; echo rc=$?
      "$bin" stats -d "$idx" --json | sed -E "s/\"(index|size|updated|bytes|disk)[a-z_]*\": *[^,}]*//g"; echo rc=$?
      "$bin" terms -d "$idx" --by year 专精特新 企业; echo rc=$?
      "$bin" terms -d "$idx" --by issuer --json 科技; echo rc=$?
      "$bin" terms -d "$idx"; echo rc=$?
      "$bin" terms -d "$idx" --lexicon -n 0 --by file; echo rc=$?
      "$bin" terms -d "$idx" --by format,year --json -n 3; echo rc=$?
      "$bin" terms -d "$idx" --by year,region --lexicon --csv; echo rc=$?
      "$bin" terms -d "$idx" --by issuer --tsv 专精特新 科技型中小企业; echo rc=$?
      "$bin" terms -d "$idx" --by region --wide --tsv --lexicon; echo rc=$?
      "$bin" terms -d "$idx" --wide 专精特新; echo rc=$?
      "$bin" terms -d "$idx" --csv 不是术语; echo rc=$?
      for f in seeds/*.txt; do "$bin" refs -d "$idx" "$f"; "$bin" refs -d "$idx" --json --to "$f"; done; echo rc=$?
      "$bin" refs -d "$idx" --graph --json; echo rc=$?
    } >"$out/misc" 2>&1
}
diffs=0
for set in seeds corpus; do
    if [ $set = seeds ]; then src=(seeds tests/fixtures/refs); else [ -d "$CORPUS" ] || { echo "no $CORPUS: corpus skipped"; continue; }; src=("$CORPUS"); fi
    for shards in 1 2; do
        for who in ref new; do
            bin=$REF; [ $who = new ] && bin=$NEW
            idx=$work/$set-$shards-$who
            if [ $shards = 2 ]; then "$bin" index -d "$idx" -j 2 --no-compact "${src[@]}" >/dev/null 2>&1
            else "$bin" index -d "$idx" "${src[@]}" >/dev/null 2>&1; fi
            run_all "$bin" "$idx" "$work/out-$set-$shards-$who"
        done
        # A: the reference's index searched by both binaries: byte-identical.
        run_all "$NEW" "$work/$set-$shards-ref" "$work/out-$set-$shards-cross"
        if ! diff -r "$work/out-$set-$shards-ref" "$work/out-$set-$shards-cross" >"$work/d" 2>&1; then
            echo "=== DIFF (same index, both binaries) $set shards=$shards"; head -60 "$work/d"; diffs=1
        fi
        # B: each binary's own index.  Two builds of the same input by the same
        # binary order equal-score files differently (docids are not stable
        # across builds), so -l lists are compared as sets; all else exactly.
        for o in ref new; do
            for f in "$work/out-$set-$shards-$o"/q*; do
                awk '/^## -l --all/{l=1; print; next} /^## /{l=0} {if (l) print | "sort"; else print}' "$f" > "$f.cmp"
            done
        done
        if ! diff <(cat "$work/out-$set-$shards-ref"/*.cmp "$work/out-$set-$shards-ref/misc") \
                  <(cat "$work/out-$set-$shards-new"/*.cmp "$work/out-$set-$shards-new/misc") >"$work/d" 2>&1; then
            echo "=== DIFF (own indexes) $set shards=$shards"; head -60 "$work/d"; diffs=1
        fi
    done
done
[ $diffs = 0 ] && echo IDENTICAL
exit $diffs
