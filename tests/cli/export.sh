#!/bin/bash
# export.sh — polsearch export (every paragraph, or a query's matches, as
# CSV or JSON Lines with stable ids) and stats --manifest (SHA-256 of the
# bytes indexed): rows checked against stats, search --json and a
# brute-force filter of the full export; CSV read by Python's csv module;
# checksums against sha256sum; records of an older binary say "not recorded".
. "$(dirname "$0")/lib.sh"
cd "$TMP" && mkdir docs && cp "$SEEDS"/*.txt docs/ || exit 1
# Commas, quotes and a line break inside one paragraph; a copy of a seed's paragraph.
printf '标题：引号测试\n\n第一句,有逗号和"引号"，\n第二行接着写企业。\n\n另一段 a,b "c" 企业\n' >docs/quote.txt
sed -n 12p "$SEEDS"/000_af7ea0c36382d7b8.txt >para.txt
{ printf '关于转发的通知\n\n'; cat para.txt; } >docs/copy.txt
# The TAP helper of the Python checks below.
cat >tap.py <<'PYEOF'
n = 0
def check(what, ok, detail=""):
    """One TAP line for what: ok when ok, else not ok with detail as a comment."""
    global n
    n += 1
    print(("ok %d - %s" if ok else "not ok %d - %s") % (n, what))
    if not ok and detail:
        print("# " + str(detail)[:500])
def plan():
    print("1..%d" % n)
PYEOF
if ! ps index -q -d idx docs; then
    echo "not ok 1 - index"; echo "1..1"; exit 0
fi
run_ps all.csv err.txt export -d idx
check_eq "export exits 0" 0 "$RC"
run_ps all.jsonl err.txt export -d idx --jsonl
ps export -d idx --no-bom >nobom.csv
paras=$(ps stats -d idx --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["paragraphs"])')
# Every paragraph the search below finds, as search --json gives it.
ps search -d idx --json --all --no-collapse 的 OR 企业 OR 科技 OR 标题 OR 一 OR 是 >search.jsonl
"$PY" - "$paras" >py.tap <<'PYEOF'
import csv, json, sys
from tap import check, plan
paras = int(sys.argv[1])
raw = open("all.csv", "rb").read()
check("CSV starts with a UTF-8 byte-order mark (Excel)", raw.startswith(b"\xef\xbb\xbf"))
check("--no-bom: none", not open("nobom.csv", "rb").read().startswith(b"\xef\xbb\xbf"))
with open("all.csv", newline="", encoding="utf-8-sig") as f:
    rows = list(csv.reader(f))
head = ["id", "file", "paragraph", "page", "title", "date", "issuer", "docno", "region", "province",
        "city", "county", "region_code", "format", "ocr", "copy_key", "text"]
check("CSV header", rows[0] == head, rows[0])
rows = [dict(zip(head, r)) for r in rows[1:]]
check("one CSV row per paragraph (%d, stats says %d)" % (len(rows), paras), len(rows) == paras)
check("every CSV row has %d fields" % len(head), all(len(r) == len(head) for r in rows))
lines = [json.loads(l) for l in open("all.jsonl", encoding="utf-8")]
check("one JSON line per paragraph", len(lines) == paras)
check("CSV and JSON Lines give the same ids and texts in the same order",
      [(r["id"], r["text"]) for r in rows] == [(d["id"], d["text"]) for d in lines])
order = [(d["file"], d["paragraph"]) for d in lines]
check("rows in file, then paragraph order", order == sorted(order, key=lambda t: (t[0].encode(), t[1])))
check("ids are FILE:PARAGRAPH and unique",
      all(d["id"] == "%s:%d" % (d["file"], d["paragraph"]) for d in lines) and len(set(order)) == len(order))
byid = {(d["file"], d["paragraph"]): d for d in lines}
seen = 0
bad = []
for l in open("search.jsonl", encoding="utf-8"):
    s = json.loads(l)
    e = byid.get((s["file"], s["paragraph"]))
    seen += 1
    if e is None:
        bad.append(("missing", s["file"], s["paragraph"]))
        continue
    for k in ("title", "text", "date", "issuer", "docno", "region", "page"):
        if s.get(k) != e.get(k) and not (k == "title" and s.get(k) == "" and e.get(k) is None):
            bad.append((k, s["file"], s["paragraph"], s.get(k), e.get(k)))
    if bool(s.get("ocr", False)) != e["ocr"]:
        bad.append(("ocr", s["file"], s["paragraph"]))
check("every field equals search --json's for the same paragraph (%d compared)" % seen,
      seen > 70 and not bad, bad[:3])
q = [d for d in lines if d["file"] == "docs/quote.txt"]
check("a text with commas, quotes and a line break round-trips through CSV",
      [r["text"] for r in rows if r["file"] == "docs/quote.txt"] == [d["text"] for d in q]
      and q[1]["text"] == '第一句,有逗号和"引号"，\n第二行接着写企业。' and q[2]["text"] == '另一段 a,b "c" 企业',
      [d["text"] for d in q])
para = open("para.txt", encoding="utf-8").read().strip()
cp = [d for d in lines if d["text"] == para]
check("copied paragraphs share their copy key, others do not",
      len(cp) == 2 and cp[0]["copy_key"] == cp[1]["copy_key"] and
      len({d["copy_key"] for d in lines if d["text"] != para}) > paras - 10, [d["id"] for d in cp])
reg = [d for d in lines if d["file"].endswith("001_a364a026ab62a3ac.txt")][0]
check("region as search gives it, and its levels in CSV",
      reg["region"] == {"province": "浙江省", "city": "嘉兴市", "county": "海宁市", "code": "330481"} and
      [r for r in rows if r["file"] == reg["file"]][0]["region"] == "浙江省/嘉兴市/海宁市" and
      [r for r in rows if r["file"] == reg["file"]][0]["region_code"] == "330481", reg["region"])
json.dump([dict(d) for d in lines], open("all.json", "w"), ensure_ascii=False)
plan()
PYEOF
relay_tap py.tap
# A query's rows: the set of search --json --all --no-collapse, filters too.
ids_of() { "$PY" -c '
import json, sys
for l in sys.stdin:
    d = json.loads(l); print("%s:%d" % (d["file"], d["paragraph"]))' | LC_ALL=C sort; }
export_ids() { ps export -d idx --jsonl "$@" | ids_of; }
search_ids() { ps search -d idx --json --all --no-collapse "$@" | ids_of; }
check "a query exports more than 20 rows" test "$(export_ids 企业 | wc -l)" -gt 20
check_eq "a query's export is search --all --no-collapse's set" "$(search_ids 企业)" "$(export_ids 企业)"
check_eq "with --region and --year" "$(search_ids --region 浙江 --year 2024 企业 OR 科技)" \
    "$(export_ids --region 浙江 --year 2024 企业 OR 科技)"
check_eq "with --cites" "$(search_ids --cites 银川市科技体制改革攻坚方案 银川)" \
    "$(export_ids --cites 银川市科技体制改革攻坚方案 银川)"
# Without a query, the filters against a brute-force pass over the full export.
brute() { "$PY" -c '
import json, sys
key, val = sys.argv[1], sys.argv[2]
for d in json.load(open("all.json")):
    v = d[key] or ""
    if (key == "date" and v.startswith(val)) or (key == "issuer" and val in v) or \
       (key == "region" and isinstance(v, dict) and val in (v["province"] or "")) or \
       (key == "file" and v == val):
        print(d["id"])' "$1" "$2" | LC_ALL=C sort; }
check "--year 2022 without a query selects some rows" test "$(brute date 2022 | wc -l)" -gt 5
check_eq "--year without a query: every paragraph of that year's documents" "$(brute date 2022)" "$(export_ids --year 2022)"
check_eq "--issuer without a query" "$(brute issuer 临沂)" "$(export_ids --issuer 临沂)"
check_eq "--region without a query" "$(brute region 浙江省)" "$(export_ids --region 浙江)"
check_eq "--file without a query" "$(brute file docs/quote.txt)" "$(export_ids --file '*/quote.txt')"
run_ps out.txt err.txt export -d idx --jsonl 无此词组合xyz
check_eq "no row: exit 1" 1 "$RC"
check "| head -1 ends at once, quietly" sh -c "'$POLSEARCH' export -d idx | head -1 >/dev/null 2>err2.txt && ! test -s err2.txt"
# Bad input: exit 2 with polsearch: WHAT: reason.
bad() { local what=$1; shift; run_ps out.txt err.txt "$@"
    if [ "$RC" = 2 ] && grep -q '^polsearch: ' err.txt && ! test -s out.txt; then ok "$what"; else
        not_ok "$what"; echo "# rc $RC: $(head -c 300 err.txt)"; fi; }
bad "an unknown region: exit 2" export -d idx --region 火星
bad "--cites without a query: exit 2" export -d idx --cites 银川市科技体制改革攻坚方案
bad "a bad --type: exit 2" export -d idx --type exe
bad "--no-bom with --jsonl: exit 2" export -d idx --jsonl --no-bom
bad "an index that is not there: exit 2" export -d nowhere
bad "a remote index: exit 2" export -d tcp://127.0.0.1:1 --timeout 100
bad "stats --csv without --manifest: exit 2" stats -d idx --csv

# --- the manifest --------------------------------------------------------------
(cd docs && sha256sum *) | sed 's|  |  docs/|' | LC_ALL=C sort >sums.txt
man_sums() { ps stats -d "$1" --manifest --json | "$PY" -c '
import json, sys
for f in json.load(sys.stdin)["files"]:
    print("%s  %s" % (f["sha256"], f["file"]))' | LC_ALL=C sort; }
check_eq "manifest SHA-256 = sha256sum of every file" "$(cat sums.txt)" "$(man_sums idx)"
ps stats -d idx --manifest --csv >man.csv
"$PY" - "$(sha256sum "${POLSEARCH_LEXICON:-$LEXICON}" | cut -d' ' -f1)" >py2.tap <<'PYEOF'
import csv, json, sys
from tap import check, plan
with open("man.csv", newline="", encoding="utf-8-sig") as f:
    rows = list(csv.DictReader(f))
check("manifest CSV: a row per file", len(rows) == 7, len(rows))
check("manifest CSV: header", list(rows[0].keys())[:8] == ["file", "bytes", "sha256", "sha256_recorded", "on_disk",
                                                             "format", "encoding", "paragraphs"], list(rows[0].keys()))
import os
check("manifest CSV: bytes, paragraphs, format, on_disk", all(
    int(r["bytes"]) == os.path.getsize(r["file"]) and r["format"] == "text" and r["on_disk"] == "unchanged"
    and int(r["paragraphs"]) > 0 and r["sha256_recorded"] == "yes" for r in rows))
check("manifest CSV: the lexicon's SHA-256 = sha256sum", all(r["lexicon_sha256"] == sys.argv[1] for r in rows),
      rows[0]["lexicon_sha256"])
r = [r for r in rows if r["file"].endswith("003_1f11e292ab1845fd.txt")][0]
check("manifest CSV: metadata and region", r["issuer"] == "临沂市科学技术局" and r["region"] == "山东省/临沂市"
      and r["date"] == "2024-06-18" and r["region_code"] == "371300", r)
PYEOF
relay_tap py2.tap
# Records written as by a polsearch before checksums: "not recorded".
cp -r docs old && POLSEARCH_TEST_NO_CHECKSUM=1 ps index -q -d oldidx old
ps stats -d oldidx --manifest --json >old.json
check "an older record: sha256 null, checksum 'not recorded', counted" "$PY" -c '
import json
d = json.load(open("old.json"))
assert d["checksums_not_recorded"] == 7, d["checksums_not_recorded"]
assert all(f["sha256"] is None and f["checksum"] == "not recorded" and f["on_disk"] == "unchanged" for f in d["files"])'
ps stats -d oldidx --manifest >old.txt
check "the text manifest says so and how to record them" grep -q "checksum not recorded: 7, indexed by an older polsearch: 'polsearch index --full'" old.txt
echo 改动 >>old/quote.txt
touch -d '2001-01-01' old/copy.txt
ps stats -d oldidx --manifest --json >old2.json
check "on_disk: 'changed' for files changed or touched since, 'unchanged' for the rest" "$PY" -c '
import json
d = {f["file"]: f["on_disk"] for f in json.load(open("old2.json"))["files"]}
assert d.pop("old/quote.txt") == "changed" and d.pop("old/copy.txt") == "changed", d
assert set(d.values()) == {"unchanged"}, d'
ps index -q -d oldidx old
check "re-indexed: the changed file's new version records its checksum, the touched one keeps 'not recorded'" "$PY" -c '
import json, subprocess, sys
d = json.loads(subprocess.check_output([sys.argv[1], "stats", "-d", "oldidx", "--manifest", "--json"]))
f = {x["file"]: x for x in d["files"]}
want = subprocess.check_output(["sha256sum", "old/quote.txt"]).split()[0].decode()
assert f["old/quote.txt"]["sha256"] == want, f["old/quote.txt"]
assert f["old/copy.txt"]["sha256"] is None and f["old/copy.txt"]["on_disk"] == "unchanged", f["old/copy.txt"]' "$POLSEARCH"
ps index -q --full -d oldidx old
check_eq "index --full records every checksum" 0 "$(ps stats -d oldidx --manifest --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["checksums_not_recorded"])')"
finish
