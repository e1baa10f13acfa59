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
IDX=$TMP/idx
run_ps "$TMP/o" "$TMP/e" index -q -d "$IDX" seeds refs web
check_eq "index seeds + refs + the hostile document: exit 0" 0 "$RC"

PORT=$(pick_port) || { echo "1..0 # SKIP no free port"; exit 0; }
"$POLSEARCH" web -d "$IDX" --port "$PORT" >"$TMP/web.out" 2>"$TMP/web.err" &
WEB_PID=$!
SERVER_PIDS="$SERVER_PIDS $WEB_PID"
for _ in $(seq 1 100); do port_listening "$PORT" && break; sleep 0.1; done
check "web: serving message names the index and the URL" \
    grep -qx "polsearch: serving $IDX at http://127.0.0.1:$PORT/" "$TMP/web.err"
if [ "$HAVE_SS" = 1 ]; then
    check "web: listens on loopback only" sh -c "ss -ltnH | awk '{print \$4}' | grep -qx '127.0.0.1:$PORT'"
fi
BASE=http://127.0.0.1:$PORT

# status PATH [CURL-ARGS...]: the HTTP status of a request.
status() { local p=$1; shift; curl -s -o /dev/null -w '%{http_code}' "$@" "$BASE$p"; }
# get PATH OUT: the body of a GET into OUT, headers into OUT.h; sets CODE.
get() { CODE=$(curl -s -D "$2.h" -o "$2" -w '%{http_code}' "$BASE$1"); }
# id_of PATH: the 16-hex id of an indexed path (FNV-1a, store_path_hash).
id_of() {
    "$PY" -c 'import sys
h = 1469598103934665603
for b in sys.argv[1].encode():
    h = ((h ^ b) * 0x100000001b3) & (2**64 - 1)
print("%016x" % h)' "$1"
}

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
NP=$(grep -c '^<p id="p[0-9]*"' "$TMP/doc3")
STATS_NP=$("$POLSEARCH" stats -d "$IDX" --json | "$PY" -c 'import json, sys
print([f["paragraphs"] for f in json.load(sys.stdin)["largest"] if f["file"] == sys.argv[1]][0])' "$S003")
check_eq "doc view: one anchored paragraph per paragraph stats counts for the file" "$STATS_NP" "$NP"
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

finish
