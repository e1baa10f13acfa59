#!/usr/bin/env python3
"""postings.py INDEX_DIR — how many postings (document-term pairs) each
source of index terms puts into a polsearch index (issue 25).

Reads every shard's term list with its term frequencies through
`xapian-delve -a -v` (Debian package xapian-tools) and sums the term
frequencies by kind of term: CJK bigrams, CJK unigrams of the common
characters (src/common-chars.inc, split by the characters' rank there),
other CJK unigrams (a run's last character), words, policy terms (K),
copy buckets (XC, XE), file-version terms (XF), format terms (XK),
reference terms (XR, XI), headings (XH), text chunks (XB) and the rest.
A posting is what costs Xapian's writer its time (~2 us each), so the
table says where the indexing time goes.
"""
import collections
import glob
import os
import re
import subprocess
import sys

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if len(sys.argv) != 2:
    sys.exit('usage: bench/postings.py INDEX_DIR')
# The common characters in rank order: the listing in the .inc's comment.
inc = open(os.path.join(top, 'src', 'common-chars.inc'), encoding='utf-8').read()
listing = ''.join(re.findall(r'^ \*   (\S+)$', inc, re.M))
rank = {ch: i for i, ch in enumerate(listing)}
BUCKETS = (100, 200, 400, 512, len(listing))


def is_cjk(ch):
    cp = ord(ch)
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF


def kind(term):
    if term[0].isupper():
        for p, name in (('XC', 'copy buckets (XC, XE)'), ('XE', 'copy buckets (XC, XE)'),
                        ('XF', 'file version (XF)'), ('XK', 'format (XK)'),
                        ('XR', 'references (XR*, XI*)'), ('XI', 'references (XR*, XI*)'),
                        ('XH', 'heading (XH)'), ('XB', 'text chunks (XB)'), ('K', 'policy terms (K)')):
            if term.startswith(p):
                return name
        return 'other prefixed (XD, XFILE, XT, ...)'
    n = len(term)
    if n == 2 and is_cjk(term[0]) and is_cjk(term[1]):
        return 'CJK bigrams'
    if n == 1 and is_cjk(term):
        r = rank.get(term)
        if r is None:
            return 'CJK unigrams, other characters (run ends)'
        lo = 0
        for b in BUCKETS:
            if r < b:
                return 'CJK unigrams, common characters of rank %d-%d' % (lo, b - 1)
            lo = b
    return 'words (Latin, digits, ...)'


postings = collections.Counter()
terms = collections.Counter()
docs = 0
for shard in sorted(glob.glob(os.path.join(sys.argv[1], 'shard*'))):
    out = subprocess.run(['xapian-delve', '-a', '-v', shard], capture_output=True, text=True,
                         check=True).stdout
    info = subprocess.run(['xapian-delve', shard], capture_output=True, text=True, check=True).stdout
    docs += int(re.search(r'number of documents = (\d+)', info).group(1))
    body = out.split(':', 1)[1].split()
    for t, f in zip(body[0::2], body[1::2]):
        k = kind(t)
        postings[k] += int(f)
        terms[k] += 1
total = sum(postings.values())
print('| source | terms | postings | share | per document |')
print('|---|---:|---:|---:|---:|')
for k, v in sorted(postings.items(), key=lambda kv: -kv[1]):
    print('| %s | %d | %d | %.1f%% | %.2f |' % (k, terms[k], v, 100.0 * v / total, v / docs))
print('| **all** | %d | %d | 100%% | %.2f |' % (sum(terms.values()), total, total / docs))
print('\n%d documents (paragraphs and file documents) in %s' % (docs, sys.argv[1]))
