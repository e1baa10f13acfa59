#!/bin/bash
# seal.sh — issue 21: the text of a circular seal (公章) is not body text
# and does not become the issuer or date.  seal.pdf (LibreOffice, made by
# tests/fixtures/seal/make.sh) stamps a seal named 银川市科技创新服务中心,
# glyph by glyph along its arc, over the signature 银川市科学技术局 and its
# date; before, the seal's glyphs ran into the signature and the date
# ("银川市银川市科学技术局", "2023年3月9日中心") and neither was taken.
# In OFD a seal is a Stamp annotation or a signature's Seal.esl, which are
# not read: the real ofdrw file signout.ofd (tests/fixtures/real/ofd)
# carries a Stamp annotation with text, which must not be found.
. "$(dirname "$0")/lib.sh"
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
FIX=$TESTS_DIR/fixtures/seal
mkdir -p "$TMP/in"
cp "$FIX/seal.pdf" "$TMP/in/"
run_ps "$TMP/out" "$TMP/err" index -q -d "$TMP/idx" "$TMP/in"
check_eq "seal.pdf indexed, exit 0" 0 "$RC"
ps export -d "$TMP/idx" --jsonl >"$TMP/rows" 2>"$TMP/err"
# field NAME: NAME of the first row; texts: every paragraph, one a line
field() { "$PY" -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())[sys.argv[2]])' "$TMP/rows" "$1"; }
texts() { "$PY" -c 'import json,sys
for l in open(sys.argv[1]): print(json.loads(l)["text"])' "$TMP/rows"; }
check_eq "the issuer is the signature's body, not the seal's" 银川市科学技术局 "$(field issuer)"
check_eq "the signature's date is the date" 2023-03-09 "$(field date)"
check_eq "the title is the first line" 银川市科学技术局关于开展科技成果转化服务的通知 "$(field title)"
check_eq "the signature is a paragraph of its own, whole" 银川市科学技术局 "$(texts | sed -n 5p)"
check_eq "the date is a paragraph of its own, whole" 2023年3月9日 "$(texts | sed -n 6p)"
check_eq "six paragraphs: no paragraph of seal glyphs" 6 "$(texts | wc -l)"
for q in 服务中心 创新 中心 银川市银川市; do
    c=$(ps search -d "$TMP/idx" -c "$q" 2>/dev/null)
    check_eq "the seal's text is not found: $q" 0 "$c"
done
c=$(ps search -d "$TMP/idx" -c 按季度报送工作进展 2>/dev/null)
check_eq "the body is found" 1 "$c"
# OFD: a real producer's Stamp annotation (ofdrw's signout.ofd)
REAL=$TESTS_DIR/fixtures/real/ofd/ofdrw-converter__signout.ofd
if [ -s "$REAL" ]; then
    mkdir -p "$TMP/ofd"
    cp "$REAL" "$TMP/ofd/"
    run_ps "$TMP/out" "$TMP/err" index -q -d "$TMP/idx-ofd" "$TMP/ofd"
    check_eq "signout.ofd indexed, exit 0" 0 "$RC"
    c=$(ps search -d "$TMP/idx-ofd" -c 测试文本注释 2>/dev/null)
    check_eq "OFD: the text of a Stamp annotation is not read" 0 "$c"
else
    not_ok "no $REAL (kept in git)"
fi
finish
