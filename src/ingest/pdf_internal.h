/*
 * pdf_internal.h — what pdf.c (text layer, paragraphs, the extracted text)
 * and pdf_ocr.c (rendered pages through Tesseract) pass each other: a page
 * as lines of words with boxes, in reading order, before any paragraph is
 * built. Both sources produce the same shape, so one paragraph builder reads
 * text-layer and OCR pages alike.
 */
#ifndef RFX_PDF_INTERNAL_H
#define RFX_PDF_INTERNAL_H

#include "../rfx_internal.h"

#include <poppler.h>

typedef struct pdf_word {
    size_t off, len;       /* bytes of the line's text */
    float x0, y0, x1, y1;  /* PDF points, origin at the page's top left */
    float conf;            /* OCR confidence 0-100; -1 for the text layer */
} pdf_word;

typedef struct pdf_line {
    char *text;            /* heap UTF-8: words split by ' ', table cells by '\t' */
    size_t len, cap;
    float x0, y0, x1, y1;
    float size;            /* font size in points (OCR: estimated from the line height) */
    size_t bold_bytes;     /* leading bytes set in a bold font */
    bool bold, italic;     /* the whole line is */
    bool para;             /* the recogniser started a paragraph here (OCR) */
    pdf_word *words;
    size_t nwords, capw;
} pdf_line;

typedef struct pdf_page {
    pdf_line *lines;
    size_t n, cap;
    double w, h;           /* page size in points */
    bool ocr;              /* read by OCR */
} pdf_page;

void pdf_page_free(pdf_page *p);
pdf_line *pdf_page_add_line(pdf_page *p);
/* Appends a word (sep ' ' or '\t' before it unless it is the first) and
 * grows the line's box; false on allocation failure. */
bool pdf_line_add_word(pdf_line *l, const char *s, size_t n, const float box[4], float conf, char sep);

/* pdf_ocr.c: one Tesseract engine per document, reused across pages. */
typedef struct pdf_ocr pdf_ocr;
/* NULL with msg filled when Tesseract or its language data is missing. */
pdf_ocr *pdf_ocr_new(const char *lang, char *msg, size_t msgn);
void pdf_ocr_free(pdf_ocr *o);
const char *pdf_ocr_lang(const pdf_ocr *o);
/* Renders the page and recognises it into out (lines with word boxes in
 * points). Returns 0 when done, 1 when the time limit cut recognition short
 * (out holds what was read), 2 for a blank page (nothing drawn: not
 * recognised), -1 on failure (msg says why). *dpi_used reports
 * the resolution after the pixel limit. */
int pdf_ocr_page(pdf_ocr *o, PopplerPage *page, const rfx_options *opt, pdf_page *out,
                 unsigned *dpi_used, double *render_s, char *msg, size_t msgn);
double pdf_now(void); /* CPU seconds of the calling thread, for bench/pdf */

#endif
