#!/bin/bash
# word.sh — Word documents as published: DOCX, DOC and WPS files that
# LibreOffice made of the seeds (tests/fixtures/word/, made by
# tests/fixtures/make-fixtures-word.sh) search like the seeds do (the
# exact-phrase oracle, word_oracle.py); tables, footnotes and fields read
# right; hostile and broken files each get one 'polsearch: FILE: reason'
# line and cost nothing else.
. "$(dirname "$0")/lib.sh"
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
FX=$TESTS_DIR/fixtures/word

# --- the seeds as DOCX, DOC and WPS: the exact-phrase oracle --------------------
W=$TMP/word; mkdir -p "$W"
n=0
for t in "$SEEDS"/*.txt; do
    b=$(basename "$t" .txt)
    for e in docx doc wps; do
        cp "$FX/$b.$e" "$W/" && n=$((n + 1))
    done
done
run_ps "$TMP/o" "$TMP/e" index -q -d "$TMP/idx" "$W"
check_eq "index: the $n converted seeds, no message" "0:" "$RC:$(cat "$TMP/e")"
while IFS= read -r line; do
    case $line in
        "ok - "*) ok "${line#ok - }" ;;
        "not ok - "*) not_ok "${line#not ok - }" ;;
        *) echo "$line" ;;
    esac
done < <("$PY" "$(dirname "$0")/word_oracle.py" "$POLSEARCH" "$TMP/idx" "$SEEDS" "$W" docx doc wps)

# --- --type and stats: one seed in every format, the text one included -----------
M=$TMP/mixed; mkdir -p "$M"
b=001_a364a026ab62a3ac
cp "$SEEDS/$b.txt" "$FX/$b.docx" "$FX/$b.doc" "$FX/$b.wps" "$M/"
cp "$TESTS_DIR/fixtures/pdf/$b.pdf" "$M/"
ps index -q -d "$TMP/midx" "$M"
# types_ok LIST WANT: search -l --type LIST lists exactly the files WANT (space-separated names)
types_ok() {
    local got want
    got=$(ps search -d "$TMP/midx" -l --all --type "$1" 第380号建议 | xargs -n1 basename | sort | tr '\n' ' ')
    want=$(printf '%s\n' $2 | sort | tr '\n' ' ')
    [ "$got" = "$want" ] || { echo "# --type $1: got [$got], want [$want]"; return 1; }
}
check "--type text: the plain-text seed only" types_ok text "$b.txt"
check "--type pdf: the PDF only" types_ok pdf "$b.pdf"
check "--type docx: the DOCX only" types_ok docx "$b.docx"
check "--type doc: the DOC and the WPS" types_ok doc "$b.doc $b.wps"
check "--type text,pdf: both" types_ok text,pdf "$b.txt $b.pdf"
run_ps "$TMP/o" "$TMP/e" search -d "$TMP/midx" --type pdf,spreadsheet x
check_eq "--type with an unknown format: exit 2" 2 "$RC"
check "stats: files per format" grep -q '"formats":{[^}]*"pdf":1' <(ps stats -d "$TMP/midx" --json)
check "stats: the doc format counts the DOC and the WPS" grep -q '"doc":2' <(ps stats -d "$TMP/midx" --json)

# --- structure: a table, a footnote, fields, core properties --------------------
S=$TMP/struct; mkdir -p "$S"
cp "$FX/structure.docx" "$FX/structure.doc" "$S/"
ps index -q -d "$TMP/sidx" "$S"
ps search -d "$TMP/sidx" --json --no-collapse 五十万元 >"$TMP/row.json"
ROW='"text":"甲科技有限公司\n国家级小巨人\n五十万元"'
# row_ok FILE: FILE's result for the row has the row's cells as its lines
row_ok() { grep -F "\"file\":\"$1\"" "$TMP/row.json" | grep -qF "$ROW"; }
for e in docx doc; do
    f=$S/structure.$e
    check "$e: a table row is a paragraph, each cell a line" \
        row_ok "$f"
    check_eq "$e: the footnote is indexed" "$f" "$(ps search -d "$TMP/sidx" -l 工业和信息化部相关文件 | grep -x "$f")"
    check_eq "$e: a field's result is text" "$f" "$(ps search -d "$TMP/sidx" -l 施行。第1页 | grep -x "$f")"
    check_eq "$e: the hyperlink's text is text" "$f" "$(ps search -d "$TMP/sidx" -l 政策文件链接 | grep -x "$f")"
done
check_eq "fields: instructions are not text (PAGE, HYPERLINK)" "" \
    "$(ps search -d "$TMP/sidx" -l PAGE; ps search -d "$TMP/sidx" -l HYPERLINK)"
check "docx: core.xml's dc:title is the fallback title" \
    grep -qF '"file":"'"$S/structure.docx"'","paragraph":4,"title":"关于促进专精特新企业发展的通知"' "$TMP/row.json"

# --- hostile and broken files among good ones -----------------------------------
H=$TMP/hostile; mkdir -p "$H"
cp "$FX/structure.docx" "$FX/structure.doc" "$FX/sheet.xls" "$H/"
cp "$FX/003_1f11e292ab1845fd.wps" "$H/good.wps"
head -c 3000 "$FX/structure.docx" >"$H/truncated.docx"
head -c 6000 "$FX/structure.doc" >"$H/truncated.doc"
"$PY" - "$H" "$FX/structure.doc" <<'PY'
import os, random, struct, sys, zipfile
h, doc = sys.argv[1], sys.argv[2]
# document.xml inflating to 400 MB (about 400 KB on disk).
with zipfile.ZipFile(os.path.join(h, 'bomb.docx'), 'w', zipfile.ZIP_DEFLATED) as z:
    with z.open('word/document.xml', 'w') as f:
        chunk = b' ' * (1 << 20)
        for _ in range(400):
            f.write(chunk)
# The same bomb whose headers say 1000 bytes.
d = bytearray(open(os.path.join(h, 'bomb.docx'), 'rb').read())
d[22:26] = struct.pack('<I', 1000)
cd = struct.unpack('<I', d[-6:-2])[0]
d[cd + 24:cd + 28] = struct.pack('<I', 1000)
open(os.path.join(h, 'bomb-lying.docx'), 'wb').write(d)
# Billion laughs, with an external entity for good measure.
ents = '<!ENTITY lol "lollollollollollollollollollol">\n' + ''.join(
    '<!ENTITY lol%d "%s">\n' % (i, ('&lol%s;' % (i - 1 if i > 1 else '')) * 10) for i in range(1, 10))
x = ('<?xml version="1.0"?>\n<!DOCTYPE w:document [\n' + ents +
     '<!ENTITY ext SYSTEM "file:///etc/passwd">\n]>\n'
     '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
     '<w:p><w:r><w:t>&lol9;&ext;</w:t></w:r></w:p></w:body></w:document>')
with zipfile.ZipFile(os.path.join(h, 'laughs.docx'), 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('word/document.xml', x)
# UTF-8 text under an encoding declaration it does not fit (libxml2's
# conversion errors bypass a parser's own error handler).
x = ('<?xml version="1.0" encoding="Shift_JIS"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
     'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>第一条款</w:t></w:r></w:p></w:body></w:document>')
with zipfile.ZipFile(os.path.join(h, 'encoding.docx'), 'w') as z:
    z.writestr('word/document.xml', x.encode('utf-8'))
# Random bytes after the OLE2 magic.
rng = random.Random(14)
open(os.path.join(h, 'random.doc'), 'wb').write(
    b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + bytes(rng.randrange(256) for _ in range(20000)))
# An encrypted Word document: fEncrypted set in the FIB.
d = bytearray(open(doc, 'rb').read())
at = next(o for o in range(512, len(d), 512) if d[o:o + 2] == b'\xec\xa5')
d[at + 11] |= 0x01
open(os.path.join(h, 'encrypted.doc'), 'wb').write(d)
PY
start=$(date +%s)
run_ps "$TMP/o" "$TMP/e" index -d "$TMP/hidx" "$H"
secs=$(( $(date +%s) - start ))
cat "$TMP/e" | sed 's/^/# /'
check_eq "hostile: index exits 2 (some files failed), not a crash" 2 "$RC"
check "hostile: the whole run took under 20 s" test "$secs" -lt 20
# reason_is FILE PATTERN: exactly one line names FILE, and it says PATTERN
reason_is() {
    local lines
    lines=$(grep -c "^polsearch: $H/$1: " "$TMP/e")
    check_eq "hostile: one line for $1" 1 "$lines"
    check "hostile: $1: $2" grep -q "^polsearch: $H/$1: .*$2" "$TMP/e"
}
reason_is sheet.xls "skipped: OLE2 file that is not a Word document (Excel? PowerPoint?)"
reason_is encrypted.doc "encrypted Word document: a password is needed"
reason_is truncated.docx "damaged zip archive: no central directory (truncated?)"
reason_is truncated.doc "."
reason_is random.doc "."
reason_is bomb.docx "word/document.xml: larger than the limit of 256 MB (--max-file-size)"
reason_is bomb-lying.docx "word/document.xml: damaged (inflates past its declared size)"
reason_is laughs.docx "word/document.xml: damaged XML"
reason_is encoding.docx "word/document.xml: damaged XML (input conversion failed"
check_eq "hostile: no other file has a line" 9 "$(grep -c "^polsearch: $H/" "$TMP/e")"
check_eq "hostile: no library prints anything else (GLib, libxml2)" "" "$(grep -v '^polsearch: ' "$TMP/e")"
check "hostile: the good files are indexed (3 of 12)" grep -q "3 files indexed" "$TMP/e"
for f in structure.docx structure.doc good.wps; do
    check "hostile: $f is searchable" sh -c "'$POLSEARCH' search -d '$TMP/hidx' -l --all 科技 | grep -qx '$H/$f'"
done
check_eq "hostile: nothing of /etc/passwd is indexed" "" "$(ps search -d "$TMP/hidx" -l root 2>/dev/null)"
finish
