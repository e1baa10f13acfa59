#!/usr/bin/env python3
"""oracle.py — polsearch's exact-phrase semantics against a brute-force scan.

For a deterministic sample of at least 200 substrings of the seed texts
(1 to 12 Han characters, taken from within lines) and the policy terms, the
set of files `polsearch search -l --all` returns must equal the set of files
whose text (line by line, after full-width folding) contains the substring;
and every --json result's text must contain the phrase at each reported
offset.  Prints TAP.

usage: oracle.py POLSEARCH INDEX SEEDS_DIR
"""
import json
import os
import random
import re
import subprocess
import sys

POLICY_TERMS = ['专精特新', '高新技术企业', '科技型中小企业', '小巨人', '研发投入', '产学研']
HAN = re.compile(r'[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+')


def fold(s):
    """Full-width ASCII to ASCII, as polsearch normalises (what matters here)."""
    return ''.join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in s)


def main():
    ps, index, seeds = sys.argv[1:4]
    files = sorted(os.path.join(seeds, f) for f in os.listdir(seeds) if f.endswith('.txt'))
    lines = {f: [fold(l) for l in open(f, encoding='utf-8').read().split('\n')] for f in files}
    rng = random.Random(20261123)
    runs = [(f, m.group()) for f in files for l in lines[f] for m in HAN.finditer(l)]
    samples = []
    seen = set()
    while len(samples) < 220:
        f, run = rng.choice(runs)
        n = rng.randint(1, min(12, len(run)))
        i = rng.randint(0, len(run) - n)
        s = run[i:i + n]
        if s not in seen:
            seen.add(s)
            samples.append(s)
    samples += [t for t in POLICY_TERMS if t not in seen]
    # A few that must match nothing.
    samples += ['量子纠缠计算机', '区块链元宇宙']

    tap = 0
    failed = 0
    for q in samples:
        expect = sorted(f for f in files if any(q in l for l in lines[f]))
        p = subprocess.run([ps, 'search', '-d', index, '-l', '--all', q],
                           capture_output=True, text=True)
        got = sorted(p.stdout.split())
        want_rc = 0 if expect else 1
        ok = got == expect and p.returncode == want_rc
        detail = ''
        if ok and expect:
            j = subprocess.run([ps, 'search', '-d', index, '--json', '-n', '5', q],
                               capture_output=True, text=True)
            for line in j.stdout.splitlines():
                o = json.loads(line)
                if not o['matches'] or any(fold(o['text'][s:s + l]) != q for s, l in o['matches']):
                    ok = False
                    detail = ' (bad offsets in %s:%s)' % (o['file'], o['paragraph'])
        tap += 1
        if ok:
            print('ok %d - %s: %d files' % (tap, q, len(expect)))
        else:
            failed += 1
            print('not ok %d - %s%s' % (tap, q, detail))
            print('# expected %s (rc %d)' % ([os.path.basename(f) for f in expect], want_rc))
            print('# got      %s (rc %d) %s' % ([os.path.basename(f) for f in got], p.returncode,
                                                 p.stderr.strip()))
    print('1..%d' % tap)
    return 0


if __name__ == '__main__':
    sys.exit(main())
