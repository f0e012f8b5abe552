#include "../rfx_internal.h"
void rfx_locate(rfx_register *r) { (void)r; }
