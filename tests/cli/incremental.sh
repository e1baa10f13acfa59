#!/bin/bash
# incremental.sh — incremental, crash-safe, concurrent indexing; bad queries;
# damaged or foreign indexes.
. "$(dirname "$0")/lib.sh"

S0=000_af7ea0c36382d7b8; S1=001_a364a026ab62a3ac; S2=002_0a6a893f069894ce
S3=003_1f11e292ab1845fd; S4=004_135bf9ada3a6babd
rc_sane() { [ "$1" -ge 0 ] && [ "$1" -le 2 ]; }
summary() { sed -n '$p' "$1"; }
# stats_json DIR FIELD: one field of 'stats --json'.
stats_json() { "$POLSEARCH" stats -d "$1" --json | "$PY" -c "import json,sys; print(json.load(sys.stdin)['$2'])"; }

# --- incremental runs -------------------------------------------------------------
C=$TMP/corpus; IDX=$TMP/idx
cp -r "$SEEDS" "$C"
run_ps "$TMP/o" "$TMP/e" index -d "$IDX" "$C"
check_eq "first run: exit 0" 0 "$RC"
check "first run: 5 new" grep -q "5 files indexed (5 new, 0 changed), 0 unchanged, 0 removed" "$TMP/e"
c_before=$("$POLSEARCH" search -d "$IDX" -c 企业)

run_ps "$TMP/o" "$TMP/e" index -d "$IDX" "$C"
check_eq "nothing changed: exit 0" 0 "$RC"
check "nothing changed: 0 new, 0 changed, 5 unchanged" grep -q "0 files indexed (0 new, 0 changed), 5 unchanged, 0 removed" "$TMP/e"

sed -i 's/余姚市/修改后城市名/g' "$C/$S0.txt"
run_ps "$TMP/o" "$TMP/e" index -d "$IDX" "$C"
check "one file modified: 1 changed, 4 unchanged" grep -q "1 files indexed (0 new, 1 changed), 4 unchanged, 0 removed" "$TMP/e"
run_ps "$TMP/o" "$TMP/x" search -d "$IDX" -l 余姚市
check_eq "modified: the old text is gone (exit 1)" 1 "$RC"
run_ps "$TMP/o" "$TMP/x" search -d "$IDX" -l --all 修改后城市名
check_eq "modified: the new text is found in that file" "$C/$S0.txt" "$(cat "$TMP/o")"
# The old version is not deleted (no termlist) but superseded by a tombstone.
check "modified: stats counts the old version's paragraphs as superseded" \
    test "$(stats_json "$IDX" superseded)" -gt 0

rm "$C/$S1.txt"
run_ps "$TMP/o" "$TMP/e" index -d "$IDX" "$C"
check "one file deleted: 1 removed" grep -q "0 files indexed (0 new, 0 changed), 4 unchanged, 1 removed" "$TMP/e"
run_ps "$TMP/o" "$TMP/x" search -d "$IDX" -l 沈斌代表
check_eq "deleted: its text is gone (exit 1)" 1 "$RC"

printf '新增文件独有标记子丑寅\n' >"$C/new.txt"
run_ps "$TMP/o" "$TMP/e" index -d "$IDX" "$C"
check "one file added: 1 new" grep -q "1 files indexed (1 new, 0 changed), 4 unchanged, 0 removed" "$TMP/e"
run_ps "$TMP/o" "$TMP/x" search -d "$IDX" -l 新增文件独有标记子丑寅
check_eq "added: its text is found" "$C/new.txt" "$(cat "$TMP/o")"

mv "$C/$S2.txt" "$C/renamed.txt"
run_ps "$TMP/o" "$TMP/e" index -d "$IDX" "$C"
check_eq "rename: exit 0" 0 "$RC"
run_ps "$TMP/o" "$TMP/x" search -d "$IDX" -l --all 叶晓娜
check_eq "renamed: only the new path is found" "$C/renamed.txt" "$(cat "$TMP/o")"

touch "$C/$S3.txt"
run_ps "$TMP/o" "$TMP/e" index -d "$IDX" "$C"
check "touched, not changed: counted unchanged" grep -q "0 files indexed (0 new, 0 changed), 5 unchanged, 0 removed" "$TMP/e"
run_ps "$TMP/o" "$TMP/x" search -d "$IDX" -l --all 赵洁委员
check_eq "touched: still searchable" "$C/$S3.txt" "$(cat "$TMP/o")"

c_mid=$("$POLSEARCH" search -d "$IDX" -c 企业)
run_ps "$TMP/o" "$TMP/e" index -d "$IDX" --full "$C"
check "--full rebuilds: 5 new" grep -q "5 files indexed (5 new, 0 changed), 0 unchanged" "$TMP/e"
check_eq "--full: the same paragraphs as the incremental index (企业)" "$c_mid" "$("$POLSEARCH" search -d "$IDX" -c 企业)"
check_eq "--full: nothing superseded any more" 0 "$(stats_json "$IDX" superseded)"

# --- a multi-megabyte corpus with one unique marker per file -------------------------
BIG=$TMP/big; mkdir -p "$BIG"
# f000-f099: many short paragraphs (cheap; the first 20000-paragraph batch is
# committed after them); f100-f299: a whole seed each (the bulk of the bytes).
"$PY" - "$SEEDS" "$BIG" <<'PYEOF'
import os, sys
src, dst = sys.argv[1], sys.argv[2]
seeds = [open(os.path.join(src, f), encoding='utf-8').read() for f in sorted(os.listdir(src))]
D = '甲乙丙丁戊己庚辛壬癸'
short = ''.join('第%d条、本条款规定的补充事项按照有关规定执行。\n\n' % k for k in range(205))
for i in range(300):
    m = '标识码' + D[i // 100] + D[i // 10 % 10] + D[i % 10] + '终'
    body = short if i < 100 else seeds[i % 5]
    with open(os.path.join(dst, 'f%03d.txt' % i), 'w', encoding='utf-8') as f:
        f.write('本文件的唯一' + m + '在此。\n\n' + body)
PYEOF
check "big corpus: 300 files, > 3 MB" test "$(ls "$BIG" | wc -l)" -eq 300 -a "$(du -sk "$BIG" | cut -f1)" -gt 3000

# markers_ok IDX N: the first N files' markers are each found in exactly one
# paragraph of their own file, and nothing else matches.
markers_ok() {
    "$POLSEARCH" search -d "$1" --json --all 标识码 >"$TMP/mk.json" 2>/dev/null
    "$PY" - "$TMP/mk.json" "$2" <<'PYEOF'
import json, re, sys, collections
D = '甲乙丙丁戊己庚辛壬癸'
n = int(sys.argv[2])
seen = collections.Counter()
for line in open(sys.argv[1], encoding='utf-8'):
    o = json.loads(line)
    for m in re.findall('标识码([甲乙丙丁戊己庚辛壬癸]{3})终', o['text']):
        i = D.index(m[0]) * 100 + D.index(m[1]) * 10 + D.index(m[2])
        assert o['file'].endswith('f%03d.txt' % i), (m, o['file'])
        seen[i] += 1
bad = {i: seen[i] for i in range(n) if seen[i] != 1}
assert not bad and len(seen) == n, ('markers not found exactly once', dict(list(bad.items())[:10]), len(seen))
PYEOF
}
# count_ok IDX: -c agrees for the common marker and a few single markers
count_ok() {
    [ "$("$POLSEARCH" search -d "$1" -c 标识码 2>/dev/null)" = 300 ] || return 1
    for m in 甲甲甲 甲乙丙 乙戊己 丙癸癸; do
        [ "$("$POLSEARCH" search -d "$1" -c "标识码${m}终" 2>/dev/null)" = 1 ] || return 1
    done
}

# --- SIGKILL at several moments -----------------------------------------------------
K=$TMP/kidx
first=1
for t in 0.2 0.5 1 2; do
    "$POLSEARCH" index -d "$K" --full "$BIG" >/dev/null 2>"$TMP/ke" &
    pid=$!
    sleep "$t"
    kill -9 "$pid" 2>/dev/null
    wait "$pid"; krc=$?
    [ "$krc" -eq 137 ] || echo "# note: the run had finished (exit $krc) before the kill at $t s"
    run_ps "$TMP/o" "$TMP/e" search -d "$K" -c 标识码
    if [ "$RC" -le 1 ]; then
        check "SIGKILL at $t s: search opens the index and answers (exit $RC, count $(cat "$TMP/o"))" grep -qx '[0-9][0-9]*' "$TMP/o"
    else
        check "SIGKILL at $t s: search exit 2 only before the first commit, with a clean message" \
            test "$first" = 1 -a "$RC" -eq 2 -a "$(head -c 11 "$TMP/e")" = "polsearch: "
    fi
    if [ "$first" = 1 ]; then
        # two writers: a second run on the same index fails at once, naming the first
        "$POLSEARCH" index -d "$K" "$BIG" >/dev/null 2>"$TMP/w1e" &
        wpid=$!
        # wait until the first run holds the lock (it writes its pid there)
        for _ in $(seq 50); do grep -qx "$wpid" "$K/polsearch.lock" 2>/dev/null && break; sleep 0.1; done
        sleep 0.2
        start=$(date +%s)
        run_ps "$TMP/o" "$TMP/e" index -d "$K" "$BIG"
        check_eq "two writers: the second exits 2" 2 "$RC"
        check "two writers: at once (within 3 s)" test $(( $(date +%s) - start )) -le 3
        check "two writers: 'is being updated by another process (pid N)' with the first's pid" \
            grep -q "is being updated by another process (pid $wpid)" "$TMP/e"
        "$POLSEARCH" index -d "$K" --wait "$BIG" >/dev/null 2>"$TMP/w2e" &
        wpid2=$!
        wait "$wpid"; RC=$?
        check_eq "SIGKILL at $t s: the completing re-run exits 0" 0 "$RC"
        wait "$wpid2"; RC=$?
        check_eq "two writers: with --wait the second waits, then succeeds" 0 "$RC"
        check "two writers: the --wait run found everything done" grep -q "0 files indexed (0 new, 0 changed), 300 unchanged" "$TMP/w2e"
    elif [ "$t" = 0.5 ]; then
        # searches while the index is written
        "$POLSEARCH" index -d "$K" "$BIG" >/dev/null 2>"$TMP/w1e" &
        wpid=$!
        n=0; bad=0; during=0
        while [ "$n" -lt 60 ]; do
            "$POLSEARCH" search -d "$K" -c 标识码 >/dev/null 2>>"$TMP/loop_e"
            r=$?
            [ "$r" -le 1 ] || bad=$((bad + 1))
            kill -0 "$wpid" 2>/dev/null && during=$((during + 1))
            n=$((n + 1))
        done
        wait "$wpid"; RC=$?
        check_eq "SIGKILL at $t s: the completing re-run exits 0" 0 "$RC"
        check_eq "60 searches during an indexing run: none exits 2" 0 "$bad"
        [ "$during" -ge 20 ] || echo "# note: only $during of the searches ran while the index was being written"
        [ "$bad" -eq 0 ] || sed 's/^/# /' "$TMP/loop_e" | sort | uniq -c | head -5
    else
        run_ps "$TMP/o" "$TMP/e" index -d "$K" "$BIG"
        check_eq "SIGKILL at $t s: the completing re-run exits 0" 0 "$RC"
    fi
    check "SIGKILL at $t s, then a completing run: every marker found exactly once" markers_ok "$K" 300
    first=0
done
check "after the kills: -c agrees with the expected counts" count_ok "$K"

# A kill right after the first batch is committed (the batch is 20000 paragraphs).
K2=$TMP/kidx2   # a new index, so nothing old is mistaken for the first batch
"$POLSEARCH" index -d "$K2" "$BIG" >/dev/null 2>"$TMP/ke" &
pid=$!
files=0; waited=0
while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 3000 ]; do
    files=$("$POLSEARCH" search -d "$K2" -c 标识码 2>/dev/null); files=${files:-0}
    [ "$files" -gt 0 ] && break
    sleep 0.02; waited=$((waited + 1))
done
kill -9 "$pid" 2>/dev/null; wait "$pid"; krc=$?
check "SIGKILL after the first commit: the run was killed with part of the corpus committed" test "$krc" -eq 137 -a "${files:-0}" -gt 0 -a "${files:-0}" -lt 300
run_ps "$TMP/o" "$TMP/e" search -d "$K2" -c 标识码
cnt=$(cat "$TMP/o")
check "SIGKILL after the first commit: search answers (exit 0) with the committed files" test "$RC" -eq 0 -a "${cnt:-0}" -ge "${files:-1}"
check "SIGKILL after the first commit: committed markers are not duplicated" "$PY" -c '
import sys, subprocess, json, collections
out = subprocess.run([sys.argv[1], "search", "-d", sys.argv[2], "--json", "--all", "标识码"], capture_output=True, text=True).stdout
c = collections.Counter(json.loads(l)["file"] for l in out.splitlines())
assert c and max(c.values()) == 1, c.most_common(3)' "$POLSEARCH" "$K2"
run_ps "$TMP/o" "$TMP/e" index -d "$K2" "$BIG"
check_eq "SIGKILL after the first commit: the re-run exits 0" 0 "$RC"
check "SIGKILL after the first commit: the re-run keeps the committed files (some unchanged)" \
    grep -Eq "[1-9][0-9]* unchanged" "$TMP/e"
check "SIGKILL after the first commit, re-run: every marker found exactly once" markers_ok "$K2" 300

# --- SIGINT / SIGTERM ---------------------------------------------------------------------
# $BIG alone can be indexed in well under a second on a fast machine, so the
# signals go to runs over $BIG plus 900 marker-free copies of the seeds.
SIG=$TMP/sig; mkdir -p "$SIG"
ln "$BIG"/*.txt "$SIG"/
seed_files=("$SEEDS"/*.txt)
for i in $(seq 0 899); do
    cp "${seed_files[i % ${#seed_files[@]}]}" "$SIG/b$i.txt"
done
"$POLSEARCH" index -d "$K" --full "$SIG" >/dev/null 2>"$TMP/ie" &
pid=$!; sleep 0.5; kill -INT "$pid"; wait "$pid"; RC=$?
check_eq "SIGINT: exit 2" 2 "$RC"
check "SIGINT: a message mentioning 'interrupted'" grep -q "^polsearch: .*interrupted" "$TMP/ie"
# When it fails, what the run said instead (a TAP comment), so a failure seen only
# in CI under load can be diagnosed.
grep -q "^polsearch: .*interrupted" "$TMP/ie" || sed 's/^/# SIGINT run said: /' "$TMP/ie"
run_ps "$TMP/o" "$TMP/e" search -d "$K" -c 标识码
check "SIGINT: the index opens (search exit 0 or 1)" test "$RC" -le 1
"$POLSEARCH" index -d "$K" --full "$SIG" >/dev/null 2>"$TMP/te" &
pid=$!; sleep 0.5; kill -TERM "$pid"; wait "$pid"; RC=$?
check_eq "SIGTERM: exit 2" 2 "$RC"
check "SIGTERM: a message mentioning 'interrupted'" grep -q "^polsearch: .*interrupted" "$TMP/te"
# When it fails, what the run said instead (a TAP comment), so a failure seen only
# in CI under load can be diagnosed.
grep -q "^polsearch: .*interrupted" "$TMP/te" || sed 's/^/# SIGTERM run said: /' "$TMP/te"
run_ps "$TMP/o" "$TMP/e" search -d "$K" -c 标识码
check "SIGTERM: the index opens (search exit 0 or 1)" test "$RC" -le 1
run_ps "$TMP/o" "$TMP/e" index -d "$K" "$SIG"
check_eq "after SIGINT and SIGTERM: the next run completes (exit 0)" 0 "$RC"
check "after SIGINT and SIGTERM: every marker found exactly once" markers_ok "$K" 300

# SIGKILL of a run with worker processes (-j 2): the re-run must still complete.
BJ=$TMP/bigj; mkdir -p "$BJ"; cp "$BIG"/f0[0-9][0-9].txt "$BJ/"
"$POLSEARCH" index -d "$TMP/jidx" -j 2 "$BJ" >/dev/null 2>&1 &
pid=$!; sleep 0.5
kids=$(pgrep -P "$pid" 2>/dev/null | tr '\n' ' ')
kill -9 "$pid" 2>/dev/null; wait "$pid"
sleep 0.2
run_ps "$TMP/o" "$TMP/je" index -d "$TMP/jidx" "$BJ"
check_eq "SIGKILL of 'index -j 2': an immediate re-run exits 0" 0 "$RC"
[ "$RC" -eq 0 ] || sed 's/^/# /' "$TMP/je"
for k in $kids; do kill -9 "$k" 2>/dev/null; done          # workers left behind, if any
sleep 0.2
run_ps "$TMP/o" "$TMP/e" index -d "$TMP/jidx" "$BJ"
check_eq "SIGKILL of 'index -j 2': a later re-run exits 0" 0 "$RC"
check "SIGKILL of 'index -j 2', re-run: every marker found exactly once" markers_ok "$TMP/jidx" 100

# --- bad queries ----------------------------------------------------------------------------
LONGQ=$("$PY" -c 'print("专精特新" * 2500)')
MANYQ=$("$PY" -c '
import random
random.seed(7)
print(" ".join("".join(chr(random.randint(0x4e00, 0x9fa5)) for _ in range(2)) for _ in range(3333)))')
badq() {   # badq DESCRIPTION ALLOWED-STATUSES QUERY-ARGS...
    local d=$1 allowed=$2; shift 2
    timeout 10 "$POLSEARCH" search -d "$IDX" "$@" >"$TMP/qo" 2>"$TMP/qe"; local r=$?
    case " $allowed " in *" $r "*) ;; *) not_ok "bad query $d: exit status $r (allowed: $allowed)"; return;; esac
    if [ "$r" -eq 2 ] && ! grep -q '^polsearch: ' "$TMP/qe"; then
        not_ok "bad query $d: exit 2 without a 'polsearch:' message"; return
    fi
    ok "bad query $d: exit $r"
}
badq "empty ''" "1 2" ''
badq "only punctuation '，。'" "1 2" '，。'
badq "10,000 characters" "1 2" "$LONGQ"
badq "3,333 two-character terms" "1 2" $MANYQ
badq "unbalanced quote '\"专精特新'" "0 1 2" '"专精特新'
badq "lone OR" "1 2" OR
badq "lone NOT" "1 2" NOT
badq "only a negation '-专精特新'" "1 2" -- -专精特新
badq "invalid UTF-8" "1 2" "$(printf '\377\376')"
badq "invalid UTF-8 inside Chinese" "1 2" "专精$(printf '\377')特新"
badq "alias with many expansions 高企" "0" 高企
badq "alias with many expansions 小巨人" "0" 小巨人
timeout 10 "$POLSEARCH" search -d "$IDX" -c '"专精特新' >"$TMP/qo" 2>/dev/null
check_eq "unbalanced quote: searches the phrase as if closed" "$("$POLSEARCH" search -d "$IDX" -c 专精特新)" "$(cat "$TMP/qo")"

# --- damaged or foreign indexes -----------------------------------------------------------
D0=$TMP/good; "$POLSEARCH" index -q -d "$D0" "$SEEDS" 2>/dev/null
want=$("$POLSEARCH" search -d "$D0" -c 专精特新)
# damaged NAME: search and stats exit 2 (no signal) with a polsearch: message;
# $1 is a phrase the message must contain
damaged() {
    local name=$1 must=$2 dir=$TMP/dmg
    run_ps "$TMP/o" "$TMP/e" search -d "$dir" 专精特新
    check_eq "$name: search exits 2" 2 "$RC"
    check "$name: search says 'polsearch: ... $must'" grep -q "^polsearch: .*$must" "$TMP/e"
    run_ps "$TMP/o" "$TMP/e" stats -d "$dir"
    check_eq "$name: stats exits 2" 2 "$RC"
    check "$name: stats says 'polsearch: ... $must'" grep -q "^polsearch: .*$must" "$TMP/e"
}
repaired() {
    local name=$1 dir=$TMP/dmg
    run_ps "$TMP/o" "$TMP/e" index -d "$dir" --full "$SEEDS"
    check_eq "$name: 'index --full' repairs it (exit 0)" 0 "$RC"
    [ "$RC" -eq 0 ] || sed 's/^/# /' "$TMP/e"
    check_eq "$name: searchable again after --full" "$want" "$("$POLSEARCH" search -d "$dir" -c 专精特新 2>/dev/null)"
}
fresh() { rm -rf "$TMP/dmg"; cp -r "$D0" "$TMP/dmg"; }

rm -rf "$TMP/dmg"
damaged "missing index folder" "dmg"

rm -rf "$TMP/dmg"; mkdir -p "$TMP/dmg"; echo notes >"$TMP/dmg/notes.txt"; cp "$SEEDS/$S4.txt" "$TMP/dmg/"
damaged "a folder that is not an index" "not a polsearch index"
run_ps "$TMP/o" "$TMP/e" index -d "$TMP/dmg" --full "$SEEDS"
check "a folder that is not an index: even --full leaves it alone" test "$RC" -eq 2 -a -f "$TMP/dmg/notes.txt"

fresh; head -c 200 /dev/urandom >"$TMP/dmg/XAPIANDB"
damaged "garbage XAPIANDB" "index --full"
repaired "garbage XAPIANDB"

fresh; truncate -s 100 "$TMP/dmg/shard0/postlist.glass"
damaged "truncated postlist.glass" "index --full"
run_ps "$TMP/o" "$TMP/e" index -d "$TMP/dmg" "$SEEDS"
check "truncated postlist.glass: incremental index exits 2 (no signal)" test "$RC" -eq 2
check "truncated postlist.glass: incremental index says to use 'index --full'" grep -q "^polsearch: .*index --full" "$TMP/e"
repaired "truncated postlist.glass"

fresh; f=$TMP/dmg/text0/docdata.glass; head -c "$(stat -c %s "$f")" /dev/urandom >"$f"
damaged "text0/docdata.glass (the text chunks) overwritten with random bytes" "index --full"
repaired "text0/docdata.glass (the text chunks) overwritten with random bytes"

# One 4 KB block at a time overwritten with random bytes (the text chunks:
# every block; postlist: every 8th): no crash, and any error says to
# rebuild with --full.
crashes=""; nohint=""
for tab in text0/docdata shard0/postlist; do
    nb=$(( $(stat -c %s "$D0/$tab.glass") / 4096 ))
    step=1; [ "$tab" = shard0/postlist ] && step=8
    for ((b = 1; b < nb; b += step)); do
        fresh
        head -c 4096 /dev/urandom | dd of="$TMP/dmg/$tab.glass" bs=4096 seek="$b" conv=notrunc status=none
        for cmd in "search --json --all 的" "stats"; do
            timeout 10 "$POLSEARCH" $cmd -d "$TMP/dmg" >/dev/null 2>"$TMP/e"; r=$?
            rc_sane "$r" || crashes="$crashes $tab@$b:${cmd%% *}=$r"
            if [ "$r" -eq 2 ] && ! grep -q "^polsearch: .*index --full" "$TMP/e"; then
                nohint="$nohint $tab@$b:${cmd%% *}"
                [ -s "$TMP/nohint_msg" ] || head -1 "$TMP/e" >"$TMP/nohint_msg"
            fi
        done
    done
done
check_eq "damaged blocks: search and stats never crash or hang" "" "$crashes"
check_eq "damaged blocks: every error says to rebuild with 'index --full'" "" "$nohint"
[ -z "$nohint" ] || sed 's/^/# e.g. /' "$TMP/nohint_msg"
repaired "a damaged postlist block"
finish
