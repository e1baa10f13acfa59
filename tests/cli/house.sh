#!/bin/bash
# house.sh — the house rules a script checks (tools/check-house.py, issue 22):
# no function over 100 lines, no export without a user elsewhere, no xs_*
# call in a command file, no hand-written array growth, no JSON written by
# hand outside output.c.  First the checker
# is shown to find each kind of breach in a small made-up tree.
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
checker=$root/tools/check-house.py

# A tree with one breach of each kind, and one clean file.
mkdir -p "$TMP/src"
{
    echo '/* bad.c */'
    echo 'int unused_export(void)'
    echo '{'
    for i in $(seq 1 101); do echo "    x += $i;"; done
    echo '}'
    echo ''
    echo '/* grows. */'
    echo 'static int grow(struct l *l)'
    echo '{'
    echo '    size_t cap = l->cap ? l->cap * 2 : 64;'
    echo '    void *v = realloc(l->v, cap);'
    echo '    return v != 0;'
    echo '}'
} >"$TMP/src/bad.c"
printf '/* cmd_x.c */\nint used_export(void)\n{\n    return xs_db_open(0);\n}\n' >"$TMP/src/cmd_x.c"
printf '/* plan.c */\nstatic int g(void)\n{\n    return xs_enquire(0);\n}\n' >"$TMP/src/plan.c"
printf '/* user.c */\nstatic int f(void)\n{\n    return used_export(); /* "unused_export" in a comment is no use */\n}\n' >"$TMP/src/user.c"
# A function named only in a header macro's rows is used where the macro is
# (READER_FORMATS, ARRAY_EGROW); one in a macro nobody expands is not.
printf '/* rows.h */\n#define ROWS(X) \\\n    X(row_reader)\n#define OLD_ROWS(X) X(row_orphan)\n' >"$TMP/src/rows.h"
printf '/* rows.c */\nint row_reader(void)\n{\n    return 0;\n}\n\nint row_orphan(void)\n{\n    return 1;\n}\n' >"$TMP/src/rows.c"
printf '/* table.c */\n#define SLOT(f) f,\nstatic int (*t[])(void) = { ROWS(SLOT) };\n' >"$TMP/src/table.c"
# JSON written by hand (a key and its colon in a literal), beside HTML
# that only looks alike and a comment that names a key.
{
    echo '/* json.c: "{\"in_a_comment\":1}" */'
    echo 'static int put(FILE *fp, buf *b, int n)'
    echo '{'
    echo '    fprintf(fp, "{\"count\":%d}\n", n);'
    echo '    buf_printf(b, ",\"%s\":[", "spans");'
    echo '    return buf_puts(b, "<a href=\"x\">:</a>");'
    echo '}'
} >"$TMP/src/json.c"
"$PY" "$checker" "$TMP/src" >"$TMP/bad.out"; rc=$?
check_eq "the checker fails on a tree with breaches" 1 "$rc"
check "it finds the 101-line function" grep -q '^long: src/bad.c:3: unused_export: 101 lines$' "$TMP/bad.out"
check "it finds the export nobody uses" grep -q '^export: src/bad.c:3: unused_export is exported' "$TMP/bad.out"
check "a use in another file counts" sh -c "! grep -q 'used_export is exported' '$TMP/bad.out' || grep -q 'unused_export' '$TMP/bad.out'"
check "a function named in an expanded macro's rows counts as used" sh -c "! grep -q 'row_reader' '$TMP/bad.out'"
check "one named only in a macro nobody expands does not" grep -q '^export: src/rows.c:8: row_orphan is exported' "$TMP/bad.out"
check_eq "only those two exports are reported" 2 "$(grep -c '^export:' "$TMP/bad.out")"
check "it finds xs_ in a command file" grep -q '^xs: src/cmd_x.c:4: cmd_x.c calls xs_db_open$' "$TMP/bad.out"
check "it finds xs_enquire outside store.c" grep -q "^xs: src/plan.c:4: plan.c calls xs_enquire: use store_enquire" "$TMP/bad.out"
check_eq "it finds both lines of the hand-written growth" 2 "$(grep -c '^growth: src/bad.c' "$TMP/bad.out")"
check "it finds a JSON object written by hand" grep -q '^json: src/json.c:4: fprintf' "$TMP/bad.out"
check "it finds a JSON key written by hand" grep -q '^json: src/json.c:5: buf_printf' "$TMP/bad.out"
check_eq "HTML attributes and comments are no JSON" 2 "$(grep -c '^json:' "$TMP/bad.out")"

# The real tree.
"$PY" "$checker" "$root/src" >"$TMP/house.out"; rc=$?
for kind in long export xs growth json; do
    n=$(grep -c "^$kind:" "$TMP/house.out")
    check_eq "src/ has no $kind breach" 0 "$n"
    [ "$n" = 0 ] || grep "^$kind:" "$TMP/house.out" | head -20 | sed 's/^/# /'
done
check_eq "the checker passes src/" 0 "$rc"
finish
