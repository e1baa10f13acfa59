#!/usr/bin/env python3
"""pdf.py — the exact-phrase oracle (oracle.py) for the seeds as PDF and OFD.

usage: pdf.py seeds POLSEARCH INDEX SEEDS_DIR DOCS_DIR
           DOCS_DIR/pdf/NAME.pdf and DOCS_DIR/ofd/NAME.ofd are seeds/NAME.txt
           converted (LibreOffice; tests/fixtures/make-ofd.py), indexed in INDEX.
       pdf.py wraps POLSEARCH INDEX PDF
           phrases that pdftotext shows across a line break of PDF are found.

`seeds`: for a deterministic sample of Han substrings of the seeds, plus
phrases that cross a line wrap of each PDF (as pdftotext shows it) and of
each OFD (as make-ofd.py wraps it), the PDF (and the OFD) of a seed is
found exactly when the seed's text holds the phrase.  The seed's text is
taken line by line (a line is a paragraph of the converted file), full-width
folded, with the layout stage's one rewrite applied: a space between a Han
character or CJK punctuation and a Han character or digit is autospacing
and goes (src/layout.h).  When --json results carry "page", every result's
page is the page where `pdftotext -f N -l N` shows the phrase (or where it
starts, for a phrase running over the break); otherwise those checks are
skipped with the reason.  Prints TAP.
"""
import importlib.util
import json
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle import fold  # noqa: E402  (the project's one folding rule)

HAN = re.compile(r'[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+')
HANC = r'\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f'
PUNC = r'\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201f\u2014\u2026\u00b7\u2022'
AUTOSPACE = re.compile(r'(?<=[%s%s])[ \t\u00a0]+(?=[%s0-9\uff10-\uff19])|(?<=[%s0-9\uff10-\uff19])[ \t\u00a0]+(?=[%s%s])'
                       % (HANC, PUNC, HANC, HANC, HANC, PUNC))

TAP = [0, 0]  # checks, failures


def tap(ok, what, detail=''):
    TAP[0] += 1
    if ok:
        print('ok %d - %s' % (TAP[0], what))
    else:
        TAP[1] += 1
        print('not ok %d - %s' % (TAP[0], what))
        for line in detail.splitlines():
            print('# ' + line)


def skip(what, reason):
    TAP[0] += 1
    print('ok %d - %s # SKIP %s' % (TAP[0], what, reason))


def norm(s):
    """A seed line as the layout stage leaves it."""
    return AUTOSPACE.sub('', fold(s))


def search(ps, index, q, *args):
    return subprocess.run([ps, 'search', '-d', index, '--no-expand'] + list(args) + [q],
                          capture_output=True, text=True)


def pdftotext(path, first=None, last=None):
    cmd = ['pdftotext', '-enc', 'UTF-8']
    if first:
        cmd += ['-f', str(first), '-l', str(last or first)]
    return subprocess.run(cmd + [path, '-'], capture_output=True, text=True).stdout


def squeeze(s):
    """pdftotext text without white space, folded: for "does the page show it"."""
    return re.sub(r'\s+', '', fold(s))


def load_make_ofd(tests_dir):
    spec = importlib.util.spec_from_file_location('make_ofd', os.path.join(tests_dir, 'fixtures', 'make-ofd.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def wrap_phrases(lines, rng, want):
    """Phrases of 3+3 Han characters across the break of consecutive lines."""
    out = []
    for a, b in zip(lines, lines[1:]):
        ma, mb = re.search('[%s]{3}$' % HANC, a.strip()), re.match('[%s]{3}' % HANC, b.strip())
        if ma and mb:
            out.append(ma.group() + mb.group())
    rng.shuffle(out)
    return out[:want]


def seeds_mode(ps, index, seeds, docs):
    tests_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    mk = load_make_ofd(tests_dir)
    names = sorted(f[:-4] for f in os.listdir(seeds) if f.endswith('.txt'))
    text = {n: open(os.path.join(seeds, n + '.txt'), encoding='utf-8').read() for n in names}
    lines = {n: [norm(l) for l in text[n].split('\n')] for n in names}
    pdf = {n: os.path.join(docs, 'pdf', n + '.pdf') for n in names}
    ofd = {n: os.path.join(docs, 'ofd', n + '.ofd') for n in names}
    rng = random.Random(20261129)

    samples = []
    runs = [m.group() for n in names for l in lines[n] for m in HAN.finditer(l)]
    while len(samples) < 60:
        run = rng.choice(runs)
        k = rng.randint(2, min(10, len(run))) if len(run) >= 2 else 1
        i = rng.randint(0, len(run) - k)
        if run[i:i + k] not in samples:
            samples.append(run[i:i + k])
    wraps = []
    for n in names:
        wraps += [('pdf', q) for q in wrap_phrases(pdftotext(pdf[n]).split('\n'), rng, 4)]
        ofd_lines = [l for page in mk.pages_of(text[n]) for _, l in page]
        wraps += [('ofd', q) for q in wrap_phrases(ofd_lines, rng, 4)]
    wrap_qs = [q for _, q in wraps]
    tap(sum(1 for f, _ in wraps if f == 'pdf') >= 10 and sum(1 for f, _ in wraps if f == 'ofd') >= 10,
        'at least 10 phrases across a line wrap of the PDFs and 10 of the OFDs (%d)' % len(wraps))
    samples += ['专精特新', '科技型中小企业', '第380号建议', '量子纠缠计算机']

    have_page = None
    page_fail = []
    for q in samples + wrap_qs:
        expect = sorted(n for n in names if any(q in l for l in lines[n]))
        p = search(ps, index, q, '-l', '--all')
        got = set(p.stdout.split())
        got_pdf = sorted(n for n in names if pdf[n] in got)
        got_ofd = sorted(n for n in names if ofd[n] in got)
        kind = ' (across a wrap)' if q in wrap_qs else ''
        tap(got_pdf == expect and got_ofd == expect, '%s%s: %d seeds' % (q, kind, len(expect)),
            'expected %s\ngot pdf  %s\ngot ofd  %s\n%s' % (expect, got_pdf, got_ofd, p.stderr.strip()))
        if not expect:
            continue
        j = search(ps, index, q, '--json', '--all')
        for line in j.stdout.splitlines():
            o = json.loads(line)
            if have_page is None:
                have_page = 'page' in o
            if not have_page or not o['file'].endswith('.pdf'):
                continue
            n = o.get('page')
            here = squeeze(pdftotext(o['file'], n, n)) if isinstance(n, int) and n > 0 else ''
            nxt = squeeze(pdftotext(o['file'], n + 1, n + 1)) if here else ''
            if not (q in here or (q not in nxt and q in here + nxt)):
                page_fail.append('%s: %s paragraph %s page %s' % (q, o['file'], o['paragraph'], n))
    if have_page:
        tap(not page_fail, 'every --json result from a PDF names the page pdftotext shows the phrase on',
            '\n'.join(page_fail[:10]))
    else:
        skip('--json results name the page pdftotext shows the phrase on', 'no "page" in --json output yet')


def wraps_mode(ps, index, path):
    rng = random.Random(88)
    txt = pdftotext(path).split('\n')
    # Lines that fill the width (long ones) and end inside a run of Han
    # characters continue their paragraph on the next line.
    widths = sorted(len(l) for l in txt if l.strip())
    full = widths[int(len(widths) * 0.9)] * 0.9 if widths else 0
    cand = []
    for a, b in zip(txt, txt[1:]):
        if len(a) < full:
            continue
        ma, mb = re.search('[%s]{3}$' % HANC, a.rstrip()), re.match('[%s]{3}' % HANC, b.lstrip())
        if ma and mb:
            cand.append(ma.group() + mb.group())
    cand = sorted(set(cand))
    rng.shuffle(cand)
    cand = cand[:25]
    tap(len(cand) >= 10, '%s: %d phrases across a line break' % (os.path.basename(path), len(cand)))
    missing = []
    for q in cand:
        p = search(ps, index, q, '-l', '--all')
        if path not in p.stdout.split():
            missing.append(q)
    tap(not missing, 'each phrase across a line break is found (%d/%d)' % (len(cand) - len(missing), len(cand)),
        'missing: %s' % ' '.join(missing))


def main():
    a = sys.argv[1:]
    if len(a) == 5 and a[0] == 'seeds':
        seeds_mode(*a[1:])
    elif len(a) == 4 and a[0] == 'wraps':
        wraps_mode(*a[1:])
    else:
        sys.stderr.write(__doc__)
        return 2
    print('1..%d' % TAP[0])
    return 0


if __name__ == '__main__':
    sys.exit(main())
