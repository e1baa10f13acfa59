#!/usr/bin/env python3
"""word_oracle.py — the exact-phrase oracle (oracle.py) over Word files made
from the seeds.

The index holds, for each seed NAME.txt, files NAME.docx, NAME.doc and
NAME.wps that LibreOffice made of it (tests/fixtures/word/).  For a
deterministic sample of substrings of the seed texts (1 to 12 Han
characters from within lines, as oracle.py samples them) and the policy
terms, `polsearch search -l --all` must return exactly the converted files
of the seeds whose text (line by line, after full-width folding) holds the
phrase, and every --json result must show the phrase at each reported
offset.  Site-furniture lines are dropped from every format's text (a
document printed from a web page carries them too), so, as in oracle.py,
the seeds' furniture lines do not count.  Prints one
"ok - WHAT" or "not ok - WHAT" line a check (and "# " notes): the caller
numbers them into its TAP stream.

usage: word_oracle.py POLSEARCH INDEX SEEDS_DIR WORD_DIR EXT...
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle import fold, furniture, phrase_check, sample_phrases  # noqa: E402


def main():
    ps, index, seeds, word = sys.argv[1:5]
    exts = sys.argv[5:]
    names = sorted(f[:-4] for f in os.listdir(seeds) if f.endswith('.txt'))
    lines = {n: [fold(l) for l in open(os.path.join(seeds, n + '.txt'), encoding='utf-8').read().split('\n')
                 if not furniture(l)]
             for n in names}
    samples = sample_phrases((lines[n] for n in names), random.Random(20261129), 120)
    samples += ['量子纠缠计算机']

    for q in samples:
        expect = sorted(os.path.join(word, n + '.' + e) for n in names
                        if any(q in l for l in lines[n]) for e in exts)
        ok, detail, got, p = phrase_check(ps, index, q, expect)
        if ok:
            print('ok - word oracle: %s: %d files' % (q, len(expect)))
        else:
            print('not ok - word oracle: %s%s' % (q, detail))
            print('# expected %s (rc %d)' % ([os.path.basename(f) for f in expect], 0 if expect else 1))
            print('# got      %s (rc %d) %s' % ([os.path.basename(f) for f in got], p.returncode,
                                                 p.stderr.strip()))
    return 0


if __name__ == '__main__':
    sys.exit(main())
