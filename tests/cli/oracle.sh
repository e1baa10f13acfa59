#!/bin/bash
# oracle.sh — exact-phrase oracle over seeds/ (see oracle.py).
. "$(dirname "$0")/lib.sh"
if ! "$POLSEARCH" index -q -d "$TMP/idx" "$SEEDS"; then
    echo "not ok 1 - index seeds"; echo "1..1"; exit 0
fi
"$PY" "$(dirname "$0")/oracle.py" "$POLSEARCH" "$TMP/idx" "$SEEDS"
