#!/bin/bash
# fold.sh — traditional and simplified Chinese match each other (issue 21):
# a BIG5 document is found by a simplified query and a simplified one by a
# traditional query, highlights and --json spans stay on each document's own
# characters, -c agrees across scripts, and --no-fold keeps them apart.
. "$(dirname "$0")/lib.sh"
D=$TMP/docs
mkdir -p "$D"
printf '第一条 为了推进科技成果转化，提高使用价值，制定本办法。\n\n第二条 本办法适用于高新技术企业。\n' >"$D/simp.txt"
printf '第一條 為了推進科技成果轉化，提高使用價值，制定本辦法。\n\n第二條 本辦法自發布之日起施行，後續另行通知。\n' \
    | iconv -f UTF-8 -t BIG5 >"$D/trad.txt"
run_ps "$TMP/o" "$TMP/e" index -q -d "$TMP/idx" "$D"
check_eq "index a simplified and a BIG5 traditional file: exit 0" 0 "$RC"

for q in 使用价值 使用價值 科技成果转化 科技成果轉化 "本办法 施行"; do
    run_ps "$TMP/o" "$TMP/e" search -d "$TMP/idx" --no-collapse -l "$q"
    case $q in "本办法 施行") want="$D/trad.txt" ;; *) want="$(printf '%s\n%s' "$D/simp.txt" "$D/trad.txt")" ;; esac
    check_eq "search -l $q: both scripts' files" "$want" "$(sort "$TMP/o")"
done
cs=$(ps search -d "$TMP/idx" -c 办法); ct=$(ps search -d "$TMP/idx" -c 辦法)
check_eq "-c 办法 = -c 辦法 (4 paragraphs)" "4 4" "$cs $ct"
check_eq "-c 后续 finds the traditional 後續" 1 "$(ps search -d "$TMP/idx" -c 后续)"

# Highlights and spans are on the original characters.
run_ps "$TMP/o" "$TMP/e" search -d "$TMP/idx" --no-collapse --json 使用价值
check "--json text of the BIG5 file is its own traditional text" \
    grep -q '"file":"[^"]*trad.txt".*"text":"第一條 為了推進科技成果轉化，提高使用價值，制定本辦法。"' "$TMP/o"
check_eq "--json matches: [[17,4]] in each script" "2" "$(grep -c '"matches":\[\[17,4\]\]' "$TMP/o")"
run_ps "$TMP/o" "$TMP/e" search -d "$TMP/idx" --no-collapse --color=always 使用价值
check "colour highlight shows 使用價值 in the traditional file" grep -qF "$(printf '\033[1;31m使用價值\033[0m')" "$TMP/o"
check "colour highlight shows 使用价值 in the simplified file" grep -qF "$(printf '\033[1;31m使用价值\033[0m')" "$TMP/o"

# --no-fold: the literal script only.
check_eq "--no-fold -c 使用價值: the traditional paragraph only" 1 "$(ps search -d "$TMP/idx" --no-fold -c 使用價值)"
check_eq "--no-fold -l 使用價值" "$D/trad.txt" "$(ps search -d "$TMP/idx" --no-fold -l 使用價值)"
check_eq "--no-fold -l 使用价值" "$D/simp.txt" "$(ps search -d "$TMP/idx" --no-fold -l 使用价值)"
check_eq "--no-fold -c 價值 (a two-character phrase still checked)" 1 "$(ps search -d "$TMP/idx" --no-fold -c 價值)"
run_ps "$TMP/o" "$TMP/e" search -d "$TMP/idx" --no-fold 使用價值
check_eq "--no-fold ranked: the traditional copy of a collapsed pair" 1 "$(grep -c '^/.*trad.txt:1 ' "$TMP/o")"
check_eq "--no-fold ranked: not the simplified one" 0 "$(grep -c 'simp.txt' "$TMP/o")"
run_ps "$TMP/o" "$TMP/e" search -d "$TMP/idx" --no-fold 使用価値
check_eq "--no-fold with no literal match: exit 1" 1 "$RC"

# The committed table is what the generator writes from the installed OpenCC.
ROOT=${TESTS_DIR:-$(dirname "$0")/..}/..
if command -v opencc_dict >/dev/null 2>&1 && [ -d /usr/share/opencc ]; then
    "$PY" "$ROOT/tools/gen-t2s.py" >"$TMP/t2s.inc" 2>"$TMP/e"
    check "src/t2s-chars.inc is tools/gen-t2s.py's output on the installed OpenCC" cmp -s "$TMP/t2s.inc" "$ROOT/src/t2s-chars.inc"
else
    ok "# SKIP opencc_dict not installed: src/t2s-chars.inc not regenerated"
fi
finish
