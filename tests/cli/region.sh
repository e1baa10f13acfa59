#!/bin/bash
# region.sh — a document's region (region.h) in search --json and as the
# --region filter: the region of every seed and refs fixture (unknown where
# the metadata does not say), counts with --region equal to a brute-force
# count over --json's paragraphs, and an unknown place an error.
. "$(dirname "$0")/lib.sh"
REFS=$(cd "$(dirname "$0")/../fixtures/refs" && pwd)
cd "$TMP" && cp -r "$SEEDS" seeds && cp -r "$REFS" refs || exit 1
if ! ps index -q -d idx seeds refs; then
    echo "not ok 1 - index seeds and refs"; echo "1..1"; exit 0
fi
# Each file's region as --json gives it (the first paragraph with 科技 or 企业).
for f in seeds/*.txt refs/*.txt; do
    ps search -d idx --json --all --no-collapse --file "$f" 科技 OR 企业 | head -1
done >regions.jsonl
"$PY" - regions.jsonl >regions.txt <<'PYEOF'
import json, sys
for line in open(sys.argv[1], encoding='utf-8'):
    d = json.loads(line)
    r = d['region']
    if r != 'unknown':
        r = '/'.join(r[k] or '-' for k in ('province', 'city', 'county')) + ' ' + (r['code'] or '-')
    print(d['file'], r)
PYEOF
check_eq "region of every seed and refs fixture" "seeds/000_af7ea0c36382d7b8.txt unknown
seeds/001_a364a026ab62a3ac.txt 浙江省/嘉兴市/海宁市 330481
seeds/002_0a6a893f069894ce.txt unknown
seeds/003_1f11e292ab1845fd.txt 山东省/临沂市/- 371300
seeds/004_135bf9ada3a6babd.txt 宁夏回族自治区/银川市/- 640100
refs/guoban-47.txt 全国/-/- -
refs/linyi-notice.txt 山东省/临沂市/- 371300
refs/linyi-wings.txt 山东省/临沂市/- 371300
refs/yinchuan-reform.txt 宁夏回族自治区/银川市/- 640100" "$(cat regions.txt)"

# Brute force: the paragraphs whose text holds the phrase (every match,
# copies each), kept when the file's region (the table above) is the place.
brute() {   # brute PHRASE PROVINCE-OR-CITY-OR-unknown
    ps search -d idx --json --all --no-collapse --no-expand "$1" >all.jsonl
    "$PY" - all.jsonl regions.txt "$1" "$2" <<'PYEOF'
import json, sys
reg = dict(l.split(' ', 1) for l in open(sys.argv[2], encoding='utf-8').read().splitlines())
n = 0
for line in open(sys.argv[1], encoding='utf-8'):
    d = json.loads(line)
    r = reg[d['file']]
    place = sys.argv[4]
    if sys.argv[3] in d['text'] and (r == place if place == 'unknown' else place in r.split(' ')[0].split('/')):
        n += 1
print(n)
PYEOF
}
for q in "企业 浙江省" "企业 山东省" "科技 银川市" "企业 宁夏回族自治区" "科技 全国" "企业 unknown"; do
    set -- $q
    short=${2%省}; short=${short%回族自治区}; short=${short%市}
    want=$(brute "$1" "$2")
    got=$(ps search -d idx -c --no-expand --region "$short" "$1")
    check_eq "search -c --region $short $1 = brute force ($want)" "$want" "$got"
done
want=$(brute 企业 浙江省)
check "the 浙江 count is not empty" test "$want" -gt 0
check_eq "--region 330481 (海宁's code) = --region 浙江 here" "$(ps search -d idx -c --region 浙江 企业)" \
    "$(ps search -d idx -c --region 330481 企业)"
check_eq "--region 37 (山东's code) = --region 临沂" "$(ps search -d idx -c --region 临沂 科技)" \
    "$(ps search -d idx -c --region 37 科技)"
# Every --json hit of a --region search is of that region.
ps search -d idx --json --all --region 山东 科技 >sd.jsonl
check "every --region 山东 hit's region is 山东省" "$PY" -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
sys.exit(not rows or any(r["region"] == "unknown" or r["region"]["province"] != "山东省" for r in rows))' sd.jsonl
run_ps out err search -d idx --region 火星 企业
check_eq "unknown place: exit 2" 2 "$RC"
check_eq "unknown place: message" "polsearch: --region: no such place: 火星" "$(cat err)"
run_ps out err search -d idx --region 西藏 企业
check_eq "a real place with no document: exit 1" 1 "$RC"
finish
