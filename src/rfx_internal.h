/*
 * rfx_internal.h — the data types the pipeline stages pass along.
 *
 * One document = one struct rfx_register. Every stage writes into it, and
 * everything it points to lives in its arena (util/arena.c), released at once
 * by rfx_register_free. Text that leaves ingest always carries an offset map
 * (rfx_text.src) back to the original input bytes, so any span a later stage
 * cuts out of it can be traced to the source.
 *
 *   ingest   bytes → blocks         (src/ingest/)
 *   locate   blocks → section       (locate/locate.c)
 *   segment  section → risks        (segment/segment.c)
 *   extract  risks → facts,entities (src/extract/)
 *   classify risks → categories     (src/classify/)
 *   compare  register² → diff       (src/compare/)
 */
#ifndef RFX_INTERNAL_H
#define RFX_INTERNAL_H

#include "rfx.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---------------- util/arena.c ---------------- */
typedef struct rfx_arena rfx_arena;
rfx_arena *rfx_arena_new(size_t limit_bytes);
void rfx_arena_free(rfx_arena *a);
/* Returns zeroed memory or NULL when the arena's limit is reached. */
void *rfx_arena_alloc(rfx_arena *a, size_t n);
char *rfx_arena_strndup(rfx_arena *a, const char *s, size_t n);
char *rfx_arena_strdup(rfx_arena *a, const char *s);
char *rfx_arena_printf(rfx_arena *a, const char *fmt, ...);
size_t rfx_arena_used(const rfx_arena *a);
/* True once an allocation has been refused (limit reached or out of memory). */
bool rfx_arena_failed(const rfx_arena *a);
/* Grows an arena array (copying); returns NULL on limit. */
void *rfx_arena_grow(rfx_arena *a, void *old, size_t old_n, size_t new_n, size_t elem);

/* ---------------- util/buf.c ---------------- */
/* A growable byte buffer on the heap, with an optional parallel offset map. */
typedef struct rfx_buf {
    char *data;
    size_t len, cap;
    uint32_t *src; /* when tracking: src[i] = source offset of data[i] */
    bool track;
    bool oom;      /* set once an allocation failed; later appends are no-ops */
} rfx_buf;
void rfx_buf_init(rfx_buf *b, bool track);
void rfx_buf_free(rfx_buf *b);
void rfx_buf_clear(rfx_buf *b);
/* Appends n bytes all mapped to source offset off (or off..off+n-1 if step). */
void rfx_buf_put(rfx_buf *b, const char *s, size_t n, uint32_t off, bool step);
void rfx_buf_putc(rfx_buf *b, char c, uint32_t off);
void rfx_buf_puts(rfx_buf *b, const char *s);
void rfx_buf_printf(rfx_buf *b, const char *fmt, ...);
/* Appends a JSON-less, HTML-escaped copy of s. */
void rfx_buf_put_html(rfx_buf *b, const char *s, size_t n);
char *rfx_buf_steal(rfx_buf *b); /* malloc'd, NUL-terminated; buffer reset */

/* ---------------- util/utf8.c ---------------- */
/* Decodes one code point; returns bytes consumed (>=1); *cp = 0xFFFD if invalid. */
int rfx_utf8_decode(const unsigned char *s, size_t n, int32_t *cp);
int rfx_utf8_encode(int32_t cp, char out[4]);
bool rfx_utf8_valid(const unsigned char *s, size_t n, size_t *bad_at);
/* A copy of s[0..n) with each invalid sequence replaced by U+FFFD (what
 * jansson refuses becomes a string it takes). malloc'd; NULL when out of memory. */
char *rfx_utf8_repair(const char *s, size_t n);
/* Windows-1252 byte → code point (0 for undefined bytes). */
int32_t rfx_cp1252(unsigned char c);

/* ---------------- text with an offset map ---------------- */
typedef struct rfx_text {
    char *s;        /* NUL-terminated UTF-8, in the arena */
    size_t len;
    uint32_t *src;  /* len + 1 entries: src[i] = source byte offset of s[i]; src[len] = end.
                     * NULL only for a decoded input that is a verbatim copy: then the
                     * offset of s[i] is base + i (saves 4 bytes per input byte) */
    uint32_t base;
} rfx_text;

/* Source offset of byte i of t (either map form). */
static inline uint32_t rfx_text_off(const rfx_text *t, size_t i) {
    return t->src ? t->src[i] : t->base + (uint32_t)i;
}

/* Copies a rfx_buf into the arena as a rfx_text. */
bool rfx_text_from_buf(rfx_arena *a, const rfx_buf *b, rfx_text *out);
/* Source offsets of the byte span [i, j) of t. */
static inline uint32_t rfx_text_start(const rfx_text *t, size_t i) {
    return t->len ? rfx_text_off(t, i < t->len ? i : t->len) : 0;
}
uint32_t rfx_text_end(const rfx_text *t, size_t j);

/* ---------------- ingest: blocks ---------------- */
enum rfx_block_flag {
    RFX_B_BOLD = 1u << 0,
    RFX_B_ITALIC = 1u << 1,
    RFX_B_UNDERLINE = 1u << 2,
    RFX_B_CAPS = 1u << 3,      /* all letters upper case */
    RFX_B_CENTER = 1u << 4,
    RFX_B_LIST = 1u << 5,      /* a list item (bullet stripped) */
    RFX_B_TABLE = 1u << 6,     /* a table row (cells joined by " | ") */
    RFX_B_PAGENUM = 1u << 7,   /* a page number / page footer */
    RFX_B_PAGEHDR = 1u << 8,   /* a running page header */
    RFX_B_TOC = 1u << 9,       /* part of a table of contents */
    RFX_B_HEADING = 1u << 10,  /* <h1>-<h6> */
    RFX_B_PARTBOLD = 1u << 11, /* starts with an emphasised run that is not the whole block */
    RFX_B_LINKED = 1u << 12,   /* the whole block is an <a href> (TOC entry) */
    RFX_B_HIDDEN = 1u << 13    /* display:none */
};

typedef struct rfx_block {
    rfx_text t;          /* normalised text (NFKC, bullets stripped, lines joined) */
    uint32_t flags;      /* rfx_block_flag */
    uint32_t start, end; /* source byte range of the element / paragraph */
    uint16_t level;      /* h1..h6 level, 0 otherwise */
    uint16_t font_size;  /* in tenths of a point, 0 unknown */
    uint32_t lead_len;   /* PARTBOLD: bytes of the emphasised lead-in */
} rfx_block;

enum rfx_format { RFX_FMT_TEXT, RFX_FMT_HTML, RFX_FMT_SGML, RFX_FMT_PDF, RFX_FMT_MARKDOWN };

/* ---------------- facts and entities ---------------- */
enum rfx_fact_kind { RFX_F_MONEY, RFX_F_PERCENT, RFX_F_COUNT, RFX_F_DATE, RFX_F_PERIOD };

typedef struct rfx_fact {
    int kind;            /* rfx_fact_kind */
    const char *text;    /* as written (normalised text) */
    uint32_t start, end; /* source offsets */
    double value;        /* units: 26.1 billion → 26100000000; percent: 33 */
    bool has_value;
    double value_high;   /* ranges: the upper bound; has_high says so */
    bool has_high;
    char currency[4];    /* ISO 4217, "" when none */
    const char *unit;    /* counts: the noun ("ATMs"); NULL otherwise */
    const char *period;  /* "FY2013", "2013-03-31", ... or NULL */
    const char *repaired;/* "ocr-yen:X" etc. or NULL */
    const char *date;    /* dates: ISO "2013-03-31" / "2013-06" */
} rfx_fact;

enum rfx_entity_kind { RFX_E_ORG, RFX_E_PERSON, RFX_E_REGULATOR, RFX_E_LAW, RFX_E_TERM };

typedef struct rfx_entity {
    const char *name;
    const char *alias; /* NULL when none */
    int kind;          /* rfx_entity_kind */
    const char *title; /* people: "Mr." */
    uint32_t start, end;
} rfx_entity;

/* ---------------- classification and metrics ---------------- */
typedef struct rfx_category {
    const char *id;
    double score;
    const char **evidence; /* NULL-terminated, arena */
    size_t nevidence;
} rfx_category;

typedef struct rfx_metrics {
    size_t words, sentences;
    double specificity;   /* share of words in entities, numbers, dates */
    double boilerplate;   /* share of sentences with a common 4-gram */
    double fog;           /* Gunning fog index */
    double uncertainty, litigious, negative; /* per 100 words */
    bool valid;
} rfx_metrics;

/* ---------------- risks ---------------- */
typedef struct rfx_risk {
    size_t index;         /* 1-based */
    const char *group;    /* caption ("Risks Related to Our Business") or NULL */
    rfx_text heading;
    rfx_text body;        /* paragraphs joined by "\n\n"; list items start "- " */
    uint32_t start, end;  /* source offsets: heading start .. body end */
    size_t first_block, nblocks;
    rfx_fact *facts;
    size_t nfacts;
    rfx_category *cats;
    size_t ncats;
    rfx_metrics metrics;
} rfx_risk;

typedef struct rfx_warning {
    const char *code;
    const char *message;
    int64_t start; /* -1 when not tied to a place */
} rfx_warning;

typedef struct rfx_section {
    bool found;
    const char *title;
    uint32_t start, end;       /* source offsets */
    size_t first_block, end_block; /* blocks [first_block, end_block) */
    const char *how;           /* "heading", "whole-document", "incorporated-by-reference", ... */
    double confidence;
    const char *reference;     /* incorporated by reference: the target named */
    /* Where the section's body starts (locate.c): block body_block, byte
     * body_skip of its text. The heading may span blocks ("Item 1A." then
     * "Risk Factors") or share one with body text (flattened text), so
     * segment should read from here rather than from first_block + 1. For
     * "incorporated-by-reference" and "not-applicable" sections body_block ==
     * end_block: there is nothing to segment. */
    size_t body_block, body_skip;
} rfx_section;

typedef struct rfx_filing {
    const char *form, *company, *cik, *period, *currency;
    const char *fiscal_year_end; /* "0331" style month-day, or NULL */
    int fy_end_month, fy_end_day; /* 0 when unknown */
} rfx_filing;

struct rfx_register {
    rfx_arena *arena;
    rfx_options opt;

    /* source */
    const char *path;
    unsigned char *src; /* the original bytes (arena copy); NULL for JSON-loaded registers */
    size_t srclen;
    size_t bytes_read; /* bytes the blocks come from: srclen unless a prefix parse settled it */
    int format; /* rfx_format */
    char sha256[65];

    /* decoded input: UTF-8 text with a map to source offsets (text formats) */
    rfx_text decoded;

    rfx_filing filing;
    rfx_block *blocks;
    size_t nblocks, cap_blocks;
    rfx_section section;
    rfx_risk *risks;
    size_t nrisks, cap_risks;
    rfx_entity *entities;
    size_t nentities, cap_entities;
    rfx_warning *warnings;
    size_t nwarnings, cap_warnings;
    rfx_metrics metrics; /* whole section */
    const char *preamble; /* section text before the first risk */
    bool from_json;
    /* PDF input: offsets index the extracted text (r->decoded), and this says
     * where each of its words sits on which page (ingest/pdf.c). */
    struct rfx_pdf_layout *pdf;
};

/* register helpers (core/register.c, core/parse.c) */
rfx_register *rfx_register_new(const rfx_options *opt);
rfx_block *rfx_reg_add_block(rfx_register *r);
rfx_risk *rfx_reg_add_risk(rfx_register *r);
rfx_entity *rfx_reg_add_entity(rfx_register *r);
void rfx_reg_warn(rfx_register *r, const char *code, int64_t start, const char *fmt, ...);
bool rfx_risk_add_fact(rfx_register *r, rfx_risk *k, const rfx_fact *f);
void rfx_set_error(rfx_error *err, int code, const char *fmt, ...);

/* ---------------- stages ---------------- */
/* ingest/ingest.c: detect the format and fill r->blocks (and r->filing
 * where a header states it). */
rfx_status rfx_ingest(rfx_register *r, rfx_error *err);
int rfx_detect_format(const unsigned char *s, size_t n);
/* ingest/decode.c: bytes → UTF-8 with offset map (Windows-1252 fallback). */
rfx_status rfx_decode(rfx_register *r, const unsigned char *s, size_t n, uint32_t base,
                      rfx_text *out, rfx_error *err);
/* ingest/normalize.c: normalises one paragraph of raw text (map kept). */
void rfx_normalize_append(rfx_buf *out, const char *s, size_t n, const uint32_t *src);
/* ingest/text.c: plain text → blocks. */
rfx_status rfx_ingest_text(rfx_register *r, const rfx_text *t, rfx_error *err);
/* ingest/markdown.c: Markdown → blocks (emphasis, headings and tables as
 * style; offsets into the Markdown bytes); the detector format sniffing uses. */
rfx_status rfx_ingest_markdown(rfx_register *r, rfx_error *err);
bool rfx_looks_markdown(const unsigned char *s, size_t n);
/* ingest/html.c */
rfx_status rfx_ingest_html(rfx_register *r, const unsigned char *s, size_t n, uint32_t base,
                           rfx_error *err);
/* ingest/sgml.c */
rfx_status rfx_ingest_sgml(rfx_register *r, rfx_error *err);
/* filing facts stated in the text (form, company, currency) */
void rfx_filing_from_text(rfx_register *r);

/* ingest/pdf.c: a PDF → the extracted text (r->decoded, what offsets index)
 * and blocks; text layer through poppler, pages without one through OCR. */
typedef struct rfx_pdf_word {
    uint32_t start, end;   /* byte range in the extracted text */
    uint32_t page;         /* 1-based */
    float x0, y0, x1, y1;  /* PDF points, origin at the page's top left */
    float conf;            /* OCR confidence 0-100; -1 from the text layer */
} rfx_pdf_word;
typedef struct rfx_pdf_layout {
    rfx_pdf_word *words;   /* in text order */
    size_t nwords;
    uint32_t pages, pages_read, ocr_pages;
    const char *ocr_lang;  /* NULL when no page was recognised */
    /* CPU seconds (calling thread) per step, for bench/pdf: open, text
     * layer, OCR rendering, OCR recognition, lines → blocks */
    double sec_open, sec_text, sec_render, sec_ocr, sec_build;
} rfx_pdf_layout;
rfx_status rfx_ingest_pdf(rfx_register *r, rfx_error *err);
/* The page and box of the source span [start, end): the union of its words'
 * boxes on the page where it starts. False when no word lies in the span. */
bool rfx_pdf_span_box(const rfx_register *r, uint32_t start, uint32_t end, uint32_t *page,
                      float box[4]);
/* The page of the word at or last before offset off (0 without a layout). */
uint32_t rfx_pdf_page_at(const rfx_register *r, uint32_t off);

/* core/prefix.c (--fast): blocks and section from the front of a large HTML
 * filing when a scan of the rest finds nothing that should change them;
 * false with r->format set means r holds a partial reading to discard. */
bool rfx_prefix_parse(rfx_register *r);
/* The byte where a prefix parse of r stops (0: r is read whole). Filing facts
 * are voted on from blocks before it in either mode, so both agree. */
size_t rfx_prefix_cut(const rfx_register *r);
/* Does raw HTML s hold an "Item 1A" label at the start of an element's text? */
bool rfx_prefix_tail_has_label(const unsigned char *s, size_t n);

/* locate/locate.c (heading recognition in locate/heads.c) */
void rfx_locate(rfx_register *r);
/* segment/segment.c */
void rfx_segment(rfx_register *r);
/* extract/extract.c: facts per risk and document entities */
void rfx_extract(rfx_register *r);
/* classify/classify.c and classify/metrics.c */
rfx_status rfx_classify(rfx_register *r, rfx_error *err);
void rfx_measure(rfx_register *r);

/* render/json.c */
struct json_t;
struct json_t *rfx_register_to_jansson(const rfx_register *r);
const char *rfx_fact_kind_name(int kind);
const char *rfx_entity_kind_name(int kind);

#endif
