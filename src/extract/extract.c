/* extract.c — facts and entities (placeholder until the extract stage lands). */
#include "../rfx_internal.h"

void rfx_extract(rfx_register *r) { (void)r; }
void rfx_filing_from_text(rfx_register *r) { (void)r; }
