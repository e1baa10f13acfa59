#!/bin/bash
# web.sh — `polsearch web` over HTTP on a free loopback port: status codes
# and headers, the document view and the original file by id, the hostile
# document (tests/fixtures/web/hostile.txt: <script>, "><img onerror>,
# javascript: links and bidi overrides in its title and text) escaped,
# hostile paths and parameters refused without reading a file that is not
# indexed, 405 for POST, /api/search byte for byte against search --json,
# facet counts against search -c, and a burst of concurrent requests
# while the index is rebuilt.  The client is curl; raw requests use python3.
. "$(dirname "$0")/lib.sh"
FIXTURES=${TESTS_DIR:-$(cd "$(dirname "$0")/.." && pwd)}/fixtures
if ! command -v curl >/dev/null 2>&1; then
    echo "1..0 # SKIP curl is not installed (tools/install-deps.sh installs it)"
    exit 0
fi

# Index relative paths, as a user in the corpus folder would.
mkdir -p "$TMP/docs" && cp -r "$SEEDS" "$TMP/docs/seeds" && cp -r "$FIXTURES/web" "$TMP/docs/web" &&
    cp -r "$FIXTURES/refs" "$TMP/docs/refs"
cd "$TMP/docs" || exit 1
# A file that copies seed 000's paragraph with 力争宁波考核, for the copies list.
{ printf '标题：关于转发创新型县建设目标的通知\n\n'; grep -m1 '力争宁波考核' seeds/000_af7ea0c36382d7b8.txt; } >web/copy.txt
# A second one, the copy its third paragraph, for the document view's copies.
{ printf '标题：另一份转发的计划\n\n第一段与众不同的文字在这里。\n\n'; grep -m1 '力争宁波考核' seeds/000_af7ea0c36382d7b8.txt; } >web/copy2.txt
# A PDF, for page markers and its Content-Type.
cp "$FIXTURES/pdf/004_135bf9ada3a6babd.pdf" web/report.pdf
IDX=$TMP/idx
run_ps "$TMP/o" "$TMP/e" index -q -d "$IDX" seeds refs web
check_eq "index seeds + refs + the hostile document + a copy: exit 0" 0 "$RC"

PORT=$(pick_port) || { echo "1..0 # SKIP no free port"; exit 0; }
start_web "$PORT" -d "$IDX"
check "web: serving message names the index and the URL" \
    grep -qx "polsearch: serving $IDX at http://127.0.0.1:$PORT/" "$TMP/web.$PORT.err"
if [ "$HAVE_SS" = 1 ]; then
    check "web: listens on loopback only" sh -c "ss -ltnH | awk '{print \$4}' | grep -qx '127.0.0.1:$PORT'"
fi
BASE=http://127.0.0.1:$PORT

status() { web_status "$@"; }
get() { web_get "$@"; }

# --- 1. status codes and headers ----------------------------------------------------
get / "$TMP/home"
check_eq "GET /: 200" 200 "$CODE"
check "GET /: a GET form for q" grep -q '<form action="/search" method="get"' "$TMP/home"
for h in "Content-Security-Policy: default-src 'self'" "X-Content-Type-Options: nosniff" \
         "Referrer-Policy: no-referrer" "Content-Type: text/html; charset=utf-8"; do
    check "GET /: header $h" grep -qi "^$h" "$TMP/home.h"
done
check_eq "GET /style.css: 200" 200 "$(status /style.css)"
check "GET /style.css: a dark scheme" sh -c "curl -s '$BASE/style.css' | grep -q prefers-color-scheme"
check_eq "GET /nowhere: 404" 404 "$(status /nowhere)"
check_eq "GET /api/nowhere: 404" 404 "$(status /api/nowhere)"
check "GET /api/nowhere: the error as JSON" \
    sh -c "curl -s '$BASE/api/nowhere' | grep -qx '{\"error\":\"no such page\",\"status\":404}'"
check_eq "POST /: 405" 405 "$(status / -X POST -d q=1)"
check "POST /: Allow: GET, HEAD" sh -c "curl -s -D - -o /dev/null -X POST '$BASE/' | grep -qi '^Allow: GET, HEAD'"
check_eq "PUT /api/search: 405" 405 "$(status /api/search -X PUT)"
check_eq "DELETE /doc/x: 405" 405 "$(status /doc/x -X DELETE)"
check_eq "HEAD /: 200" 200 "$(status / -I)"
check_eq "HEAD /: no body" "" "$(curl -s -I "$BASE/" | sed '1,/^\r$/d')"
LONG=$(printf 'x%.0s' $(seq 1 40000))
check "a 40 KB URL is refused (414 or 431)" sh -c "c=\$(curl -s -o /dev/null -w '%{http_code}' '$BASE/search?q=$LONG'); [ \"\$c\" = 414 ] || [ \"\$c\" = 431 ]"
check_eq "invalid UTF-8 in a parameter: 400" 400 "$(status '/search?q=%C0%AF')"
check_eq "NUL in a parameter: 400" 400 "$(status '/search?q=a%00b')"

# --- 2. the document view and the file, by id --------------------------------------
S003=seeds/003_1f11e292ab1845fd.txt
ID3=$(id_of "$S003")
get "/doc/$ID3?q=专精特新" "$TMP/doc3"
check_eq "GET /doc/ID: 200" 200 "$CODE"
# Every file stats lists among the largest: as many anchored paragraphs as stats counts.
"$POLSEARCH" stats -d "$IDX" --json | "$PY" -c 'import json, sys
for f in json.load(sys.stdin)["largest"]:
    print(f["paragraphs"], f["file"], sep="\t")' >"$TMP/largest"
while IFS=$'\t' read -r np f; do
    curl -s -o "$TMP/docn" "$BASE/doc/$(id_of "$f")"
    check_eq "doc view of $f: one anchored paragraph per paragraph stats counts" "$np" \
        "$(grep -c '^<p id="p[0-9]*"' "$TMP/docn")"
done <"$TMP/largest"
check "doc view: the query's matches marked" grep -q '<mark>专精特新</mark>' "$TMP/doc3"
check "doc view: paragraph 7 has the anchor p7" grep -q '^<p id="p7">' "$TMP/doc3"
check "doc view: what it cites, the indexed one linked" \
    grep -q "<a href=\"/doc/$(id_of refs/linyi-wings.txt)\">" "$TMP/doc3"
check "doc view: who cites it (the notice, by its number)" \
    grep -q "<a href=\"/doc/$(id_of refs/linyi-notice.txt)#p3\">" "$TMP/doc3"
check "doc view: a link to the original file" grep -q "href=\"/file/$ID3\"" "$TMP/doc3"
get "/file/$ID3" "$TMP/file3"
check_eq "GET /file/ID: 200" 200 "$CODE"
check "GET /file/ID: the file's bytes as on disk" cmp -s "$TMP/file3" "$S003"
check "GET /file/ID: Content-Type text/plain" grep -qi '^Content-Type: text/plain' "$TMP/file3.h"
check "GET /file/ID: a sandboxing CSP" grep -qi "^Content-Security-Policy: default-src 'none'; sandbox" "$TMP/file3.h"

IDP=$(id_of web/report.pdf)
get "/doc/$IDP" "$TMP/pdfdoc"
check_eq "PDF doc view: 200" 200 "$CODE"
check "PDF doc view: page markers linking to #page=N of the file" \
    grep -q "<div class=\"page\" id=\"page2\"><a href=\"/file/$IDP#page=2\">" "$TMP/pdfdoc"
get "/file/$IDP" "$TMP/pdffile"
check "GET /file/ID of a PDF: application/pdf" grep -qi '^Content-Type: application/pdf' "$TMP/pdffile.h"
check "GET /file/ID of a PDF: its bytes" cmp -s "$TMP/pdffile" web/report.pdf

# --- 2b. the document view's copies elsewhere --------------------------------------------
S000=seeds/000_af7ea0c36382d7b8.txt
get "/doc/$(id_of "$S000")" "$TMP/doc0"
# search's copies of the copied paragraph (its best copy and its duplicates), but itself.
"$POLSEARCH" search -d "$IDX" --json 力争宁波考核进入前三 | "$PY" -c 'import json, sys, subprocess
for l in sys.stdin:
    d = json.loads(l)
    for c in [d] + d["duplicates"]:
        if (c["file"], c["paragraph"]) != (sys.argv[1], 12):
            print(c["file"], c["paragraph"], sep="\t")' "$S000" | sort >"$TMP/copies.cli"
check_eq "copies of $S000:12 on the CLI: two other files" 2 "$(cut -f1 "$TMP/copies.cli" | sort -u | wc -l | tr -d ' ')"
while IFS=$'\t' read -r f n; do echo "<li><a href=\"/doc/$(id_of "$f")#p$n\">$f:$n</a></li>"; done \
    <"$TMP/copies.cli" | tr -d '\n' >"$TMP/copies.want"
check_eq "doc view: paragraph 12 followed by 另见 2 处 and the links to the two copies (search's duplicates)" \
    "<details class=\"copies\"><summary>另见 2 处</summary><ul>$(cat "$TMP/copies.want")</ul></details>" \
    "$(grep -A1 '^<p id="p12">' "$TMP/doc0" | sed -n 2p)"
check_eq "doc view: no other paragraph of $S000 lists copies" 1 "$(grep -c '^<details class="copies">' "$TMP/doc0")"
while IFS=$'\t' read -r f n; do
    get "/doc/$(id_of "$f")" "$TMP/docc"
    check "copy link to $f#p$n: its view has the anchor p$n, listing $S000#p12 back" \
        sh -c "grep -A1 '^<p id=\"p$n\">' '$TMP/docc' | grep -q 'href=\"/doc/$(id_of "$S000")#p12\"'"
done <"$TMP/copies.cli"
# Every document's every paragraph against the export's copy keys (brute force).
"$POLSEARCH" export -d "$IDX" --jsonl >"$TMP/export.jsonl"
check "doc views of every file: each paragraph's copies are the other paragraphs with its copy key" \
    "$PY" - "$PORT" "$TMP/export.jsonl" <<'PYEOF'
import collections, json, re, sys, urllib.request
port, rows = int(sys.argv[1]), [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
def fid(path):
    h = 1469598103934665603
    for b in path.encode():
        h = ((h ^ b) * 0x100000001b3) & (2**64 - 1)
    return "%016x" % h
groups = collections.defaultdict(list)
for r in rows:
    groups[r["copy_key"]].append((r["file"], r["paragraph"]))
bad = 0
for f in sorted({r["file"] for r in rows}):
    page = urllib.request.urlopen("http://127.0.0.1:%d/doc/%s" % (port, fid(f)), timeout=30).read().decode()
    lines, got = page.split("\n"), {}
    for i, line in enumerate(lines):
        m = re.match(r'<p id="p(\d+)"', line)
        if m and i + 1 < len(lines) and lines[i + 1].startswith('<details class="copies">'):
            got[int(m.group(1))] = lines[i + 1]
    for r in rows:
        if r["file"] != f:
            continue
        others = sorted(c for c in groups[r["copy_key"]] if c != (f, r["paragraph"]))
        want = ('<details class="copies"><summary>另见 %d 处</summary><ul>' % len(others) +
                "".join('<li><a href="/doc/%s#p%d">%s:%d</a></li>' % (fid(a), n, a, n) for a, n in others) +
                "</ul></details>") if others else None
        if got.get(r["paragraph"]) != want:
            bad += 1
            print("# %s:%d: want %s, got %s" % (f, r["paragraph"], want, got.get(r["paragraph"])), file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF

# --- 3. hostile paths: nothing but an indexed file by its id ----------------------------
echo "SECRET-NOT-INDEXED" >"$TMP/docs/secret.txt"
for p in "/file/../secret.txt" "/file/..%2fsecret.txt" "/file/%2e%2e%2fsecret.txt" \
         "/file/%2fetc%2fpasswd" "/file//etc/passwd" "/file/$ID3%00" "/file/$ID3/../secret.txt" \
         "/doc/%c0%ae%c0%ae%2fsecret.txt" "/file/%c0%ae%c0%ae/secret.txt" "/file/0000000000000000" \
         "/doc/0000000000000000" "/doc/${ID3^^}" "/doc/$ID3.." "/file/secret.txt" "/file/" "/doc/"; do
    c=$(curl -s --path-as-is -o "$TMP/hostile.body" -w '%{http_code}' "$BASE$p")
    if [ "$c" != 200 ] && ! grep -q SECRET "$TMP/hostile.body" && ! grep -q 'root:' "$TMP/hostile.body"; then
        ok "hostile path $p: $c, nothing read"
    else
        not_ok "hostile path $p: $c"
    fi
done
# A raw request line with a NUL and an absolute path (curl cannot send them).
check "raw requests with NUL, absolute path and overlong UTF-8 get no file" "$PY" - "$PORT" <<'PYEOF'
import socket, sys
port = int(sys.argv[1])
for line in [b"GET /file/\x00/etc/passwd HTTP/1.1", b"GET http://127.0.0.1/file/../../etc/passwd HTTP/1.1",
             b"GET /file/\xc0\xae\xc0\xae/etc/passwd HTTP/1.1", b"GET /../../etc/passwd HTTP/1.1"]:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(line + b"\r\nHost: x\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    if b"root:" in data or data.startswith(b"HTTP/1.1 200"):
        print("# got a file for", line, file=sys.stderr)
        sys.exit(1)
PYEOF

# --- 4. the hostile document: every piece escaped -----------------------------------------
IDH=$(id_of web/hostile.txt)
get "/doc/$IDH?q=%3Cscript%3E" "$TMP/hdoc"
check_eq "hostile document view: 200" 200 "$CODE"
check "hostile document: no <script> tag on the page" sh -c "! grep -qi '<script' '$TMP/hdoc'"
check "hostile document: no <img> tag on the page" sh -c "! grep -qi '<img' '$TMP/hdoc'"
check "hostile document: no href=javascript:" sh -c "! grep -qi 'href=\"javascript:' '$TMP/hdoc'"
check "hostile document: the title shown escaped" grep -q '&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;' "$TMP/hdoc"
check "hostile document: the bidi override replaced" sh -c "! grep -q \$'\\xe2\\x80\\xae' '$TMP/hdoc'"
get "/file/$IDH" "$TMP/hfile"
check "hostile document's file: served sandboxed" grep -qi "sandbox" "$TMP/hfile.h"

# --- 5. /api/search is search --json ----------------------------------------------------
# api_same DESCRIPTION QUERY-STRING SEARCH-ARGS...: the API's body equals search --json's.
api_same() {
    local d=$1 qs=$2; shift 2
    curl -s -o "$TMP/api.out" "$BASE/api/search?$qs"
    "$POLSEARCH" search -d "$IDX" --json "$@" >"$TMP/cli.out" 2>/dev/null
    if [ -s "$TMP/cli.out" ] && cmp -s "$TMP/api.out" "$TMP/cli.out"; then ok "$d"; else
        not_ok "$d"; diff "$TMP/cli.out" "$TMP/api.out" | head -4 | sed 's/^/# /'; fi
}
api_same "api = search --json: 专精特新" "q=%E4%B8%93%E7%B2%BE%E7%89%B9%E6%96%B0" 专精特新
api_same "api = search --json: -n 2 专精特新" "q=%E4%B8%93%E7%B2%BE%E7%89%B9%E6%96%B0&n=2" -n 2 专精特新
api_same "api = search --json: 高企 (expanded)" "q=%E9%AB%98%E4%BC%81" 高企
api_same "api = search --json: 高企 no-expand" "q=%E9%AB%98%E4%BC%81&no-expand=1" --no-expand 高企
api_same "api = search --json: --year 2022 --issuer 银川 -n 1 科技型企业" \
    "q=%E7%A7%91%E6%8A%80%E5%9E%8B%E4%BC%81%E4%B8%9A&year=2022&issuer=%E9%93%B6%E5%B7%9D&n=1" \
    --year 2022 --issuer 银川 -n 1 科技型企业
api_same "api = search --json: 知识产权质押" "q=%E7%9F%A5%E8%AF%86%E4%BA%A7%E6%9D%83%E8%B4%A8%E6%8A%BC" 知识产权质押
api_same "api = search --json: 专精特新 -小巨人 --no-collapse -n 50" \
    "q=%E4%B8%93%E7%B2%BE%E7%89%B9%E6%96%B0+-%E5%B0%8F%E5%B7%A8%E4%BA%BA&no-collapse=1&n=50" --no-collapse -n 50 专精特新 -小巨人
api_same "api = search --json: --since/--until --file --type" \
    "q=%E4%BC%81%E4%B8%9A&since=2024-01-01&until=2024-12-31&file=seeds%2F*&type=text&n=20" \
    --since 2024-01-01 --until 2024-12-31 --file 'seeds/*' --type text -n 20 企业
api_same "api = search --json: --cites 银川市科技体制改革攻坚方案 银川" \
    "q=%E9%93%B6%E5%B7%9D&cites=%E9%93%B6%E5%B7%9D%E5%B8%82%E7%A7%91%E6%8A%80%E4%BD%93%E5%88%B6%E6%94%B9%E9%9D%A9%E6%94%BB%E5%9D%9A%E6%96%B9%E6%A1%88" \
    --cites 银川市科技体制改革攻坚方案 银川
curl -s -o "$TMP/p2" "$BASE/api/search?q=%E4%BC%81%E4%B8%9A&n=3&start=3"
"$POLSEARCH" search -d "$IDX" --json -n 6 企业 | sed -n 4,6p | sed 's/^{"rank":[0-9]*,//' >"$TMP/p2.cli"
check "api start=3&n=3: results 4-6 of search -n 6" sh -c "sed 's/^{\"rank\":[0-9]*,//' '$TMP/p2' | cmp -s - '$TMP/p2.cli'"
check_eq "api: no q: 400" 400 "$(status /api/search)"
check_eq "api: a query that cannot run: 400" 400 "$(status '/api/search?q=OR')"
check "api: the error as JSON with its status" \
    sh -c "curl -s '$BASE/api/search?q=OR' | grep -q '^{\"error\":\".*\",\"status\":400}\$'"
for bad in "n=0" "n=abc" "n=1001" "start=-1" "year=20x4" "since=yesterday" "until=2024-13-45" "type=exe"; do
    check_eq "api: $bad: 400" 400 "$(status "/api/search?q=%E4%BC%81%E4%B8%9A&$bad")"
done

# --- 6. the search page -------------------------------------------------------------------
get "/search?q=%E4%B8%93%E7%B2%BE%E7%89%B9%E6%96%B0" "$TMP/s1"
check_eq "GET /search?q=专精特新: 200" 200 "$CODE"
check_eq "search page: ten results" 10 "$(grep -c '<li class="hit">' "$TMP/s1")"
check "search page: matches marked" grep -q '<mark>专精特新</mark>' "$TMP/s1"
check_eq "search page: the exact count is search -c's" "$("$POLSEARCH" search -d "$IDX" -c 专精特新)" \
    "$(grep -o '<span id="count">[0-9]*' "$TMP/s1" | grep -o '[0-9]*$')"
check_eq "search page: results in search's order" \
    "$("$POLSEARCH" search -d "$IDX" --format '{file}:{paragraph}' 专精特新 | tr '\n' ' ')" \
    "$(grep -o '">[^<]*:[0-9]*</a></div>\|">[^<]*:[0-9]*</a> ·' "$TMP/s1" | sed 's/^">//; s/<\/a>.*//' | tr '\n' ' ')"
check "search page: a next-page link" grep -q 'rel="next" href="/search?q=%E4%B8%93%E7%B2%BE%E7%89%B9%E6%96%B0&amp;start=10"' "$TMP/s1"
get "/search?q=%E5%8A%9B%E4%BA%89%E5%AE%81%E6%B3%A2%E8%80%83%E6%A0%B8" "$TMP/s2"
check "search page: copies listed under the result" grep -q '<details><summary>另见 ' "$TMP/s2"
# Facets: each link's count is what search -c says with that filter (and
# the page's filters), the page's count search -c's.  The queries cover
# both ways facets are counted: per file without a read (专精特新, 企业), and
# over read paragraphs when the text is checked (a long phrase, a negated
# phrase, an --issuer filter).
# facets_vs PAGE QUERY [CLI-FILTER...]: check PAGE's facets and count.
facets_vs() {
    local page=$1 q=$2 name value count
    shift 2
    "$PY" - "$page" >"$TMP/facets" <<'PYEOF'
import re, sys, urllib.parse
page = open(sys.argv[1], encoding="utf-8").read()
for m in re.finditer(r'<ul class="facet" data-facet="(\w+)">(.*?)</ul>', page):
    for link, count in re.findall(r'<a href="([^"]*)">[^<]*</a> <span class="count">(\d+)</span>', m.group(2)):
        qs = urllib.parse.parse_qs(urllib.parse.urlparse(link.replace("&amp;", "&")).query)
        print(m.group(1), qs[m.group(1)][0], count, sep="\t")
PYEOF
    NF=0
    while IFS=$'\t' read -r name value count; do
        NF=$((NF + 1))
        check_eq "facet $name=$value of '$q' $*: count = search -c --$name" \
            "$("$POLSEARCH" search -d "$IDX" -c "$@" "--$name" "$value" "$q")" "$count"
    done <"$TMP/facets"
    check_eq "search page '$q' $*: the count is search -c's" "$("$POLSEARCH" search -d "$IDX" -c "$@" "$q")" \
        "$(grep -o '<span id="count">[0-9]*' "$page" | grep -o '[0-9]*$')"
}
facets_vs "$TMP/s1" 专精特新
check "facets: format, year and issuer listed" [ "$NF" -ge 4 ]
for q in 企业 科技型中小企业 "企业 -科技型中小企业"; do
    get "/search?q=$(enc "$q")" "$TMP/sf"
    facets_vs "$TMP/sf" "$q"
done
# The region facet: each province and city, counted as --region counts (facets_vs checks every one).
get "/search?q=$(enc 企业)" "$TMP/sf"
check "facets of 企业: a region facet with 银川市 and its province" \
    sh -c "grep -q 'data-facet=\"region\"><li>' '$TMP/sf' && grep -q '>银川市</a>' '$TMP/sf' && grep -q '>宁夏回族自治区</a>' '$TMP/sf'"
check "region facet: a link that adds the filter" \
    grep -q "<a href=\"/search?q=$(enc 企业)&amp;region=$(enc 银川市)\">银川市</a>" "$TMP/sf"
get "/search?q=$(enc 企业)&region=$(enc 浙江)" "$TMP/sf"
facets_vs "$TMP/sf" 企业 --region 浙江
check "facets of 企业 --region 浙江: some listed" [ "$NF" -ge 3 ]
check "chips: the region chip's link drops the region" \
    grep -q "class=\"chip\" href=\"/search?q=$(enc 企业)\" title=\"去掉\">region: 浙江 ×</a>" "$TMP/sf"
get "/search?q=$(enc "企业 -科技型中小企业")&region=$(enc 银川市)" "$TMP/sf"
facets_vs "$TMP/sf" "企业 -科技型中小企业" --region 银川市
check_eq "region=nowhere: 400" 400 "$(status "/search?q=$(enc 企业)&region=nowhere")"
api_same "api = search --json: --region 宁夏 企业" "q=$(enc 企业)&region=$(enc 宁夏)" --region 宁夏 企业
get "/search?q=$(enc 企业)&issuer=$(enc 科学技术局)" "$TMP/sf"
facets_vs "$TMP/sf" 企业 --issuer 科学技术局
check "facets of 企业 --issuer 科学技术局: some listed" [ "$NF" -ge 3 ]
get "/search?q=%E4%B8%93%E7%B2%BE%E7%89%B9%E6%96%B0&year=2024&issuer=%E5%B8%82%E7%A7%91%E6%8A%80%E5%B1%80" "$TMP/s3"
check "chips: the year chip's link drops only the year" \
    grep -q 'class="chip" href="/search?q=%E4%B8%93%E7%B2%BE%E7%89%B9%E6%96%B0&amp;issuer=%E5%B8%82%E7%A7%91%E6%8A%80%E5%B1%80" title="去掉">year: 2024' "$TMP/s3"
# Hostile parameters: whatever they hold comes back escaped.
H='%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E%3Cimg+src%3Dx+onerror%3Dalert(2)%3E'
for p in q issuer region file type cites year since until n start no-expand no-collapse; do
    c=$(curl -s -o "$TMP/hp" -w '%{http_code}' "$BASE/search?q=%E4%BC%81%E4%B8%9A&$p=$H")
    [ "$p" = q ] && c=$(curl -s -o "$TMP/hp" -w '%{http_code}' "$BASE/search?q=$H")
    if ! grep -qi '<script\|<img' "$TMP/hp" && [ "$c" != 500 ]; then ok "hostile $p: $c, escaped"; else
        not_ok "hostile $p: $c"; fi
done
get "/search?q=%3Cscript%3E" "$TMP/s4"
check "search for <script>: the hostile document found, its text escaped" \
    sh -c "grep -q '<mark>&lt;script&gt;</mark>' '$TMP/s4' && ! grep -qi '<script' '$TMP/s4'"

# --- 6b. the citation graph -----------------------------------------------------------------
curl -s -o "$TMP/refs.json" "$BASE/api/refs"
"$POLSEARCH" refs -d "$IDX" --graph --json >"$TMP/refs.cli"
check "/api/refs = refs --graph --json" cmp -s "$TMP/refs.json" "$TMP/refs.cli"
get /refs "$TMP/refs.html"
check_eq "GET /refs: 200" 200 "$CODE"
if command -v dot >/dev/null 2>&1; then
    check "/refs: the graph drawn as inline SVG" grep -q '<figure class="graph"><svg' "$TMP/refs.html"
    check "/refs: a node links to its document view" grep -q "xlink:href=\"/doc/$ID3\"" "$TMP/refs.html"
    check_eq "/refs: one edge per edge of refs --graph" "$("$POLSEARCH" refs -d "$IDX" --graph | grep -c -- '->')" \
        "$(grep -c '<g id="edge' "$TMP/refs.html")"
    check "/refs: no script in the SVG" sh -c "! grep -qi '<script' '$TMP/refs.html'"
else
    check "/refs without dot: says to install graphviz" grep -q 'install the Debian package graphviz' "$TMP/refs.html"
fi

# --- 7. it follows the index ----------------------------------------------------------------
# 50 requests at once (the server's thread pool, each thread with its own
# index handles) while the index is rebuilt: each answer the same bytes as
# the same request asked alone before.
"$POLSEARCH" index -q --full -d "$IDX" seeds refs web >"$TMP/reidx0.out" 2>&1 &
REIDX=$!
check "50 concurrent requests while the index is rebuilt: each the bytes of the same request alone" \
    "$PY" - "$PORT" "$ID3" "$(id_of "$S000")" <<'PYEOF'
import sys, urllib.request, urllib.parse
from concurrent.futures import ThreadPoolExecutor
port, id3, id0 = int(sys.argv[1]), sys.argv[2], sys.argv[3]
q = lambda s: urllib.parse.quote(s)
paths = ["/api/search?q=" + q("专精特新"), "/search?q=" + q("企业"), "/search?q=" + q("科技型企业") + "&region=" + q("宁夏"),
         "/doc/%s?q=%s" % (id3, q("专精特新")), "/doc/" + id0, "/api/search?q=" + q("知识产权质押") + "&n=3",
         "/terms?t=" + q("专精特新") + "&by=year", "/search?q=" + q("力争宁波考核")]
def fetch(p):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, p), timeout=60) as r:
        return r.status, r.read()
alone = {p: fetch(p) for p in paths}
with ThreadPoolExecutor(50) as ex:
    got = list(ex.map(lambda i: (paths[i % len(paths)], fetch(paths[i % len(paths)])), range(50)))
bad = [p for p, r in got if r != alone[p] or r[0] != 200]
print("# %d of 50 differ: %s" % (len(bad), bad[:3]))
sys.exit(1 if bad else 0)
PYEOF
wait "$REIDX"
check_eq "the rebuild during the 50: exit 0" 0 "$?"
# A burst of concurrent requests while polsearch index rebuilds it.
"$POLSEARCH" index -q --full -d "$IDX" seeds refs web >"$TMP/reidx.out" 2>&1 &
REIDX=$!
check "200 concurrent requests while the index is rebuilt: all answered 200, each whole" "$PY" - "$PORT" <<'PYEOF'
import json, sys, urllib.request, urllib.parse
from concurrent.futures import ThreadPoolExecutor
port = int(sys.argv[1])
qs = ["专精特新", "高企", "知识产权质押", "企业", "科技型企业"]
def one(i):
    q = urllib.parse.quote(qs[i % len(qs)])
    path = "/api/search?q=" + q if i % 2 else "/search?q=" + q
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=30) as r:
        body = r.read()
        if r.status != 200:
            return "status %d" % r.status
        if i % 2:
            for line in body.decode().splitlines():
                json.loads(line)
            if not body:
                return "empty"
        elif not body.endswith(b"</html>\n"):
            return "torn page"
    return None
with ThreadPoolExecutor(16) as ex:
    bad = [r for r in ex.map(one, range(200)) if r]
print("# %d bad: %s" % (len(bad), bad[:3]))
sys.exit(1 if bad else 0)
PYEOF
wait "$REIDX"
check_eq "re-index during the burst: exit 0" 0 "$?"
api_same "after the re-index: api = search --json" "q=%E4%B8%93%E7%B2%BE%E7%89%B9%E6%96%B0" 专精特新
# A new document shows on the next request.
printf '标题：新加入的测试通知\n\n这是一个独一无二的词语青藤苹果。\n' >"$TMP/docs/web/new.txt"
"$POLSEARCH" index -q -d "$IDX" seeds refs web
check_eq "a document indexed while serving: found on the next request" 1 \
    "$(curl -s "$BASE/api/search?q=%E9%9D%92%E8%97%A4%E8%8B%B9%E6%9E%9C" | grep -c '')"
mv "$IDX" "$TMP/idx.away"
check_eq "the index gone: /api/search 503" 503 "$(status '/api/search?q=%E4%BC%81%E4%B8%9A')"
check_eq "the index gone: /search 503" 503 "$(status '/search?q=%E4%BC%81%E4%B8%9A')"
check_eq "the index gone: /doc/ID 503" 503 "$(status "/doc/$ID3")"
mv "$TMP/idx.away" "$IDX"
check_eq "the index back: /api/search 200" 200 "$(status '/api/search?q=%E4%BC%81%E4%B8%9A')"

# --- 8. listening ---------------------------------------------------------------------------
run_ps "$TMP/o" "$TMP/busy.err" web -d "$IDX" --port "$PORT"
check_eq "web on a port in use: exit 2" 2 "$RC"
check "web on a port in use: says why" grep -q "^polsearch: cannot listen on 127.0.0.1 port $PORT: Address already in use" "$TMP/busy.err"
run_ps "$TMP/o" "$TMP/e" web --port 0
check_eq "web --port 0: exit 2 (not a port number)" 2 "$RC"
PORT2=$(pick_port "$PORT") || PORT2=
if [ -n "$PORT2" ]; then
    MAIN_PID=$WEB_PID
    start_web "$PORT2" -d "$IDX" --listen 0.0.0.0
    ANY_PID=$WEB_PID WEB_PID=$MAIN_PID
    check "web --listen 0.0.0.0: a warning that anyone can read the documents" \
        grep -q "^polsearch: warning: listening on 0.0.0.0: anyone who can reach it can read the indexed documents" "$TMP/web.$PORT2.err"
    kill -INT "$ANY_PID"
    wait "$ANY_PID"
    check_eq "SIGINT: exit 0" 0 "$?"
fi

# --- 9. stopping ---------------------------------------------------------------------------
kill -TERM "$WEB_PID"
wait "$WEB_PID"
check_eq "SIGTERM: exit 0" 0 "$?"
finish
