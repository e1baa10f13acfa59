#!/bin/bash
# messy.sh — real-world documents: encodings, compression, HTML pages, short
# texts, metadata and filters, bad input mixed with good files, and walking.
. "$(dirname "$0")/lib.sh"

S0=000_af7ea0c36382d7b8; S1=001_a364a026ab62a3ac; S2=002_0a6a893f069894ce
S3=003_1f11e292ab1845fd; S4=004_135bf9ada3a6babd
SEED_IDS="$S0 $S1 $S2 $S3 $S4"
# a phrase that occurs in exactly one seed
uniq_phrase() {
    case $1 in
        "$S0") echo 余姚市 ;; "$S1") echo 沈斌代表 ;; "$S2") echo 叶晓娜 ;;
        "$S3") echo 赵洁委员 ;; "$S4") echo 银川市科技局 ;;
    esac
}
# A query that matches (nearly) every paragraph of the seeds: the paragraphs a
# file yields are compared through it.
EVERY="的 OR 企 OR 科 OR 技 OR 发 OR 年 OR 日 OR 市 OR 一 OR 二 OR 三 OR 四 OR 五 OR 关 OR 于 OR 人 OR 局 OR 建 OR 是 OR 新 OR 名 OR 字 OR 号 OR 位 OR 置 OR 研 OR 中"
# rc_sane RC: an exit status, never a signal
rc_sane() { [ "$1" -eq 0 ] || [ "$1" -eq 1 ] || [ "$1" -eq 2 ]; }
# listed FILE PATH: PATH is a line of FILE
listed() { grep -qxF -- "$2" "$1"; }

# --- encodings and compression -------------------------------------------------
E=$TMP/enc; mkdir -p "$E"
for id in $SEED_IDS; do
    f=$SEEDS/$id.txt
    cp "$f" "$E/$id.txt"
    iconv -f UTF-8 -t GB18030 "$f" >"$E/$id.gb.txt"
    { printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$f"; } >"$E/$id.u16.txt"
    gzip -c "$f" >"$E/$id.txt.gz"
    n=$(wc -l <"$f"); h=$(( (n + 1) / 2 ))
    { head -n "$h" "$f" | gzip -c; tail -n +"$((h + 1))" "$f" | gzip -c; } >"$E/$id.multi.gz"
done
check "fixture: the two-member gzip decompresses to the seed" sh -c "gzip -dc '$E/$S0.multi.gz' | cmp -s - '$SEEDS/$S0.txt'"

# An HTML page in GBK wrapping seed 003, with site furniture around it.
HTML_TITLE=临沂市科技局关于市政协提案的答复
{
    cat <<EOF
<!DOCTYPE html>
<html><head><meta charset="gbk"><title>$HTML_TITLE</title>
<style>body { font-family: 宋体; } .x { color: red }</style>
<script>var msg = "扫一扫在手机打开当前页"; document.write("长者版");</script>
</head><body>
<div class="nav">当前位置: 首页 &gt; 政府信息公开 &gt; 建议提案</div>
<div class="top">无障碍 | 长者版</div>
<div class="content">
EOF
    while IFS= read -r line || [ -n "$line" ]; do
        [ -n "$line" ] && printf '<p>%s</p>\n' "$line"
    done <"$SEEDS/$S3.txt"
    cat <<'EOF'
<h2>研发与创新&amp;成果转化&#x4E2D;试基地&#20013;心</h2>
</div>
<div class="tools">【打印本页】【关闭窗口】</div>
<div class="qr">扫一扫在手机打开当前页</div>
</body></html>
EOF
} | iconv -f UTF-8 -t GBK >"$E/page003.html"

# Traditional Chinese in BIG5; short texts in GBK and BIG5.
BIG5_SENT=關於加大研發投入提升中小企業科技創新能力的實施意見與配套措施說明
printf '%s\n' "$BIG5_SENT" | iconv -f UTF-8 -t BIG5 >"$E/trad.big5.txt"
SHORT10=关于加大研发投入通知
printf '%s' "$SHORT10" | iconv -f UTF-8 -t GBK >"$E/short10.gbk.txt"
LINE30=臺灣地區科技研發補助計畫申請須知暨審查作業規範說明書請參閱。
printf '%s\n' "$LINE30" | iconv -f UTF-8 -t BIG5 >"$E/line30.big5.txt"
nchars() { "$PY" -c 'import sys; print(len(sys.argv[1]))' "$1"; }
check_eq "fixture: the short GBK title has 10 characters" 10 "$(nchars "$SHORT10")"
check_eq "fixture: the BIG5 line has 30 characters" 30 "$(nchars "$LINE30")"

EI=$TMP/ei
run_ps "$TMP/o" "$TMP/e" index -d "$EI" "$E"
check_eq "index the encoded variants: exit 0" 0 "$RC"
check "index the encoded variants: nothing skipped or failed" grep -q " 0 skipped, 0 failed" "$TMP/e"

# file -> hash of its set of (paragraph, text), for every file
# --no-collapse: the variants are copies of each other, and every copy is wanted.
"$POLSEARCH" search -d "$EI" --json --all --no-collapse $EVERY >"$TMP/every.json" 2>/dev/null
"$PY" - "$TMP/every.json" >"$TMP/sets" <<'PYEOF'
import json, sys, collections, hashlib
d = collections.defaultdict(set)
for line in open(sys.argv[1], encoding='utf-8'):
    o = json.loads(line)
    d[o['file'].rsplit('/', 1)[-1]].add((o['paragraph'], o['text']))
for f, s in sorted(d.items()):
    h = hashlib.sha1(json.dumps(sorted(s), ensure_ascii=False).encode()).hexdigest()
    print(f, len(s), h)
PYEOF
pset() { awk -v f="$1" '$1 == f { print $2, $3 }' "$TMP/sets"; }
for id in $SEED_IDS; do
    want=$(pset "$id.txt")
    check "UTF-8 $id yields paragraphs" test -n "$want"
    for v in gb.txt u16.txt txt.gz multi.gz; do
        check_eq "$id.$v: the same paragraph texts as the UTF-8 original" "$want" "$(pset "$id.$v")"
    done
done

for id in $SEED_IDS; do
    p=$(uniq_phrase "$id")
    "$POLSEARCH" search -d "$EI" -l --all "$p" 2>/dev/null | sed 's|.*/||' | sort >"$TMP/l"
    want=$(printf '%s\n' "$id.gb.txt" "$id.multi.gz" "$id.txt" "$id.txt.gz" "$id.u16.txt")
    [ "$id" = "$S3" ] && want=$(printf '%s\npage003.html\n' "$want")
    check_eq "$p finds every variant of $id (and nothing else)" "$(echo "$want" | sort)" "$(cat "$TMP/l")"
done

# HTML: furniture, scripts and styles gone; <title> is the title; entities decoded.
for q in 扫一扫 长者版 打印本页 关闭窗口 当前位置 无障碍 宋体 document; do
    "$POLSEARCH" search -d "$EI" -l --all "$q" >"$TMP/l" 2>/dev/null
    check "HTML page: '$q' (furniture/script/style) is not indexed" sh -c "! grep -q 'page003.html' '$TMP/l'"
done
"$POLSEARCH" search -d "$EI" --json --all --file '*page003.html' 赵洁委员 >"$TMP/h" 2>/dev/null
check "HTML page: <title> becomes the result title" "$PY" -c '
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert rs, "no result"
assert all(o["title"] == sys.argv[2] for o in rs), [o["title"] for o in rs]' "$TMP/h" "$HTML_TITLE"
"$POLSEARCH" search -d "$EI" --json --all 成果转化中试基地中心 >"$TMP/h" 2>/dev/null
check "HTML page: &amp; &#x4E2D; &#20013; decode to & 中 中" "$PY" -c '
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert [o["text"] for o in rs if o["file"].endswith("page003.html")] == ["研发与创新&成果转化中试基地中心"], rs' "$TMP/h"
"$POLSEARCH" search -d "$EI" --json --all --file '*page003.html' $EVERY >"$TMP/h1" 2>/dev/null
"$POLSEARCH" search -d "$EI" --json --all --file "*/$S3.txt" $EVERY >"$TMP/h2" 2>/dev/null
check "HTML page (GBK, meta charset): the seed's paragraph texts, plus only the entity paragraph" "$PY" -c '
import json, sys
t = lambda p: {json.loads(l)["text"] for l in open(p, encoding="utf-8")}
h, o = t(sys.argv[1]), t(sys.argv[2])
assert o and o <= h, sorted(o - h)
assert h - o == {"研发与创新&成果转化中试基地中心"}, sorted(h - o)' "$TMP/h1" "$TMP/h2"

# Short texts and traditional characters.
run_ps "$TMP/l" "$TMP/e" search -d "$EI" -l "$SHORT10"
check "a 10-character GBK file is found by its text" listed "$TMP/l" "$E/short10.gbk.txt"
run_ps "$TMP/l" "$TMP/e" search -d "$EI" -l 申請須知暨審查作業規範
check "a 30-character BIG5 line is found by its text" listed "$TMP/l" "$E/line30.big5.txt"
"$POLSEARCH" search -d "$EI" --json 研發投入提升中小企業 >"$TMP/h" 2>/dev/null
check "BIG5: the paragraph reads as the traditional-Chinese original" "$PY" -c '
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert [o["text"] for o in rs if o["file"].endswith("trad.big5.txt")] == [sys.argv[2]], rs' "$TMP/h" "$BIG5_SENT"

run_ps "$TMP/o" "$TMP/e" stats -d "$EI" --json
check "stats --json lists the encodings seen (UTF-8, GB18030/GBK, UTF-16LE, BIG5)" "$PY" -c '
import json, sys
enc = {k.upper().replace("_", "-") for k in json.load(open(sys.argv[1]))["encodings"]}
for want in (("UTF-8", "UTF8"), ("GB18030", "GBK", "GB2312"), ("UTF-16LE", "UTF-16"), ("BIG5", "BIG-5")):
    assert enc & set(want), (want, enc)' "$TMP/o"

# --- metadata and filters ------------------------------------------------------
MI=$TMP/mi
"$POLSEARCH" index -q -d "$MI" "$SEEDS" 2>/dev/null
"$POLSEARCH" search -d "$MI" --json --all 企业 >"$TMP/m" 2>/dev/null
check "--json carries title/date/issuer: 004 (2022-09-14, 银川市科学技术局), 000 (2024-07-16)" "$PY" -c '
import json, sys
rs = {}
for l in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(l); rs.setdefault(o["file"].rsplit("/", 1)[-1][:3], o)
a, b = rs["004"], rs["000"]
assert a["date"] == "2022-09-14" and a["issuer"] == "银川市科学技术局", a
assert a["title"].startswith("银川市科技局关于对市政协十四届一次会议第029号"), a["title"]
assert b["date"] == "2024-07-16" and b["title"] == "关于市政协十四届三次会议第7号提案的回复", b' "$TMP/m"
filt() { "$POLSEARCH" search -d "$MI" -l --all "$@" 企业 2>/dev/null | sed 's|.*/||' | sort | tr '\n' ' '; }
check_eq "--year 2022: only 004" "$S4.txt " "$(filt --year 2022)"
check_eq "--year 2024: 000-003" "$S0.txt $S1.txt $S2.txt $S3.txt " "$(filt --year 2024)"
check_eq "--since 2024-06-01 --until 2024-07-31: 000 and 003" "$S0.txt $S3.txt " "$(filt --since 2024-06-01 --until 2024-07-31)"
check_eq "--issuer 银川: only 004" "$S4.txt " "$(filt --issuer 银川)"
check_eq "--file '*004*': only 004" "$S4.txt " "$(filt --file '*004*')"

# --- bad input among good files ------------------------------------------------
B=$TMP/bad; mkdir -p "$B"
cp "$SEEDS/$S0.txt" "$SEEDS/$S3.txt" "$B/"
cp "$SEEDS/$S2.txt" "$B/政策 文件 002.txt"
: >"$B/empty.txt"
head -c 4096 /dev/urandom >"$B/random.bin"
{ printf '关于推进科技创新的意见'; printf '\0\0'; printf '企业研发投入持续增长取得显著成效\n'; } >"$B/nul.txt"          # NUL at byte 33
{ printf '第一段落的知识产权质押融资服务'; printf '\377\377'; printf '继续推进产学研深度融合发展\n'; } >"$B/badutf8.txt" # 0xff at byte 45
gzip -c "$SEEDS/$S1.txt" | head -c 1500 >"$B/trunc.txt.gz"
# gzip bomb: 300 MB of zeros in ~300 KB (30 members of 10 MB each; cheaper to make
# than `head -c 300M /dev/zero | gzip -c`, and it decompresses the same way)
"$PY" -c '
import gzip, sys
m = gzip.compress(bytes(10 << 20), 9)
open(sys.argv[1], "wb").write(m * 30)' "$B/bomb.gz"
"$PY" -c '
import sys
s = "培育壮大科技型骨干企业推动高质量发展。"
n = 20 * 1024 * 1024 // len(s.encode())
open(sys.argv[1], "w", encoding="utf-8").write("超长单行文件开头标记" + s * n + "超长单行文件结尾标记\n")' "$B/long.txt"
ln -s . "$B/loop"

# --max-file-size 32: the 20 MB line fits, the 300 MB bomb does not.
run_ps "$TMP/o" "$TMP/e" index -d "$TMP/bi" --max-file-size 32 "$B"
check "bad input: no crash (exit status < 128)" rc_sane "$RC"
check_eq "bad input: exit 2 (some files failed)" 2 "$RC"
for f in empty.txt random.bin nul.txt badutf8.txt trunc.txt.gz bomb.gz; do
    check "bad input: a 'polsearch: PATH: reason' line for $f" grep -q "^polsearch: $B/$f: ." "$TMP/e"
done
sed -n '$p' "$TMP/e" >"$TMP/summary"
check "bad input summary: 6 files indexed (000, 003, spaces, long, NUL, invalid UTF-8)" grep -q "6 files indexed" "$TMP/summary"
check "bad input summary: 2 skipped (empty, random)" grep -q " 2 skipped" "$TMP/summary"
check "bad input summary: 2 failed (truncated gz, bomb)" grep -q " 2 failed" "$TMP/summary"
run_ps "$TMP/l" "$TMP/x" search -d "$TMP/bi" -l --all 余姚市
check_eq "bad input: good file 000 still searchable, once (loop not followed)" "$B/$S0.txt" "$(cat "$TMP/l")"
run_ps "$TMP/l" "$TMP/x" search -d "$TMP/bi" -l --all 赵洁委员
check_eq "bad input: good file 003 still searchable" "$B/$S3.txt" "$(cat "$TMP/l")"
run_ps "$TMP/l" "$TMP/x" search -d "$TMP/bi" -l --all 叶晓娜
check_eq "a file name with spaces and Chinese characters is indexed" "$B/政策 文件 002.txt" "$(cat "$TMP/l")"
run_ps "$TMP/l" "$TMP/x" search -d "$TMP/bi" -l 超长单行文件结尾标记
check_eq "the 20 MB single line is indexed: a phrase from its end is found" "$B/long.txt" "$(cat "$TMP/l")"
run_ps "$TMP/l" "$TMP/x" search -d "$TMP/bi" -l 超长单行文件开头标记
check_eq "the 20 MB single line: a phrase from its start is found" "$B/long.txt" "$(cat "$TMP/l")"
run_ps "$TMP/l" "$TMP/x" search -d "$TMP/bi" -l 企业研发投入持续增长
check_eq "NUL bytes inside Chinese text: the file is indexed, text after the NULs found" "$B/nul.txt" "$(cat "$TMP/l")"
check "NUL bytes: the warning names the file and byte offset 33" grep -Eq "^polsearch: $B/nul.txt: .*(^|[^0-9])33([^0-9]|$)" "$TMP/e"
run_ps "$TMP/l" "$TMP/x" search -d "$TMP/bi" -l 继续推进产学研深度融合发展
check_eq "invalid UTF-8: the file is indexed, text after the bad bytes found" "$B/badutf8.txt" "$(cat "$TMP/l")"
run_ps "$TMP/l" "$TMP/x" search -d "$TMP/bi" -l 知识产权质押融资服务
check_eq "invalid UTF-8: text before the bad bytes found" "$B/badutf8.txt" "$(cat "$TMP/l")"
check "invalid UTF-8: the warning names the file and byte offset 45" grep -Eq "^polsearch: $B/badutf8.txt: .*(^|[^0-9])45([^0-9]|$)" "$TMP/e"

# The gzip bomb with --max-file-size 10: refused quickly, named, no crash.
mkdir -p "$TMP/bomb"; mv "$B/bomb.gz" "$TMP/bomb/"; cp "$SEEDS/$S4.txt" "$TMP/bomb/"
start=$(date +%s)
run_ps "$TMP/o" "$TMP/e" index -d "$TMP/bombi" --max-file-size 10 "$TMP/bomb"
check_eq "gzip bomb, --max-file-size 10: exit 2" 2 "$RC"
check "gzip bomb: refused within 10 s" test $(( $(date +%s) - start )) -le 10
check "gzip bomb: the message names the file and the limit" grep -q "^polsearch: $TMP/bomb/bomb.gz: .*10 MB" "$TMP/e"
run_ps "$TMP/l" "$TMP/x" search -d "$TMP/bombi" -l 银川市科技局
check_eq "gzip bomb: the good file beside it is searchable" "$TMP/bomb/$S4.txt" "$(cat "$TMP/l")"

# Symbolic-link loops with --follow.
L=$TMP/lp; mkdir -p "$L/inner"; cp "$SEEDS/$S4.txt" "$L/inner/"; printf '外层目录文件标记寅卯\n' >"$L/outer.txt"
ln -s . "$L/inner/loop"; ln -s .. "$L/inner/up"
timeout 30 "$POLSEARCH" index -d "$TMP/li" --follow "$L/inner" >"$TMP/o" 2>"$TMP/e"; RC=$?
check "symlink loops with --follow: no crash or hang (exit 0 or 2)" test "$RC" -eq 0 -o "$RC" -eq 2
check "symlink loop with --follow: reported with its path" grep -q "^polsearch: $L/inner/loop: .*loop" "$TMP/e"
run_ps "$TMP/l" "$TMP/x" search -d "$TMP/li" -l --all 银川市科技局
check_eq "symlink loops with --follow: the file is indexed exactly once" 1 "$(wc -l <"$TMP/l" | tr -d ' ')"
run_ps "$TMP/l" "$TMP/x" search -d "$TMP/li" -l --all 外层目录文件标记寅卯
check_eq "--follow: a link to the parent is followed" 1 "$(wc -l <"$TMP/l" | tr -d ' ')"

# --- walking ---------------------------------------------------------------------
W=$TMP/w; mkdir -p "$W/d" "$W/.hid" "$W/.git" "$W/sub" "$TMP/ext"
cp "$SEEDS/$S0.txt" "$W/d/a.txt"
printf '隐藏文件独有标记甲乙\n' >"$W/.hidden.txt"
printf '隐藏目录独有标记丙丁\n' >"$W/.hid/x.txt"
printf '版本库独有标记戊己\n' >"$W/.git/config.txt"
printf '子目录纯文本标记庚辛\n' >"$W/sub/keep.txt"
printf '子目录文档标记壬癸\n' >"$W/sub/page.md"
printf '外部链接文件标记子丑\n' >"$TMP/ext/target.txt"
ln -s ../ext/target.txt "$W/link.txt"
# found IDX PHRASE: the phrase is found in the index
found() { "$POLSEARCH" search -d "$1" -l "$2" >/dev/null 2>&1; }
absent() { "$POLSEARCH" search -d "$1" -l "$2" >/dev/null 2>&1; [ $? -eq 1 ]; }
"$POLSEARCH" index -q -d "$TMP/w1" "$W" 2>/dev/null
check "walk: ordinary files indexed" found "$TMP/w1" 子目录纯文本标记庚辛
check "walk: hidden files skipped" absent "$TMP/w1" 隐藏文件独有标记甲乙
check "walk: hidden folders skipped" absent "$TMP/w1" 隐藏目录独有标记丙丁
check "walk: .git skipped" absent "$TMP/w1" 版本库独有标记戊己
check "walk: a symlinked file inside the folder is not followed" absent "$TMP/w1" 外部链接文件标记子丑
"$POLSEARCH" index -q -d "$TMP/w2" --hidden "$W" 2>/dev/null
check "--hidden: hidden files indexed" found "$TMP/w2" 隐藏文件独有标记甲乙
check "--hidden: hidden folders indexed" found "$TMP/w2" 隐藏目录独有标记丙丁
check "--hidden: .git still skipped" absent "$TMP/w2" 版本库独有标记戊己
"$POLSEARCH" index -q -d "$TMP/w3" --follow "$W" 2>/dev/null
check "--follow: a symlinked file is indexed" found "$TMP/w3" 外部链接文件标记子丑
"$POLSEARCH" index -q -d "$TMP/w4" --include '*.md' "$W" 2>/dev/null
check "--include '*.md': .md indexed" found "$TMP/w4" 子目录文档标记壬癸
check "--include '*.md': .txt not indexed" absent "$TMP/w4" 子目录纯文本标记庚辛
"$POLSEARCH" index -q -d "$TMP/w5" --exclude sub "$W" 2>/dev/null
check "--exclude sub: the folder is skipped" absent "$TMP/w5" 子目录纯文本标记庚辛
check "--exclude sub: the rest is indexed" found "$TMP/w5" 余姚市
"$POLSEARCH" index -q -d "$TMP/w6" --exclude '*.txt' "$W/.hidden.txt" "$W/link.txt" "$W/.git/config.txt" 2>/dev/null
check "a hidden file named on the command line is read" found "$TMP/w6" 隐藏文件独有标记甲乙
check "a symlink named on the command line is read" found "$TMP/w6" 外部链接文件标记子丑
check "a file inside .git named on the command line is read" found "$TMP/w6" 版本库独有标记戊己
finish
