/*
 * fuzz_query.c — libFuzzer target for the search query language
 * (src/store/query.c) run end to end against an in-memory corpus store:
 * whatever the bytes, rfx_store_search answers RFX_OK or RFX_EUSAGE with a
 * message — never a database error (which would mean user text reached
 * FTS5 as syntax), a crash or a leak.
 */
#include "rfx.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(c) \
    do { if (!(c)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static rfx_store *store;

static void setup(void) {
    static const char reg[] =
        "{\"filing\":{\"form\":\"10-K\",\"company\":\"Fuzz Corp\",\"cik\":\"1\",\"period\":\"2020-12-31\"},"
        "\"source\":{\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000001\"},"
        "\"risks\":[{\"index\":1,\"heading\":\"Tariffs could hurt sales.\",\"body\":\"New tariffs on "
        "parts and export controls could halt shipments to customers abroad.\","
        "\"categories\":[{\"id\":\"international\",\"score\":0.9}]}]}";
    rfx_error e;
    rfx_register *r = NULL;
    FUZZ_CHECK(rfx_store_open(":memory:", RFX_STORE_CREATE, &store, &e) == RFX_OK);
    FUZZ_CHECK(rfx_register_from_json(reg, sizeof reg - 1, &r, &e) == RFX_OK);
    FUZZ_CHECK(rfx_store_add(store, r, "fuzz.json", NULL, &e) == RFX_OK);
    rfx_register_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!store) setup();
    if (size > 4096) return 0;
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = 0; /* the CLI's argv can hold no NUL either */
    rfx_store_query q;
    rfx_store_query_init(&q);
    q.text = text;
    char *json = NULL;
    rfx_error e;
    rfx_status st = rfx_store_search(store, &q, &json, &e);
    FUZZ_CHECK(st == RFX_OK || st == RFX_EUSAGE);
    FUZZ_CHECK((st == RFX_OK) == (json != NULL));
    if (st == RFX_EUSAGE) FUZZ_CHECK(e.message[0] != 0);
    free(json);
    free(text);
    return 0;
}
