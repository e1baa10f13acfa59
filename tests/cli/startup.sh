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
# web opens it when it starts, before it listens (web.sh checks what it
# serves), so a port in use does not matter here.
port=$((20000 + $$ % 20000))
LD_DEBUG=files "$POLSEARCH" web -d "$TMP/idx" --port "$port" >/dev/null 2>"$TMP/ldweb" &
SERVER_PIDS="$SERVER_PIDS $!"
for _ in $(seq 50); do grep -q "libmicrohttpd" "$TMP/ldweb" 2>/dev/null && break; sleep 0.1; done
if grep -q "libmicrohttpd" "$TMP/ldweb"; then ok "web opens libmicrohttpd"; else not_ok "web opens libmicrohttpd"; fi
finish
