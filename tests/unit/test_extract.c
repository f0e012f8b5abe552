/*
 * test_extract.c — the extract stage on sentences from real filings (most
 * from the IIJ seed): money in every notation, OCR yen repairs and the cases
 * that must not be repaired, percentages, counts, dates, fiscal periods,
 * "respectively" alignment, entities, filing facts, and hostile input.
 *
 * Each text gets an offset map; facts and entities are checked against the
 * source bytes they claim to span.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rfx_internal.h"

/* ---------------- helpers ---------------- */

/* A text whose source offsets are base + i (as if it sat at base in a file). */
static void set_text(rfx_register *r, rfx_text *t, const char *s, uint32_t base) {
    size_t n = strlen(s);
    t->s = rfx_arena_strndup(r->arena, s, n);
    t->len = n;
    t->src = rfx_arena_alloc(r->arena, (n + 1) * sizeof *t->src);
    for (size_t i = 0; i <= n; i++) t->src[i] = base + (uint32_t)i;
}

static const char *g_src; /* the body of the latest register, as its "source" */
#define BASE 1000u

/* One risk with this body; currency sets r->filing.currency (NULL: unset). */
static rfx_register *run(const char *body, const char *currency) {
    rfx_register *r = rfx_register_new(NULL);
    assert_non_null(r);
    rfx_risk *k = rfx_reg_add_risk(r);
    assert_non_null(k);
    k->index = 1;
    set_text(r, &k->heading, "", 0);
    set_text(r, &k->body, body, BASE);
    r->filing.currency = currency;
    g_src = body;
    rfx_extract(r);
    /* every fact spells its own text in the source */
    for (size_t i = 0; i < k->nfacts; i++) {
        const rfx_fact *f = &k->facts[i];
        assert_true(f->start >= BASE && f->end > f->start);
        assert_int_equal(f->end - f->start, strlen(f->text));
        assert_memory_equal(body + (f->start - BASE), f->text, f->end - f->start);
    }
    for (size_t i = 0; i < r->nentities; i++) {
        const rfx_entity *e = &r->entities[i];
        assert_int_equal(e->end - e->start, strlen(e->name));
        assert_memory_equal(body + (e->start - BASE), e->name, e->end - e->start);
    }
    return r;
}

static size_t nfacts(const rfx_register *r) { return r->risks[0].nfacts; }
static const rfx_fact *fact(const rfx_register *r, size_t i) { return &r->risks[0].facts[i]; }

/* The n-th fact (0-based) of a kind, or NULL. */
static const rfx_fact *nth(const rfx_register *r, int kind, size_t n) {
    for (size_t i = 0; i < nfacts(r); i++)
        if (fact(r, i)->kind == kind && n-- == 0) return fact(r, i);
    return NULL;
}

static size_t count_kind(const rfx_register *r, int kind) {
    size_t c = 0;
    for (size_t i = 0; i < nfacts(r); i++) c += fact(r, i)->kind == kind;
    return c;
}

static void expect_money(const rfx_fact *f, const char *text, double v, const char *cur,
                         const char *period, const char *repaired) {
    assert_non_null(f);
    assert_int_equal(f->kind, RFX_F_MONEY);
    assert_string_equal(f->text, text);
    assert_true(f->has_value);
    assert_true(fabs(f->value - v) < 1e-6);
    assert_string_equal(f->currency, cur);
    if (period) {
        assert_non_null(f->period);
        assert_string_equal(f->period, period);
    } else {
        assert_null(f->period);
    }
    if (repaired) {
        assert_non_null(f->repaired);
        assert_string_equal(f->repaired, repaired);
    } else {
        assert_null(f->repaired);
    }
}

static const rfx_entity *entity(const rfx_register *r, const char *name) {
    for (size_t i = 0; i < r->nentities; i++)
        if (!strcmp(r->entities[i].name, name)) return &r->entities[i];
    return NULL;
}

static void expect_entity(const rfx_register *r, const char *name, const char *alias, int kind) {
    const rfx_entity *e = entity(r, name);
    if (!e) fail_msg("no entity named '%s'", name);
    if (alias) {
        assert_non_null(e->alias);
        assert_string_equal(e->alias, alias);
    } else {
        assert_null(e->alias);
    }
    assert_int_equal(e->kind, kind);
}

/* ---------------- money ---------------- */

static void money_notations(void **state) {
    (void)state;
    struct { const char *in, *text; double v; const char *cur; } cases[] = {
        {"We paid ¥26.1 billion.", "¥26.1 billion", 26100000000.0, "JPY"},
        {"We injected $6 million into it.", "$6 million", 6e6, "USD"},
        {"A loan of US$5 million.", "US$5 million", 5e6, "USD"},
        {"A loan of U.S.$2.5 billion.", "U.S.$2.5 billion", 2.5e9, "USD"},
        {"Costs of JPY 3 billion.", "JPY 3 billion", 3e9, "JPY"},
        {"Revenue of 26.1 billion yen.", "26.1 billion yen", 26.1e9, "JPY"},
        {"Capital of £1.4 million.", "£1.4 million", 1.4e6, "GBP"},
        {"A fine of €2.5 million.", "€2.5 million", 2.5e6, "EUR"},
        {"A fine of 5 million euros.", "5 million euros", 5e6, "EUR"},
        {"Debt of $1.2bn matures.", "$1.2bn", 1.2e9, "USD"},
        {"Debt of $1.2 bn matures.", "$1.2 bn", 1.2e9, "USD"},
        {"A charge of $5m was taken.", "$5m", 5e6, "USD"},
        {"A charge of €3 mn was taken.", "€3 mn", 3e6, "EUR"},
        {"A fee of $1,600 per month.", "$1,600", 1600, "USD"},
        {"Sales of 10 million U.S. dollars.", "10 million U.S. dollars", 1e7, "USD"},
        {"Sales of C$10 million.", "C$10 million", 1e7, "CAD"},
        {"Total of ¥1.5 trillion.", "¥1.5 trillion", 1.5e12, "JPY"},
        {"Total of $300 thousand.", "$300 thousand", 3e5, "USD"},
        {"Amounts of ¥20 million were lost.", "¥20 million", 2e7, "JPY"},
        {"A deposit of $0.6 billion.", "$0.6 billion", 6e8, "USD"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rfx_register *r = run(cases[i].in, NULL);
        assert_int_equal(count_kind(r, RFX_F_MONEY), 1);
        expect_money(nth(r, RFX_F_MONEY, 0), cases[i].text, cases[i].v, cases[i].cur, NULL, NULL);
        rfx_register_free(r);
    }
}

static void money_exact_values(void **state) {
    (void)state;
    /* 26.1 × 10^9 must be the whole number, not 26099999999.999996 */
    rfx_register *r = run("¥26.1 billion and ¥0.3 billion and ¥7.0 billion", NULL);
    assert_true(nth(r, RFX_F_MONEY, 0)->value == 26100000000.0);
    assert_true(nth(r, RFX_F_MONEY, 1)->value == 300000000.0);
    assert_true(nth(r, RFX_F_MONEY, 2)->value == 7000000000.0);
    rfx_register_free(r);
}

static void money_ranges(void **state) {
    (void)state;
    rfx_register *r = run("We expect costs of $1 million to $2 million next year.", NULL);
    assert_int_equal(count_kind(r, RFX_F_MONEY), 1);
    const rfx_fact *f = nth(r, RFX_F_MONEY, 0);
    assert_string_equal(f->text, "$1 million to $2 million");
    assert_true(f->value == 1e6 && f->has_high && f->value_high == 2e6);
    rfx_register_free(r);

    r = run("The loss could be between ¥1 and ¥2 billion.", NULL);
    f = nth(r, RFX_F_MONEY, 0);
    assert_non_null(f);
    assert_int_equal(count_kind(r, RFX_F_MONEY), 1);
    assert_string_equal(f->text, "¥1 and ¥2 billion");
    assert_true(f->value == 1e9 && f->has_high && f->value_high == 2e9);
    assert_string_equal(f->currency, "JPY");
    rfx_register_free(r);

    r = run("A charge of $1-2 million is likely.", NULL);
    f = nth(r, RFX_F_MONEY, 0);
    assert_string_equal(f->text, "$1-2 million");
    assert_true(f->value == 1e6 && f->value_high == 2e6);
    rfx_register_free(r);

    /* "and" without "between" is a list, not a range */
    r = run("Revenues were $1 million and $2 million.", NULL);
    assert_int_equal(count_kind(r, RFX_F_MONEY), 2);
    assert_false(nth(r, RFX_F_MONEY, 0)->has_high);
    rfx_register_free(r);
}

static void money_shared_scale(void **state) {
    (void)state;
    rfx_register *r = run("Sales were ¥6.8, ¥10.9 and ¥10.4 billion.", NULL);
    assert_int_equal(count_kind(r, RFX_F_MONEY), 3);
    assert_true(nth(r, RFX_F_MONEY, 0)->value == 6.8e9);
    assert_true(nth(r, RFX_F_MONEY, 1)->value == 10.9e9);
    assert_true(nth(r, RFX_F_MONEY, 2)->value == 10.4e9);
    rfx_register_free(r);
    /* a price per share keeps its own value */
    r = run("We paid $0.10 per share, $5 million in total.", NULL);
    assert_true(nth(r, RFX_F_MONEY, 0)->value == 0.10);
    rfx_register_free(r);
}

/* ---------------- OCR yen repair ---------------- */

static const char *IIJ_GLOBAL =
    "For the fiscal year ended March 31, 2012 and 2013, IIJ-Global had X26.1 billion and "
    "¥2.4 billion in revenues respectively and ¥2.2 billion and ¥1.8 billion in operating "
    "income, respectively.";

static void repair_yen(void **state) {
    (void)state;
    rfx_register *r = run(IIJ_GLOBAL, "JPY");
    assert_int_equal(count_kind(r, RFX_F_MONEY), 4);
    expect_money(nth(r, RFX_F_MONEY, 0), "X26.1 billion", 26.1e9, "JPY", "FY2012", "ocr-yen:X");
    expect_money(nth(r, RFX_F_MONEY, 1), "¥2.4 billion", 2.4e9, "JPY", "FY2013", NULL);
    expect_money(nth(r, RFX_F_MONEY, 2), "¥2.2 billion", 2.2e9, "JPY", "FY2012", NULL);
    expect_money(nth(r, RFX_F_MONEY, 3), "¥1.8 billion", 1.8e9, "JPY", "FY2013", NULL);
    rfx_register_free(r);

    r = run("The revenue of overseas business was approximately %3.6 billion for the fiscal "
            "year ended March 31, 2013.", "JPY");
    expect_money(nth(r, RFX_F_MONEY, 0), "%3.6 billion", 3.6e9, "JPY", "FY2013", "ocr-yen:%");
    assert_int_equal(count_kind(r, RFX_F_PERCENT), 0);
    rfx_register_free(r);

    r = run("The revenue for our cloud computing services for the fiscal years ended March 31, "
            "2011, 2012 and 2013 were approximately ¥0.6 billion, x3.1 billion, and ¥6.2 billion, "
            "respectively.", "JPY");
    expect_money(nth(r, RFX_F_MONEY, 0), "¥0.6 billion", 0.6e9, "JPY", "FY2011", NULL);
    expect_money(nth(r, RFX_F_MONEY, 1), "x3.1 billion", 3.1e9, "JPY", "FY2012", "ocr-yen:x");
    expect_money(nth(r, RFX_F_MONEY, 2), "¥6.2 billion", 6.2e9, "JPY", "FY2013", NULL);
    rfx_register_free(r);

    /* no filing currency: yen amounts dominating the risks are enough */
    r = run("Sales were ¥2.4 billion and ¥1.8 billion, but X26.1 billion was booked.", NULL);
    expect_money(nth(r, RFX_F_MONEY, 2), "X26.1 billion", 26.1e9, "JPY", NULL, "ocr-yen:X");
    rfx_register_free(r);
}

static void repair_never_without_support(void **state) {
    (void)state;
    /* a dollar document: the same damage is left alone */
    rfx_register *r = run("IIJ-Global had X26.1 billion and $2.4 billion in revenues.", "USD");
    assert_int_equal(count_kind(r, RFX_F_MONEY), 1);
    expect_money(nth(r, RFX_F_MONEY, 0), "$2.4 billion", 2.4e9, "USD", NULL, NULL);
    rfx_register_free(r);
    r = run("Sales were $2.4 billion and $1.8 billion, but X26.1 billion was booked.", NULL);
    assert_int_equal(count_kind(r, RFX_F_MONEY), 2);
    rfx_register_free(r);

    /* yen documents, but no repair where the glyph means something */
    const char *no[] = {
        "About 33% of our cloud revenue came from game clients.",          /* a percent */
        "The new servers are x3 faster than the old ones.",                /* multiplication */
        "A ratio of x3.1 compared to last year.",                          /* no scale word */
        "convertible into IIJ? common stock, existing shareholders",       /* stray '?' */
        "We bought FX26.1 billion of currency.",                           /* glued to letters */
        "We paid x 3.1 billion to them.",                                  /* not glued to digits */
        "Growth was 33%3.6 billion.",                                      /* % after a digit */
        "Y2K remediation cost us.",                                        /* no scale word */
    };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        r = run(no[i], "JPY");
        for (size_t j = 0; j < nfacts(r); j++)
            if (fact(r, j)->repaired) fail_msg("repaired in: %s", no[i]);
        rfx_register_free(r);
    }
    r = run("About 33% of our cloud revenue came from game clients.", "JPY");
    assert_int_equal(count_kind(r, RFX_F_PERCENT), 1);
    assert_int_equal(count_kind(r, RFX_F_MONEY), 0);
    rfx_register_free(r);
}

static void latex_dollar_offsets(void **state) {
    (void)state;
    /* the source has "\$6 million"; normalisation drops the backslash but the
     * fact still starts at the backslash's source offset */
    const char *raw = "in amounts of £1.4 million and \\$6 million respectively";
    size_t n = strlen(raw);
    uint32_t *src = malloc(n * sizeof *src);
    for (size_t i = 0; i < n; i++) src[i] = (uint32_t)i;
    rfx_buf b;
    rfx_buf_init(&b, true);
    rfx_normalize_append(&b, raw, n, src);
    rfx_register *r = rfx_register_new(NULL);
    rfx_risk *k = rfx_reg_add_risk(r);
    k->index = 1;
    assert_true(rfx_text_from_buf(r->arena, &b, &k->body));
    rfx_buf_free(&b);
    free(src);
    rfx_extract(r);
    const rfx_fact *f = nth(r, RFX_F_MONEY, 1);
    assert_non_null(f);
    assert_string_equal(f->text, "$6 million");
    assert_string_equal(f->currency, "USD");
    const char *at = strstr(raw, "\\$6");
    assert_int_equal(f->start, at - raw);
    assert_int_equal(f->end, at - raw + strlen("\\$6 million"));
    f = nth(r, RFX_F_MONEY, 0);
    assert_memory_equal(raw + f->start, "£1.4 million", f->end - f->start);
    rfx_register_free(r);
}

/* ---------------- percent, counts ---------------- */

static void percentages(void **state) {
    (void)state;
    struct { const char *in, *text; double v; } cases[] = {
        {"about 33% of our cloud revenue", "33%", 33},
        {"NTT and its affiliates owned 29.9% of IIJ's shares", "29.9%", 29.9},
        {"our 100% owned consolidated subsidiary", "100%", 100},
        {"an increase of 10 percent over the year", "10 percent", 10},
        {"an increase of 5 per cent over the year", "5 per cent", 5},
        {"Trust Networks (79.5% share ownership)", "79.5%", 79.5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rfx_register *r = run(cases[i].in, NULL);
        assert_int_equal(count_kind(r, RFX_F_PERCENT), 1);
        const rfx_fact *f = nth(r, RFX_F_PERCENT, 0);
        assert_string_equal(f->text, cases[i].text);
        assert_true(fabs(f->value - cases[i].v) < 1e-9);
        assert_string_equal(f->currency, "");
        rfx_register_free(r);
    }
    rfx_register *r = run("a decline of 10% to 20% is possible", NULL);
    const rfx_fact *f = nth(r, RFX_F_PERCENT, 0);
    assert_string_equal(f->text, "10% to 20%");
    assert_true(f->value == 10 && f->has_high && f->value_high == 20);
    rfx_register_free(r);
}

static void counts(void **state) {
    (void)state;
    struct { const char *in, *text; double v; const char *unit; } cases[] = {
        {"As of May 15, 2013, 625 ATMs were placed in shops.", "625 ATMs", 625, "ATMs"},
        {"we have 15 consolidated subsidiaries and", "15 consolidated subsidiaries", 15,
         "consolidated subsidiaries"},
        {"we have eight overseas subsidiaries including IIJ Europe Limited",
         "eight overseas subsidiaries", 8, "overseas subsidiaries"},
        {"and four equity method investees.", "four equity method investees", 4,
         "equity method investees"},
        {"services to approximately 1,600 domestic corporate customers.",
         "1,600 domestic corporate customers", 1600, "domestic corporate customers"},
        {"from NTT among IIJ's 13 directors.", "13 directors", 13, "directors"},
        {"We issued 1.2 million shares.", "1.2 million shares", 1.2e6, "shares"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rfx_register *r = run(cases[i].in, NULL);
        assert_int_equal(count_kind(r, RFX_F_COUNT), 1);
        const rfx_fact *f = nth(r, RFX_F_COUNT, 0);
        assert_string_equal(f->text, cases[i].text);
        assert_true(f->value == cases[i].v);
        assert_string_equal(f->unit, cases[i].unit);
        rfx_register_free(r);
    }
    const char *none[] = {
        "Please see Item 5, \"Operating and Financial Review and Prospects\" for details.",
        "In 2013 directors were elected.",
        "over the past three years and 30 days",
        "networks such as IPv6 and cloud computing",
        "this annual report on Form 20-F filings",
        "IIJ has one outside director, Mr. Takashi Hiroi.",
        "we paid ¥20 million and 33% of revenues",
        "see Note 12 items for details",
        "No. 3 shareholders",
    };
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        rfx_register *r = run(none[i], NULL);
        if (count_kind(r, RFX_F_COUNT)) fail_msg("a count in: %s (%s)", none[i], nth(r, RFX_F_COUNT, 0)->text);
        rfx_register_free(r);
    }
}

/* ---------------- dates and periods ---------------- */

static void dates(void **state) {
    (void)state;
    struct { const char *in, *text, *date; } cases[] = {
        {"The company was acquired on September 1, 2010 after talks.", "September 1, 2010", "2010-09-01"},
        {"In June 2013, we invited a new president.", "June 2013", "2013-06"},
        {"the law that came into effect in April 2005 and", "April 2005", "2005-04"},
        {"It was signed on 31 March 2013 in Tokyo.", "31 March 2013", "2013-03-31"},
        {"It was signed on Mar. 31, 2013 in Tokyo.", "Mar. 31, 2013", "2013-03-31"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rfx_register *r = run(cases[i].in, NULL);
        assert_int_equal(count_kind(r, RFX_F_DATE), 1);
        const rfx_fact *f = nth(r, RFX_F_DATE, 0);
        assert_string_equal(f->text, cases[i].text);
        assert_string_equal(f->date, cases[i].date);
        rfx_register_free(r);
    }
    /* no year, no date; "May" the verb is no month */
    rfx_register *r = run("We test annually on March 31 or more often. May 2 be a day?", NULL);
    assert_int_equal(count_kind(r, RFX_F_DATE), 0);
    rfx_register_free(r);
}

static void periods(void **state) {
    (void)state;
    struct { const char *in, *text, *period; } cases[] = {
        {"for the fiscal year ended March 31, 2013, we", "fiscal year ended March 31, 2013", "FY2013"},
        {"For the fiscal year ending March 31, 2014, we expect", "fiscal year ending March 31, 2014", "FY2014"},
        {"results in fiscal 2013 were weak", "fiscal 2013", "FY2013"},
        {"results in fiscal year 2013 were weak", "fiscal year 2013", "FY2013"},
        {"FY2013 results were weak", "FY2013", "FY2013"},
        {"FY13 results were weak", "FY13", "FY2013"},
        {"for the year ended December 31, 2022, sales", "year ended December 31, 2022", "FY2022"},
        /* the label is the calendar year in which the fiscal year ends */
        {"the fiscal year ended January 29, 2023 was", "fiscal year ended January 29, 2023", "FY2023"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rfx_register *r = run(cases[i].in, NULL);
        assert_int_equal(count_kind(r, RFX_F_PERIOD), 1);
        const rfx_fact *f = nth(r, RFX_F_PERIOD, 0);
        assert_string_equal(f->text, cases[i].text);
        assert_string_equal(f->period, cases[i].period);
        assert_int_equal(count_kind(r, RFX_F_DATE), 0);
        rfx_register_free(r);
    }
    rfx_register *r = run("for the fiscal years ended March 31, 2011, 2012 and 2013 were", NULL);
    assert_int_equal(count_kind(r, RFX_F_PERIOD), 3);
    assert_string_equal(nth(r, RFX_F_PERIOD, 0)->text, "fiscal years ended March 31, 2011");
    assert_string_equal(nth(r, RFX_F_PERIOD, 1)->text, "2012");
    assert_string_equal(nth(r, RFX_F_PERIOD, 2)->period, "FY2013");
    assert_string_equal(nth(r, RFX_F_PERIOD, 2)->date, "2013-03-31");
    rfx_register_free(r);
}

static void respectively(void **state) {
    (void)state;
    rfx_register *r = run(
        "Capital expenditures including capitalized leases and depreciation and amortization "
        "expenses for property and equipment for the fiscal years ended March 31, 2011, 2012 and "
        "2013 were ¥6.8 billion, ¥10.9 billion and ¥10.4 billion, respectively and ¥5.5 billion, "
        "¥6.5 billion and ¥7.0 billion, respectively. For the fiscal year ending March 31, 2014, "
        "we expect that our capital expenditures will be higher.",
        "JPY");
    const char *want[] = {"FY2011", "FY2012", "FY2013", "FY2011", "FY2012", "FY2013"};
    double vals[] = {6.8e9, 10.9e9, 10.4e9, 5.5e9, 6.5e9, 7.0e9};
    assert_int_equal(count_kind(r, RFX_F_MONEY), 6);
    for (int i = 0; i < 6; i++) {
        const rfx_fact *f = nth(r, RFX_F_MONEY, (size_t)i);
        assert_true(f->value == vals[i]);
        assert_string_equal(f->period, want[i]);
    }
    rfx_register_free(r);

    /* a group aligned with entities, not years: the governing period applies */
    r = run("we injected additional capital into IIJ Europe Limited and IIJ-A in amounts of £1.4 "
            "million and $6 million respectively for the fiscal year ended March 31, 2013.", "JPY");
    expect_money(nth(r, RFX_F_MONEY, 0), "£1.4 million", 1.4e6, "GBP", "FY2013", NULL);
    expect_money(nth(r, RFX_F_MONEY, 1), "$6 million", 6e6, "USD", "FY2013", NULL);
    rfx_register_free(r);

    /* amounts before the years */
    r = run("Revenues were $1 million, $2 million and $3 million in fiscal 2011, 2012 and 2013, "
            "respectively.", NULL);
    assert_string_equal(nth(r, RFX_F_MONEY, 0)->period, "FY2011");
    assert_string_equal(nth(r, RFX_F_MONEY, 2)->period, "FY2013");
    rfx_register_free(r);

    /* a multi-year list without "respectively" lends nothing */
    r = run("For the fiscal years ended March 31, 2012 and 2013, revenue rose by $5 million.", NULL);
    assert_null(nth(r, RFX_F_MONEY, 0)->period);
    rfx_register_free(r);
}

static void governing_periods(void **state) {
    (void)state;
    rfx_register *r = run("For the fiscal year ended March 31, 2013, we have paid ¥10.4 billion for "
                          "backbone costs to NTT Group.", "JPY");
    expect_money(nth(r, RFX_F_MONEY, 0), "¥10.4 billion", 10.4e9, "JPY", "FY2013", NULL);
    rfx_register_free(r);

    /* balances "as of" a date take the date as their period */
    r = run("As of March 31, 2013, IIJ has invested a total of ¥2.6 billion in Trust Networks "
            "(79.5% share ownership), accounts receivable of ¥0.6 billion.", "JPY");
    expect_money(nth(r, RFX_F_MONEY, 0), "¥2.6 billion", 2.6e9, "JPY", "2013-03-31", NULL);
    expect_money(nth(r, RFX_F_MONEY, 1), "¥0.6 billion", 0.6e9, "JPY", "2013-03-31", NULL);
    assert_string_equal(nth(r, RFX_F_PERCENT, 0)->period, "2013-03-31");
    const rfx_fact *d = nth(r, RFX_F_DATE, 0);
    assert_string_equal(d->text, "March 31, 2013");
    assert_string_equal(d->date, "2013-03-31");
    rfx_register_free(r);

    /* nearest phrase wins, and only within the sentence */
    r = run("In fiscal 2012 revenue was $5 million, compared with $3 million in fiscal 2011. "
            "Costs were $1 million.", NULL);
    assert_string_equal(nth(r, RFX_F_MONEY, 0)->period, "FY2012");
    assert_string_equal(nth(r, RFX_F_MONEY, 1)->period, "FY2011");
    assert_null(nth(r, RFX_F_MONEY, 2)->period);
    rfx_register_free(r);

    /* a plain event date governs nothing */
    r = run("IIJ-Global which became our 100% owned consolidated subsidiary on September 1, 2010 "
            "after we acquired its stock for ¥9.2 billion.", "JPY");
    expect_money(nth(r, RFX_F_MONEY, 0), "¥9.2 billion", 9.2e9, "JPY", NULL, NULL);
    rfx_register_free(r);

    /* counts take the "as of" date */
    r = run("As of June 28, 2013, we have 15 consolidated subsidiaries and four equity method investees.", NULL);
    assert_string_equal(nth(r, RFX_F_COUNT, 0)->period, "2013-06-28");
    assert_string_equal(nth(r, RFX_F_COUNT, 1)->period, "2013-06-28");
    rfx_register_free(r);
}

/* ---------------- entities ---------------- */

static void entities_defined_terms(void **state) {
    (void)state;
    rfx_register *r = run(
        "The major competitors of our network services are major telecommunications carriers "
        "such as NTT Communications Corporation (\"NTT Communications\") and KDDI Corporation "
        "(\"KDDI\"). The major competitors are systems integrators, such as NEC Corporation, "
        "Fujitsu Limited, NTT Data Corporation and their affiliates. Even though the NTT Group, "
        "which is comprised of companies such as Nippon Telegraph and Telephone Corporation "
        "(\"NTT\") and NTT Communications, is IIJ's largest shareholder. We rely on Nippon "
        "Telegraph and Telephone East Corporation (\"NTT East\") and Nippon Telegraph Telephone "
        "West Corporation (\"NTT West\") for local access lines. As a Mobile Virtual Network "
        "Operator (\"MYNO\"), we depend on others. Trust Networks operates automated teller "
        "machines (\"ATMs\") and its network. We purchase from Cisco Systems, Inc. (\"Cisco\") and "
        "Juniper Networks, Inc. (\"Juniper Networks\"). We have eight overseas subsidiaries "
        "including IIJ Europe Limited and IIJ America Inc.(\"IIJ-A\"). We acquired its stock from "
        "AT&T Japan LLC (\"AT&T Japan\") for cash. IIJ-Global entered into an agreement with IBM "
        "Japan tld. (\"IBM Japan\"), its partner. Intangible assets of IIJ-Global and IIJ "
        "Technology Inc., a former subsidiary, were large. It mainly provides Wide Area Network "
        "(\"WAN\") services.",
        "JPY");
    expect_entity(r, "NTT Communications Corporation", "NTT Communications", RFX_E_ORG);
    expect_entity(r, "KDDI Corporation", "KDDI", RFX_E_ORG);
    expect_entity(r, "NEC Corporation", NULL, RFX_E_ORG);
    expect_entity(r, "Fujitsu Limited", NULL, RFX_E_ORG);
    expect_entity(r, "NTT Data Corporation", NULL, RFX_E_ORG);
    expect_entity(r, "NTT Group", NULL, RFX_E_ORG);
    expect_entity(r, "Nippon Telegraph and Telephone Corporation", "NTT", RFX_E_ORG);
    expect_entity(r, "Nippon Telegraph and Telephone East Corporation", "NTT East", RFX_E_ORG);
    expect_entity(r, "Nippon Telegraph Telephone West Corporation", "NTT West", RFX_E_ORG);
    expect_entity(r, "Mobile Virtual Network Operator", "MYNO", RFX_E_TERM);
    expect_entity(r, "automated teller machines", "ATMs", RFX_E_TERM);
    expect_entity(r, "Cisco Systems, Inc.", "Cisco", RFX_E_ORG);
    expect_entity(r, "Juniper Networks, Inc.", "Juniper Networks", RFX_E_ORG);
    expect_entity(r, "IIJ Europe Limited", NULL, RFX_E_ORG);
    expect_entity(r, "IIJ America Inc.", "IIJ-A", RFX_E_ORG);
    expect_entity(r, "AT&T Japan LLC", "AT&T Japan", RFX_E_ORG);
    expect_entity(r, "IBM Japan tld.", "IBM Japan", RFX_E_ORG);
    expect_entity(r, "IIJ Technology Inc.", NULL, RFX_E_ORG);
    expect_entity(r, "Wide Area Network", "WAN", RFX_E_TERM);
    /* wrong boundaries must not appear */
    for (size_t i = 0; i < r->nentities; i++) {
        const char *n = r->entities[i].name;
        if (strstr(n, "such as") || strstr(n, "IIJ-Global and") || !strncmp(n, "and ", 4) ||
            !strncmp(n, "The ", 4) || !strncmp(n, "Even", 4))
            fail_msg("bad entity boundary: '%s'", n);
    }
    /* named once each, though mentioned again */
    size_t ntt = 0;
    for (size_t i = 0; i < r->nentities; i++) ntt += !strcmp(r->entities[i].name, "NTT Communications Corporation");
    assert_int_equal(ntt, 1);
    rfx_register_free(r);
}

static void entities_regulators_laws(void **state) {
    (void)state;
    rfx_register *r = run(
        "We act in accordance with the requirements set by the Ministry of Internal Affairs and "
        "Communications (\"MIC\"), and the Ministry of Economy, Trade and Industry. The licensing "
        "is subject to supervision by the MIC. A failure to comply with regulation such as the "
        "U.S. Foreign Corrupt Practices Act, may harm us. The amendment in April 2004 of the "
        "Telecommunication Business Law and deregulation. We file reports with the Securities and "
        "Exchange Commission. The SEC may object. The Japan Fair Trade Commission (\"JFTC\") "
        "investigates. Our sales channels with respect to SMEs (Small and Medium Enterprises) are "
        "weak. Under the Securities Exchange Act of 1934 we report. The FTC may act.",
        "JPY");
    expect_entity(r, "Ministry of Internal Affairs and Communications", "MIC", RFX_E_REGULATOR);
    expect_entity(r, "Ministry of Economy, Trade and Industry", NULL, RFX_E_REGULATOR);
    expect_entity(r, "U.S. Foreign Corrupt Practices Act", NULL, RFX_E_LAW);
    expect_entity(r, "Telecommunication Business Law", NULL, RFX_E_LAW);
    expect_entity(r, "Securities and Exchange Commission", NULL, RFX_E_REGULATOR);
    expect_entity(r, "Japan Fair Trade Commission", "JFTC", RFX_E_REGULATOR);
    expect_entity(r, "Small and Medium Enterprises", "SMEs", RFX_E_TERM);
    expect_entity(r, "Securities Exchange Act of 1934", NULL, RFX_E_LAW);
    /* a known acronym named alone becomes a regulator; MIC is not duplicated */
    expect_entity(r, "SEC", NULL, RFX_E_REGULATOR);
    expect_entity(r, "FTC", NULL, RFX_E_REGULATOR);
    assert_null(entity(r, "MIC"));
    rfx_register_free(r);
}

static void entities_people(void **state) {
    (void)state;
    rfx_register *r = run(
        "Our future success depends on the continued service of our executive officers, "
        "particularly Mr. Koichi Suzuki, who is Chairman. In June 2013, we invited President, "
        "Chief Operating Officer and representative director, Mr. Eijiro Katsu, to enhance our "
        "business. None of our executive officers, including Mr. Suzuki, is bound. IIJ has one "
        "outside director, Mr. Takashi Hiroi, from NTT. Ms. Tanaka joined; later Dr. Hanako "
        "Tanaka left.",
        NULL);
    const rfx_entity *e = entity(r, "Koichi Suzuki");
    assert_non_null(e);
    assert_int_equal(e->kind, RFX_E_PERSON);
    assert_string_equal(e->title, "Mr.");
    expect_entity(r, "Eijiro Katsu", NULL, RFX_E_PERSON);
    expect_entity(r, "Takashi Hiroi", NULL, RFX_E_PERSON);
    assert_null(entity(r, "Suzuki"));
    /* a surname first, the full name later: one person, with the full name */
    expect_entity(r, "Hanako Tanaka", NULL, RFX_E_PERSON);
    assert_null(entity(r, "Tanaka"));
    size_t people = 0;
    for (size_t i = 0; i < r->nentities; i++) people += r->entities[i].kind == RFX_E_PERSON;
    assert_int_equal(people, 4);
    rfx_register_free(r);
}

static void entities_across_risks(void **state) {
    (void)state;
    rfx_register *r = rfx_register_new(NULL);
    for (int i = 0; i < 2; i++) {
        rfx_risk *k = rfx_reg_add_risk(r);
        k->index = (size_t)i + 1;
        set_text(r, &k->heading, i ? "Mr. Suzuki may leave." : "We depend on Mr. Koichi Suzuki.", 0);
        set_text(r, &k->body, "We buy from KDDI Corporation (\"KDDI\") and KDDI Corporation.", 100);
    }
    rfx_extract(r);
    size_t kddi = 0, suzuki = 0;
    for (size_t i = 0; i < r->nentities; i++) {
        kddi += !strcmp(r->entities[i].name, "KDDI Corporation");
        suzuki += strstr(r->entities[i].name, "Suzuki") != NULL;
    }
    assert_int_equal(kddi, 1);
    assert_int_equal(suzuki, 1);
    rfx_register_free(r);
}

/* ---------------- filing facts ---------------- */

static rfx_register *blocks(const char *const *texts) {
    rfx_register *r = rfx_register_new(NULL);
    uint32_t off = 0;
    for (size_t i = 0; texts[i]; i++) {
        rfx_block *b = rfx_reg_add_block(r);
        set_text(r, &b->t, texts[i], off);
        b->start = off;
        off += (uint32_t)strlen(texts[i]) + 2;
        b->end = off;
    }
    return r;
}

static void filing_facts(void **state) {
    (void)state;
    const char *seedish[] = {
        "D. Risk Factor",
        "You should carefully consider the following information, together with the other "
        "information contained in this annual report on Form 20-F, including our financial "
        "statements.",
        "Capital expenditures for the fiscal years ended March 31, 2011, 2012 and 2013 were ¥6.8 "
        "billion, ¥10.9 billion and ¥10.4 billion, respectively. We injected £1.4 million and $6 "
        "million. For the fiscal year ending March 31, 2014, we expect more. We paid ¥10.4 billion "
        "for the fiscal year ended March 31, 2013.",
        NULL};
    rfx_register *r = blocks(seedish);
    rfx_filing_from_text(r);
    assert_string_equal(r->filing.form, "20-F");
    assert_string_equal(r->filing.currency, "JPY");
    assert_string_equal(r->filing.fiscal_year_end, "0331");
    assert_int_equal(r->filing.fy_end_month, 3);
    assert_int_equal(r->filing.fy_end_day, 31);
    assert_string_equal(r->filing.period, "2013-03-31");
    assert_null(r->filing.company);
    rfx_register_free(r);

    const char *cover[] = {
        "UNITED STATES SECURITIES AND EXCHANGE COMMISSION",
        "FORM 10-K",
        "For the fiscal year ended January 29, 2023",
        "NVIDIA CORPORATION",
        "(Exact name of registrant as specified in its charter)",
        "Our quarterly reports on Form 10-Q and this Form 10-K discuss $26.97 billion of revenue, "
        "$4.4 billion of income and costs of ¥3 billion.",
        NULL};
    r = blocks(cover);
    rfx_filing_from_text(r);
    assert_string_equal(r->filing.form, "10-K");
    assert_string_equal(r->filing.company, "NVIDIA CORPORATION");
    assert_string_equal(r->filing.currency, "USD");
    assert_string_equal(r->filing.fiscal_year_end, "0129");
    assert_string_equal(r->filing.period, "2023-01-29");
    rfx_register_free(r);

    /* fields set by the SGML header stay */
    r = blocks(cover);
    r->filing.form = "10-K405";
    r->filing.company = "NVIDIA CORP";
    r->filing.currency = "EUR";
    rfx_filing_from_text(r);
    assert_string_equal(r->filing.form, "10-K405");
    assert_string_equal(r->filing.company, "NVIDIA CORP");
    assert_string_equal(r->filing.currency, "EUR");
    rfx_register_free(r);

    /* nothing stated, nothing guessed */
    const char *plain[] = {"Risk Factors", "Our business may suffer.", NULL};
    r = blocks(plain);
    rfx_filing_from_text(r);
    assert_null(r->filing.form);
    assert_null(r->filing.currency);
    assert_null(r->filing.fiscal_year_end);
    rfx_register_free(r);
}

static void *filing_thread(void *arg) {
    (void)arg;
    const char *t[] = {"FORM 20-F", "this annual report on Form 20-F shows ¥1 billion", NULL};
    for (int i = 0; i < 50; i++) {
        rfx_register *r = blocks(t);
        rfx_filing_from_text(r);
        if (!r->filing.form || strcmp(r->filing.form, "20-F") != 0) {
            rfx_register_free(r);
            return (void *)1;
        }
        rfx_register_free(r);
    }
    return NULL;
}

static void filing_threads(void **state) {
    (void)state;
    pthread_t th[4];
    for (int i = 0; i < 4; i++) assert_int_equal(pthread_create(&th[i], NULL, filing_thread, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *rv;
        pthread_join(th[i], &rv);
        assert_null(rv);
    }
}

/* ---------------- hostile input and speed ---------------- */

static void hostile_input(void **state) {
    (void)state;
    /* truncated constructs at the very end of the text */
    const char *ends[] = {"¥", "$", "¥2", "$1,", "$1.", "X2", "%3.6 bil", "fiscal year ended March",
                          "as of March 31,", "FY", "FY2", "Mr.", "(\"", "(\"A", "Foo Corp (\"F\"",
                          "between $1 and", "10% to", "1,000,00", "\\", "\\yen", "March 31, 20",
                          "SMEs (Small", "respectively", "2011, 2012 and", "Act of", "US$"};
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        rfx_register *r = run(ends[i], "JPY");
        rfx_register_free(r);
    }
    /* random bytes, including NULs and broken UTF-8, with a map */
    srand(7);
    for (int round = 0; round < 200; round++) {
        size_t n = (size_t)(rand() % 400) + 1;
        static const char alphabet[] = "0123456789 ,.%$\\()\"XxYabcMr.FYInc ¥£€-\n";
        rfx_register *r = rfx_register_new(NULL);
        rfx_risk *k = rfx_reg_add_risk(r);
        k->index = 1;
        char *s = rfx_arena_alloc(r->arena, n + 1);
        for (size_t j = 0; j < n; j++)
            s[j] = round % 2 ? (char)(rand() % 256) : alphabet[rand() % (sizeof alphabet - 1)];
        k->body.s = s;
        k->body.len = n;
        k->body.src = rfx_arena_alloc(r->arena, (n + 1) * sizeof(uint32_t));
        for (size_t j = 0; j <= n; j++) k->body.src[j] = (uint32_t)j;
        r->filing.currency = round % 3 ? "JPY" : NULL;
        rfx_extract(r);
        for (size_t j = 0; j < k->nfacts; j++) assert_true(k->facts[j].end <= n && k->facts[j].start <= k->facts[j].end);
        rfx_register_free(r);
    }
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Long bodies of one repeating token must stay linear. */
static void linear_time(void **state) {
    (void)state;
    const char *units[] = {
        "For the fiscal years ended March 31, 2011, 2012 and 2013 were ¥6.8 billion, ¥10.9 "
        "billion and ¥10.4 billion, respectively. Nippon Telegraph and Telephone Corporation "
        "(\"NTT\") has 15 consolidated subsidiaries. ",
        "A A A A A A A A ", "1 1 1 1 1 1 1 1 ", "((((\"\"\"\"", "Mr. Mr. Mr. Mr. ",
        "and of the and of the ", "¥¥¥¥$$$$%%%%", "Foo Bar Baz, ", "2011, 2012, 2013, ",
        "respectively respectively ", "X1 billion x2 billion %3 billion "};
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        size_t ul = strlen(units[u]), n = 0, cap = 1u << 20;
        char *buf = malloc(cap + 1);
        while (n + ul < cap) { memcpy(buf + n, units[u], ul); n += ul; }
        buf[n] = 0;
        double t0 = now();
        rfx_register *r = rfx_register_new(NULL);
        rfx_risk *k = rfx_reg_add_risk(r);
        k->index = 1;
        set_text(r, &k->body, buf, 0);
        r->filing.currency = "JPY";
        rfx_extract(r);
        double dt = now() - t0;
        rfx_register_free(r);
        free(buf);
        /* 1 MiB in well under a few seconds even under sanitizers */
        if (dt > 5.0) fail_msg("unit %zu: %.2fs for 1 MiB", u, dt);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(money_notations),
        cmocka_unit_test(money_exact_values),
        cmocka_unit_test(money_ranges),
        cmocka_unit_test(money_shared_scale),
        cmocka_unit_test(repair_yen),
        cmocka_unit_test(repair_never_without_support),
        cmocka_unit_test(latex_dollar_offsets),
        cmocka_unit_test(percentages),
        cmocka_unit_test(counts),
        cmocka_unit_test(dates),
        cmocka_unit_test(periods),
        cmocka_unit_test(respectively),
        cmocka_unit_test(governing_periods),
        cmocka_unit_test(entities_defined_terms),
        cmocka_unit_test(entities_regulators_laws),
        cmocka_unit_test(entities_people),
        cmocka_unit_test(entities_across_risks),
        cmocka_unit_test(filing_facts),
        cmocka_unit_test(filing_threads),
        cmocka_unit_test(hostile_input),
        cmocka_unit_test(linear_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
