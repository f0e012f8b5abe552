/*
 * fuzz_prefix.c — libFuzzer target for the label scan of the prefix parse
 * (src/core/prefix.c): the unread tail of a large HTML filing is raw,
 * untrusted bytes, scanned backwards and forwards around every '1'.
 * Bytes → rfx_prefix_tail_has_label, on an exact-length copy so any read
 * outside the buffer is caught, then on the same bytes behind a known label
 * (the answer must then be yes: a label at the start of the text is found
 * whatever follows it).
 */
#include "rfx_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    unsigned char *copy = malloc(size ? size : 1);
    if (!copy) return 0;
    if (size) memcpy(copy, data, size);
    (void)rfx_prefix_tail_has_label(copy, size);
    free(copy);
    static const char label[] = "<p>Item 1A. ";
    size_t n = sizeof label - 1 + size;
    unsigned char *both = malloc(n);
    if (!both) return 0;
    memcpy(both, label, sizeof label - 1);
    if (size) memcpy(both + sizeof label - 1, data, size);
    if (!rfx_prefix_tail_has_label(both, n)) __builtin_trap();
    free(both);
    return 0;
}
