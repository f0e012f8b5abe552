#include "../rfx_internal.h"
void rfx_segment(rfx_register *r) { (void)r; }
