/* diff.c — comparing registers (placeholder until the compare stage lands). */
#include "../rfx_internal.h"

#include <stdlib.h>

rfx_status rfx_diff_compute(const rfx_register *a, const rfx_register *b, rfx_diff **out,
                            rfx_error *err) {
    (void)a; (void)b;
    *out = NULL;
    rfx_set_error(err, RFX_EINTERNAL, "diff is not implemented yet");
    return RFX_EINTERNAL;
}
void rfx_diff_free(rfx_diff *d) { (void)d; }
char *rfx_diff_json(const rfx_diff *d, unsigned f) { (void)d; (void)f; return NULL; }
char *rfx_diff_text(const rfx_diff *d, unsigned f) { (void)d; (void)f; return NULL; }
char *rfx_diff_html(const rfx_diff *d, unsigned f) { (void)d; (void)f; return NULL; }
