#!/bin/bash
# ofdlines.sh — issue 21: OFD text drawn the way real producers draw it is
# read in printed order.  A TextCode that wraps (DeltaX goes back to the
# margin while DeltaY moves down a line, the pattern of a producer's OFD
# quoted in make-ofd.py's make_wrap) must give its lines in order, joined
# into the paragraph as printed; a label set vertically (DeltaY alone)
# keeps its characters' order.  The OFD is made at test time by
# tests/fixtures/make-ofd.py --wrap from tests/fixtures/ofd/wrap.txt.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SRC=$ROOT/tests/fixtures/ofd/wrap.txt
mkdir -p "$TMP/in"
"$PY" "$ROOT/tests/fixtures/make-ofd.py" --wrap "$SRC" "$TMP/in/wrap.ofd"
check "make-ofd.py --wrap wrote an OFD" test -s "$TMP/in/wrap.ofd"
ps index -q -d "$TMP/idx" "$TMP/in" >"$TMP/out" 2>"$TMP/err"
check_eq "wrap.ofd indexed, exit 0" 0 "$?"

# Every source paragraph must come out as one indexed paragraph, whole.
n=0
while IFS= read -r par; do
    [ -n "$par" ] || continue
    n=$((n + 1))
    # the paragraph's first 6 characters find it; its text must be the line
    first=${par:0:6}
    ps search -d "$TMP/idx" --json --all "$first" >"$TMP/j" 2>/dev/null
    got=$("$PY" -c 'import json,sys
for l in open(sys.argv[1], encoding="utf-8"):
    print(json.loads(l)["text"]); break' "$TMP/j")
    check_eq "paragraph $n reads as printed, its lines in order" "$par" "$got"
done <"$SRC"

# Phrases across a wrap (characters of a line and of the next,
# 30 widths a line with a 2-width indent: make-ofd.py's wrap).
for phrase in 现就加快推进科技 承担重大科技项目 鼓励企业建设研发机构; do
    c=$(ps search -d "$TMP/idx" -c "$phrase" 2>/dev/null)
    check_eq "phrase across a wrapped line: $phrase" 1 "$c"
done
# The vertical label, top to bottom.
c=$(ps search -d "$TMP/idx" -c 密码区 2>/dev/null)
check_eq "vertical label (DeltaY alone) keeps its order: 密码区" 1 "$c"
finish
