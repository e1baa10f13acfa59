#!/bin/bash
# query-speed.sh POLSEARCH [POLSEARCH2] — instructions per query (issue 25).
# Builds an index of the 10 MB subset with each binary (CORPUS, default
# ../bench-data/corpus-10m beside the project; OUT, default a temporary
# folder, keeps the indexes), then runs the bench queries in -n 10, -c and
# --json modes under valgrind --tool=callgrind and prints the instruction
# count of the whole process (start-up included: a CLI call as a shell sees
# it), one column per binary.  Instruction counts do not move with the
# machine's load, unlike wall times.  Also prints `--version` (start-up
# alone).  QUERIES overrides the query list (space separated).
set -eu
[ $# -ge 1 ] || { echo "usage: $0 POLSEARCH [POLSEARCH2]" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-$top/../bench-data/corpus-10m}
[ -d "$CORPUS" ] || CORPUS=/work/bench-data/corpus-10m
export POLSEARCH_LEXICON=${POLSEARCH_LEXICON:-$top/data/policy-terms.tsv}
read -r -a queries <<<"${QUERIES:-月 的 企业 明月 配置文件 专精特新}"
out=${OUT:-$(mktemp -d)}
bins=() ; for b in "$@"; do bins+=("$(readlink -f "$b")"); done
for i in "${!bins[@]}"; do
    idx=$out/idx$i
    [ -d "$idx" ] || "${bins[$i]}" index -d "$idx" "$CORPUS" >/dev/null
done
# instr BIN ARGS...: the process's instruction count (callgrind's total).
instr() {
    local f; f=$(mktemp)
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" >/dev/null 2>"$f" || true
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$f"; rm -f "$f"
}
printf '| query | mode |'; for b in "${bins[@]}"; do printf ' %s |' "$b"; done; echo
printf '|---|---|'; for _ in "${bins[@]}"; do printf -- '---:|'; done; echo
for q in "${queries[@]}"; do
    for mode in "-n 10" "-c" "--json"; do
        printf '| %s | `%s` |' "$q" "$mode"
        for i in "${!bins[@]}"; do
            # shellcheck disable=SC2086
            printf ' %s |' "$(instr "${bins[$i]}" search -d "$out/idx$i" $mode "$q")"
        done
        echo
    done
done
printf '| (start-up) | `--version` |'
for b in "${bins[@]}"; do printf ' %s |' "$(instr "$b" --version)"; done; echo
