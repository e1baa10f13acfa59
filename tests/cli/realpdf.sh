#!/bin/bash
# realpdf.sh — real PDFs nobody here wrote (tests/fixtures/realpdf/SOURCES)
# against pdftotext in realpdf.py: agreement on the Han characters in order,
# phrases, phrases across printed lines.  Files kept in git are read from
# the fixture folder; the others from $REALPDF_DIR/NAME, else the installed
# Debian package (tools/install-deps.sh installs them), else the tests'
# cache, else `apt-get download` of the package (deb_file); a file that
# cannot be had is skipped with that reason.
. "$(dirname "$0")/lib.sh"
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
FIX=$TESTS_DIR/fixtures/realpdf
require pdftotext poppler-utils
mkdir -p "$TMP/docs"
while IFS=$'\t' read -r name pkg version path licence sum kept; do
    case $name in '#'*|'') continue ;; esac
    if [ "$kept" = git ]; then
        src=$FIX/$name
    elif [ -n "${REALPDF_DIR:-}" ] && [ -s "$REALPDF_DIR/$name" ]; then
        src=$REALPDF_DIR/$name
    elif [ -s "/$path" ]; then
        src=/$path
    else
        src=$(deb_file "$pkg" "$path" "$name")
    fi
    if [ -z "$src" ] || [ ! -s "$src" ]; then
        ok "$name # SKIP not available (not in \$REALPDF_DIR, $pkg not installed, not cached, apt-get download $pkg failed)"
        continue
    fi
    cp "$src" "$TMP/docs/$name"
    got=$(sha256sum "$TMP/docs/$name" | cut -d' ' -f1)
    [ "$got" = "$sum" ] || echo "# $name: sha256 $got, not the $sum of $pkg $version in SOURCES (another version)"
done <"$FIX/SOURCES"
if ! ls "$TMP/docs/"*.pdf >/dev/null 2>&1; then
    finish
    exit 0
fi
run_ps "$TMP/o" "$TMP/e" index -d "$TMP/idx" "$TMP/docs"
check_eq "the real PDFs index cleanly" "0" "$RC"
"$PY" "$TESTS_DIR/cli/realpdf.py" "$POLSEARCH" "$TMP/idx" "$TMP/docs/"*.pdf >"$TMP/py.out" 2>&1
relay_tap "$TMP/py.out"
finish
