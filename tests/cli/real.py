#!/usr/bin/env python3
"""real.py — real producers' OFD files against a trusted extractor (TAP).

Usage: real.py POLSEARCH INDEX FILE...   (FILE already indexed in INDEX)

The trusted extractor reads each OFD's own TextCode text with zipfile and
xml.etree: OFD.xml -> DocRoot (a file, or a folder holding Document.xml) ->
each page's Content.xml; every glyph is placed on the page (TextCode X/Y,
DeltaX/DeltaY, the object's CTM and Boundary), the glyphs of a page are
grouped into lines (baselines within a third of the glyph size) and read top
to bottom, left to right.  Rotated glyphs (a CTM with rotation) are set apart
and read last, each run in its own order; text of annotations and seals is
not read (it is not in Content.xml).

Per file it prints the agreement (difflib ratio over the Han characters of
what polsearch indexed against the extractor's), the share of sampled
phrases (8 Han characters in a row inside one printed line) that polsearch finds in
that file, and the share of phrases across a printed line (the last 4 Han
characters of a full line and the first 4 of the next); it fails a file
under 98 %, 98 % and 90 %."""
import difflib
import math
import os
import posixpath
import random
import re
import subprocess
import sys
import zipfile
import xml.etree.ElementTree as ET

TAP = [0, 0]
HAN = re.compile(r'[\u3400-\u9fff\uf900-\ufaff]')
RUN = re.compile(r'[\u3400-\u9fff\uf900-\ufaff]+')
RUN_END = re.compile(r'[\u3400-\u9fff\uf900-\ufaff]{4}$')
RUN_START = re.compile(r'^[\u3400-\u9fff\uf900-\ufaff]{4}')


def tap(ok, what, detail='', limit=None):
    """One TAP line; a failing check of a file with a known limit (LIMITS)
    is a TODO (an expected failure, XFAIL), not a failure."""
    TAP[0] += 1
    todo = ' # TODO ' + limit if limit and not ok else ''
    print('%s %d - %s%s' % ('ok' if ok else 'not ok', TAP[0], what, todo))
    if not ok:
        TAP[1] += not todo
        for line in detail.splitlines():
            print('# ' + line)


def local(tag):
    return tag.rsplit('}', 1)[-1]


def kids(el, name):
    return [c for c in el if local(c.tag) == name]


def nums(s):
    out = []
    for t in re.split(r'[\s,]+', (s or '').strip()):
        try:
            out.append(float(t))
        except ValueError:
            pass
    return out


def deltas(s, n):
    """DeltaX/DeltaY "1 2 g 3 4" expanded to n advances (None: not given)."""
    out, toks, i = [], (s or '').split(), 0
    while i < len(toks) and len(out) < n:
        if toks[i] == 'g' and i + 2 < len(toks):
            out += [float(toks[i + 2])] * int(float(toks[i + 1]))
            i += 3
        else:
            try:
                out.append(float(toks[i]))
            except ValueError:
                pass
            i += 1
    return out[:n]


def part(z, base, ref):
    ref = ref.strip()
    p = ref.lstrip('/') if ref.startswith('/') else posixpath.normpath(posixpath.join(posixpath.dirname(base), ref))
    names = set(z.namelist())
    if p in names:
        return p
    for f in ('/Document.xml', '/Content.xml'):
        if p.rstrip('/') + f in names:
            return p.rstrip('/') + f
    low = {n.lower(): n for n in names}
    return low.get(p.lower(), p)


def glyphs_of_page(root):
    """(x, y, size, rotated, ch) for every glyph of a page's content."""
    out = []
    for obj in root.iter():
        if local(obj.tag) != 'TextObject':
            continue
        b = (nums(obj.get('Boundary')) + [0, 0, 0, 0])[:4]
        m = nums(obj.get('CTM'))
        if len(m) != 6:
            m = [1, 0, 0, 1, 0, 0]
        size = (nums(obj.get('Size')) or [3.5])[0]
        scale = math.sqrt(abs(m[0] * m[3] - m[1] * m[2])) or 1
        rotated = abs(m[1]) > 1e-6 * scale or abs(m[2]) > 1e-6 * scale
        x = y = 0.0
        for tc in kids(obj, 'TextCode'):
            x = (nums(tc.get('X')) or [x])[0]
            y = (nums(tc.get('Y')) or [y])[0]
            text = tc.text or ''
            dx = deltas(tc.get('DeltaX'), len(text) - 1)
            dy = deltas(tc.get('DeltaY'), len(text) - 1)
            for k, ch in enumerate(text):
                if k > 0:
                    x += dx[k - 1] if k - 1 < len(dx) else size
                    y += dy[k - 1] if k - 1 < len(dy) else 0
                px = m[0] * x + m[2] * y + m[4] + b[0]
                py = m[1] * x + m[3] * y + m[5] + b[1]
                out.append((px, py, size * scale, rotated, ch))
            x += size
    return out


def lines_of_page(gl):
    """Horizontal glyphs grouped into lines in reading order, then each
    rotated run: a list of (x0, x1, size, text)."""
    flat = sorted((g for g in gl if not g[3]), key=lambda g: (g[1], g[0]))
    lines, cur = [], []
    for g in flat:
        if cur and abs(g[1] - cur[-1][1]) > max(g[2], cur[-1][2]) / 3:
            lines.append(cur)
            cur = []
        cur.append(g)
    if cur:
        lines.append(cur)
    out = []
    for ln in lines:
        ln.sort(key=lambda g: g[0])
        out.append((ln[0][0], ln[-1][0] + ln[-1][2], ln[-1][2], ''.join(g[4] for g in ln)))
    rot = [g for g in gl if g[3]]
    if rot:
        out.append((0, 0, 1, ''.join(g[4] for g in rot)))
    return out


def extract(path):
    """The pages' lines of an OFD, by the trusted extractor."""
    z = zipfile.ZipFile(path)
    top = ET.fromstring(z.read('OFD.xml'))
    body = next(e for e in top.iter() if local(e.tag) == 'DocBody')
    docref = next(e for e in body if local(e.tag) == 'DocRoot').text
    docpath = part(z, 'OFD.xml', docref)
    doc = ET.fromstring(z.read(docpath))
    pages = []
    for pg in doc.iter():
        if local(pg.tag) != 'Page' or pg.get('BaseLoc') is None:
            continue
        root = ET.fromstring(z.read(part(z, docpath, pg.get('BaseLoc'))))
        pages.append(lines_of_page(glyphs_of_page(root)))
    return pages


def indexed(ps, index, path, chars):
    """The paragraphs polsearch holds for path, in order: every paragraph
    that has one of chars (queried as OR of single characters)."""
    paras = {}
    chars = sorted(chars)
    for i in range(0, len(chars), 150):
        q = ' OR '.join(chars[i:i + 150])
        r = subprocess.run([ps, 'search', '-d', index, '--no-expand', '--no-collapse', '--all',
                            '--file', path, '--format', '{paragraph}\t{text}\n', '--', q],
                           capture_output=True, text=True)
        for line in r.stdout.splitlines():
            n, _, t = line.partition('\t')
            if n.isdigit():
                paras[int(n)] = t
    return [paras[k] for k in sorted(paras)]


def found(ps, index, path, phrase):
    r = subprocess.run([ps, 'search', '-d', index, '--no-expand', '-l', '--all', '--file', path, '--', phrase],
                       capture_output=True, text=True)
    return path in r.stdout.split('\n')


def han(s):
    return ''.join(HAN.findall(s))


def limits_of(path):
    """The known limits file (NAME<TAB>reason lines, # comments) as a dict."""
    limits = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.strip() and not line.startswith('#'):
                k, _, why = line.rstrip('\n').partition('\t')
                limits[k] = why
    return limits


def main():
    ps, index, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    rng = random.Random(21)
    limits = limits_of(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'real', 'LIMITS'))
    for path in files:
        name = path.rsplit('/', 1)[-1]
        lim = limits.get(name)
        try:
            pages = extract(path)
        except Exception as e:  # the extractor cannot read it: say so
            tap(False, '%s: the trusted extractor reads it' % name, repr(e))
            continue
        ref = ''.join(han(t) for pg in pages for (_, _, _, t) in pg)
        if len(ref) < 20:
            TAP[0] += 1
            print('ok %d - %s # SKIP %d Han characters in its TextCode' % (TAP[0], name, len(ref)))
            continue
        got = han(''.join(indexed(ps, index, path, set(ref))))
        ratio = difflib.SequenceMatcher(None, ref, got, autojunk=False).ratio()
        inline, cross = [], []
        for pg in pages:
            body = [ln for ln in pg if ln[1] > ln[0]]
            right = max((ln[1] for ln in body), default=0)
            left = min((ln[0] for ln in body), default=0)
            for i, ln in enumerate(body):
                runs = RUN.findall(ln[3])
                h = han(ln[3])
                long_runs = [r for r in runs if len(r) >= 8]
                if long_runs:
                    r = rng.choice(long_runs)
                    j = rng.randrange(len(r) - 7)
                    inline.append(r[j:j + 8])
                if i + 1 < len(body):
                    nx = body[i + 1]
                    tail = RUN_END.search(ln[3])
                    head = RUN_START.match(nx[3])
                    # a full line, the next one close below, not indented
                    if (len(h) >= 10 and tail and head and right - ln[1] < 1.5 * ln[2]
                            and abs(nx[0] - left) < 0.5 * nx[2]):
                        cross.append(tail.group(0) + head.group(0))
        inline = rng.sample(inline, min(40, len(inline)))
        cross = rng.sample(cross, min(30, len(cross)))
        fi = [p for p in inline if not found(ps, index, path, p)]
        fc = [p for p in cross if not found(ps, index, path, p)]
        pi = 1 - len(fi) / len(inline) if inline else 1
        pc = 1 - len(fc) / len(cross) if cross else 1
        print('# %s: %d Han chars, agreement %.1f %%, phrases %.1f %% of %d, cross-line %.1f %% of %d'
              % (name, len(ref), 100 * ratio, 100 * pi, len(inline), 100 * pc, len(cross)))
        tap(ratio >= 0.98, '%s: agreement %.1f %% >= 98 %%' % (name, 100 * ratio),
            'extractor: %s\npolsearch: %s' % (ref[:200], got[:200]), lim)
        tap(pi >= 0.98, '%s: phrases %.1f %% >= 98 %%' % (name, 100 * pi), 'missed: ' + ' '.join(fi[:10]), lim)
        tap(pc >= 0.90, '%s: cross-line phrases %.1f %% >= 90 %%' % (name, 100 * pc), 'missed: ' + ' '.join(fc[:10]), lim)
    print('1..%d' % TAP[0])
    return 1 if TAP[1] else 0


if __name__ == '__main__':
    sys.exit(main())
