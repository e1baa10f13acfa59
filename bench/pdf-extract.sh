#!/bin/bash
# pdf-extract.sh — does PDF extraction dominate indexing?  For each PDF:
#   A  polsearch index -j 1 of the PDF alone (poppler + layout + the rest)
#   B  pdftotext of the PDF  +  C  polsearch index -j 1 of pdftotext's text
# and the ratio A / (B + C) (issue 14's target: at most 1.5).  CPU seconds
# (user + sys, GNU time) are the figure, since wall time on a shared box
# moves with the load; wall seconds are printed too.  Each figure is the
# median of REPS runs (default 3).
#
# usage: bench/pdf-extract.sh PDF...
#   e.g. the two Debian Chinese manuals:
#     d=$(mktemp -d) && cd "$d" && apt-get download debian-reference-zh-cn debian-edu-doc-zh-cn &&
#       for f in *.deb; do dpkg-deb -x "$f" x; done && cd - &&
#       bench/pdf-extract.sh $(find "$d/x" -name '*.pdf' | sort)
set -eu
POLSEARCH=${POLSEARCH:-src/polsearch}
REPS=${REPS:-3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pdf-extract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# cpu_wall CMD...: run REPS times, print "cpu wall" medians (seconds).
cpu_wall() {
    local i
    for i in $(seq "$REPS"); do
        rm -rf "$tmp/idx"
        /usr/bin/time -f '%U %S %e' -o "$tmp/t" "$@" >/dev/null 2>&1
        awk '{ printf "%.2f %.2f\n", $1 + $2, $3 }' "$tmp/t"
    done | sort -n | awk '{ c[NR] = $1; w[NR] = $2 } END { m = int((NR + 1) / 2); print c[m], w[m] }'
}

printf '| file | pages | A: index PDF cpu s (wall) | B: pdftotext cpu s (wall) | C: index text cpu s (wall) | A / (B + C) |\n'
printf '|---|---|---|---|---|---|\n'
for pdf in "$@"; do
    name=$(basename "$pdf")
    pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
    mkdir -p "$tmp/txt"
    pdftotext -enc UTF-8 "$pdf" "$tmp/txt/$name.txt"
    read -r ac aw < <(cpu_wall "$POLSEARCH" index --full -j 1 -q -d "$tmp/idx" "$pdf")
    read -r bc bw < <(cpu_wall pdftotext -enc UTF-8 "$pdf" "$tmp/out.txt")
    read -r cc cw < <(cpu_wall "$POLSEARCH" index --full -j 1 -q -d "$tmp/idx" "$tmp/txt/$name.txt")
    ratio=$(awk -v a="$ac" -v b="$bc" -v c="$cc" 'BEGIN { printf "%.2f", a / (b + c) }')
    printf '| %s | %s | %s (%s) | %s (%s) | %s (%s) | %s |\n' "$name" "$pages" "$ac" "$aw" "$bc" "$bw" "$cc" "$cw" "$ratio"
    rm -rf "$tmp/txt"
done
