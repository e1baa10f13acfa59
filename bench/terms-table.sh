#!/bin/bash
# terms-table.sh — issue 24's table figure on an existing index: the time
# and peak memory of `terms --lexicon --by year,region --csv` against the
# same terms run one by one with `search -c` in one process (queries from
# stdin), REPS times each (default 3).
#
#   bench/terms-table.sh INDEX
#
# Env: POLSEARCH  the binary (default: src/polsearch beside this folder)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PS=${POLSEARCH:-$(dirname "$HERE")/src/polsearch}
IDX=${1:?usage: terms-table.sh INDEX}
REPS=${REPS:-3}
[ -x /usr/bin/time ] || { echo "terms-table.sh: /usr/bin/time (GNU time) is needed" >&2; exit 2; }
TERMS=$(mktemp)
trap 'rm -f "$TERMS"' EXIT
# The lexicon's terms, as terms --lexicon counts them (its term column).
"$PS" terms -d "$IDX" --lexicon --csv | tail -n +2 | cut -d, -f1 | LC_ALL=C sort -u >"$TERMS"
echo "terms: $(wc -l <"$TERMS") (those with a match)"
for i in $(seq "$REPS"); do
    /usr/bin/time -f "terms --lexicon --by year,region --csv: %e s, %M KB" \
        "$PS" terms -d "$IDX" --lexicon --by year,region --csv >/dev/null
    /usr/bin/time -f "search -c, one query a line:          %e s, %M KB" \
        "$PS" search -d "$IDX" -c - <"$TERMS" >/dev/null
done
