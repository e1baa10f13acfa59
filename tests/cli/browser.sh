#!/bin/bash
# browser.sh — `polsearch web` in a real browser: Debian's chromium,
# headless (--dump-dom for the DOM after scripts ran, --screenshot).  The
# search page for 专精特新 holds ranked results with <mark>s; the document
# view of the first result holds its anchored paragraph; the hostile
# document (tests/fixtures/web/hostile.txt), whose title and text carry
# <script> and onerror= payloads that would set document.title to PWNED
# or data-pwned on <body>, shows them as text and none of them runs.
# /terms: its SVG chart has one series per term with a point per year,
# its table is /api/terms's, its CSV and JSON links give the command's
# bytes, the search page's trend link leads to a chart, and the
# screenshot shows both series' colours (png_colours.py).
# At phone width, the document view opened at the anchored paragraph shows
# it at the top of the viewport, painted (tools/shot.mjs, Node 20+).
# Screenshots are left as tests/cli/browser-search.png, browser-doc.png,
# browser-doc-phone.png and browser-terms.png.
. "$(dirname "$0")/lib.sh"
FIXTURES=${TESTS_DIR:-$(cd "$(dirname "$0")/.." && pwd)}/fixtures
HELPERS=${TESTS_DIR:-$(cd "$(dirname "$0")/.." && pwd)}/cli
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
    echo "1..0 # SKIP chromium is not installed (tools/install-deps.sh installs it)"
    exit 0
fi
OUTDIR=$(pwd)/tests/cli
[ -d "$OUTDIR" ] || OUTDIR=$TMP
mkdir -p "$TMP/docs" && cp -r "$SEEDS" "$TMP/docs/seeds" && cp -r "$FIXTURES/web" "$TMP/docs/web"
cd "$TMP/docs" || exit 1
IDX=$TMP/idx
run_ps "$TMP/o" "$TMP/e" index -q -d "$IDX" seeds web
check_eq "index seeds + the hostile document: exit 0" 0 "$RC"
PORT=$(pick_port) || { echo "1..0 # SKIP no free port"; exit 0; }
start_web "$PORT" -d "$IDX"
BASE=http://127.0.0.1:$PORT

# browse MODE OUT URL: chromium headless, MODE dump-dom (OUT: the DOM) or
# screenshot (OUT: a PNG); its own console log in OUT.log.
browse() {
    local mode=$1 out=$2 url=$3 prof
    prof=$(mktemp -d "$TMP/chromium.XXXXXX")
    local args=(--headless --no-sandbox --disable-gpu --disable-background-networking
                --disable-component-update --disable-sync --no-first-run --user-data-dir="$prof"
                --hide-scrollbars --window-size=1000,900 --enable-logging=stderr --v=0
                --run-all-compositor-stages-before-draw --virtual-time-budget=3000)
    if [ "$mode" = dump-dom ]; then
        timeout 120 "$CHROMIUM" "${args[@]}" --dump-dom "$url" >"$out" 2>"$out.log"
    else
        timeout 120 "$CHROMIUM" "${args[@]}" --screenshot="$out" "$url" >/dev/null 2>"$out.log"
    fi
}

Q=%E4%B8%93%E7%B2%BE%E7%89%B9%E6%96%B0
browse dump-dom "$TMP/search.html" "$BASE/search?q=$Q"
check_eq "search page in chromium: ten ranked results" 10 "$(grep -o '<li class="hit">' "$TMP/search.html" | grep -c '')"
check "search page in chromium: matches in <mark>" grep -q '<mark>专精特新</mark>' "$TMP/search.html"
check_eq "search page in chromium: the first result is search's first" \
    "$("$POLSEARCH" search -d "$IDX" -n 1 --format '{file}:{paragraph}' 专精特新)" \
    "$(grep -o '">[^<]*:[0-9]*</a> ·' "$TMP/search.html" | head -1 | sed 's/^">//; s/<\/a>.*//')"
# Follow the first result's link to its document view.
LINK=$(grep -o '<h2><a href="[^"]*"' "$TMP/search.html" | head -1 | sed 's/^<h2><a href="//; s/"$//; s/&amp;/\&/g')
ANCHOR=${LINK##*#}
browse dump-dom "$TMP/doc.html" "$BASE$LINK"
check "document view in chromium: the anchored paragraph $ANCHOR" grep -q "<p id=\"$ANCHOR\"" "$TMP/doc.html"
check "document view in chromium: the query marked in it" \
    sh -c "grep '<p id=\"$ANCHOR\"' '$TMP/doc.html' | grep -q '<mark>'"

# What a reader sees at phone width: the view scrolled to the anchored
# paragraph, which stands near the viewport's top with its mark painted
# (tools/shot.mjs: the DevTools protocol, for chromium --screenshot paints
# nothing above a #fragment's target).  Needs Node's WebSocket.
NODE_WS=
for flag in "" --experimental-websocket; do
    # shellcheck disable=SC2086
    if command -v node >/dev/null && node $flag -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' 2>/dev/null; then
        NODE_WS="node $flag"; break
    fi
done
if [ -n "$NODE_WS" ]; then
    # shellcheck disable=SC2086
    CHROMIUM=$CHROMIUM timeout 120 $NODE_WS "$HELPERS/../../tools/shot.mjs" "$BASE$LINK" \
        "$OUTDIR/browser-doc-phone.png" 390 844 light >"$TMP/where" 2>"$TMP/where.err"
    check "document view at phone width: scrolled to $ANCHOR, its top 0-100 px below the viewport's" \
        "$PY" -c 'import json, sys
w = json.load(open(sys.argv[1]))
sys.exit(not (w["targetId"] == sys.argv[2] and w["scrollY"] > 0 and 0 <= w["targetTop"] <= 100))' "$TMP/where" "$ANCHOR"
    "$PY" "$HELPERS/png_colours.py" "$OUTDIR/browser-doc-phone.png" fff0a0 >"$TMP/px" 2>&1
    check "document view at phone width: the anchored paragraph's mark painted in the viewport" \
        sh -c "[ \"\$(sed -n 's/^fff0a0 //p' '$TMP/px')\" -gt 2000 ]"
else
    ok "# SKIP document view at phone width: no Node with WebSocket (Node 20+)"
    ok "# SKIP document view at phone width: its mark painted"
fi

# The hostile document, in its view and among results.
IDH=$(id_of web/hostile.txt)
for u in "/search?q=PWNED" "/search?q=%3Cscript%3E" "/doc/$IDH?q=PWNED"; do
    browse dump-dom "$TMP/h.html" "$BASE$u"
    if grep -q 'PWNED' "$TMP/h.html" && ! grep -q '<title>PWNED</title>\|data-pwned' "$TMP/h.html" &&
       ! grep -qi '<script\|<img' "$TMP/h.html" && ! grep -q 'PWNED' "$TMP/h.html.log"; then
        ok "hostile document in chromium ($u): shown as text, no script ran"
    else
        not_ok "hostile document in chromium ($u)"
    fi
done

# --- /terms: the chart drawn, the table equal to /api/terms, the links work ---------
T1=$(enc 专精特新) T2=$(enc 科技型中小企业)
TERMS="/terms?t=$T1&t=$T2"
browse dump-dom "$TMP/terms.html" "$BASE$TERMS&by=year"
# The DOM chromium built, read back: series, points, legend, table rows, links.
"$PY" - "$TMP/terms.html" >"$TMP/terms.facts" <<'PYEOF'
import html, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
svg = re.search(r'<svg class="chart".*?</svg>', page, re.S)
svg = svg.group(0) if svg else ""
print("svg_bytes", len(svg))
lines = re.findall(r'<polyline class="line (s\d+)" points="([^"]*)"', svg)
print("series", len({c for c, _ in lines}))
print("points", " ".join(str(len(p.split())) for _, p in lines))
print("legend", "|".join(html.unescape(t) for t in re.findall(r'<text class="legend"[^>]*>([^<]*)</text>', svg)))
body = re.search(r'<tbody>(.*?)</tbody>', page, re.S)
rows = re.findall(r'<tr>(.*?)</tr>', body.group(1) if body else "", re.S)
for r in rows:
    print("row", ",".join(html.unescape(c) for c in re.findall(r'<td[^>]*>([^<]*)</td>', r)))
for a in re.findall(r'<p class="downloads">(.*?)</p>', page, re.S):
    for href, label in re.findall(r'<a href="([^"]*)">([^<]*)</a>', a):
        print("link", label, html.unescape(href))
PYEOF
fact() { sed -n "s/^$1 //p" "$TMP/terms.facts"; }
check "/terms in chromium: a chart drawn (an SVG of some size)" [ "$(fact svg_bytes)" -gt 1000 ]
check_eq "/terms in chromium: one series per term" 2 "$(fact series)"
NYEARS=$("$POLSEARCH" terms -d "$IDX" --by year --csv 专精特新 科技型中小企业 | tail -n +2 | cut -d, -f1 | sort -u | grep -c '')
check_eq "/terms in chromium: each line has a point per year of the table" "$NYEARS $NYEARS" "$(fact points)"
check_eq "/terms in chromium: the legend names the terms" "专精特新|科技型中小企业" "$(fact legend)"
curl -s "$BASE/api/terms?t=$T1&t=$T2&by=year&format=csv" | tail -n +2 | tr -d '\r' >"$TMP/api.rows"
fact row >"$TMP/dom.rows"
check "/terms in chromium: the table's rows are /api/terms's" \
    sh -c "[ -s '$TMP/api.rows' ] && cmp -s '$TMP/dom.rows' '$TMP/api.rows'"
for kind in CSV JSON; do
    href=$(sed -n "s/^link $kind //p" "$TMP/terms.facts")
    opt=--csv
    [ "$kind" = JSON ] && opt=--json
    curl -s -o "$TMP/dl" -w '%{http_code}' "$BASE$href" >"$TMP/dl.code"
    "$POLSEARCH" terms -d "$IDX" --by year "$opt" 专精特新 科技型中小企业 >"$TMP/dl.cli"
    check "/terms in chromium: the $kind link answers 200 with terms $opt's bytes" \
        sh -c "[ -n '$href' ] && [ \"\$(cat '$TMP/dl.code')\" = 200 ] && cmp -s '$TMP/dl' '$TMP/dl.cli'"
done
# Grouped bars by issuer: one colour class per term.
browse dump-dom "$TMP/terms-i.html" "$BASE$TERMS&by=issuer"
check_eq "/terms?by=issuer in chromium: bars of two series" 2 \
    "$(grep -o '<rect class="bar s[0-9]*"' "$TMP/terms-i.html" | sort -u | grep -c '')"
# The search page's trend link leads to a chart.
TREND=$(grep -o '<a id="trend" href="[^"]*"' "$TMP/search.html" | sed 's/^<a id="trend" href="//; s/"$//; s/&amp;/\&/g')
browse dump-dom "$TMP/trend.html" "$BASE$TREND"
check "the search page's trend link ($TREND) leads to a chart" \
    sh -c "[ -n '$TREND' ] && grep -q '<svg class=\"chart\"' '$TMP/trend.html' && grep -q '<polyline class=\"line s0\"' '$TMP/trend.html'"
# Painted, not only in the DOM: the screenshot holds both series' colours
# (the light scheme's --c0 and --c1).
browse screenshot "$OUTDIR/browser-terms.png" "$BASE$TERMS&by=year"
"$PY" "$HELPERS/png_colours.py" "$OUTDIR/browser-terms.png" 0b57d0 d93025 >"$TMP/px" 2>&1
check "screenshot of /terms: both series painted (pixels of #0b57d0 and #d93025)" \
    sh -c "[ \"\$(sed -n 's/^0b57d0 //p' '$TMP/px')\" -gt 50 ] && [ \"\$(sed -n 's/^d93025 //p' '$TMP/px')\" -gt 50 ]"

browse screenshot "$OUTDIR/browser-search.png" "$BASE/search?q=$Q"
check "screenshot of the search page" test -s "$OUTDIR/browser-search.png"
browse screenshot "$OUTDIR/browser-doc.png" "$BASE${LINK%%#*}"
check "screenshot of the document view" test -s "$OUTDIR/browser-doc.png"
finish
