# bash completion for polsearch(1)                          -*- shell-script -*-
#
# Install as $(datadir)/bash-completion/completions/polsearch (the name of
# the command, for bash-completion's on-demand loading), or source it from
# ~/.bashrc.  Works with bash-completion's helpers when they are loaded and
# without them otherwise (bash >= 4).

_polsearch_commands="index search query stats terms refs code cooc similar export compact serve web help"

# _polsearch_opts COMMAND: the options of COMMAND, one string.
_polsearch_opts()
{
    case $1 in
        index)
            echo "-d --index --terms --full --no-compact --servable -j --jobs --wait --encoding
                  --max-file-size --ocr --follow --hidden --include --exclude
                  -q --quiet -v --verbose --help" ;;
        search|query)
            echo "-d --index -n --max-count --all --json --tsv --csv --excel
                  --format --kwic --kwic= -l --files --files-with-matches
                  -0 --null -c --count --color --colour --year --since
                  --until --issuer --file --type --cites --region --timeout --allow-partial --terms
                  --no-expand --no-fold --no-boost --explain --no-collapse
                  --similar-to --similar-min --help" ;;
        stats)   echo "-d --index --json --manifest --terms --csv --no-bom --help" ;;
        terms)   echo "-d --index --by -n --json --csv --tsv --wide --lexicon --terms --help" ;;
        refs)    echo "-d --index --to --graph --dot --json --graphml --gexf --net --color --colour --help" ;;
        cooc)    echo "-d --index --by-paragraph --by-document --min --csv --tsv --json --graphml --gexf --net
                       --lexicon --terms --year --since --until --issuer --region --type --file --no-expand --help" ;;
        code)    echo "-d --index --by --tsv --csv --json --terms --help" ;;
        similar) echo "-d --index -n --max-count --min --pairs --with-copies --json --tsv --csv
                       --color --colour --help" ;;
        export)  echo "-d --index --csv --no-bom --jsonl --year --since --until --issuer --file
                  --type --cites --region --terms --no-expand --no-fold --help" ;;
        compact) echo "-d --index --wait --help" ;;
        serve)   echo "-d --index -p --port --listen --timeout --help" ;;
        web)     echo "-d --index -p --port --listen --open --time-limit --threads --help" ;;
        help)    ;;
        *)       echo "--help --version -h -V" ;;
    esac
}

# _polsearch_reply KIND WORD: fill COMPREPLY with directories (dirs), files
# and directories (files) or the words of a list (anything else) that
# start with WORD.
_polsearch_reply()
{
    local kind=$1 word=$2
    case $kind in
        dirs)
            if declare -F _filedir >/dev/null 2>&1; then
                cur=$word _filedir -d
            else
                compopt -o filenames 2>/dev/null
                mapfile -t COMPREPLY < <(compgen -d -- "$word")
            fi ;;
        files)
            if declare -F _filedir >/dev/null 2>&1; then
                cur=$word _filedir
            else
                compopt -o filenames 2>/dev/null
                mapfile -t COMPREPLY < <(compgen -f -- "$word")
            fi ;;
        *)
            mapfile -t COMPREPLY < <(compgen -W "$kind" -- "$word") ;;
    esac
}

_polsearch()
{
    local cur prev words cword split=false
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion -s || return
    else
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=
        ((cword > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
        # '=' is in COMP_WORDBREAKS: "--color=al" arrives as "--color" "=" "al".
        if [[ $cur == = ]] && ((cword > 1)); then
            cur=
            split=true
        elif [[ $prev == = ]] && ((cword > 1)); then
            prev=${COMP_WORDS[COMP_CWORD - 2]}
            split=true
        fi
    fi
    # "--opt=value" in one word (when '=' is not a word break).
    local prefix=
    if [[ $cur == --*=* ]]; then
        prev=${cur%%=*}
        prefix=$prev=
        cur=${cur#*=}
        split=true
    fi

    # The command is the first word after "polsearch".
    if ((cword <= 1)); then
        if [[ $cur == -* ]]; then
            _polsearch_reply "$(_polsearch_opts)" "$cur"
        else
            _polsearch_reply "$_polsearch_commands" "$cur"
        fi
        return 0
    fi
    local cmd=${words[1]}

    # The value of an option.
    local kind=none
    case $cmd:$prev in
        *:-d|*:--index)                     kind=dirs ;;
        index:--terms|search:--terms|query:--terms|terms:--terms)
                                            kind=files ;;
        index:--encoding)                   kind="UTF-8 GB18030 GBK BIG5 UTF-16LE UTF-16BE" ;;
        index:-j|index:--jobs|index:--max-file-size|index:--include|index:--exclude)
                                            kind=value ;;
        search:--color|search:--colour|query:--color|query:--colour|refs:--color|refs:--colour)
                                            kind="auto always never" ;;
        search:-n|search:--max-count|search:--format|search:--year|search:--since|\
        search:--until|search:--issuer|search:--file|search:--timeout|search:--cites|search:--region|\
        query:-n|query:--max-count|query:--format|query:--year|query:--since|\
        query:--until|query:--issuer|query:--file|query:--timeout|query:--cites|query:--region|\
        search:--kwic|query:--kwic)
                                            kind=value ;;
        terms:--by)                         kind="file issuer year region format" ;;
        code:--by)                          kind="file year issuer region" ;;
        code:--terms|export:--terms)        kind=files ;;
        export:--year|export:--since|export:--until|export:--issuer|export:--file|\
        export:--cites|export:--region)     kind=value ;;
        export:--type)                      kind="pdf docx doc ofd html text image" ;;
        search:--type|query:--type)         kind="pdf docx doc ofd html text image" ;;
        terms:-n)                           kind=value ;;
        refs:--to)                          kind=files ;;
        serve:-p|serve:--port|serve:--listen|serve:--timeout|web:-p|web:--port|web:--listen|web:--time-limit|web:--threads)
                                            kind=value ;;
    esac
    # --kwic takes its value only as --kwic=N.
    if [[ $prev == --kwic ]] && ! $split; then
        kind=none
    fi
    case $kind in
        value)
            COMPREPLY=()
            return 0 ;;
        none) ;;
        *)
            _polsearch_reply "$kind" "$cur"
            if [[ -n $prefix ]]; then
                COMPREPLY=("${COMPREPLY[@]/#/$prefix}")
            fi
            return 0 ;;
    esac
    $split && { COMPREPLY=(); return 0; }

    if [[ $cur == -* ]]; then
        _polsearch_reply "$(_polsearch_opts "$cmd")" "$cur"
        # Options that take a value as --opt=VALUE need no space after '='.
        if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]]; then
            compopt -o nospace 2>/dev/null
        fi
        return 0
    fi
    case $cmd in
        index|refs) _polsearch_reply files "$cur" ;;
        help)
            if ((cword == 2)); then
                _polsearch_reply "$_polsearch_commands" "$cur"
            fi ;;
        *) COMPREPLY=() ;;
    esac
    return 0
} &&
complete -F _polsearch polsearch

# ex: filetype=sh
