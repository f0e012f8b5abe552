/*
 * locate.h — the locate stage's own vocabulary, shared by its files.
 *
 * heads.c reads single blocks and says what kind of heading each one is (an
 * "Item N" heading, a 20-F "D. Risk Factors" caption, a bare "Risk Factors"
 * caption, a top-level prospectus caption); locate.c chooses among them with
 * document-level evidence (how much body text follows each candidate) and
 * fills r->section. Keeping the string matching apart keeps both files short.
 */
#ifndef RFX_LOCATE_H
#define RFX_LOCATE_H

#include "../rfx_internal.h"

enum head_kind {
    H_NONE = 0,
    H_ITEM,     /* "Item 1A. Risk Factors", "ITEM 2", "1B. Unresolved Staff Comments" */
    H_D,        /* 20-F "D. Risk Factors", "3.D Risk Factors", "Item 3.D" */
    H_RISK,     /* a caption that is only "Risk Factors" */
    H_CAPTION,  /* another top-level caption: "Use of Proceeds", "Forward-Looking Statements" */
    H_FACTORS   /* "Factors That May Affect Future Results" (pre-2005 risk discussion) */
};

/* One block read as a heading. */
typedef struct loc_head {
    int kind;          /* enum head_kind */
    int key;           /* H_ITEM: 10 * number + letter (A = 1 … D = 4): 1A = 11, 2 = 20 */
    bool risk_title;   /* H_ITEM: the title (so far) reads "Risk Factor(s)" */
    bool title_open;   /* H_ITEM: no title, or only a start of "Risk Factors" ("Risk") */
    bool tocish;       /* ends in a page number ("Risk Factors 12", "| 27-36"): a TOC/index row */
    bool not_applicable; /* the block itself says "Not applicable" / "None" after the title */
    bool standard;     /* H_ITEM: the title is one of the standard item titles */
    bool form20f;      /* H_ITEM: a title only a 20-F uses ("Key Information", "Information on the Company") */
    size_t head_len;   /* bytes of the heading when body text follows in the same block, else 0 */
} loc_head;

/* Reads block b as a heading; returns false (and kind H_NONE) when it is not one. */
bool loc_read_head(const rfx_block *b, loc_head *h);

/* Does the text start with "risk factor" (singular kept for OCR damage)? */
bool loc_starts_risk_factors(const char *s, size_t n);

/* Case-insensitive search for an ASCII needle in s[0..n). */
const char *loc_find_ci(const char *s, size_t n, const char *needle);

#endif
