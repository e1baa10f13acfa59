#!/bin/bash
# relevance.sh — ranking quality on the judged set (tests/relevance/) must
# not fall below the level reached, and boosting must beat plain BM25.
. "$(dirname "$0")/lib.sh"
REL=$(dirname "$0")/../relevance
if ! "$POLSEARCH" index -q -d "$TMP/idx" "$SEEDS"; then
    not_ok "index seeds"; finish; exit 0
fi
on=$("$PY" "$REL/ndcg.py" --polsearch "$POLSEARCH" --index "$TMP/idx" --seeds "$SEEDS" 2>&1 |
     sed -n 's/.*mean nDCG@10 \*\*\([0-9.]*\)\*\*.*/\1/p' | head -1)
off=$("$PY" "$REL/ndcg.py" --polsearch "$POLSEARCH" --index "$TMP/idx" --seeds "$SEEDS" \
      --extra-args "--no-boost --no-expand" 2>&1 | sed -n 's/.*mean nDCG@10 \*\*\([0-9.]*\)\*\*.*/\1/p' | head -1)
echo "# nDCG@10 boosting on: $on, off: $off"
check "nDCG@10 with boosting (${on:-none}) stays at or above 0.79" "$PY" -c "import sys; sys.exit(0 if float('${on:-0}') >= 0.79 else 1)"
check "boosting (${on:-none}) beats plain BM25 (${off:-none})" "$PY" -c "import sys; sys.exit(0 if float('${on:-0}') > float('${off:-1}') else 1)"
finish
