#!/bin/bash
# web-terms.sh — `polsearch web`'s term trends and the rest of issue 23:
# /terms (the chart in SVG, its table equal to `terms --by DIM --csv`, the
# form, download links, one dimension, hostile terms escaped, 400s),
# /api/terms byte for byte against `terms --json|--csv|--tsv|--wide`,
# /api/stats against `stats --json`, /refs and /api/refs over every -d
# index, the search page's link to its terms' trend, --time-limit (503
# with the reason, and nothing else refused), /file's charset for text
# decoded from GB18030, and documents kept open but read again after a
# re-index.  The client is curl.
. "$(dirname "$0")/lib.sh"
FIXTURES=${TESTS_DIR:-$(cd "$(dirname "$0")/.." && pwd)}/fixtures
if ! command -v curl >/dev/null 2>&1; then
    echo "1..0 # SKIP curl is not installed (tools/install-deps.sh installs it)"
    exit 0
fi
if ! command -v iconv >/dev/null 2>&1; then
    echo "1..0 # SKIP iconv is not installed (libc-bin)"
    exit 0
fi
mkdir -p "$TMP/docs" && cp -r "$SEEDS" "$TMP/docs/seeds" && cp -r "$FIXTURES/refs" "$TMP/docs/refs" && mkdir "$TMP/docs/gb"
cd "$TMP/docs" || exit 1
iconv -f UTF-8 -t GB18030 seeds/003_1f11e292ab1845fd.txt >gb/gb18030.txt
IDX=$TMP/idx IDX2=$TMP/idx2
run_ps "$TMP/o" "$TMP/e" index -q -d "$IDX" seeds gb
check_eq "index seeds + a GB18030 text: exit 0" 0 "$RC"
run_ps "$TMP/o" "$TMP/e" index -q -d "$IDX2" refs
check_eq "index refs into a second index: exit 0" 0 "$RC"

# serve PORT ARGS...: start polsearch web on PORT and wait until it listens.
serve() {
    local port=$1; shift
    "$POLSEARCH" web --port "$port" "$@" >"$TMP/web.$port.out" 2>"$TMP/web.$port.err" &
    SERVER_PIDS="$SERVER_PIDS $!"
    for _ in $(seq 1 100); do port_listening "$port" && break; sleep 0.1; done
}
PORT=$(pick_port) || { echo "1..0 # SKIP no free port"; exit 0; }
serve "$PORT" -d "$IDX" -d "$IDX2"
BASE=http://127.0.0.1:$PORT
status() { local p=$1; shift; curl -s -o /dev/null -w '%{http_code}' "$@" "$BASE$p"; }
get() { CODE=$(curl -s -D "$2.h" -o "$2" -w '%{http_code}' "$BASE$1"); }
# enc TEXT: TEXT percent-encoded for a URL.
enc() { "$PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
T1=$(enc 专精特新) T2=$(enc 科技型中小企业)

# --- /api/terms: the command's bytes -------------------------------------------------
# api_vs NAME QUERY CLI-ARGS...: /api/terms?QUERY against polsearch terms CLI-ARGS over both indexes' first.
api_vs() {
    local name=$1 q=$2; shift 2
    curl -s -o "$TMP/api.out" "$BASE/api/terms?$q"
    "$POLSEARCH" terms -d "$IDX" "$@" >"$TMP/cli.out" 2>&1
    check "/api/terms?$name = terms $*" cmp -s "$TMP/api.out" "$TMP/cli.out"
}
# The API answers over the indexes as one; the CLI reads one, so compare on a site of IDX alone.
PORT1=$(pick_port) || { echo "1..0 # SKIP no free port"; exit 0; }
serve "$PORT1" -d "$IDX"
BASE0=$BASE BASE=http://127.0.0.1:$PORT1
api_vs "t=专精特新&by=year" "t=$T1&by=year" --by year --json 专精特新
api_vs "two terms, by=issuer, format=csv" "t=$T1&t=$T2&by=issuer&format=csv" --by issuer --csv 专精特新 科技型中小企业
api_vs "the lexicon, by=year,region, format=tsv" "by=year,region&format=tsv" --by year,region --tsv
api_vs "wide=1 by=region format=tsv" "by=region&format=tsv&wide=1" --by region --tsv --wide
api_vs "wide=1 alone (CSV)" "t=$T2&wide=1&by=year" --by year --wide 科技型中小企业
api_vs "n=0 by=file" "n=0&by=file" --by file --json -n 0
api_vs "no by" "t=$T2" --json 科技型中小企业
api_vs "n=3 by=format,year" "n=3&by=format,year" --by format,year --json -n 3
check "/api/terms CSV: text/csv" sh -c "curl -s -D - -o /dev/null '$BASE/api/terms?t=$T1&format=csv' | grep -qi '^Content-Type: text/csv; charset=utf-8'"
for bad in "t=%3Cscript%3E" "by=nope" "format=xml" "n=-1" "t=$T1&by=year,year"; do
    check_eq "/api/terms?$bad: 400" 400 "$(status "/api/terms?$bad")"
done
check "/api/terms?t=<script>: the error as JSON, escaped" \
    sh -c "curl -s '$BASE/api/terms?t=%3Cscript%3E' | grep -q '^{\"error\":\"t: .<script>. is not a policy term'"

# --- /api/stats ---------------------------------------------------------------------
curl -s -o "$TMP/stats.api" "$BASE/api/stats"
"$POLSEARCH" stats -d "$IDX" --json >"$TMP/stats.cli"
check "/api/stats = stats --json" cmp -s "$TMP/stats.api" "$TMP/stats.cli"
curl -s -o "$TMP/stats2.api" "$BASE0/api/stats"
{ "$POLSEARCH" stats -d "$IDX" --json; "$POLSEARCH" stats -d "$IDX2" --json; } >"$TMP/stats2.cli"
check "/api/stats with two indexes = stats --json of each, one line each" cmp -s "$TMP/stats2.api" "$TMP/stats2.cli"

# --- /terms --------------------------------------------------------------------------
get "/terms?t=$T1&t=$T2&by=year" "$TMP/trend"
check_eq "/terms?t=专精特新&t=科技型中小企业&by=year: 200" 200 "$CODE"
check "/terms: an SVG chart" grep -q '<svg class="chart"' "$TMP/trend"
check_eq "/terms by year: a line per term" 2 "$(grep -c '<polyline class="line s[01]"' "$TMP/trend")"
check "/terms: a legend with each term" sh -c "grep -q '<text class=\"legend\"[^>]*>专精特新</text>' '$TMP/trend' && grep -q '<text class=\"legend\"[^>]*>科技型中小企业</text>' '$TMP/trend'"
check "/terms: axis labels" sh -c "grep -q '>段落数</text>' '$TMP/trend' && grep -q '>年份</text>' '$TMP/trend'"
check "/terms: no script, no style attribute (the CSP forbids them)" \
    sh -c "! grep -qiE '<script|style=' '$TMP/trend'"
"$POLSEARCH" terms -d "$IDX" --by year --csv 专精特新 科技型中小企业 | tail -n +2 | tr -d '\r' >"$TMP/trend.cli"
"$PY" - "$TMP/trend" >"$TMP/trend.rows" <<'PYEOF'
import re, sys, html
page = open(sys.argv[1], encoding="utf-8").read()
body = page.split('<table class="terms-table">', 1)[1].split("</table>", 1)[0]
for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    if cells:
        print(",".join(html.unescape(c) for c in cells))
PYEOF
check "/terms: the table = terms --by year --csv (every cell)" cmp -s "$TMP/trend.rows" "$TMP/trend.cli"
check "/terms: a point per year and term with its count" \
    grep -q "<circle class=\"dot s0\"[^>]*><title>专精特新 · 2024: $(grep '^2024,专精特新,' "$TMP/trend.cli" | cut -d, -f3)</title>" "$TMP/trend"
check "/terms: the CSV link is /api/terms?…&format=csv" grep -q "<a href=\"/api/terms?t=$T1&amp;t=$T2&amp;by=year&amp;format=csv\">CSV</a>" "$TMP/trend"
check "/terms: the form keeps the terms and the dimension" \
    sh -c "grep -q '<input name=\"t\" aria-label=\"term\" value=\"专精特新\">' '$TMP/trend' && grep -q '<option value=\"year\" selected>' '$TMP/trend'"
get "/terms?t=$T1&t=$T2&by=issuer" "$TMP/trend-i"
NCAT=$("$POLSEARCH" terms -d "$IDX" --by issuer --csv 专精特新 科技型中小企业 | tail -n +2 | cut -d, -f1 | sort -u | grep -c '')
[ "$NCAT" -gt 15 ] && NCAT=15
check_eq "/terms by issuer: a bar per category and term" $((NCAT * 2)) "$(grep -c '<rect class="bar s[01]"' "$TMP/trend-i")"
check_eq "/terms without t: 200 with the form" 200 "$(status /terms)"
get "/terms?t=%3Cscript%3Ealert(1)%3C/script%3E" "$TMP/trend-x"
check_eq "/terms?t=<script>…: 400" 400 "$CODE"
check "/terms?t=<script>…: escaped" sh -c "grep -q '&lt;script&gt;alert(1)' '$TMP/trend-x' && ! grep -q '<script>' '$TMP/trend-x'"
check_eq "/terms?by=year,region: 400 (one dimension)" 400 "$(status "/terms?t=$T1&by=year,region")"
NINE=""; for t in 专精特新 科技型中小企业 高新技术企业 小巨人 知识产权 研发投入 产学研 营商环境 数字经济; do NINE="$NINE&t=$(enc $t)"; done
check_eq "/terms with nine terms: 400" 400 "$(status "/terms?${NINE#&}")"

# --- the search page links to its terms' trend ----------------------------------------
curl -s -o "$TMP/s" "$BASE/search?q=$(enc '专精特新 金融')"
check "/search?q=专精特新 金融: a link to the trend of 专精特新" grep -q "<a id=\"trend\" href=\"/terms?t=$T1&amp;by=year\">" "$TMP/s"
curl -s -o "$TMP/s2" "$BASE/search?q=$(enc 明月)"
check "/search?q=明月 (no policy term): no trend link" sh -c "! grep -q 'id=\"trend\"' '$TMP/s2'"

# --- /refs over every index --------------------------------------------------------
curl -s -o "$TMP/refs.api" "$BASE0/api/refs"
{ "$POLSEARCH" refs -d "$IDX" --graph --json; "$POLSEARCH" refs -d "$IDX2" --graph --json; } >"$TMP/refs.cli"
check "/api/refs with two indexes = refs --graph --json of each" cmp -s "$TMP/refs.api" "$TMP/refs.cli"
curl -s -o "$TMP/refs.html" "$BASE0/refs"
check_eq "/refs with two indexes: a section per index" 2 "$(grep -o '<section class="graph">' "$TMP/refs.html" | grep -c '')"
check "/refs: the second index's files are there" grep -q "$("$POLSEARCH" refs -d "$IDX2" --graph --json | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)["nodes"]))') 个文件" "$TMP/refs.html"

# --- /file's charset ----------------------------------------------------------------
id_of() {
    "$PY" -c 'import sys
h = 1469598103934665603
for b in sys.argv[1].encode():
    h = ((h ^ b) * 0x100000001b3) & (2**64 - 1)
print("%016x" % h)' "$1"
}
GB=$(id_of gb/gb18030.txt) U8=$(id_of seeds/003_1f11e292ab1845fd.txt)
check "/file of the GB18030 text: Content-Type text/plain; charset=GB18030" \
    sh -c "curl -s -D - -o '$TMP/gb.bytes' '$BASE/file/$GB' | tr -d '\r' | grep -qix 'Content-Type: text/plain; charset=GB18030'"
check "/file of the GB18030 text: its bytes as on disk" cmp -s "$TMP/gb.bytes" gb/gb18030.txt
check "/file of a UTF-8 text: charset=UTF-8" \
    sh -c "curl -s -D - -o /dev/null '$BASE/file/$U8' | tr -d '\r' | grep -qix 'Content-Type: text/plain; charset=UTF-8'"

# --- documents kept open, read again after a re-index ----------------------------------
check_eq "/doc of a seed: 200" 200 "$(status "/doc/$U8")"
cp seeds/000_af7ea0c36382d7b8.txt gb/new.txt
rm seeds/003_1f11e292ab1845fd.txt
"$POLSEARCH" index -q -d "$IDX" seeds gb >/dev/null 2>&1
check_eq "after a re-index: /doc of the added file 200" 200 "$(status "/doc/$(id_of gb/new.txt)")"
check_eq "after a re-index: /doc of the removed file 404" 404 "$(status "/doc/$U8")"
check_eq "after a re-index: /file of the removed file 404" 404 "$(status "/file/$U8")"

# --- --time-limit -------------------------------------------------------------------
run_ps "$TMP/o" "$TMP/e" web -d "$IDX" --time-limit soon
check_eq "--time-limit soon: exit 2" 2 "$RC"
check "--time-limit soon: says what it takes" grep -q "^polsearch: --time-limit: 'soon' is not a number of seconds" "$TMP/e"
PORT3=$(pick_port) || { echo "1..0 # SKIP no free port"; exit 0; }
serve "$PORT3" -d "$IDX" --time-limit 0.000001
B3=http://127.0.0.1:$PORT3
for p in "/api/search?q=$(enc 企业)&n=1000" "/api/terms?t=$T1&format=csv" "/api/terms?t=$T1"; do
    c=$(curl -s -o "$TMP/tl" -w '%{http_code}' "$B3$p")
    check_eq "time limit 1 µs: $p: 503" 503 "$c"
    check "time limit 1 µs: $p: the reason as JSON" grep -q '^{"error":"[^"]*ran past its time limit of 1e-06 s' "$TMP/tl"
done
check_eq "time limit 1 µs: /search?q=企业: 503" 503 "$(curl -s -o "$TMP/tl.html" -w '%{http_code}' "$B3/search?q=$(enc 企业)")"
check "time limit 1 µs: /search says so in the page" grep -q 'class="error">the request ran past its time limit' "$TMP/tl.html"
check_eq "time limit 1 µs: /api/stats (no search) still 200" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$B3/api/stats")"
check_eq "default time limit: /api/search?q=企业&n=1000 200" 200 "$(status "/api/search?q=$(enc 企业)&n=1000")"
finish
