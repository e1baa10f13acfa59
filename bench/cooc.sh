#!/bin/bash
# cooc.sh — issue 24's co-occurrence figure on an existing index: the
# time and peak memory of `cooc --lexicon` by paragraph and by document
# (CSV) and as GEXF, REPS times each (default 3), with the number of
# pairs; goal: under 60 s on the 105 MB bench corpus.  The lexicon's
# policy terms are rare in that corpus (poetry and software manuals), so a
# heavier case follows: the 200 most frequent Han bigrams of every 20th
# file of CORPUS as TERMs (common words with up to 10^5 paragraphs each,
# 19,900 pairs to intersect), once.
#
#   bench/cooc.sh INDEX [CORPUS]
#
# Env: POLSEARCH  the binary (default: src/polsearch beside this folder)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PS=${POLSEARCH:-$(dirname "$HERE")/src/polsearch}
IDX=${1:?usage: cooc.sh INDEX}
REPS=${REPS:-3}
[ -x /usr/bin/time ] || { echo "cooc.sh: /usr/bin/time (GNU time) is needed" >&2; exit 2; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "index: $IDX; $(uptime)"
for i in $(seq "$REPS"); do
    /usr/bin/time -f "cooc --lexicon (paragraphs, CSV): %e s, %M KB" "$PS" cooc -d "$IDX" --lexicon >"$OUT/p.csv"
    /usr/bin/time -f "cooc --lexicon --by-document:     %e s, %M KB" "$PS" cooc -d "$IDX" --lexicon --by-document >"$OUT/d.csv"
    /usr/bin/time -f "cooc --lexicon --gexf:            %e s, %M KB" "$PS" cooc -d "$IDX" --lexicon --gexf >"$OUT/p.gexf"
done
echo "pairs: $(($(wc -l <"$OUT/p.csv") - 1)) by paragraph, $(($(wc -l <"$OUT/d.csv") - 1)) by document;" \
     "terms with a match: $(grep -c '<node ' "$OUT/p.gexf"); GEXF $(wc -c <"$OUT/p.gexf") bytes"
CORPUS=${2:-}
if [ -n "$CORPUS" ]; then
    python3 - "$CORPUS" >"$OUT/terms" <<'PYEOF'
import collections, os, re, sys
c, han = collections.Counter(), re.compile(r'[\u4e00-\u9fff]{2,}')
for i, n in enumerate(sorted(os.listdir(sys.argv[1]))):
    if i % 20 == 0:
        for run in han.findall(open(os.path.join(sys.argv[1], n), encoding='utf-8', errors='replace').read()):
            c.update(run[k:k + 2] for k in range(len(run) - 1))
print('\n'.join(w for w, _ in c.most_common(200)))
PYEOF
    mapfile -t T <"$OUT/terms"
    /usr/bin/time -f "cooc, 200 frequent bigrams:       %e s, %M KB" "$PS" cooc -d "$IDX" "${T[@]}" >"$OUT/f.csv"
    /usr/bin/time -f "  the same, --by-document:        %e s, %M KB" "$PS" cooc -d "$IDX" --by-document "${T[@]}" >"$OUT/fd.csv"
    echo "pairs: $(($(wc -l <"$OUT/f.csv") - 1)) by paragraph, $(($(wc -l <"$OUT/fd.csv") - 1)) by document;" \
         "paragraphs per term (sum): $(tail -n +2 "$OUT/f.csv" | awk -F, '{ n[$1] = $3; n[$2] = $4 } END { for (t in n) s += n[t]; print s }')"
fi
echo "$(uptime)"
