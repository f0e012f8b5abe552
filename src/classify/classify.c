/* classify.c — risk categories (placeholder until the classify stage lands). */
#include "../rfx_internal.h"

rfx_status rfx_classify(rfx_register *r, rfx_error *err) { (void)r; (void)err; return RFX_OK; }
void rfx_measure(rfx_register *r) { (void)r; }
