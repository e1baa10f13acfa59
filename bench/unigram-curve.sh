#!/bin/bash
# unigram-curve.sh [CORPUS] — index time, index size and one-character
# query time against the number of common characters that get a unigram
# at every occurrence (issue 25; tokenize.h explains the rule).
#
# Clones this repository's HEAD into a scratch folder, builds it once, then
# for each N of COUNTS (default "0 100 200 400 697") writes a
# src/common-chars.inc holding the first N characters of the shipped list
# (its rank order; 697 is the shipped file itself: 512 simplified
# characters and 185 traditional forms, which t2s folding keeps out of the
# index anyway), relinks, and keeps that binary.  The shipped default is
# not touched: the variants exist only in the scratch folder.
# Then, per N: `polsearch index --full -j JOBS` of CORPUS (default the
# 10 MB subset; wall and CPU from GNU time, size from du), the index's
# postings (bench/postings.py), and REPS (default 5) interleaved rounds of
# `search -d IDX -n 10 C` over one-character queries C (QCHARS; default
# common characters of every rank band, 月 and 的, and three that are
# common at no N), wall and CPU per call (p50, p95), with `-c C` checked
# equal for every N (the fallback must stay exact).
# OUT (default a temporary folder) keeps the indexes and raw figures.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=$(readlink -f "${1:-$top/../bench-data/corpus-10m}")
COUNTS=${COUNTS:-0 100 200 400 697}
JOBS=${JOBS:-2}
REPS=${REPS:-5}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
export POLSEARCH_LEXICON=$top/data/policy-terms.tsv
QCHARS=${QCHARS:-的 一 是 中 月 新 发 技 科 业 创 质 研 投 融 链 鼓 龙 梅}
src=$OUT/src
if [ ! -x "$src/src/polsearch" ]; then
    rm -rf "$src"
    git clone -q "$top" "$src"
    (cd "$src" && autoreconf -fi >/dev/null 2>&1 && ./configure -q >/dev/null &&
        nice make -s -j2 src/polsearch src/polsearch-readers.so >/dev/null 2>&1)
fi
cp "$src/src/common-chars.inc" "$OUT/common-chars.orig"
for n in $COUNTS; do
    [ -x "$OUT/bin$n/polsearch" ] && continue
    python3 - "$n" "$OUT/common-chars.orig" >"$src/src/common-chars.inc" <<'EOF'
import re, sys
n, path = int(sys.argv[1]), sys.argv[2]
inc = open(path, encoding='utf-8').read()
listing = ''.join(re.findall(r'^ \*   (\S+)$', inc, re.M))
if n >= len(listing):
    sys.stdout.write(inc)
    sys.exit()
LO, HI = 0x4E00, 0x9FFF
bits = bytearray((HI - LO + 1 + 7) // 8)
for ch in listing[:n]:
    k = ord(ch) - LO
    bits[k >> 3] |= 1 << (k & 7)
print('/* bench/unigram-curve.sh: the first %d characters of the shipped list. */' % n)
print('#define COMMON_CHARS_COUNT %d' % n)
print('#define COMMON_CHARS_FIRST 0x%04X' % LO)
print('#define COMMON_CHARS_LAST  0x%04X' % HI)
print('static const unsigned char common_chars_bits[%d] = {' % len(bits))
for i in range(0, len(bits), 16):
    print('    ' + ', '.join('0x%02x' % b for b in bits[i:i + 16]) + ',')
print('};')
EOF
    (cd "$src" && nice make -s src/polsearch >/dev/null 2>&1)
    mkdir -p "$OUT/bin$n"
    cp "$src/src/polsearch" "$src/src/polsearch-readers.so" "$OUT/bin$n/"
done
cp "$OUT/common-chars.orig" "$src/src/common-chars.inc"
: >"$OUT/index.tsv"
for n in $COUNTS; do
    rm -rf "$OUT/idx$n"
    /usr/bin/time -f '%e %U %S' -o "$OUT/time$n" nice "$OUT/bin$n/polsearch" index --full -j "$JOBS" \
        -d "$OUT/idx$n" "$CORPUS" >/dev/null 2>&1
    read -r wall user sys <"$OUT/time$n"
    size=$(du -sb "$OUT/idx$n" | cut -f1)
    post=$(python3 "$top/bench/postings.py" "$OUT/idx$n" | sed -n 's/^| \*\*all\*\* | [0-9]* | \([0-9]*\) .*/\1/p')
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$wall" "$user" "$sys" "$size" "$post" >>"$OUT/index.tsv"
done
python3 - "$OUT" "$REPS" "$CORPUS" "$COUNTS" $QCHARS <<'EOF'
import os, resource, statistics, subprocess, sys, time
out, reps, corpus, counts, chars = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4].split(), sys.argv[5:]
raw = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(corpus) for f in fs)
wall = {n: [] for n in counts}
cpu = {n: [] for n in counts}
count = {}
for n in counts:
    for c in chars:
        r = subprocess.run([os.path.join(out, 'bin' + n, 'polsearch'), 'search', '-d',
                            os.path.join(out, 'idx' + n), '-c', c], capture_output=True, text=True)
        count[n, c] = r.stdout.strip()
for rep in range(reps + 1):              # round 0 warms the cache
    for n in counts:
        for c in chars:
            ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run([os.path.join(out, 'bin' + n, 'polsearch'), 'search', '-d',
                            os.path.join(out, 'idx' + n), '-n', '10', c], stdout=subprocess.DEVNULL)
            t1 = time.perf_counter()
            ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            if rep:
                wall[n].append((t1 - t0) * 1000)
                cpu[n].append((ru1.ru_utime - ru0.ru_utime + ru1.ru_stime - ru0.ru_stime) * 1000)
p95 = lambda v: sorted(v)[max(0, int(round(0.95 * len(v))) - 1)]
print('| common chars with unigrams | index wall s | index CPU s | MB/s | index MB | index/raw | postings '
      '| 1-char query p50 / p95 wall ms | p50 / p95 CPU ms |')
print('|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
for line in open(os.path.join(out, 'index.tsv')):
    n, w, u, s, size, post = line.split()
    print('| %s | %.1f | %.1f | %.2f | %.1f | %.2f | %s | %.1f / %.1f | %.1f / %.1f |' % (
        n, float(w), float(u) + float(s), raw / 1e6 / float(w), int(size) / 1e6, int(size) / raw,
        '{:,}'.format(int(post)), statistics.median(wall[n]), p95(wall[n]),
        statistics.median(cpu[n]), p95(cpu[n])))
bad = [c for c in chars if len({count[n, c] for n in counts}) != 1]
print('\n-c of every query equal for every N: %s' % ('yes' if not bad else 'NO: ' + ' '.join(
    '%s %s' % (c, [count[n, c] for n in counts]) for c in bad)))
print('per query, CPU ms median (columns: N):')
for c in chars:
    row = []
    for n in counts:
        k = counts.index(n)
        v = cpu[n][chars.index(c)::len(chars)]
        row.append('%.1f' % statistics.median(v))
    print('  %s (%s paragraphs): %s' % (c, count[counts[0], c], ' '.join(row)))
EOF
echo "corpus $CORPUS, -j $JOBS, $REPS query rounds; $(uptime)"
