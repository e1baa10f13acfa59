#!/usr/bin/env python3
"""ocr.py — the OCR oracle of ocr.sh.

  ocr.py POLSEARCH INDEX SEED ORIGINAL.pdf TARGET PAGES N

Samples N 6-character phrases of Han characters from the seed text, evenly
spaced, among those that pdftotext shows (white space removed) on exactly
one of the original PDF's pages listed in PAGES (comma-separated), and
searches each in INDEX.  A phrase counts as found when a --json result of
file TARGET has that page and "ocr": true.  Prints one '# ' line per
phrase and last a line 'FOUND K OF N'."""
import json
import re
import subprocess
import sys


def page_text(pdf, page):
    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-enc", "UTF-8", pdf, "-"],
                         capture_output=True, check=True).stdout.decode("utf-8", "replace")
    return re.sub(r"\s+", "", out)


def main():
    polsearch, index, seed, pdf, target, pages, n = sys.argv[1:8]
    pages = [int(p) for p in pages.split(",")]
    n = int(n)
    texts = {p: page_text(pdf, p) for p in pages}
    seed_text = open(seed, encoding="utf-8").read()
    cands = []
    for run in re.findall(r"[\u4e00-\u9fff]{6,}", seed_text):
        for i in range(0, len(run) - 5, 6):
            ph = run[i:i + 6]
            on = [p for p in pages if ph in texts[p]]
            if len(on) == 1 and seed_text.count(ph) == 1:
                cands.append((ph, on[0]))
    if len(cands) < n:
        print("# only %d candidate phrases" % len(cands))
        n = len(cands)
    picks = [cands[(2 * k + 1) * len(cands) // (2 * n)] for k in range(n)]
    found = 0
    for ph, page in picks:
        r = subprocess.run([polsearch, "search", "-d", index, "--json", "-n", "100", ph],
                           capture_output=True)
        hits = [json.loads(l) for l in r.stdout.decode("utf-8").splitlines() if l.startswith("{")]
        mine = [h for h in hits if h.get("file") == target]
        good = any(h.get("page") == page and h.get("ocr") is True for h in mine)
        found += good
        print("# %s page %d: %s%s" % (ph, page, "found" if good else "NOT found",
              "" if good else " (results of the file: %s)" % [(h.get("page"), h.get("ocr")) for h in mine]))
    print("FOUND %d OF %d" % (found, n))


if __name__ == "__main__":
    main()
