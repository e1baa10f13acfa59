#!/usr/bin/env python3
"""Measure polsearch's ranking quality against the judged relevance set.

usage: ndcg.py --polsearch BIN --index DIR [--seeds DIR] [--judgments FILE]
               [--extra-args "..."] [--label NAME] [--fts5] [--peers DIR]
               [--min-ndcg X] [--tap] [--verbose]

For every query in judgments.tsv this runs
    BIN search -d DIR --json -n 10 [EXTRA ARGS] WORD...
(the query split on spaces into argv words), reads the JSON Lines it prints
and scores the top 10 results:

  gain(result) = the highest grade among the judged substrings (of this query)
                 that occur in the result's `text` and that no higher-ranked
                 result already contained (each judged passage is credited
                 once; a result that contains several judged passages uses
                 them all up but earns only the best grade)
  DCG@10       = sum over ranks i=1..10 of (2^gain - 1) / log2(i + 1)
  IDCG@10      = the same over the judged grades of the query, best first
  nDCG@10      = DCG@10 / IDCG@10
  P@5          = (results among the top 5 with gain >= 1) / 5

Unjudged results count as gain 0. Text is compared after folding full-width
ASCII (U+FF01..U+FF5E) and the ideographic space to ASCII.

--fts5 adds a baseline: SQLite FTS5 (tokenize='trigram') over the paragraphs
of the seed files, split exactly as the shared bench splits them
(/work/shared/bench/peers/paragraphs.py), ranked by bm25(); a query of
several parts becomes "a" AND "b". A part shorter than 3 characters cannot
use the trigram index, so it becomes body LIKE '%part%' (as the bench's
fts5-query.sh does); if no part can use the index the results are unranked
(rowid order).

Output: a markdown table per system (mean nDCG@10, mean P@5, one row per
query). With --tap: TAP lines instead, one per system, failing (exit 1) when
polsearch's mean nDCG@10 is below --min-ndcg. Otherwise the exit status is 0.
Python 3 standard library only.
"""
import argparse
import json
import math
import os
import re
import shlex
import sqlite3
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PEERS = '/work/shared/bench/peers'
K = 10

# Full-width ASCII -> ASCII, ideographic space -> space.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20


def norm(s):
    return s.translate(_FOLD)


def load_judgments(path):
    """-> list of (query, [(grade, substring), ...]) in file order."""
    order, by_q = [], {}
    with open(path, encoding='utf-8') as f:
        for ln, line in enumerate(f, 1):
            line = line.rstrip('\r\n')
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            parts = line.split('\t')
            if len(parts) != 3:
                sys.exit('%s:%d: expected QUERY<TAB>GRADE<TAB>SUBSTRING' % (path, ln))
            q, g, s = parts[0].strip(), parts[1].strip(), norm(parts[2])
            if g not in ('0', '1', '2', '3') or not s or not q:
                sys.exit('%s:%d: bad grade or empty field' % (path, ln))
            if q not in by_q:
                by_q[q] = []
                order.append(q)
            if int(g) > 0 and s not in [x[1] for x in by_q[q]]:
                by_q[q].append((int(g), s))
    return [(q, by_q[q]) for q in order]


def dcg(gains):
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:K]))


def score(texts, judged):
    """texts: result texts in rank order -> (ndcg, p5, gains)."""
    credited = set()
    gains = []
    for t in texts[:K]:
        t = norm(t)
        hit = [(g, s) for g, s in judged if s not in credited and s in t]
        gains.append(max((g for g, _ in hit), default=0))
        credited.update(s for _, s in hit)
    ideal = dcg(sorted((g for g, _ in judged), reverse=True))
    ndcg = dcg(gains) / ideal if ideal > 0 else 0.0
    p5 = sum(1 for g in gains[:5] if g >= 1) / 5.0
    return ndcg, p5, gains


# ---------------------------------------------------------------- polsearch

def polsearch_results(binary, index, extra, query, errors):
    cmd = [binary, 'search', '-d', index, '--json', '-n', str(K)] + extra + query.split()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        errors.append('%s: %s' % (query, e))
        return []
    if p.returncode not in (0, 1):
        msg = p.stderr.decode('utf-8', 'replace').strip().splitlines()
        errors.append('%s: exit %d%s' % (query, p.returncode, (': ' + msg[-1]) if msg else ''))
    texts = []
    for line in p.stdout.decode('utf-8', 'replace').splitlines():
        line = line.strip()
        if not line.startswith('{'):
            continue
        try:
            o = json.loads(line)
        except ValueError:
            errors.append('%s: unparsable JSON line' % query)
            continue
        texts.append(o.get('text') or '')
    return texts


# ---------------------------------------------------------------- FTS5 peer

def load_paragraphs_fn(peers):
    sys.path.insert(0, peers)
    try:
        from paragraphs import paragraphs  # the shared bench's splitter
        return paragraphs
    except ImportError:
        sys.stderr.write('ndcg.py: %s/paragraphs.py not found; using an identical '
                         'built-in splitter\n' % peers)
    split = re.compile(r'\n[ \t]*\n+')

    def paragraphs(corpus):
        for root, dirs, files in os.walk(corpus):
            dirs.sort()
            for name in sorted(files):
                if not name.endswith('.txt'):
                    continue
                path = os.path.join(root, name)
                with open(path, encoding='utf-8', errors='replace') as f:
                    text = f.read()
                for i, p in enumerate(split.split(text)):
                    p = p.strip()
                    if p:
                        yield os.path.relpath(path, corpus), i, p
    return paragraphs


class Fts5:
    def __init__(self, seeds, peers):
        paragraphs = load_paragraphs_fn(peers)
        self.db = sqlite3.connect(':memory:')
        self.db.execute("CREATE VIRTUAL TABLE p USING fts5(file UNINDEXED, para UNINDEXED,"
                        " body, tokenize='trigram')")
        with self.db:
            self.db.executemany('INSERT INTO p(file, para, body) VALUES (?,?,?)',
                                paragraphs(seeds))
        self.count = self.db.execute('SELECT count(*) FROM p').fetchone()[0]

    def results(self, query):
        parts = query.split()
        long_ = [w for w in parts if len(w) >= 3]
        short = [w for w in parts if len(w) < 3]
        where, args = [], []
        if long_:
            where.append('p MATCH ?')
            args.append(' AND '.join('"%s"' % w.replace('"', '""') for w in long_))
        for w in short:
            like = w.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_')
            where.append("body LIKE ? ESCAPE '\\'")
            args.append('%' + like + '%')
        sql = 'SELECT body FROM p WHERE ' + ' AND '.join(where)
        sql += ' ORDER BY bm25(p)' if long_ else ' ORDER BY rowid'
        sql += ' LIMIT %d' % K
        return [r[0] for r in self.db.execute(sql, args)]


# ---------------------------------------------------------------- output

def evaluate(name, judgments, fetch):
    rows = []
    for q, judged in judgments:
        if not judged:
            continue
        texts = fetch(q)
        ndcg, p5, gains = score(texts, judged)
        rows.append((q, ndcg, p5, len(texts), gains, len(judged)))
    n = len(rows) or 1
    mean_ndcg = sum(r[1] for r in rows) / n
    mean_p5 = sum(r[2] for r in rows) / n
    return {'name': name, 'rows': rows, 'ndcg': mean_ndcg, 'p5': mean_p5}


def print_table(res, verbose):
    print('### %s\n' % res['name'])
    print('mean nDCG@10 **%.3f**, mean P@5 **%.3f** over %d queries\n'
          % (res['ndcg'], res['p5'], len(res['rows'])))
    print('| query | nDCG@10 | P@5 | results | judged | gains@10 |')
    print('|---|---:|---:|---:|---:|---|')
    for q, ndcg, p5, nres, gains, nj in res['rows']:
        print('| %s | %.3f | %.2f | %d | %d | %s |'
              % (q, ndcg, p5, nres, nj, ''.join(str(g) for g in gains) or '-'))
    print()


def print_comparison(results):
    if len(results) < 2:
        return
    print('### Summary\n')
    print('| system | mean nDCG@10 | mean P@5 |')
    print('|---|---:|---:|')
    for r in results:
        print('| %s | %.3f | %.3f |' % (r['name'], r['ndcg'], r['p5']))
    print()
    a, b = results[0], results[1]
    print('| query | %s nDCG@10 | %s nDCG@10 |' % (a['name'], b['name']))
    print('|---|---:|---:|')
    for ra, rb in zip(a['rows'], b['rows']):
        print('| %s | %.3f | %.3f |' % (ra[0], ra[1], rb[1]))
    print()


def main():
    ap = argparse.ArgumentParser(description='nDCG@10 / P@5 of polsearch on the judged set')
    ap.add_argument('--polsearch', required=True, help='polsearch binary')
    ap.add_argument('--index', required=True, help='index directory built from --seeds')
    ap.add_argument('--seeds', default=os.path.normpath(os.path.join(HERE, '..', '..', 'seeds')),
                    help='seed corpus (for --fts5; default: the repository\'s seeds/)')
    ap.add_argument('--judgments', default=os.path.join(HERE, 'judgments.tsv'))
    ap.add_argument('--extra-args', default='', help='more polsearch search options (shell words)')
    ap.add_argument('--label', default='polsearch', help='name of the polsearch run')
    ap.add_argument('--fts5', action='store_true', help='also score an SQLite FTS5 trigram baseline')
    ap.add_argument('--peers', default=DEFAULT_PEERS, help='folder holding the bench\'s paragraphs.py')
    ap.add_argument('--min-ndcg', type=float, default=0.0, help='with --tap: fail below this mean')
    ap.add_argument('--tap', action='store_true', help='print TAP instead of tables')
    ap.add_argument('--verbose', action='store_true', help='tables even with --tap (to stderr)')
    a = ap.parse_args()

    judgments = load_judgments(a.judgments)
    if not judgments:
        sys.exit('ndcg.py: no judgements in %s' % a.judgments)
    extra = shlex.split(a.extra_args)
    errors = []
    results = [evaluate(a.label, judgments,
                        lambda q: polsearch_results(a.polsearch, a.index, extra, q, errors))]
    if a.fts5:
        fts = Fts5(a.seeds, a.peers)
        results.append(evaluate('fts5-trigram (%d paragraphs)' % fts.count, judgments, fts.results))

    for e in errors:
        sys.stderr.write('ndcg.py: polsearch: %s\n' % e)

    if not a.tap:
        for r in results:
            print_table(r, a.verbose)
        print_comparison(results)
        return 0

    if a.verbose:
        saved, sys.stdout = sys.stdout, sys.stderr
        for r in results:
            print_table(r, True)
        sys.stdout = saved
    n = len(results) + (1 if errors else 0)
    print('1..%d' % n)
    ok = True
    t = 0
    for i, r in enumerate(results):
        t += 1
        if i == 0:
            good = r['ndcg'] >= a.min_ndcg
            ok = ok and good
            print('%s %d - %s mean nDCG@10 %.3f %s %.3f (P@5 %.3f, %d queries)'
                  % ('ok' if good else 'not ok', t, r['name'], r['ndcg'],
                     '>=' if good else '<', a.min_ndcg, r['p5'], len(r['rows'])))
        else:  # baselines are reported, never fail
            print('ok %d - %s mean nDCG@10 %.3f (P@5 %.3f) # baseline, informational'
                  % (t, r['name'], r['ndcg'], r['p5']))
    if errors:
        t += 1
        ok = False
        print('not ok %d - polsearch ran without errors (%d failed: %s)'
              % (t, len(errors), errors[0]))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
