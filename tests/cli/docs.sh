#!/bin/bash
# docs.sh — the man page and the shell completions: the page renders without
# warnings and documents every long option the commands' --help prints; the
# bash completion loads and completes commands, options and option values;
# the zsh completion parses.  Needs groff (man-db for the man checks), bash,
# and optionally zsh and bash-completion (checks are skipped without them).
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PAGE=$ROOT/doc/polsearch.1
BASHCOMP=$ROOT/completion/polsearch.bash
ZSHCOMP=$ROOT/completion/_polsearch
BASH_COMPLETION_LIB=${BASH_COMPLETION_LIB:-/usr/share/bash-completion/bash_completion}

skip() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N # SKIP $*"; }
# sorted_words: the words of stdin, sorted, on one line.
sorted_words() { tr -s ' \n' '\n\n' | sed '/^$/d' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'; }

# The commands polsearch --help lists, and the long options of each.
commands=$("$POLSEARCH" --help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p')
check "polsearch --help lists commands" test -n "$commands"
# long_opts COMMAND: the long options COMMAND --help prints, one a line.
long_opts() { "$POLSEARCH" "$1" --help 2>/dev/null | grep -oE -- '--[a-z0-9][a-z0-9-]*' | sort -u; }

# --- the man page ------------------------------------------------------------
export MANPAGER=cat PAGER=cat MANWIDTH=80 MAN_DISABLE_SECCOMP=1
if command -v groff >/dev/null 2>&1; then
    # -Tutf8: the device man(1) uses on a terminal.  (The default -Tps has no
    # CJK glyphs and would report each Chinese character as missing.)
    LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$PAGE" >"$TMP/groff.out" 2>"$TMP/groff.err"
    check_eq "groff -man -Tutf8 -ww -z: exit 0" 0 "$?"
    check "groff -man -Tutf8 -ww -z: no warnings" test ! -s "$TMP/groff.err"
    [ -s "$TMP/groff.err" ] && sed 's/^/# /' "$TMP/groff.err" | head -20
else
    skip "groff not installed"
    skip "groff not installed"
fi

have_page=0
if command -v man >/dev/null 2>&1; then
    LC_ALL=C.UTF-8 man --warnings -l "$PAGE" >"$TMP/page.raw" 2>"$TMP/man.err"
    check_eq "man --warnings -l: exit 0" 0 "$?"
    check "man --warnings -l: no warnings" test ! -s "$TMP/man.err"
    [ -s "$TMP/man.err" ] && sed 's/^/# /' "$TMP/man.err" | head -20
    have_page=1
elif command -v groff >/dev/null 2>&1; then
    skip "man not installed (rendering with groff)"
    skip "man not installed (rendering with groff)"
    LC_ALL=C.UTF-8 groff -man -Tutf8 -P-cbou "$PAGE" >"$TMP/page.raw" 2>/dev/null
    have_page=1
else
    skip "neither man nor groff installed"
    skip "neither man nor groff installed"
fi

if [ "$have_page" = 1 ]; then
    # Plain text: no overstriking; hyphen and minus glyphs as ASCII '-';
    # a word broken after a hyphen at a line end joined again.
    sed -e 's/.\x08//g' -e 's/\xe2\x80\x90/-/g' -e 's/\xe2\x88\x92/-/g' "$TMP/page.raw" |
        sed -e ':a' -e '/[a-z]-$/{N;s/-\n *\([a-z]\)/-\1/;ba' -e '}' >"$TMP/page.txt"
    check "the page renders: NAME and SYNOPSIS" grep -q "^SYNOPSIS" "$TMP/page.txt"
    check "the page renders its Chinese examples" grep -q "polsearch search 专精特新" "$TMP/page.txt"
    for s in NAME DESCRIPTION COMMANDS "QUERY SYNTAX" "OUTPUT FORMATS" "EXIT STATUS" ENVIRONMENT \
             FILES "INTERRUPTED RUNS AND CONCURRENT USE" SECURITY EXAMPLES "SEE ALSO"; do
        check "the page has the section $s" grep -q "^$s\$" "$TMP/page.txt"
    done
    for v in POLSEARCH_INDEX NO_COLOR POLSEARCH_LEXICON; do
        check "the page documents \$$v" grep -qw "$v" "$TMP/page.txt"
    done
    for c in $commands help; do
        check "the page documents 'polsearch $c'" grep -q "polsearch $c" "$TMP/page.txt"
    done
    for c in $commands; do
        missing=
        for o in $(long_opts "$c"); do
            grep -qwF -- "$o" "$TMP/page.txt" || missing="$missing $o"
        done
        check_eq "the page mentions every long option of '$c --help'" "" "$missing"
    done
else
    skip "no man page renderer"
fi

# --- bash completion -----------------------------------------------------------
# bash_complete WITH_LIB WORD...: COMPREPLY (sorted, one line) for the command
# line WORD... with the cursor at the end of the last word.  WITH_LIB=1 loads
# bash-completion first.
bash_complete() {
    bash --norc --noprofile -c '
        if [ "$1" = 1 ]; then . "$3" || exit 3; fi
        . "$2" || exit 3
        shift 3
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _polsearch polsearch "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf "%s\n" "${COMPREPLY[@]}"' bash "$1" "$BASHCOMP" "$BASH_COMPLETION_LIB" "${@:2}" |
        sorted_words
}

bash --norc --noprofile -c '. "$1" && complete -p polsearch && declare -F _polsearch' \
    bash "$BASHCOMP" >"$TMP/bc.out" 2>"$TMP/bc.err"
check_eq "bash completion loads in bash --norc: exit 0" 0 "$?"
check "bash completion loads without messages" test ! -s "$TMP/bc.err"
[ -s "$TMP/bc.err" ] && sed 's/^/# /' "$TMP/bc.err" | head -10
check "bash completion registers _polsearch for polsearch" grep -q "complete -F _polsearch polsearch" "$TMP/bc.out"

for lib in 0 1; do
    if [ "$lib" = 1 ]; then
        if [ ! -r "$BASH_COMPLETION_LIB" ]; then
            for i in 1 2 3 4 5 6; do skip "bash-completion not installed"; done
            continue
        fi
        how="with bash-completion"
    else
        how="plain bash"
    fi
    check_eq "bash ($how): polsearch se<TAB> -> search serve" "search serve" "$(bash_complete $lib polsearch se)"
    check_eq "bash ($how): polsearch sea<TAB> -> search" "search" "$(bash_complete $lib polsearch sea)"
    r=$(bash_complete $lib polsearch search --co)
    check "bash ($how): polsearch search --co<TAB> offers --color and --count ($r)" \
        sh -c 'case " $1 " in *" --color "*" --count "*) exit 0;; *) exit 1;; esac' sh "$r"
    check_eq "bash ($how): polsearch terms --by <TAB> -> file format issuer region year" "file format issuer region year" \
        "$(bash_complete $lib polsearch terms --by '')"
    check_eq "bash ($how): polsearch search --color <TAB> -> always auto never" "always auto never" \
        "$(bash_complete $lib polsearch search --color '')"
    check "bash ($how): polsearch index --encoding <TAB> offers GB18030" \
        sh -c 'case " $1 " in *" GB18030 "*) exit 0;; *) exit 1;; esac' sh \
        "$(bash_complete $lib polsearch index --encoding '')"
done

for c in $commands; do
    offered=" $(bash_complete 0 polsearch "$c" --) "
    missing=
    for o in $(long_opts "$c"); do
        case $offered in *" $o "*) ;; *) missing="$missing $o" ;; esac
    done
    check_eq "bash completion offers every long option of '$c --help'" "" "$missing"
done

# --- zsh completion ------------------------------------------------------------
check "zsh completion starts with #compdef polsearch" grep -q '^#compdef polsearch' "$ZSHCOMP"
if command -v zsh >/dev/null 2>&1; then
    zsh -n "$ZSHCOMP" 2>"$TMP/zsh.err"
    check_eq "zsh -n completion/_polsearch: exit 0" 0 "$?"
    check "zsh -n completion/_polsearch: no messages" test ! -s "$TMP/zsh.err"
else
    skip "zsh not installed"
    skip "zsh not installed"
fi
for c in $commands; do
    missing=
    for o in $(long_opts "$c"); do
        grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" "$ZSHCOMP" || missing="$missing $o"
    done
    check_eq "zsh completion has every long option of '$c --help'" "" "$missing"
done
finish
