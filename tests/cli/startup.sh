#!/bin/bash
# startup.sh — what every command loads at start-up (issue 25): not the
# web server's libraries (libmicrohttpd and the GnuTLS it pulls in, which
# web.c opens only for `polsearch web`), nor the document readers'.
. "$(dirname "$0")/lib.sh"
require ldd "ldd lists a program's shared libraries"
libs=$(ldd "$POLSEARCH")
for lib in libmicrohttpd libgnutls libpoppler libxml2 libtesseract; do
    if printf '%s\n' "$libs" | grep -q "$lib"; then
        not_ok "$lib is not loaded at start-up"; echo "# ldd: $(printf '%s\n' "$libs" | grep "$lib")"
    else
        ok "$lib is not loaded at start-up"
    fi
done
# What the loader maps at run time (LD_DEBUG=files), not only what the
# program names: a command other than web never maps libmicrohttpd.
run_ps "$TMP/out" "$TMP/err" --version
check_eq "--version runs" 0 "$RC"
LD_DEBUG=files "$POLSEARCH" --version >/dev/null 2>"$TMP/ld"
if grep -q "libmicrohttpd" "$TMP/ld"; then not_ok "--version maps no libmicrohttpd"; else ok "--version maps no libmicrohttpd"; fi
ps index -d "$TMP/idx" "$SEEDS" >/dev/null 2>&1
LD_DEBUG=files "$POLSEARCH" search -d "$TMP/idx" -n 1 专精特新 >/dev/null 2>"$TMP/ld"
if grep -q "libmicrohttpd\|libgnutls" "$TMP/ld"; then not_ok "search maps no libmicrohttpd or GnuTLS"; else ok "search maps no libmicrohttpd or GnuTLS"; fi
# nettle (SHA-256) is opened only for a digest (digest.c): a search never
# maps it, an indexing run does.
if grep -q "libnettle" "$TMP/ld"; then not_ok "search maps no libnettle"; else ok "search maps no libnettle"; fi
if ldd "$POLSEARCH" | grep -q libnettle; then not_ok "the program is not linked with libnettle"; else ok "the program is not linked with libnettle"; fi
LD_DEBUG=files "$POLSEARCH" index -d "$TMP/idx2" "$SEEDS" >/dev/null 2>"$TMP/ldidx"
if grep -q "libnettle" "$TMP/ldidx"; then ok "index opens libnettle"; else not_ok "index opens libnettle"; fi
# The lexicon's forms come from the index: a search reads no lexicon file
# (the same output with the shipped lexicon's path pointing nowhere).
ps search -d "$TMP/idx" -n 3 专精特新 >"$TMP/with" 2>&1
POLSEARCH_LEXICON=$TMP/no-such-lexicon.tsv "$POLSEARCH" search -d "$TMP/idx" -n 3 专精特新 >"$TMP/without" 2>&1
check "a search needs no lexicon file (forms in the index)" cmp -s "$TMP/with" "$TMP/without"
# web opens it when it starts, before it listens (web.sh checks what it
# serves), so a port in use does not matter here.
port=$((20000 + $$ % 20000))
LD_DEBUG=files "$POLSEARCH" web -d "$TMP/idx" --port "$port" >/dev/null 2>"$TMP/ldweb" &
SERVER_PIDS="$SERVER_PIDS $!"
for _ in $(seq 50); do grep -q "libmicrohttpd" "$TMP/ldweb" 2>/dev/null && break; sleep 0.1; done
if grep -q "libmicrohttpd" "$TMP/ldweb"; then ok "web opens libmicrohttpd"; else not_ok "web opens libmicrohttpd"; fi
finish
