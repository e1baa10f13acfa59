#!/bin/bash
# browser.sh — `polsearch web` in a real browser: Debian's chromium,
# headless (--dump-dom for the DOM after scripts ran, --screenshot).  The
# search page for 专精特新 holds ranked results with <mark>s; the document
# view of the first result holds its anchored paragraph; the hostile
# document (tests/fixtures/web/hostile.txt), whose title and text carry
# <script> and onerror= payloads that would set document.title to PWNED
# or data-pwned on <body>, shows them as text and none of them runs.
# Screenshots are left as tests/cli/browser-search.png and browser-doc.png.
. "$(dirname "$0")/lib.sh"
FIXTURES=${TESTS_DIR:-$(cd "$(dirname "$0")/.." && pwd)}/fixtures
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

browse screenshot "$OUTDIR/browser-search.png" "$BASE/search?q=$Q"
check "screenshot of the search page" test -s "$OUTDIR/browser-search.png"
browse screenshot "$OUTDIR/browser-doc.png" "$BASE${LINK%%#*}"
check "screenshot of the document view" test -s "$OUTDIR/browser-doc.png"
finish
