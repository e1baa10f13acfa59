#!/bin/bash
# pdf.sh — PDF and OFD end to end: the seeds as LibreOffice PDFs
# (tests/fixtures/pdf/, made by tests/fixtures/make-fixtures-pdf.sh) and as
# OFDs (made here by tests/fixtures/make-ofd.py) next to the hostile files,
# indexed in one run; the exact-phrase oracle over both (pdf.py); the real
# Debian reference manual in Chinese when it can be had.
. "$(dirname "$0")/lib.sh"
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
FIX=$TESTS_DIR/fixtures
DOCS=$TMP/docs

# Run pdf.py, renumbering its TAP lines into this script's sequence.
py_tap() {
    "$PY" "$TESTS_DIR/cli/pdf.py" "$@" >"$TMP/py.out" 2>&1
    relay_tap "$TMP/py.out"
}

# ---- the documents ----------------------------------------------------------
mkdir -p "$DOCS/pdf" "$DOCS/ofd" "$DOCS/hostile"
cp "$FIX"/pdf/[0-9]*.pdf "$DOCS/pdf/"
for s in "$SEEDS"/*.txt; do
    "$PY" "$FIX/make-ofd.py" "$s" "$DOCS/ofd/$(basename "$s" .txt).ofd"
done
H=$DOCS/hostile
first_pdf=$(ls "$FIX"/pdf/[0-9]*.pdf | head -n 1)
head -c 30000 "$first_pdf" >"$H/truncated.pdf"
"$PY" -c 'import random, sys
r = random.Random(7)
sys.stdout.buffer.write(b"%PDF-1.7\n" + bytes(r.randrange(256) for _ in range(50000)))' >"$H/random.pdf"
cp "$FIX/pdf/encrypted.pdf" "$FIX/pdf/image-only.pdf" "$H/"
"$PY" "$FIX/make-ofd.py" --escape "$H/escape.ofd"
"$PY" "$FIX/make-ofd.py" --laughs "$H/laughs.ofd"
"$PY" "$FIX/make-ofd.py" --truncate "$DOCS/ofd/$(ls "$DOCS/ofd" | head -n 1)" "$H/truncated.ofd"

# ---- one index run over all of them -----------------------------------------
START=$(date +%s)
run_ps "$TMP/index.out" "$TMP/index.err" index -d "$TMP/idx" "$DOCS"
check "index run ends (status $RC: some files failed) within 60 s" test $RC -le 2 -a $(( $(date +%s) - START )) -le 60

# Each hostile file: exactly one line "polsearch: FILE: reason".
expect_line() {
    local file=$1 reason=$2 n
    n=$(grep -c "^polsearch: $H/$file: " "$TMP/index.err")
    if [ "$n" = 1 ] && grep -q "^polsearch: $H/$file: .*$reason" "$TMP/index.err"; then
        ok "$file: one line, '$reason'"
    else
        not_ok "$file: one line, '$reason'"
        grep "$file" "$TMP/index.err" | sed 's/^/# /'
    fi
}
expect_line truncated.pdf  "damaged PDF"
expect_line random.pdf     "damaged PDF"
expect_line encrypted.pdf  "encrypted PDF: a password is needed"
expect_line image-only.pdf "no text layer (scanned?)"
expect_line escape.ofd     'DocRoot "../../etc/passwd" points outside the archive'
expect_line laughs.ofd     "declares a DTD"
expect_line truncated.ofd  "zip archive"
check_eq "nothing else on stderr but the hostile files and the summary" "" \
    "$(grep -v "^polsearch: $H/" "$TMP/index.err" | grep -v "^polsearch: $TMP/idx: ")"
check_eq "the 10 good files are indexed, the 7 hostile ones counted" \
    "10 files indexed (10 new, 0 changed), 0 unchanged, 0 removed, 2 skipped, 5 failed" \
    "$(sed -n 's/^polsearch: .*idx: \([0-9]* files indexed.*failed\);.*/\1/p' "$TMP/index.err")"
run_ps "$TMP/o" "$TMP/e" search -d "$TMP/idx" -l --all 不应读到这里
check_eq "nothing of the escaping OFD was read" "1" "$RC"

# ---- the oracle ---------------------------------------------------------------
py_tap seeds "$POLSEARCH" "$TMP/idx" "$SEEDS" "$DOCS"
run_ps "$TMP/o" "$TMP/e" search -d "$TMP/idx" -l --all 第380号建议
check_eq "第380号建议 finds the LibreOffice PDF (and the OFD) of the seed that has it" \
    "$DOCS/ofd/001_a364a026ab62a3ac.ofd $DOCS/pdf/001_a364a026ab62a3ac.pdf" \
    "$(tr '\n' ' ' <"$TMP/o" | xargs -n1 | sort | xargs)"

# ---- a real PDF nobody here wrote ---------------------------------------------
# debian-reference.zh-cn.pdf from Debian's debian-reference-zh-cn: $DEBIAN_REFERENCE_PDF,
# else a copy cached by an earlier run, else apt-get download (needs apt sources).
ref=${DEBIAN_REFERENCE_PDF:-$(deb_file debian-reference-zh-cn usr/share/debian-reference/debian-reference.zh-cn.pdf \
    debian-reference.zh-cn.pdf)}
if [ -s "$ref" ]; then
    mkdir -p "$TMP/real"
    cp "$ref" "$TMP/real/"
    run_ps "$TMP/o" "$TMP/e" index -d "$TMP/ridx" "$TMP/real"
    check_eq "debian-reference.zh-cn.pdf indexes cleanly" "0" "$RC"
    py_tap wraps "$POLSEARCH" "$TMP/ridx" "$TMP/real/debian-reference.zh-cn.pdf"
else
    ok "debian-reference.zh-cn.pdf # SKIP not available (no DEBIAN_REFERENCE_PDF, no cached copy, apt-get download failed)"
fi
finish
