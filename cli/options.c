/*
 * options.c — option helpers every subcommand shares: the nearest known
 * option for a typo, and --wordlist NAME=FILE.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* Optimal string alignment distance (an adjacent swap costs 1), capped
 * at 64 characters: options are short. */
static size_t edit_distance(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    if (na > 64 || nb > 64) return (size_t)-1;
    size_t d[65][65];
    for (size_t i = 0; i <= na; i++) d[i][0] = i;
    for (size_t j = 0; j <= nb; j++) d[0][j] = j;
    for (size_t i = 1; i <= na; i++)
        for (size_t j = 1; j <= nb; j++) {
            size_t c = a[i - 1] == b[j - 1] ? 0 : 1, v = d[i - 1][j - 1] + c;
            if (d[i - 1][j] + 1 < v) v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[na][nb];
}

const char *cli_nearest(const char *word, const char *const *known) {
    const char *best = NULL;
    size_t bd = (size_t)-1;
    for (size_t i = 0; known && known[i]; i++) {
        size_t dd = edit_distance(word, known[i]);
        if (dd < bd) { bd = dd; best = known[i]; }
    }
    /* close enough to be a typo: at most 2 edits, or a third of a long name */
    size_t len = strlen(word), limit = len > 9 ? len / 3 : 2;
    return best && bd > 0 && bd <= limit ? best : NULL;
}

int cli_unknown_option(const char *cmd, const char *arg, const char *const *known) {
    /* "--model=FILE" style: compare the name part only */
    char name[80];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(arg, "="), arg);
    const char *best = cli_nearest(name, known);
    if (best)
        return cli_fail(RFX_EUSAGE, "%s: unknown option '%s' (did you mean %s?)", cmd, arg, best);
    return cli_fail(RFX_EUSAGE, "%s: unknown option '%s' (see rfx %s --help)", cmd, arg, cmd);
}

int cli_wordlist_option(const char *cmd, const char *arg, rfx_wordlists **wl, rfx_options *opt) {
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return cli_fail(RFX_EUSAGE, "%s: --wordlist takes NAME=FILE (NAME: uncertainty, litigious, negative)", cmd);
    char name[32];
    if ((size_t)(eq - arg) >= sizeof name)
        return cli_fail(RFX_EUSAGE, "%s: --wordlist: unknown list '%.*s' (uncertainty, litigious, negative)", cmd,
                        (int)(eq - arg), arg);
    memcpy(name, arg, (size_t)(eq - arg));
    name[eq - arg] = 0;
    if (!*wl && !(*wl = rfx_wordlists_new())) return cli_fail(RFX_ENOMEM, "out of memory");
    rfx_error err;
    rfx_status st = rfx_wordlists_load(*wl, name, eq + 1, &err);
    if (st != RFX_OK) return cli_fail(st, "%s: --wordlist: %s", cmd, err.message);
    rfx_options_use_wordlists(opt, *wl);
    return 0;
}
