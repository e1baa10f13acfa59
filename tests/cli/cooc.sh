#!/bin/bash
# cooc.sh — polsearch cooc and the network formats (issue 24 part 3).
# Pair counts against a brute-force scan of the seeds and the refs
# fixtures (lines that hold both terms, files that hold both), and
# against search -c 'A B'; the CSV in Python's csv module; GraphML and
# GEXF validated by xmllint against the published schemas
# (tests/fixtures/schemas/); GraphML, GEXF and Pajek read back by networkx
# with the same nodes, edges and weights, for cooc and refs --graph, a
# title with < & " ' included; bad input exits 2.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
REFS=$(cd "$HERE/../fixtures/refs" && pwd)
SCHEMAS=$(cd "$HERE/../fixtures/schemas" && pwd)
cd "$TMP" && cp -r "$SEEDS" seeds && cp -r "$REFS" refs || exit 1
mkdir hostile && printf '%s\n\n%s\n\n%s\n' '关于<测试>&“引号”"双引号'"'"'的通知' \
    '根据《关于市政协十四届三次会议第7号提案的回复》的要求，现就专精特新企业和高新技术企业培育工作通知如下。' \
    '科技局 2024年3月1日' >hostile/h.txt
if ! ps index -q -d idx seeds refs hostile; then
    echo "not ok 1 - index seeds, refs and a hostile title"; echo "1..1"; exit 0
fi
# Two-character terms (人才, 企业, 创新) take the path without record reads (search.h: ids).
TERMS=(专精特新 高新技术企业 科技型中小企业 小巨人 研发投入 产学研 知识产权 科技型企业 孵化器 人才 企业 创新)

# --- the table against a brute-force scan -----------------------------------
run_ps pairs.csv err cooc -d idx --no-expand "${TERMS[@]}"
check_eq "cooc TERM...: exit 0" 0 "$RC"
run_ps docs.csv err cooc -d idx --no-expand --by-document "${TERMS[@]}"
check_eq "cooc --by-document: exit 0" 0 "$RC"
# Paragraphs: the text of every paragraph that any term's search returns
# (search --json --all --no-collapse), each term then looked for in each
# text by substring; documents: the files themselves, line by line.
check "every pair, term count and n equal a brute-force scan (paragraph texts; files)" \
    "$PY" - pairs.csv docs.csv "$HERE" "$POLSEARCH" seeds refs hostile "${TERMS[@]}" <<'PYEOF'
import csv, itertools, json, math, os, subprocess, sys
sys.path.insert(0, sys.argv[3])
from oracle import fold, furniture
pairs_csv, docs_csv, ps, dirs, terms = sys.argv[1], sys.argv[2], sys.argv[4], sys.argv[5:8], sys.argv[8:]
texts = {}
for t in terms:
    out = subprocess.run([ps, 'search', '-d', 'idx', '--no-expand', '--json', '--all', '--no-collapse', t],
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        o = json.loads(line)
        texts[(o['file'], o['paragraph'])] = fold(o['text'])
units_p = [frozenset(t for t in terms if t in x) for x in texts.values()]
units_d = []
for d in dirs:
    for name in sorted(os.listdir(d)):
        lines = [fold(l.strip()) for l in open(os.path.join(d, name), encoding='utf-8')]
        units_d.append(frozenset(t for t in terms for l in lines if l and not furniture(l) and t in l))
def expect(units):
    count = {t: sum(t in u for u in units) for t in terms}
    n = sum(1 for u in units if u)
    rows = {}
    for a, b in itertools.combinations(terms, 2):
        both = sum(a in u and b in u for u in units)
        if both:
            rows[(a, b)] = (count[a], count[b], both, n)
    return rows
bad = 0
for path, units, unit in ((pairs_csv, units_p, 'paragraphs'), (docs_csv, units_d, 'documents')):
    with open(path, newline='', encoding='utf-8') as f:
        rows = list(csv.reader(f))
    head = ['term_a', 'term_b', unit + '_a', unit + '_b', unit + '_both', unit + '_any_term', 'jaccard', 'pmi_log2']
    if rows[0] != head:
        print('# header', rows[0]); bad += 1
    got = {(r[0], r[1]): tuple(int(x) for x in r[2:6]) for r in rows[1:]}
    want = expect(units)
    if got != want:
        bad += 1
        for k in sorted(set(got) | set(want)):
            if got.get(k) != want.get(k):
                print('#', unit, k, 'cooc', got.get(k), 'scan', want.get(k))
    for r in rows[1:]:
        na, nb, both, n = (int(x) for x in r[2:6])
        if abs(float(r[6]) - both / (na + nb - both)) > 1e-6 or \
           abs(float(r[7]) - math.log2(both * n / (na * nb))) > 1e-6:
            print('# scores', r); bad += 1
    print('# %s: %d pairs' % (unit, len(want)))
sys.exit(bad != 0 or len(expect(units_p)) < 10)
PYEOF

# --- against search -c 'A B' with and without filters ------------------------
bad=0 n=0
while IFS=, read -r a b na nb both rest; do
    n=$((n + 1))
    [ "$(ps search -d idx -c --no-expand "$a $b")" = "$both" ] || { bad=$((bad + 1)); echo "# $a $b: $both"; }
    [ "$(ps search -d idx -c --no-expand "$a")" = "$na" ] || bad=$((bad + 1))
done < <(tail -n +2 pairs.csv | tr -d '\r')
check "every pair's paragraphs_both is search -c 'A B', paragraphs_a search -c A ($n pairs)" test "$bad" -eq 0 -a "$n" -gt 10
run_ps exp.csv err cooc -d idx 专精特新 高企 科技型中小企业
both=$(awk -F, '$1 == "专精特新" && $2 == "高企" { print $5 }' exp.csv)
check_eq "with aliases expanded (高企): search -c '专精特新 高企'" "$(ps search -d idx -c '专精特新 高企')" "$both"
run_ps yr.csv err cooc -d idx --year 2024 --region 浙江 专精特新 高新技术企业 科技型中小企业
bad=0
while IFS=, read -r a b na nb both rest; do
    [ "$(ps search -d idx -c --year 2024 --region 浙江 "$a $b")" = "$both" ] || bad=$((bad + 1))
done < <(tail -n +2 yr.csv | tr -d '\r')
check "--year 2024 --region 浙江: each pair is search -c with the same filters" test "$bad" -eq 0 -a "$(wc -l <yr.csv)" -gt 1
run_ps min.csv err cooc -d idx --no-expand --min 3 "${TERMS[@]}"
want=$(tail -n +2 pairs.csv | tr -d '\r' | awk -F, '$5 >= 3' | wc -l)
check "--min 3 keeps exactly the pairs seen 3 times or more ($want)" \
    test "$(tail -n +2 min.csv | wc -l)" -eq "$want" -a "$want" -gt 0
run_ps pairs.tsv err cooc -d idx --no-expand --tsv "${TERMS[@]}"
check_eq "--tsv is the CSV with tabs" "$(tr -d '\r' <pairs.csv | tr , '\t')" "$(cat pairs.tsv)"
run_ps pairs.json err cooc -d idx --no-expand --json "${TERMS[@]}"
check "--json: one object per pair, the CSV's values" "$PY" - pairs.json pairs.csv <<'PYEOF'
import csv, json, sys
js = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
rows = list(csv.DictReader(open(sys.argv[2], newline='', encoding='utf-8')))
ok = len(js) == len(rows) > 0
for j, r in zip(js, rows):
    ok = ok and j['term_a'] == r['term_a'] and j['term_b'] == r['term_b'] and \
        j['paragraphs_both'] == int(r['paragraphs_both']) and abs(j['pmi_log2'] - float(r['pmi_log2'])) < 1e-9
sys.exit(not ok)
PYEOF
run_ps none.csv err cooc -d idx 专精特新 火星探测
check_eq "no pair: exit 1, the header alone" "1 1" "$RC $(wc -l <none.csv)"
run_ps lex.csv err cooc -d idx --lexicon --min 2
check "--lexicon: exit 0, many pairs" test "$RC" -eq 0 -a "$(wc -l <lex.csv)" -gt 50

# --- bad input --------------------------------------------------------------
run_ps out err cooc -d idx --min x 专精特新 高企
check "--min x: exit 2, 'polsearch: --min: ...'" test "$RC" -eq 2 -a -s err -a ! -s out
check "  and the message names the option" grep -q "^polsearch: --min: 'x' is not a number" err
run_ps out err cooc -d idx --terms no-such-file.tsv 专精特新 高企
check "--terms FILE that does not exist: exit 2, polsearch: message" \
    test "$RC" -eq 2 -a "$(grep -c '^polsearch: .*no-such-file.tsv' err)" -ge 1
run_ps out err cooc -d idx --region 火星 专精特新 高企
check "--region 火星: exit 2, no such place" test "$RC" -eq 2 -a "$(grep -c '^polsearch: --region: no such place' err)" -eq 1
run_ps out err cooc -d idx --since 2024-13-40 专精特新 高企
check_eq "--since with a bad date: exit 2" 2 "$RC"
run_ps out err cooc -d no-such-index 专精特新 高企
check_eq "an index that does not exist: exit 2" 2 "$RC"

# --- networks: schemas and read-back ----------------------------------------
for f in graphml gexf net; do
    ps cooc -d idx --no-expand "--$f" "${TERMS[@]}" >"cooc.$f"; check_eq "cooc --$f: exit 0" 0 $?
    ps refs -d idx --graph "--$f" >"refs.$f"; check_eq "refs --graph --$f: exit 0" 0 $?
done
ps refs -d idx --graph --json >refs.json
if command -v xmllint >/dev/null 2>&1; then
    for g in cooc refs; do
        check "$g: GraphML valid against the GraphML 1.0 XSD" \
            xmllint --noout --nonet --schema "$SCHEMAS/graphml-1.0/graphml.xsd" "$g.graphml"
        check "$g: GEXF valid against the GEXF 1.3 XSD" \
            xmllint --noout --nonet --schema "$SCHEMAS/gexf-1.3/gexf.xsd" "$g.gexf"
    done
    # The schemas do reject: a GEXF edge without its source is refused.
    sed '0,/ source="n[0-9]*"/s///' refs.gexf >broken.gexf
    check "the GEXF schema refuses an edge without a source" \
        test "$(xmllint --noout --nonet --schema "$SCHEMAS/gexf-1.3/gexf.xsd" broken.gexf 2>&1 | grep -c 'source')" -ge 1
else
    for i in 1 2 3 4 5; do ok "xmllint schema check # SKIP xmllint (libxml2-utils) is not installed"; done
fi
if "$PY" -c 'import networkx' 2>/dev/null; then
    check "cooc: GraphML, GEXF and Pajek read by networkx: the CSV's nodes, edges and weights" \
        "$PY" - cooc pairs.csv <<'PYEOF'
import csv, sys
import networkx as nx
import io
def read_gexf(path):
    """networkx 3 reads GEXF 1.3; Debian 12's networkx 2.8 reads up to
    1.2draft, whose elements and attributes these files use: it reads them
    under that namespace."""
    if '1.3' in getattr(nx.readwrite.gexf.GEXF, 'versions', {}):
        return nx.read_gexf(path)
    s = open(path, encoding='utf-8').read()
    s = s.replace('http://gexf.net/1.3', 'http://www.gexf.net/1.2draft').replace('version="1.3"', 'version="1.2"')
    return nx.read_gexf(io.BytesIO(s.encode('utf-8')))
rows = list(csv.DictReader(open(sys.argv[2], newline='', encoding='utf-8')))
want = {frozenset((r['term_a'], r['term_b'])): float(r['paragraphs_both']) for r in rows}
counts = {}
for r in rows:
    counts[r['term_a']] = int(r['paragraphs_a']); counts[r['term_b']] = int(r['paragraphs_b'])
ok = True
for fmt, g in (('graphml', nx.read_graphml(sys.argv[1] + '.graphml')), ('gexf', read_gexf(sys.argv[1] + '.gexf')),
               ('net', nx.read_pajek(sys.argv[1] + '.net'))):
    label = (lambda n: n) if fmt == 'net' else (lambda n: g.nodes[n]['label'])
    got = {frozenset((label(u), label(v))): d['weight'] for u, v, d in g.edges(data=True)}
    labels = {label(n) for n in g.nodes}
    good = got == want and set(counts) <= labels and not g.is_directed()
    if fmt != 'net':
        good = good and all(g.nodes[n]['paragraphs'] == counts[label(n)] for n in g.nodes if label(n) in counts)
    if not good:
        print('#', fmt, sorted(set(got.items()) ^ set(want.items()))[:5]); ok = False
sys.exit(not ok)
PYEOF
    check "refs --graph: GraphML, GEXF and Pajek read by networkx: --json's nodes, arcs, weights, attributes" \
        "$PY" - refs refs.json <<'PYEOF'
import json, sys
import networkx as nx
import io
def read_gexf(path):
    """networkx 3 reads GEXF 1.3; Debian 12's networkx 2.8 reads up to
    1.2draft, whose elements and attributes these files use: it reads them
    under that namespace."""
    if '1.3' in getattr(nx.readwrite.gexf.GEXF, 'versions', {}):
        return nx.read_gexf(path)
    s = open(path, encoding='utf-8').read()
    s = s.replace('http://gexf.net/1.3', 'http://www.gexf.net/1.2draft').replace('version="1.3"', 'version="1.2"')
    return nx.read_gexf(io.BytesIO(s.encode('utf-8')))
j = json.load(open(sys.argv[2], encoding='utf-8'))
files = {n['id']: n for n in j['nodes']}
want = {(files[e['from']]['file'], files[e['to']]['file']): float(e['refs']) for e in j['edges']}
ok = len(want) >= 4
for fmt in ('graphml', 'gexf'):
    g = nx.read_graphml(sys.argv[1] + '.graphml') if fmt == 'graphml' else read_gexf(sys.argv[1] + '.gexf')
    got = {(g.nodes[u]['file'], g.nodes[v]['file']): d['weight'] for u, v, d in g.edges(data=True)}
    byfile = {d['file']: d for _, d in g.nodes(data=True)}
    good = g.is_directed() and got == want and len(g) == len(files)
    for n in files.values():
        d = byfile.get(n['file'], {})
        good = good and d.get('title', '') == n['title'] and d.get('date', '') == n['date'] \
            and d.get('label') == (n['title'] or n['file'])
    hostile = [d for d in byfile.values() if d['file'].endswith('h.txt')]
    good = good and len(hostile) == 1 and hostile[0]['title'] == '关于<测试>&“引号”"双引号\'的通知'
    linyi = [d for d in byfile.values() if d['file'].endswith('linyi-notice.txt')]
    good = good and linyi and linyi[0].get('region') == '山东省/临沂市' and linyi[0].get('region_code') == '371300' \
        and linyi[0].get('issuer') == '临沂市科学技术局' and linyi[0].get('docno')
    if fmt == 'gexf':
        good = good and linyi[0].get('start') == linyi[0]['date']
    if not good:
        print('#', fmt, 'differs'); ok = False
p = nx.read_pajek(sys.argv[1] + '.net')
titles = {n['title'] or n['file'] for n in files.values()}
hostile_label = '关于<测试>&“引号”\'双引号\'的通知'      # Pajek: '"' written as "'"
ok = ok and p.is_directed() and len(p) == len(files) and p.number_of_edges() == len(want) and hostile_label in p
sys.exit(not ok)
PYEOF
else
    ok "cooc read back by networkx # SKIP python3-networkx is not installed"
    ok "refs --graph read back by networkx # SKIP python3-networkx is not installed"
fi
check "refs --graph --dot and --json are unchanged by the new formats" \
    test "$(ps refs -d idx --graph | grep -c -- '->')" -eq "$("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["edges"]))' refs.json)"
run_ps out err refs -d idx --graph --json --gexf
check_eq "refs --graph --json --gexf: exit 2" 2 "$RC"
run_ps out err refs -d idx --gexf seeds/003_1f11e292ab1845fd.txt
check_eq "refs --gexf without --graph: exit 2" 2 "$RC"
finish
