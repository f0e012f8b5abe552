/* locate.c — find the risk-factor section (minimal first version). */
#include "../rfx_internal.h"

#include <string.h>

void rfx_locate(rfx_register *r) {
    /* whole document for now: a later version searches for the Item heading */
    r->section.found = r->nblocks > 0;
    r->section.first_block = 0;
    r->section.end_block = r->nblocks;
    if (r->nblocks) {
        const rfx_block *b = &r->blocks[0];
        if (b->t.len < 80 && strstr(b->t.s, "Risk")) {
            r->section.title = b->t.s;
            r->section.how = "heading";
        } else {
            r->section.how = "whole-document";
        }
        r->section.start = r->blocks[0].start;
        r->section.end = r->blocks[r->nblocks - 1].end;
        r->section.confidence = 0.5;
    }
}
