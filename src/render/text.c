/*
 * text.c — the register for people: a terminal view (--text) and Markdown.
 *
 * --text numbers the headings, folds bodies to the terminal width and lists
 * each risk's facts under it; the top category sits beside the heading.
 */
#include "../rfx_internal.h"

#include <stdio.h>
#include <string.h>

/* Wraps one paragraph at width; the first line starts with first, the
 * following ones with rest (a hanging indent for list items). */
static void wrap(rfx_buf *b, const char *s, size_t n, size_t width, const char *first,
                 const char *rest) {
    const char *p = s, *end = s + n;
    rfx_buf_puts(b, first);
    size_t ind = strlen(first), col = ind;
    bool start = true;
    while (p < end) {
        while (p < end && *p == ' ') p++;
        const char *w = p;
        while (p < end && *p != ' ') p++;
        size_t wl = (size_t)(p - w);
        if (!wl) break;
        if (!start && col + 1 + wl > width) {
            rfx_buf_puts(b, "\n");
            rfx_buf_puts(b, rest);
            col = strlen(rest);
        } else if (!start) {
            rfx_buf_puts(b, " ");
            col++;
        }
        rfx_buf_put(b, w, wl, 0, false);
        col += wl;
        start = false;
    }
    rfx_buf_puts(b, "\n");
}

/* A body: paragraphs separated by a blank line, list items kept together. */
static void fold(rfx_buf *b, const char *s, size_t width, const char *indent) {
    bool prev_list = false, firstp = true;
    char item[64], hang[64];
    snprintf(item, sizeof item, "%s- ", indent);
    snprintf(hang, sizeof hang, "%s  ", indent);
    while (*s) {
        const char *e = strstr(s, "\n\n");
        size_t n = e ? (size_t)(e - s) : strlen(s);
        bool list = n >= 2 && s[0] == '-' && s[1] == ' ';
        if (!firstp && !(list && prev_list)) rfx_buf_puts(b, "\n");
        if (list) wrap(b, s + 2, n - 2, width, item, hang);
        else wrap(b, s, n, width, indent, indent);
        prev_list = list;
        firstp = false;
        s += n;
        while (*s == '\n') s++;
    }
}

static void metrics_line(rfx_buf *b, const rfx_metrics *m) {
    rfx_buf_printf(b,
                   "%zu words, %zu sentences, fog %.1f, specificity %.3f, boilerplate %.2f; "
                   "per 100 words: uncertainty %.2f, litigious %.2f, negative %.2f\n",
                   m->words, m->sentences, m->fog, m->specificity, m->boilerplate, m->uncertainty,
                   m->litigious, m->negative);
}

static void fact_line(rfx_buf *b, const rfx_fact *f, bool md) {
    rfx_buf_printf(b, "%s%-7s %s", md ? "- " : "      ", rfx_fact_kind_name(f->kind), md ? "`" : "");
    rfx_buf_puts(b, f->text ? f->text : "");
    rfx_buf_printf(b, "%s", md ? "`" : "");
    if (f->has_value) rfx_buf_printf(b, " = %.15g", f->value);
    if (f->currency[0]) rfx_buf_printf(b, " %s", f->currency);
    if (f->unit) rfx_buf_printf(b, " [%s]", f->unit);
    if (f->period) rfx_buf_printf(b, " (%s)", f->period);
    if (f->date) rfx_buf_printf(b, " {%s}", f->date);
    if (f->repaired) rfx_buf_printf(b, " repaired:%s", f->repaired);
    rfx_buf_printf(b, " @%u\n", f->start);
}

char *rfx_register_text(const rfx_register *r, unsigned flags) {
    bool color = flags & RFX_RENDER_COLOR;
    const char *B = color ? "\033[1m" : "", *D = color ? "\033[2m" : "", *C = color ? "\033[36m" : "",
               *N = color ? "\033[0m" : "";
    rfx_buf b;
    rfx_buf_init(&b, false);
    const rfx_filing *f = &r->filing;
    rfx_buf_printf(&b, "%s%s%s", B, f->company ? f->company : r->path ? r->path : "(document)", N);
    if (f->form) rfx_buf_printf(&b, " — Form %s", f->form);
    if (f->period) rfx_buf_printf(&b, ", period %s", f->period);
    if (f->currency) rfx_buf_printf(&b, ", currency %s", f->currency);
    rfx_buf_puts(&b, "\n");
    const rfx_section *s = &r->section;
    if (!s->found) {
        rfx_buf_printf(&b, "No risk-factor section found%s%s%s.\n", s->how ? " (" : "",
                       s->how ? s->how : "", s->how ? ")" : "");
    } else {
        /* PDF: the offsets are into the extracted text (rfx parse --source-text) */
        rfx_buf_printf(&b, "Section: %s%s%s  [bytes %u-%u%s, found by %s, confidence %.2f]\n", B,
                       s->title ? s->title : "(untitled)", N, s->start, s->end,
                       r->pdf ? " of the extracted text" : "", s->how ? s->how : "?", s->confidence);
        if (r->pdf)
            rfx_buf_printf(&b, "Pages %u-%u of %u%s\n", rfx_pdf_page_at(r, s->start),
                           rfx_pdf_page_at(r, s->end > 0 ? s->end - 1 : 0), r->pdf->pages,
                           r->pdf->ocr_pages ? " (some read by OCR)" : "");
        if (s->reference) rfx_buf_printf(&b, "Incorporated by reference: %s\n", s->reference);
        rfx_buf_printf(&b, "%zu risk factors", r->nrisks);
        if (r->metrics.valid)
            rfx_buf_printf(&b, ", %zu words, fog %.1f, specificity %.2f, boilerplate %.2f",
                           r->metrics.words, r->metrics.fog, r->metrics.specificity,
                           r->metrics.boilerplate);
        rfx_buf_puts(&b, "\n");
    }
    const char *group = NULL;
    for (size_t i = 0; i < r->nrisks; i++) {
        const rfx_risk *k = &r->risks[i];
        if (k->group && (!group || strcmp(group, k->group) != 0)) {
            rfx_buf_printf(&b, "\n%s== %s ==%s\n", C, k->group, N);
            group = k->group;
        }
        rfx_buf_printf(&b, "\n%s%2zu. %s%s", B, k->index, k->heading.s, N);
        if (k->ncats) rfx_buf_printf(&b, "  %s[%s %.2f]%s", C, k->cats[0].id, k->cats[0].score, N);
        rfx_buf_printf(&b, "\n%s", D);
        fold(&b, k->body.s, 100, "      ");
        rfx_buf_puts(&b, N);
        for (size_t j = 0; j < k->nfacts; j++) fact_line(&b, &k->facts[j], false);
        if (k->metrics.valid) {
            rfx_buf_printf(&b, "%s      ", D);
            metrics_line(&b, &k->metrics);
            rfx_buf_printf(&b, "%s", N);
        }
    }
    if (r->nentities) {
        rfx_buf_printf(&b, "\n%sEntities%s\n", B, N);
        for (size_t i = 0; i < r->nentities; i++) {
            const rfx_entity *e = &r->entities[i];
            rfx_buf_printf(&b, "  %-9s %s%s%s%s%s\n", rfx_entity_kind_name(e->kind),
                           e->title ? e->title : "", e->title ? " " : "", e->name,
                           e->alias ? " = " : "", e->alias ? e->alias : "");
        }
    }
    for (size_t i = 0; i < r->nwarnings; i++)
        rfx_buf_printf(&b, "warning: %s: %s\n", r->warnings[i].code, r->warnings[i].message);
    return rfx_buf_steal(&b);
}

char *rfx_register_markdown(const rfx_register *r, unsigned flags) {
    (void)flags;
    rfx_buf b;
    rfx_buf_init(&b, false);
    const rfx_filing *f = &r->filing;
    rfx_buf_printf(&b, "# Risk register: %s\n\n", f->company ? f->company : r->path ? r->path : "document");
    rfx_buf_printf(&b, "| field | value |\n|---|---|\n| form | %s |\n| period | %s |\n| currency | %s |\n",
                   f->form ? f->form : "—", f->period ? f->period : "—", f->currency ? f->currency : "—");
    const rfx_section *s = &r->section;
    rfx_buf_printf(&b, "| section | %s |\n| found by | %s (confidence %.2f) |\n| bytes | %u–%u |\n| risks | %zu |\n",
                   s->title ? s->title : "—", s->how ? s->how : "—", s->confidence, s->start, s->end, r->nrisks);
    if (r->metrics.valid)
        rfx_buf_printf(&b, "| words | %zu |\n| Gunning fog | %.1f |\n| specificity | %.3f |\n| boilerplate | %.3f |\n",
                       r->metrics.words, r->metrics.fog, r->metrics.specificity, r->metrics.boilerplate);
    const char *group = NULL;
    for (size_t i = 0; i < r->nrisks; i++) {
        const rfx_risk *k = &r->risks[i];
        if (k->group && (!group || strcmp(group, k->group) != 0)) {
            rfx_buf_printf(&b, "\n## %s\n", k->group);
            group = k->group;
        }
        rfx_buf_printf(&b, "\n### %zu. %s\n\n", k->index, k->heading.s);
        if (k->ncats) {
            rfx_buf_puts(&b, "*Categories:* ");
            for (size_t j = 0; j < k->ncats; j++)
                rfx_buf_printf(&b, "%s`%s` %.2f", j ? ", " : "", k->cats[j].id, k->cats[j].score);
            rfx_buf_puts(&b, "\n\n");
        }
        rfx_buf_puts(&b, k->body.s);
        rfx_buf_puts(&b, "\n");
        if (k->metrics.valid) {
            rfx_buf_puts(&b, "\n*Metrics:* ");
            metrics_line(&b, &k->metrics);
        }
        if (k->nfacts) {
            rfx_buf_puts(&b, "\n**Facts**\n\n");
            for (size_t j = 0; j < k->nfacts; j++) fact_line(&b, &k->facts[j], true);
        }
    }
    if (r->nentities) {
        rfx_buf_puts(&b, "\n## Entities\n\n| name | alias | kind |\n|---|---|---|\n");
        for (size_t i = 0; i < r->nentities; i++)
            rfx_buf_printf(&b, "| %s%s%s | %s | %s |\n", r->entities[i].title ? r->entities[i].title : "",
                           r->entities[i].title ? " " : "", r->entities[i].name,
                           r->entities[i].alias ? r->entities[i].alias : "",
                           rfx_entity_kind_name(r->entities[i].kind));
    }
    if (r->nwarnings) {
        rfx_buf_puts(&b, "\n## Warnings\n\n");
        for (size_t i = 0; i < r->nwarnings; i++)
            rfx_buf_printf(&b, "- `%s` %s\n", r->warnings[i].code, r->warnings[i].message);
    }
    return rfx_buf_steal(&b);
}

/* --blocks: the ingest stage's output, one block a line, for debugging. */
char *rfx_register_blocks(const rfx_register *r, unsigned flags) {
    (void)flags;
    static const char *names[] = {"B", "I", "U", "CAPS", "CTR", "LIST", "TBL", "PGNUM",
                                  "PGHDR", "TOC", "H", "LEAD", "LINK", "HID"};
    rfx_buf b;
    rfx_buf_init(&b, false);
    for (size_t i = 0; i < r->nblocks; i++) {
        const rfx_block *bl = &r->blocks[i];
        rfx_buf_printf(&b, "%5zu %8u-%-8u ", i, bl->start, bl->end);
        for (int k = 0; k < 14; k++)
            if (bl->flags & (1u << k)) rfx_buf_printf(&b, "%s,", names[k]);
        if (bl->level) rfx_buf_printf(&b, "h%u,", bl->level);
        if (bl->font_size) rfx_buf_printf(&b, "%upt,", bl->font_size / 10);
        uint32_t page;
        float box[4];
        if (r->pdf && rfx_pdf_span_box(r, bl->start, bl->end, &page, box)) /* PDF: page and box */
            rfx_buf_printf(&b, "p%u[%.0f %.0f %.0f %.0f],", page, box[0], box[1], box[2], box[3]);
        bool in = r->section.found && i >= r->section.first_block && i < r->section.end_block;
        rfx_buf_printf(&b, "%s | ", in ? " S" : "");
        size_t n = bl->t.len > 160 ? 160 : bl->t.len;
        while (n < bl->t.len && ((unsigned char)bl->t.s[n] & 0xC0) == 0x80) n++;
        rfx_buf_put(&b, bl->t.s, n, 0, false);
        rfx_buf_puts(&b, n < bl->t.len ? "…\n" : "\n");
    }
    return rfx_buf_steal(&b);
}
