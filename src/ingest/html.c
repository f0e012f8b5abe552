/* html.c — HTML ingest (placeholder until the HTML stage lands). */
#include "../rfx_internal.h"

rfx_status rfx_ingest_html(rfx_register *r, const unsigned char *s, size_t n, uint32_t base,
                           rfx_error *err) {
    (void)s; (void)n; (void)base;
    rfx_set_error(err, RFX_EINPUT, "%s: HTML input is not supported yet", r->path);
    return RFX_EINPUT;
}
