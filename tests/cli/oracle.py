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

# Common characters (one term each) and rare ones (a prefix each); tokenize.h.
ONE_CHAR = ['的', '业', '为', '在', '中', '人', '孵', '梯', '揭', '券']
POLICY_TERMS = ['专精特新', '高新技术企业', '科技型中小企业', '小巨人', '研发投入', '产学研']
HAN = re.compile(r'[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+')


def fold(s):
    """Full-width ASCII to ASCII, as polsearch normalises (what matters here)."""
    return ''.join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in s)


CRUMB_LABEL = re.compile(r'^\s*(当前位置|您当前的位置|您现在的位置|您当前位置|您的位置|当前的位置|所在位置|现在位置|位置)')
A11Y = {'无障碍', '无障碍浏览', '长者版', '关怀版', '适老版', '|', '｜', 'English', '繁体', '简体', '登录'}


def furniture(line):
    """Site furniture that polsearch's boilerplate table drops (src/boiler.c):
    the breadcrumb and accessibility-bar lines the seeds have."""
    s = line.strip()
    if CRUMB_LABEL.match(s) or s.startswith(('>', '＞', '扫一扫', '用手机扫')):
        return True
    if '首页' in s and ('>' in s or '＞' in s):
        return True
    toks = s.replace('|', ' | ').split()
    return bool(toks) and all(t in A11Y for t in toks)


def phrase_check(ps, index, q, expect):
    """Ask polsearch for phrase q: `-l --all` must list exactly the files in
    expect (sorted) with exit status 0, or nothing with status 1 when expect
    is empty; each --json result must show q at every reported offset.
    Returns (ok, detail, files listed, the -l run's CompletedProcess)."""
    p = subprocess.run([ps, 'search', '-d', index, '--no-expand', '-l', '--all', q],
                       capture_output=True, text=True)
    got = sorted(p.stdout.split())
    want_rc = 0 if expect else 1
    ok = got == expect and p.returncode == want_rc
    detail = ''
    if ok and expect:
        j = subprocess.run([ps, 'search', '-d', index, '--no-expand', '--json', '-n', '5', q],
                           capture_output=True, text=True)
        for line in j.stdout.splitlines():
            o = json.loads(line)
            # A span is one occurrence, or touching/overlapping ones merged.
            spans = [fold(o['text'][s:s + l]) for s, l in o['matches']]
            if not spans or any(not (t.startswith(q) and t.endswith(q)) for t in spans):
                ok = False
                detail = ' (bad offsets in %s:%s)' % (o['file'], o['paragraph'])
    return ok, detail, got, p


def sample_phrases(line_lists, rng, count):
    """count distinct Han substrings (1 to 12 characters) drawn from the runs
    of Han characters in line_lists (lists of folded lines), then every
    policy term not drawn already: the phrases an oracle asks about."""
    runs = [m.group() for lines in line_lists for l in lines for m in HAN.finditer(l)]
    samples, seen = [], set()
    while len(samples) < count:
        run = rng.choice(runs)
        n = rng.randint(1, min(12, len(run)))
        i = rng.randint(0, len(run) - n)
        s = run[i:i + n]
        if s not in seen:
            seen.add(s)
            samples.append(s)
    return samples + [t for t in POLICY_TERMS if t not in seen]


def main():
    ps, index, seeds = sys.argv[1:4]
    files = sorted(os.path.join(seeds, f) for f in os.listdir(seeds) if f.endswith('.txt'))
    lines = {f: [fold(l) for l in open(f, encoding='utf-8').read().split('\n') if not furniture(l)]
             for f in files}
    samples = sample_phrases(lines.values(), random.Random(20261123), 220)
    # A few that must match nothing.
    samples += ['量子纠缠计算机', '区块链元宇宙']

    tap = 0
    failed = 0
    for q in samples:
        expect = sorted(f for f in files if any(q in l for l in lines[f]))
        ok, detail, got, p = phrase_check(ps, index, q, expect)
        tap += 1
        if ok:
            print('ok %d - %s: %d files' % (tap, q, len(expect)))
        else:
            failed += 1
            print('not ok %d - %s%s' % (tap, q, detail))
            print('# expected %s (rc %d)' % ([os.path.basename(f) for f in expect], 0 if expect else 1))
            print('# got      %s (rc %d) %s' % ([os.path.basename(f) for f in got], p.returncode,
                                                 p.stderr.strip()))
    # Paragraph by paragraph, so copies of a paragraph are not collapsed
    # (--no-collapse): -c counts each.
    # One character, paragraph by paragraph: a common character is asked
    # for as its own term, a rare one as a prefix (tokenize.h); either way
    # every paragraph seen so far that holds it must come back, and nothing
    # that does not.
    pool = {}
    for q in samples:
        j = subprocess.run([ps, 'search', '-d', index, '--no-expand', '--no-collapse', '--json', '--all', q],
                           capture_output=True, text=True)
        for line in j.stdout.splitlines():
            o = json.loads(line)
            pool[(o['file'], o['paragraph'])] = fold(o['text'])
    for ch in ONE_CHAR:
        j = subprocess.run([ps, 'search', '-d', index, '--no-expand', '--no-collapse', '--json', '--all', ch],
                           capture_output=True, text=True)
        got = {}
        for line in j.stdout.splitlines():
            o = json.loads(line)
            got[(o['file'], o['paragraph'])] = fold(o['text'])
        missing = [k for k, t in pool.items() if ch in t and k not in got]
        wrong = [k for k, t in got.items() if ch not in t]
        count = subprocess.run([ps, 'search', '-d', index, '--no-expand', '-c', ch],
                               capture_output=True, text=True).stdout.split()
        tap += 1
        if got and not missing and not wrong and count == [str(len(got))]:
            print('ok %d - one character %s: %d paragraphs, -c agrees' % (tap, ch, len(got)))
        else:
            print('not ok %d - one character %s: %d paragraphs, %d missing, %d without it, -c %s'
                  % (tap, ch, len(got), len(missing), len(wrong), count))
    print('1..%d' % tap)
    return 0


if __name__ == '__main__':
    sys.exit(main())
