/*
 * lineage.c — a company's consecutive filings linked risk by risk, with the
 * very alignment `rfx diff` uses (src/compare/diff.c), so a stored status
 * always agrees with what `rfx diff OLD NEW` says about the same pair.
 *
 * (cmp_diff_align: the same alignment without the redlines.)
 *
 * Rules (docs/corpus.md): a risk matched to one of the older filing is
 * unchanged, modified or moved and links back to it; an added risk carved
 * out of an older one (a split) links back to that one with status "split";
 * a matched risk that absorbed older risks (a merge) gets status "merge";
 * other added risks have no predecessor. Older risks with no successor are
 * recorded as gone on the newer filing: "removed", or "merge" with the risk
 * they were folded into.
 */
#include "store_int.h"

#include "../compare/compare.h"

#include <stdlib.h>

rfx_status store_lineage(const rfx_register *older, const rfx_register *newer, lin_result *out,
                         rfx_error *err) {
    out->links = NULL;
    out->gone = NULL;
    out->nlinks = out->ngone = 0;
    rfx_diff *d = NULL;
    rfx_status st = cmp_diff_align(older, newer, &d, err);
    if (st != RFX_OK) return st;
    size_t m = newer->nrisks, n = older->nrisks;
    out->links = calloc(m ? m : 1, sizeof *out->links);
    out->gone = calloc(n ? n : 1, sizeof *out->gone);
    if (!out->links || !out->gone) {
        rfx_diff_free(d);
        store_lineage_free(out);
        rfx_set_error(err, RFX_ENOMEM, "lineage: out of memory");
        return RFX_ENOMEM;
    }
    out->nlinks = m;
    for (size_t j = 0; j < m; j++) out->links[j] = (lin_link){-1, "added", 0};
    for (size_t k = 0; k < d->npairs; k++) {
        const cmp_pair *p = &d->pairs[k];
        if (p->new_ >= 0 && (size_t)p->new_ < m) {
            lin_link *l = &out->links[p->new_];
            if (p->status == CMP_ADDED) {
                if (p->split_from >= 0) *l = (lin_link){p->split_from, "split", 0};
            } else {
                *l = (lin_link){p->old, cmp_status_name[p->status], p->similarity};
            }
        } else if (p->status == CMP_REMOVED && p->old >= 0) {
            out->gone[out->ngone++] = (lin_gone){p->old, p->merged_into,
                                                 p->merged_into >= 0 ? "merge" : "removed"};
        }
    }
    /* the survivor of a merge group carries the group's status */
    for (size_t g = 0; g < d->ngroups; g++) {
        const cmp_group *grp = &d->groups[g];
        if (!grp->split && grp->one >= 0 && (size_t)grp->one < m) out->links[grp->one].status = "merge";
    }
    rfx_diff_free(d);
    return RFX_OK;
}

void store_lineage_free(lin_result *r) {
    free(r->links);
    free(r->gone);
    r->links = NULL;
    r->gone = NULL;
    r->nlinks = r->ngone = 0;
}
