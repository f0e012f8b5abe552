/* json_read.c — a saved register back into memory (placeholder). */
#include "../rfx_internal.h"

rfx_status rfx_register_from_json(const char *json, size_t len, rfx_register **out, rfx_error *err) {
    (void)json; (void)len;
    *out = NULL;
    rfx_set_error(err, RFX_EINTERNAL, "reading saved registers is not implemented yet");
    return RFX_EINTERNAL;
}
