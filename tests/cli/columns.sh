#!/bin/bash
# columns.sh — multi-column PDFs read column by column (issue 21): the
# fixtures of tests/fixtures/columns/ (make-columns.py: a two-column report,
# a body beside a sidebar, the same text in one column) indexed in one run,
# then columns.py checks phrases, phrases across printed lines, that the
# one-column control reads as before and that the sidebar stays out of the
# body's paragraphs.
. "$(dirname "$0")/lib.sh"
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
FIX=$TESTS_DIR/fixtures/columns
require pdftotext poppler-utils
mkdir -p "$TMP/docs"
cp "$FIX"/*.pdf "$TMP/docs/"
run_ps "$TMP/o" "$TMP/e" index -d "$TMP/idx" "$TMP/docs"
check_eq "the three column fixtures index cleanly" "0" "$RC"
"$PY" "$TESTS_DIR/cli/columns.py" "$POLSEARCH" "$TMP/idx" "$TMP/docs" "$FIX" one-column two-column sidebar \
    >"$TMP/py.out" 2>&1
relay_tap "$TMP/py.out"
finish
