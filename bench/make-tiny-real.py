#!/usr/bin/env python3
"""make-tiny-real.py — the tiny-paragraphs shape from real short lines, for
bench/shapes.sh (shape tiny_real; issue 21).

usage: make-tiny-real.py CORPUS_DIR OUT_DIR MB

Writes OUT_DIR/tiny_real.txt: the distinct lines of 14 to 30 characters (the tiny shape's are 23.6, counter included) of
the corpus's .txt files (names sorted, each file's lines in order: table
of contents entries, list items, verse, option names), each one a paragraph
(a blank line between), until MB megabytes.  It is the check on
make-shapes.py's 'tiny' shape, whose every paragraph ends in a counter of
its own (a term no other paragraph has): real short lines repeat their
numbers and words.  Output is deterministic for a given corpus."""
import os
import sys


def main():
    corpus, out, mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
    limit = int(mb * 1048576)
    seen, parts, size = set(), [], 0
    for name in sorted(os.listdir(corpus)):
        if not name.endswith('.txt') or size >= limit:
            continue
        with open(os.path.join(corpus, name), encoding='utf-8', errors='replace') as f:
            for line in f:
                s = line.strip()
                if 14 <= len(s) <= 30 and s not in seen:
                    seen.add(s)
                    parts.append(s)
                    size += len(s.encode('utf-8')) + 2
                    if size >= limit:
                        break
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, 'tiny_real.txt'), 'w', encoding='utf-8') as f:
        f.write('\n\n'.join(parts) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
