#!/bin/bash
# screenshots.sh [POLSEARCH [OUTDIR]] — screenshots of `polsearch web` in
# headless Chromium, to be looked at by a person: the search page, a
# document view and /terms, each at desktop width (1000 px) and phone
# width (390 x 844 px), in the light and the dark scheme (prefers-color-scheme),
# over the seeds plus hostile documents: a very long title without a break,
# "<script>" in a file name, a 2,000-character paragraph, right-to-left
# text with bidirectional overrides, and emoji.
#
# POLSEARCH defaults to src/polsearch, OUTDIR to ./screenshots (the PNGs
# are not committed; README's doc/web-*.png are).  Names:
# OUTDIR/{search,doc,doc-copies,doc-top,hostile-search,hostile-doc,terms,terms-issuer}-{desktop,phone}-{light,dark}.png.
# Each shot taken through tools/shot.mjs prints where the :target paragraph
# is in the viewport (targetTop, CSS px).
set -eu
HERE=$(cd "$(dirname "$0")/.." && pwd)
POLSEARCH=$(realpath "${1:-$HERE/src/polsearch}")
OUT=$(mkdir -p "${2:-screenshots}" && cd "${2:-screenshots}" && pwd)
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "screenshots.sh: chromium is not installed (tools/install-deps.sh installs it)" >&2; exit 2; }
export POLSEARCH_LEXICON=${POLSEARCH_LEXICON:-$HERE/data/policy-terms.tsv}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/polsearch-shots.XXXXXX")
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT

# The documents: the seeds and the hostile ones, indexed by relative path.
mkdir -p "$TMP/docs/hostile"
cp -r "$HERE/seeds" "$TMP/docs/seeds"
cp "$HERE/tests/fixtures/web/hostile.txt" "$TMP/docs/hostile/"
LONG=$(printf '关于进一步加快推进专精特新中小企业高质量发展%.0s' $(seq 1 12))
{
    printf '标题：%s的通知\n发布机构：某某市科学技术局\n发布日期：2024-05-01\n\n' "$LONG"
    printf '专精特新 %s\n\n' "$(printf '企业创新能力建设持续增强研发投入%.0s' $(seq 1 125))"
    printf 'Arabic ‮مرحبا بالعالم‬ 专精特新 עברית ⁧שלום⁩ mixed ‫RTL‬ end\n\n'
    printf '专精特新 emoji 🚀📈🏭👩‍🔬🇨🇳 ✅ 表情\n\n'
    printf 'https://example.com/%s\n' "$(printf 'averyveryverylongpathsegment%.0s' $(seq 1 12))"
} >"$TMP/docs/hostile/<script>alert(1)<:script>.txt"
# Two files that copy seed 000's paragraph 12, so that its document view
# shows "另见 2 处" under it (as tests/cli/web.sh makes them).
{ printf '标题：关于转发创新型县建设目标的通知\n\n'; grep -m1 '力争宁波考核' "$TMP/docs/seeds/000_af7ea0c36382d7b8.txt"; } \
    >"$TMP/docs/hostile/copy.txt"
{ printf '标题：另一份转发的计划\n\n第一段与众不同的文字在这里。\n\n'; grep -m1 '力争宁波考核' "$TMP/docs/seeds/000_af7ea0c36382d7b8.txt"; } \
    >"$TMP/docs/hostile/copy2.txt"
(cd "$TMP/docs" && "$POLSEARCH" index -q -d "$TMP/idx" seeds hostile)

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$POLSEARCH" web -d "$TMP/idx" --port "$PORT" 2>"$TMP/web.err" &
PID=$!
for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.1
done
BASE=http://127.0.0.1:$PORT
# id PATH: the document id of an indexed path (FNV-1a, store_path_hash).
id() { python3 -c 'import sys
h = 1469598103934665603
for b in sys.argv[1].encode():
    h = ((h ^ b) * 0x100000001b3) & (2**64 - 1)
print("%016x" % h)' "$1"; }
Q=%E4%B8%93%E7%B2%BE%E7%89%B9%E6%96%B0
HOSTILE=$(id 'hostile/<script>alert(1)<:script>.txt')

# shot NAME PATH [open]: NAME-{desktop,phone}-{light,dark}.png of BASE PATH, the
# viewport as a reader sees it ("open": every <details> opened): tools/shot.mjs
# over the DevTools protocol when Node has a WebSocket (20 with --experimental-websocket, or 22+).
# `chromium --screenshot` is the fallback, but with a #fragment it paints
# only the part scrolled to and captures from the document's top: a blank
# band above the anchored paragraph that is not in the page.
NODE_WS=
if command -v node >/dev/null; then
    for flag in "" --experimental-websocket; do
        # shellcheck disable=SC2086
        if node $flag -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' 2>/dev/null; then
            NODE_WS="node $flag"; break
        fi
    done
fi
[ -n "$NODE_WS" ] || echo "screenshots.sh: no Node with WebSocket: chromium --screenshot, anchored views start blank" >&2
shot() {
    local name=$1 path=$2 open=${3:-} w scheme prof size where
    for w in desktop:1000,1400 phone:390,844; do
        for scheme in light dark; do
            size=${w#*:}
            if [ -n "$NODE_WS" ]; then
                # Its line says where the :target paragraph is (0 px from the top: no band).
                # shellcheck disable=SC2086
                if where=$(CHROMIUM=$CHROMIUM timeout 120 $NODE_WS "$HERE/tools/shot.mjs" "$BASE$path" \
                           "$OUT/$name-${w%%:*}-$scheme.png" "${size%,*}" "${size#*,}" "$scheme" $open 2>/dev/null); then
                    echo "$name-${w%%:*}-$scheme: $where"
                else
                    echo "screenshots.sh: $name ${w%%:*} $scheme failed" >&2
                fi
                continue
            fi
            prof=$(mktemp -d "$TMP/prof.XXXXXX")
            local args=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run
                        --disable-background-networking --disable-component-update --disable-sync
                        --user-data-dir="$prof" --window-size="${w#*:}" --virtual-time-budget=3000
                        --run-all-compositor-stages-before-draw)
            [ "$scheme" = dark ] && args+=(--force-dark-mode --blink-settings=preferredColorScheme=0)
            timeout 120 "$CHROMIUM" "${args[@]}" --screenshot="$OUT/$name-${w%%:*}-$scheme.png" "$BASE$path" \
                >/dev/null 2>&1 || echo "screenshots.sh: $name ${w%%:*} $scheme failed" >&2
        done
    done
}
shot search "/search?q=$Q"
shot doc "/doc/$(id seeds/000_af7ea0c36382d7b8.txt)?q=$Q#p12"
shot doc-copies "/doc/$(id seeds/000_af7ea0c36382d7b8.txt)?q=$Q#p12" open
shot doc-top "/doc/$(id seeds/000_af7ea0c36382d7b8.txt)?q=$Q"
shot hostile-search "/search?q=$Q&issuer=%E6%9F%90%E6%9F%90"
shot hostile-doc "/doc/$HOSTILE?q=$Q"
shot terms "/terms?t=$Q&t=%E7%A7%91%E6%8A%80%E5%9E%8B%E4%B8%AD%E5%B0%8F%E4%BC%81%E4%B8%9A&by=year"
shot terms-issuer "/terms?t=$Q&by=issuer"
ls "$OUT"/*.png
