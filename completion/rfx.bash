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
    case $prev in
        --format) COMPREPLY=($(compgen -W "text html sgml pdf" -- "$cur")); return ;;
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
