#!/usr/bin/env python3
"""ocr-accuracy.py — character accuracy of OCR output against the seed text.

    python3 bench/ocr-accuracy.py SEED.txt OCR.txt

Both texts are reduced to their Han characters (U+3400..U+9FFF; punctuation,
digits, Latin and spaces dropped: they are what layout and normalisation
handle) and compared with difflib: ratio = 2*matches/(len(a)+len(b)), and
recall = matched seed characters / seed characters.  Also counts how many of
20 evenly spaced 6-character phrases of the seed occur in the OCR text
(the issue's acceptance test wants at least 8 of 10).  Only the part of the
seed that the OCR'd pages cover is used when --pages-prefix is given
(the OCR text's length in Han characters bounds the seed prefix)."""
import difflib
import sys


def han(s):
    return "".join(c for c in s if "\u3400" <= c <= "\u9fff")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    prefix = "--pages-prefix" in sys.argv
    seed = han(open(args[0], encoding="utf-8").read())
    ocr = han(open(args[1], encoding="utf-8").read())
    if prefix:
        seed = seed[: int(len(ocr) * 1.02) + 10]
    sm = difflib.SequenceMatcher(None, seed, ocr, autojunk=False)
    matched = sum(b.size for b in sm.get_matching_blocks())
    n = 20
    step = max(1, (len(seed) - 6) // n)
    phrases = [seed[i : i + 6] for i in range(0, len(seed) - 6, step)][:n]
    found = sum(1 for p in phrases if p in ocr)
    print(f"seed {len(seed)} Han chars, OCR {len(ocr)}; ratio {sm.ratio():.3f}; "
          f"recall {matched / max(1, len(seed)):.3f}; 6-char phrases found {found}/{len(phrases)}")


main()
