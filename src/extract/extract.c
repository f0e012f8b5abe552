/*
 * extract.c — the extract stage's driver: for every risk, scan its heading
 * and body for facts; across all risks, collect the document's entities.
 *
 * The scan visits each byte once. At the start of a token it asks the
 * recognisers in a fixed order — fiscal period and "as of" phrases, dates,
 * money, percentages, counts — and resumes after whichever matched; a token
 * nobody wants is skipped whole, so a recogniser never starts inside a word
 * ("IPv6" is no count, "FX26" no yen). Order matters: a year inside "fiscal
 * year ended March 31, 2013" belongs to the period, a number followed by a
 * currency to the money, and only what is left can be a count.
 *
 * Facts carry source offsets through the text's offset map, so "\$6
 * million" in the source (normalised to "$6 million") spans the backslash
 * too.
 */
#include "extract_int.h"

#include <stdlib.h>
#include <string.h>

/* A hostile body with millions of numbers must not grow the register without
 * bound; real risk factors state a few dozen facts. */
#define MAX_FACTS_PER_RISK 20000

static size_t skip_token(const char *s, size_t n, size_t i) {
    unsigned char c = (unsigned char)s[i];
    if (x_isdigit(c)) {
        xnum t;
        size_t e = x_lex_number(s, n, i, &t);
        i = e > i ? e : i + 1;
        while (i < n && x_isalnum((unsigned char)s[i])) i++;
        return i;
    }
    if (x_word_at(s, n, i)) {
        while (i < n && x_word_at(s, n, i)) {
            if ((unsigned char)s[i] < 0x80) i++;
            else {
                int32_t cp;
                i += (size_t)rfx_utf8_decode((const unsigned char *)s + i, n - i, &cp);
            }
        }
        return i;
    }
    if (c >= 0x80) {
        int32_t cp;
        return i + (size_t)rfx_utf8_decode((const unsigned char *)s + i, n - i, &cp);
    }
    return i + 1;
}

static void scan_items(xscan *x) {
    const char *s = x->s;
    size_t n = x->n;
    for (size_t i = 0; i < n && !x->oom;) {
        unsigned char c = (unsigned char)s[i];
        size_t e = 0;
        bool start = !x_word_before(s, i);
        if (start && x_isdigit(c)) {
            /* "5.5": never restart inside a decimal */
            if (!(i >= 2 && s[i - 1] == '.' && x_isdigit((unsigned char)s[i - 2]))) {
                e = x_date(x, i);
                if (!e) e = x_money(x, i);
                if (!e) e = x_percent(x, i);
                if (!e) e = x_count(x, i);
            }
        } else if (start && x_isalpha(c)) {
            if (strchr("aAfFyY", c)) e = x_period(x, i);
            if (!e && x_isupper(c)) e = x_date(x, i);
            /* "US$", "JPY 3 billion", OCR "X26.1 billion" / "x3.1 billion" */
            if (!e && (x_isupper(c) || c == 'x')) e = x_money(x, i);
            if (!e && strchr("tfsenTFSEN", c)) e = x_count_word(x, i); /* two .. ninety */
            if (!e && (c == 'r' || c == 'R')) {
                size_t m = x_kw(s, n, i, "respectively");
                if (m) {
                    xitem *it = x_push(x);
                    if (it) {
                        it->kind = XI_RESP;
                        it->b = i;
                        it->e = i + m;
                    }
                    e = i + m;
                }
            }
        } else if (c == '$' || c == '%' || c == '\\' || c >= 0x80) {
            e = x_money(x, i);
        }
        i = e > i ? e : skip_token(s, n, i);
    }
}

static void emit(xscan *x, rfx_risk *k, const rfx_text *t) {
    for (size_t q = 0; q < x->nv; q++) {
        const xitem *it = &x->v[q];
        if (it->kind == XI_RESP) continue;
        if (k->nfacts >= MAX_FACTS_PER_RISK) {
            rfx_reg_warn(x->r, "extract-limit", rfx_text_start(t, it->b),
                         "risk %zu: more than %d facts; the rest were not extracted", k->index,
                         MAX_FACTS_PER_RISK);
            return;
        }
        rfx_fact f;
        memset(&f, 0, sizeof f);
        f.kind = it->kind;
        f.text = x_dup(x, it->b, it->e);
        f.start = rfx_text_start(t, it->b);
        f.end = rfx_text_end(t, it->e);
        f.value = it->value;
        f.has_value = it->has_value;
        f.value_high = it->high;
        f.has_high = it->has_high;
        memcpy(f.currency, it->cur, 4);
        f.unit = it->unit;
        f.period = it->period;
        f.repaired = it->repaired;
        f.date = it->date;
        if (!f.text || !rfx_risk_add_fact(x->r, k, &f)) {
            x->oom = true;
            return;
        }
    }
}

static void scan_text(xscan *x, rfx_risk *k, const rfx_text *t) {
    if (!t->s || !t->len || !t->src) return;
    x->s = t->s;
    x->n = t->len;
    x->nv = 0;
    scan_items(x);
    x_money_ellipsis(x);
    x_assign_periods(x);
    emit(x, k, t);
}

/* Yen repairs need a yen document: the filing says so, or (when nothing set
 * the currency) yen amounts outnumber every other currency in the risks. */
static bool yen_document(rfx_register *r) {
    if (r->filing.currency) return strcmp(r->filing.currency, "JPY") == 0;
    xcurcount cc;
    memset(&cc, 0, sizeof cc);
    for (size_t i = 0; i < r->nrisks; i++) {
        const rfx_risk *k = &r->risks[i];
        if (k->heading.s) x_count_currencies(k->heading.s, k->heading.len, &cc);
        if (k->body.s) x_count_currencies(k->body.s, k->body.len, &cc);
    }
    const char *c = x_dominant_currency(&cc);
    return c && strcmp(c, "JPY") == 0;
}

void rfx_extract(rfx_register *r) {
    if (!r || !r->nrisks) return;
    xscan x;
    memset(&x, 0, sizeof x);
    x.r = r;
    x.yen_doc = yen_document(r);
    xents *E = x_ents_new(r);
    for (size_t i = 0; i < r->nrisks && !x.oom; i++) {
        rfx_risk *k = &r->risks[i];
        k->facts = NULL;
        k->nfacts = 0;
        scan_text(&x, k, &k->heading);
        scan_text(&x, k, &k->body);
        x_ents_scan(E, &k->heading);
        x_ents_scan(E, &k->body);
    }
    x_ents_finish(E);
    free(x.v);
    if (x.oom) rfx_reg_warn(r, "extract-memory", -1, "extract: out of memory; facts are incomplete");
}
