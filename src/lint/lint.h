/*
 * lint.h — what the lint stage's files share (not public).
 *
 * Lint runs after classify on a finished register. Each rule is a function
 * in the table of lint.c; rules read the risks' texts (with their maps back
 * to source bytes), the facts extract found, the metrics classify measured,
 * and report findings through lint_emit, which maps text positions to source
 * offsets. A register loaded from JSON has no source map: its findings get
 * the span of the whole risk.
 */
#ifndef RFX_LINT_H
#define RFX_LINT_H

#include "../rfx_internal.h"

typedef struct lint_finding {
    const char *rule;
    rfx_severity sev;
    uint32_t start, end;
    char *text, *message, *fix; /* malloc'd; text/fix may be NULL */
    size_t line, col;
} lint_finding;

struct rfx_findings {
    const rfx_register *reg;
    lint_finding *v;
    size_t n, cap;
    bool oom;
};

typedef struct lint_ctx {
    const rfx_register *r;
    const rfx_register *prev;
    const rfx_register *const *older; /* before prev, newest first */
    size_t nolder;
    rfx_findings *f;
    const char *rule;    /* the rule running */
    rfx_severity sev;
} lint_ctx;

typedef void (*lint_fn)(lint_ctx *c);

typedef struct lint_rule {
    const char *id;
    rfx_severity sev;
    lint_fn run;
    const char *summary;
} lint_rule;

/* Reports a finding on bytes [b, e) of text t (of risk k; t may be NULL to
 * use source offsets b, e directly). fix may be NULL. */
void lint_emit(lint_ctx *c, const rfx_risk *k, const rfx_text *t, size_t b, size_t e,
               const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* The same, with source offsets (start, end) and the text to show. */
void lint_emit_src(lint_ctx *c, uint32_t start, uint32_t end, const char *text, const char *fix,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Does the register's source map work (false for saved registers)? */
bool lint_has_map(const rfx_register *r);
/* Bounds [*a, *b) of the sentence of t holding byte i. */
void lint_sentence(const rfx_text *t, size_t i, size_t *a, size_t *b);
/* Case-insensitive search for w in s[a, b); true when found. */
bool lint_has_word(const char *s, size_t a, size_t b, const char *w);
/* Is form one that Item 105 binds here (10-K, 10-Q, S-1 and amendments)? */
bool lint_item105_form(const char *form);

/* rules_text.c */
void lint_ocr_currency(lint_ctx *c);
void lint_ocr_latex(lint_ctx *c);
void lint_ocr_hyphen(lint_ctx *c);
void lint_ocr_digit(lint_ctx *c);
void lint_acronym(lint_ctx *c);
void lint_date_after(lint_ctx *c);
void lint_resp_years(lint_ctx *c);
void lint_resp_count(lint_ctx *c);
void lint_magnitude(lint_ctx *c);
void lint_percent_share(lint_ctx *c);
void lint_currency(lint_ctx *c);
/* rules_struct.c */
void lint_no_heading(lint_ctx *c);
void lint_no_summary(lint_ctx *c);
void lint_general(lint_ctx *c);
void lint_topic_heading(lint_ctx *c);
void lint_duplicate(lint_ctx *c);
void lint_stale_figure(lint_ctx *c);
void lint_stale_risk(lint_ctx *c);

#endif
