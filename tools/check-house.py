#!/usr/bin/env python3
"""check-house.py [SRCDIR] — the house rules a script can check (doc/HACKING.md, issue 22).

Prints one line per breach, grouped under four headings, and exits 1 when
there is any (0 when there is none):

  long      a function whose body is over 100 lines: the lines between the
            `{` and the `}` that open and close it in column 0 (the house
            style), blank lines and comments included, as a reviewer
            scrolling through it counts them;
  export    a function defined without `static` in src/*.c that no other
            file of src/ names (the unit tests are not users: make it static);
  xs        an `xs_*` call in a command file (src/cmd_*.c), and an
            `xs_enquire` call outside store.c: every query runs through
            store_enquire, which keeps out the dead file versions;
  growth    a hand-written growth of an array: `realloc(` outside buf.c, or
            a doubling such as `cap ? cap * 2 : 64` (use buf_grow_array);
  json      a JSON member written by hand outside output.c: a string
            literal holding an escaped key and its colon (`"{\"count\":%d}"`,
            `",\"%s\":["`); output.h's json_* writers are the one JSON
            writer (the comma, the escaping, null and the literals).

A line that carries the comment `house: REASON` is not reported for
growth (a hash table rehashed into a new table is not an array grown) or json.
ALLOW below lists the breaches that are known and owned by someone else,
each with its reason: remove an entry once it is fixed.
"""
import os
import re
import sys

# (kind, file, name or None): known breaches in files this change may not edit.
ALLOW = {
}

# Functions exported only for the unit tests (tests/unit/) or the fuzz
# harnesses (tests/fuzz/): the one way a test counts as a user.
TEST_API = {
    "boiler_line_rule", "boiler_rule_count", "boiler_rule_name", "boiler_strip",
    "cite_resolve", "codebook_covers", "shingle_lsh_miss", "codebook_parse", "lex_add", "lex_add_except",
    "json_put_string", "norm_char_literal", "ocr_image_to", "ocr_is_image", "ocr_pdf_page", "out_json_append",
    "para_split", "plan_describe", "policy_default_path", "pq_phrase_find",
    "reader_format_by_name", "reader_image", "region_short", "store_block_entry",
    "store_file_key", "store_item_key", "store_loc_data", "store_remove_shards", "store_tier_scheme",
    "xs_doc_each_term", "xs_doc_get_value", "xs_mset_kept",
}

BODY_MAX = 100


def strip_comments_and_strings(text, strings=True):
    """The text with comments, and string and character literals unless not
    strings, blanked (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'" and strings:
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + c if j - i >= 2 else text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(code):
    """(name, static, first body line, last body line) for each function defined in code
    (comments and strings already blanked): a `{` in column 0 opens a body, the
    next `}` in column 0 closes it, and the name is the last identifier before
    the first `(` of the declarator above."""
    lines = code.split("\n")
    found = []
    i = 0
    while i < len(lines):
        if lines[i].startswith("{"):
            # the declarator: back up to the line after the previous blank/`;`/`}` line
            j = i - 1
            while j >= 0 and lines[j].strip() and not lines[j].rstrip().endswith((";", "}")) \
                    and not lines[j].startswith("#"):
                j -= 1
            decl = " ".join(lines[j + 1:i])
            k = i + 1
            while k < len(lines) and not lines[k].startswith("}"):
                k += 1
            m = re.search(r"([A-Za-z_]\w*)\s*\(", decl)
            if m and not re.match(r"\s*(struct|enum|union|typedef)\b", decl) and "=" not in decl.split("(")[0]:
                static = re.search(r"\bstatic\b", decl.split("(")[0]) is not None
                found.append((m.group(1), static, i + 2, k))
            i = k + 1
        else:
            i += 1
    return found


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
    names = sorted(f for f in os.listdir(src) if f.endswith((".c", ".cc", ".h")))
    code = {}
    for f in names:
        with open(os.path.join(src, f), encoding="utf-8", errors="replace") as fh:
            code[f] = strip_comments_and_strings(fh.read())
    raw = {}
    for f in names:
        with open(os.path.join(src, f), encoding="utf-8", errors="replace") as fh:
            raw[f] = fh.read().split("\n")
    breaches = {"long": [], "export": [], "xs": [], "growth": [], "json": []}
    with_strings = {}
    for f in names:
        with open(os.path.join(src, f), encoding="utf-8", errors="replace") as fh:
            with_strings[f] = strip_comments_and_strings(fh.read(), strings=False).split("\n")

    def report(kind, f, line, name, what):
        if (kind, f, name) in ALLOW or (kind, f, None) in ALLOW:
            return
        breaches[kind].append("src/%s:%d: %s" % (f, line, what))

    # A name in a string counts as a use (dlsym of the readers' table).
    words = {}
    for f in names:
        with open(os.path.join(src, f), encoding="utf-8", errors="replace") as fh:
            words[f] = set(re.findall(r"[A-Za-z_]\w*", strip_comments_and_strings(fh.read(), strings=False)))
    # A function a header's macro names is used where the macro is: the
    # call in ARRAY_EGROW, the readers in the rows of READER_FORMATS.
    # A macro named in another's body counts too (CLI_FILTER_OPTIONS expands
    # CLI_FILTER_, which names cli_filter_value).
    through_macro = {}
    for f in names:
        if f.endswith(".h"):
            for m in re.finditer(r"^#define\s+(\w+)\(((?:.*\\\n)*.*)", code[f], re.M):
                for word in set(re.findall(r"[A-Za-z_]\w*", m.group(2))):
                    through_macro.setdefault(word, set()).add(m.group(1))
    grown = True
    while grown:
        grown = False
        for word, macros in through_macro.items():
            more = set().union(*(through_macro.get(mac, set()) for mac in macros)) - macros
            if more:
                macros |= more
                grown = True
    for f in names:
        if f.endswith(".h"):
            continue
        for name, static, first, last in functions(code[f]):
            body = last - first + 1
            if body > BODY_MAX:
                report("long", f, first - 1, name, "%s: %d lines" % (name, body))
            if not static and f.endswith((".c", ".cc")) and name != "main":
                users = [g for g in names if g != f and not g.endswith(".h") and
                         (name in words[g] or words[g] & through_macro.get(name, set()))]
                if not users and name not in TEST_API:
                    report("export", f, first - 1, name, "%s is exported but no other file uses it" % name)
        if f.startswith("cmd_") and f.endswith(".c"):
            for n, line in enumerate(code[f].split("\n"), 1):
                for m in re.finditer(r"\b(xs_\w+)\s*\(", line):
                    report("xs", f, n, m.group(1), "%s calls %s" % (f, m.group(1)))
        if f not in ("store.c", "xapian-shim.cc"):
            for n, line in enumerate(code[f].split("\n"), 1):
                if re.search(r"\bxs_enquire\s*\(", line):
                    report("xs", f, n, "xs_enquire", "%s calls xs_enquire: use store_enquire (live documents only)" % f)
        if f != "buf.c":
            for n, line in enumerate(code[f].split("\n"), 1):
                if "house:" in raw[f][n - 1]:
                    continue
                if re.search(r"\brealloc\s*\(", line) or \
                        re.search(r"\?\s*(\w+(->|\.))*\w+\s*\*\s*2\s*:|\?\s*2\s*\*\s*(\w+(->|\.))*\w+\s*:", line):
                    report("growth", f, n, None, raw[f][n - 1].strip())
        if f != "output.c" and f.endswith((".c", ".cc")):
            for n, line in enumerate(with_strings[f], 1):
                if "house:" not in raw[f][n - 1] and re.search(r'\\"[A-Za-z_%][\w%]*\\"\s*:', line):
                    report("json", f, n, None, raw[f][n - 1].strip())
    total = 0
    for kind in ("long", "export", "xs", "growth", "json"):
        for b in breaches[kind]:
            print("%s: %s" % (kind, b))
        total += len(breaches[kind])
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
