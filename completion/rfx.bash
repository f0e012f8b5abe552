# bash completion for rfx (installed as share/bash-completion/completions/rfx)
_rfx() {
    local cur prev cmd
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cmd=${COMP_WORDS[1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        # the commands rfx --help lists, so new ones complete too
        COMPREPLY=($(compgen -W "$(rfx --help 2>/dev/null | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p') --help" -- "$cur"))
        return
    fi
    # rfx db VERB: the verb comes first
    if [ "$cmd" = db ] && [ "$COMP_CWORD" -eq 2 ] && [[ $cur != -* ]]; then
        COMPREPLY=($(compgen -W "init migrate check copy" -- "$cur"))
        return
    fi
    case $prev in
        --format) COMPREPLY=($(compgen -W "text html sgml markdown pdf" -- "$cur")); return ;;
        --fail-on) COMPREPLY=($(compgen -W "note warning error" -- "$cur")); return ;;
        --disable) # lint rule ids and their groups, comma-separated
            local rules pre=""
            rules=$(rfx lint --list-rules 2>/dev/null | cut -d' ' -f1)
            rules="$rules $(printf '%s\n' $rules | cut -d- -f1 | sort -u)"
            [[ $cur == *,* ]] && pre=${cur%,*},
            COMPREPLY=($(compgen -P "$pre" -W "$rules" -- "${cur##*,}")); return ;;
        --status) COMPREPLY=($(compgen -W "unchanged modified added moved split merge" -- "$cur")); return ;;
        --form) [ "$cmd" = fetch ] && COMPREPLY=($(compgen -W "10-K 20-F 10-Q 40-F S-1 424B4 all" -- "$cur")) ||
                COMPREPLY=($(compgen -W "10-K 20-F 10-Q 40-F" -- "$cur")); return ;;
        --in|--out) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --previous|--token-file|--tls-cert|--tls-key) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --ticker|--cik|--quarter|--since|--until|--user-agent|--base-url|--rate|--retries|--timeout) return ;;
        --connect-timeout|--stall-timeout|--year|--top|--peers|--company|--category|--limit|--offset) return ;;
        --listen|--threads|--max-connections|--max-per-ip|--request-timeout|--max-result|--cache-mb) return ;;
        --ocr-lang|--ocr-dpi|--ocr-timeout|--max-pages|--max-pixels) return ;;
        --split) COMPREPLY=($(compgen -W "test train all" -- "$cur")); return ;;
        --primary-solver) COMPREPLY=($(compgen -W "lr cs svc l1lr" -- "$cur")); return ;;
        --wordlist) COMPREPLY=($(compgen -W "uncertainty= litigious= negative=" -- "$cur")); compopt -o nospace 2>/dev/null; return ;;
        -o|--model|--html|--eval|--dump|--db|--tickers) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --by) COMPREPLY=($(compgen -W "category year company form" -- "$cur")); return ;;
        -j|--jobs|--max-bytes|--max-memory|--max-depth|--c|--threshold|--min-df|--folds) return ;;
    esac
    if [[ $cur == -* ]]; then
        local opts
        opts=$(rfx "$cmd" --help 2>/dev/null | grep -oE -- '(^|[ ,])--?[a-z][a-z0-9-]*' | tr -d ' ,' | sort -u)
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _rfx rfx
