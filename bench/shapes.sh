#!/bin/bash
# shapes.sh — indexing cost by input shape (issue 21).
#
# usage: bench/shapes.sh [MB...]          (default: 1 4 16)
#   env: POLSEARCH (default src/polsearch), SEEDS (default seeds/),
#        SHAPES (names to run, default all), REPEAT (runs per shape, default 1),
#        OUT (work dir, default /tmp/polsearch-shapes),
#        CORPUS (a folder of .txt files: the tiny_real shape, not in the default set)
#
# For each size, bench/make-shapes.py writes one file per shape; the PDF is
# made from its text by LibreOffice (soffice --headless --convert-to pdf), the
# same text as Word/WPS/xdvipdfmx write it (one CID-keyed font shared by all
# pages) by bench/make-cid-pdf.py (shape pdf_cid), the
# OFD by tests/fixtures/make-ofd.py.  Each file is indexed alone (-j 1, fresh
# index) under /usr/bin/time -v, and the ordinary-paragraphs baseline is
# indexed again before every shape, so each ratio compares runs made
# side by side on the shared CPU.  Printed per shape: seconds per MB of input
# text (wall, and CPU: user + sys), index bytes per input text byte (du of the index dir), peak RSS, and
# the time (wall and CPU) and size ratios to the baseline (target: <= 2 and <= 1.5, and
# peak RSS <= 256 MB).  "Input text" is the extracted text's size: the
# uncompressed file for text and gzip, the source text for PDF/DOCX/OFD/HTML.
set -u
HERE=$(cd "$(dirname "$0")/.." && pwd)
PS=${POLSEARCH:-$HERE/src/polsearch}
SEEDS=${SEEDS:-$HERE/seeds}
OUT=${OUT:-/tmp/polsearch-shapes}
REPEAT=${REPEAT:-1}
SIZES=${*:-1 4 16}
ALL="paras oneline_labels oneline noblank giant tiny csv gz_paras gz_oneline_labels gz_oneline gz_noblank gz_giant gz_tiny gz_csv html_nested html_oneline pdf pdf_cid docx_runs ofd"
SHAPES=${SHAPES:-$ALL}
mkdir -p "$OUT"

# file_of DIR SHAPE: the input file of SHAPE in DIR
file_of() {
    case $2 in
        gz_*) echo "$1/$2.txt.gz" ;;
        html_*) echo "$1/$2.html" ;;
        docx_runs) echo "$1/$2.docx" ;;
        pdf) echo "$1/pdf_src.pdf" ;;
        pdf_cid) echo "$1/pdf_cid.pdf" ;;
        ofd) echo "$1/ofd.ofd" ;;
        *) echo "$1/$2.txt" ;;
    esac
}
# text_bytes DIR SHAPE: bytes of text the shape carries
text_bytes() {
    case $2 in
        gz_*) gzip -dc "$(file_of "$1" "$2")" | wc -c ;;
        pdf | pdf_cid) wc -c <"$1/pdf_src.txt" ;;
        ofd) wc -c <"$1/ofd_src.txt" ;;
        docx_runs) wc -c <"$1/docx_runs.txt" ;;
        *) wc -c <"$(file_of "$1" "$2")" ;;
    esac
}
# measure FILE: index FILE alone; prints "SECONDS INDEX_BYTES RSS_KB RC CPU_SECONDS"
measure() {
    local d=$OUT/run; rm -rf "$d"; mkdir -p "$d/in"
    ln -s "$1" "$d/in/"
    /usr/bin/time -v -o "$d/time" "$PS" index -q -j 1 --follow -d "$d/idx" "$d/in" >"$d/out" 2>"$d/err"
    local rc=$?
    local wall rss bytes cpu
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$d/time")
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$d/time")
    cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { print s + 0 }' "$d/time")
    bytes=$(du -sb "$d/idx" 2>/dev/null | cut -f1)
    echo "$wall ${bytes:-0} ${rss:-0} $rc ${cpu:-0}"
}

printf '%-18s %5s %9s %9s %9s %7s %7s %7s %8s %s\n' shape MB s/MB cpu_s/MB idxB/B t/base c/base b/base RSS_MB ok
for mb in $SIZES; do
    D=$OUT/$mb; mkdir -p "$D"
    python3 "$HERE/bench/make-shapes.py" "$SEEDS" "$D" "$mb" || exit 1
    case " $SHAPES " in *" pdf "*)
        if [ ! -s "$D/pdf_src.pdf" ]; then
            soffice --headless --convert-to pdf --outdir "$D" "$D/pdf_src.txt" >/dev/null 2>&1 ||
                echo "# soffice failed: no pdf shape"
        fi ;;
    esac
    case " $SHAPES " in *" pdf_cid "*)
        [ -s "$D/pdf_cid.pdf" ] || /usr/bin/python3 "$HERE/bench/make-cid-pdf.py" "$D/pdf_src.txt" "$D/pdf_cid.pdf" ||
            echo "# make-cid-pdf.py failed (python3-fonttools, fonts-noto-cjk): no pdf_cid shape" ;;
    esac
    case " $SHAPES " in *" tiny_real "*)
        python3 "$HERE/bench/make-tiny-real.py" "${CORPUS:?tiny_real needs CORPUS}" "$D" "$mb" || exit 1 ;;
    esac
    case " $SHAPES " in *" ofd "*)
        python3 "$HERE/tests/fixtures/make-ofd.py" "$D/ofd_src.txt" "$D/ofd.ofd" || echo "# make-ofd failed" ;;
    esac
    for shape in $SHAPES; do
        f=$(file_of "$D" "$shape"); [ -s "$f" ] || { echo "# $shape: no input"; continue; }
        tb=$(text_bytes "$D" "$shape")
        bb=$(text_bytes "$D" paras)
        for r in $(seq "$REPEAT"); do
            read -r bw bi brss brc bcpu <<<"$(measure "$D/paras.txt")"
            read -r w i rss rc cpu <<<"$(measure "$f")"
            awk -v s="$shape" -v mb="$mb" -v w="$w" -v i="$i" -v rss="$rss" -v rc="$rc" -v tb="$tb" -v cpu="$cpu" -v bcpu="$bcpu" \
                -v bw="$bw" -v bi="$bi" -v bb="$bb" 'BEGIN {
                spm = w / (tb / 1048576); ipb = i / tb
                bspm = bw / (bb / 1048576); bipb = bi / bb
                tr = spm / bspm; br = ipb / bipb
                ok = (rc == 0 && tr <= 2 && br <= 1.5 && rss / 1024 <= 256) ? "yes" : "NO"
                if (rc != 0) ok = "NO(rc=" rc ")"
                cr = bcpu > 0 ? (cpu / tb) / (bcpu / bb) : 0
                printf "%-18s %5s %9.2f %9.2f %9.2f %7.2f %7.2f %7.2f %8.1f %s\n", s, mb, spm, cpu / (tb / 1048576), ipb, tr, cr, br, rss / 1024, ok
            }'
        done
    done
done
