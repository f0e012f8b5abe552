/* sgml.c — EDGAR full-submission ingest (placeholder until the SGML stage lands). */
#include "../rfx_internal.h"

rfx_status rfx_ingest_sgml(rfx_register *r, rfx_error *err) {
    rfx_set_error(err, RFX_EINPUT, "%s: SGML input is not supported yet", r->path);
    return RFX_EINPUT;
}
