#!/usr/bin/env python3
"""columns.py — the multi-column PDF fixtures (tests/fixtures/columns/) read
in column order (TAP).

usage: columns.py POLSEARCH INDEX DOCS FIX NAME...
       DOCS/NAME.pdf is indexed in INDEX; FIX/NAME.txt holds the paragraphs
       it should read as, one per line (make-columns.py).

Per fixture: the share of sampled phrases (8 Han characters in a row of one
expected paragraph) that `search -c --file` finds in it (>= 98 %), and of
phrases across a printed line (the last 4 Han characters of a pdftotext line
and the first 4 of the next, kept when the 8 stand together in an expected
paragraph: >= 90 %).  For `one-column`: the paragraphs polsearch holds are
the expected ones, in order (Han characters only).  For `sidebar`: no
paragraph polsearch holds has text of both the body and the sidebar (the
sidebar's paragraphs are the last lines of sidebar.txt that are not in
one-column.txt)."""
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from real import RUN, RUN_END, RUN_START, han, indexed  # noqa: E402  (one copy of these)

TAP = [0, 0]


def tap(ok, what, detail=''):
    TAP[0] += 1
    print('%s %d - %s' % ('ok' if ok else 'not ok', TAP[0], what))
    if not ok:
        TAP[1] += 1
        for line in detail.splitlines():
            print('# ' + line)


def count(ps, index, path, phrase):
    """Paragraphs of path that hold phrase (search -c)."""
    r = subprocess.run([ps, 'search', '-d', index, '--no-expand', '-c', '--file', path, '--', phrase],
                       capture_output=True, text=True)
    return int(r.stdout.strip() or 0) if r.stdout.strip().isdigit() else 0


def pdf_lines(path):
    return subprocess.run(['pdftotext', '-enc', 'UTF-8', path, '-'], capture_output=True, text=True).stdout.split('\n')


def samples(paras, rng, want):
    """Up to want phrases of 8 Han characters from runs of the paragraphs."""
    runs = [r for p in paras for r in RUN.findall(p) if len(r) >= 8]
    out = set()
    for _ in range(20 * want):
        if len(out) == want or not runs:
            break
        r = rng.choice(runs)
        j = rng.randrange(len(r) - 7)
        out.add(r[j:j + 8])
    return sorted(out)


def crossings(lines, paras, rng, want):
    """Phrases across a printed line that an expected paragraph holds."""
    runs = [r for p in paras for r in RUN.findall(p)]
    out = set()
    for a, b in zip(lines, lines[1:]):
        ta, hb = RUN_END.search(a.rstrip()), RUN_START.match(b.lstrip())
        if ta and hb:
            q = ta.group(0) + hb.group(0)
            if any(q in r for r in runs):
                out.add(q)
    out = sorted(out)
    return rng.sample(out, min(want, len(out)))


def check_file(ps, index, docs, d, name):
    rng = random.Random(42)
    path = os.path.join(docs, name + '.pdf')
    with open(os.path.join(d, name + '.txt'), encoding='utf-8') as f:
        paras = [l.strip() for l in f if l.strip()]
    inline = samples(paras, rng, 60)
    cross = crossings(pdf_lines(path), paras, rng, 40)
    fi = [q for q in inline if count(ps, index, path, q) < 1]
    fc = [q for q in cross if count(ps, index, path, q) < 1]
    pi = 1 - len(fi) / len(inline) if inline else 0
    pc = 1 - len(fc) / len(cross) if cross else 0
    print('# %s: phrases %.1f %% of %d, cross-line %.1f %% of %d'
          % (name, 100 * pi, len(inline), 100 * pc, len(cross)))
    tap(len(inline) >= 40 and pi >= 0.98, '%s: phrases %.1f %% of %d >= 98 %%' % (name, 100 * pi, len(inline)),
        'missed: ' + ' '.join(fi[:10]))
    tap(len(cross) >= 10 and pc >= 0.90, '%s: cross-line phrases %.1f %% of %d >= 90 %%'
        % (name, 100 * pc, len(cross)), 'missed: ' + ' '.join(fc[:10]))
    chars = set(han(''.join(paras)))
    got = indexed(ps, index, path, chars)
    if name == 'one-column':
        want = [han(p) for p in paras]
        have = [han(p) for p in got]
        tap(have == want, 'one-column: its %d paragraphs are the expected ones, in order' % len(want),
            'expected %d paragraphs, got %d; first difference:\n%s' % (
                len(want), len(have),
                next(('want %s\ngot  %s' % (w[:60], h[:60]) for w, h in zip(want, have) if w != h), '')))
    if name == 'sidebar':
        with open(os.path.join(d, 'one-column.txt'), encoding='utf-8') as f:
            body_all = set(l.strip() for l in f if l.strip())
        side = [p for p in paras if p not in body_all]
        body = [p for p in paras if p in body_all]
        # phrases of one part that the other does not hold (both are about
        # 企业科技创新: some phrases are in both)
        side_h, body_h = ''.join(han(p) for p in side), ''.join(han(p) for p in body)
        side_q = [q for q in samples(side, rng, 200) if q not in body_h]
        body_q = [q for q in samples(body, rng, 400) if q not in side_h]
        mixed = [p for p in got if any(q in han(p) for q in side_q) and any(q in han(p) for q in body_q)]
        tap(side and not mixed, 'sidebar: none of %d paragraphs mixes the body and the %d sidebar paragraphs'
            % (len(got), len(side)), '\n'.join(m[:80] for m in mixed[:3]))


def main():
    ps, index, docs, d, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
    for name in names:
        check_file(ps, index, docs, d, name)
    print('1..%d' % TAP[0])
    return 1 if TAP[1] else 0


if __name__ == '__main__':
    sys.exit(main())
