#!/usr/bin/env python3
"""similar_oracle.py DIR MIN [--with-copies] — the near-copy pairs of the
fixtures in DIR by brute force, for tests/cli/similar.sh to compare with
`polsearch similar --pairs --csv`.

Independent of polsearch's code: each non-blank line of a fixture is a
paragraph (the fixtures are written so: a blank line after each), numbered
from 1; its date is the 发布日期 line's, its issuer the last line.  A
paragraph's shingles are the distinct runs of 3 code points of its text
normalised as normalize.h says for these fixtures (full-width ASCII to
ASCII, U+3000 to a space, Latin capitals to small letters, curly double
quotes to ", curly single quotes to ', zero-width characters dropped; the
fixtures hold no traditional characters), white space left out.  Every
pair of paragraphs in different files, both of at least 16 shingles, of
Jaccard similarity >= MIN is printed, texts equal after normalisation
left out unless --with-copies; the earlier date first, else the first
path.  Output: one line per pair, SIM<TAB>FILE1<TAB>PARA1<TAB>FILE2<TAB>PARA2,
sorted by similarity (highest first), then FILE1, PARA1, FILE2, PARA2.
Also `--paras`: FILE<TAB>PARA<TAB>TEXT for every paragraph."""
import os
import re
import sys

MIN_SHINGLES = 16


def norm(text):
    out = []
    for ch in text:
        c = ord(ch)
        if 0xFF01 <= c <= 0xFF5E:
            ch = chr(c - 0xFEE0)
        elif c == 0x3000:
            ch = " "
        elif ch in "\u201c\u201d\u201e\u201f\u301d\u301e":
            ch = '"'
        elif ch in "\u2018\u2019":
            ch = "'"
        elif c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD):
            continue
        if "A" <= ch <= "Z":
            ch = ch.lower()
        out.append(ch)
    return "".join(out)


def shingles(text):
    t = "".join(ch for ch in norm(text) if not ch.isspace())
    if 0 < len(t) < 3:
        return {t}
    return {t[i:i + 3] for i in range(len(t) - 2)}


def read_dir(d):
    paras = []   # (file, number, text, date)
    for name in sorted(os.listdir(d)):
        path = os.path.join(d, name)
        lines = [l.strip("\r\n") for l in open(path, encoding="utf-8")]
        lines = [l for l in lines if l.strip()]
        date = ""
        for l in lines:
            m = re.match(r"发布日期：(\d{4}-\d\d-\d\d)", l)
            if m:
                date = m.group(1)
        for i, l in enumerate(lines, 1):
            paras.append((path, i, l, date))
    return paras


def main():
    d = sys.argv[1]
    paras = read_dir(d)
    if sys.argv[2] == "--paras":
        for f, n, t, _ in paras:
            print(f"{f}\t{n}\t{t}")
        return
    lo = float(sys.argv[2])
    copies = "--with-copies" in sys.argv[3:]
    sets = [shingles(p[2]) for p in paras]
    keys = ["".join(norm(p[2]).split()) for p in paras]
    out = []
    for i in range(len(paras)):
        for j in range(i + 1, len(paras)):
            a, b = paras[i], paras[j]
            if a[0] == b[0] or len(sets[i]) < MIN_SHINGLES or len(sets[j]) < MIN_SHINGLES:
                continue
            if keys[i] == keys[j] and not copies:
                continue
            s = len(sets[i] & sets[j]) / len(sets[i] | sets[j])
            if s < lo:
                continue
            if a[3] and b[3] and a[3] != b[3]:
                first = a[3] < b[3]
            elif bool(a[3]) != bool(b[3]):
                first = bool(a[3])
            else:
                first = (a[0], a[1]) < (b[0], b[1])
            x, y = (a, b) if first else (b, a)
            out.append((s, x[0], x[1], y[0], y[1]))
    out.sort(key=lambda r: (-r[0], r[1], r[2], r[3], r[4]))
    for r in out:
        print(f"{r[0]:.9f}\t{r[1]}\t{r[2]}\t{r[3]}\t{r[4]}")


main()
