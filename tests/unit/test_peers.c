/*
 * test_peers.c — rfx_peers_compute on registers written here (as saved
 * registers): peer order, closest risks, unique risks, a gap, shared text
 * for a copied risk, bad arguments, and the renderers' contracts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "rfx.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CYBER_A "Hackers could break into our order systems and expose customer payment data."
#define CYBER_B "Criminals could break into our dispatch systems and expose customer payment data."
#define COPY "A fire at our only plant in Dayton would stop all production for months. Our insurance would not cover the revenue we would lose in that time."

static rfx_register *reg(const char *path, const char *h1, const char *b1, const char *h2, const char *b2) {
    json_t *root = json_pack("{s:{s:s}, s:[{s:i, s:s, s:s}, {s:i, s:s, s:s}]}", "source", "path", path, "risks",
                             "index", 1, "heading", h1, "body", b1, "index", 2, "heading", h2, "body", b2);
    char *s = json_dumps(root, 0);
    json_decref(root);
    rfx_register *r = NULL;
    rfx_error e;
    assert_int_equal(rfx_register_from_json(s, strlen(s), &r, &e), RFX_OK);
    free(s);
    return r;
}

static void test_peers(void **state) {
    (void)state;
    rfx_register *v[3];
    v[0] = reg("x/acme_10-K_FY2023.txt", "Our only plant could burn down.", COPY,
               "Steel prices could squeeze our margins.", "Steel is a third of our costs and its price rose sharply in the year.");
    v[1] = reg("y/boreal_10-K_FY2023.txt", "Cyber attacks could expose data.", CYBER_A,
               "Our only factory could burn down.", COPY);
    v[2] = reg("z/cobalt_10-K_FY2023.txt", "Cyber attacks could expose customer data.", CYBER_B,
               "Diesel prices could cut our margins.", "Fuel is our second largest cost after wages and surcharges lag.");
    rfx_peers_options o;
    rfx_peers_options_init(&o);
    rfx_peers *p = NULL;
    rfx_error e;
    o.company = "nosuch";
    assert_int_equal(rfx_peers_compute((const rfx_register *const *)v, 3, &o, &p, &e), RFX_EUSAGE);
    assert_null(p);
    o.company = NULL;
    assert_int_equal(rfx_peers_compute((const rfx_register *const *)v, 3, &o, &p, &e), RFX_EUSAGE);
    o.company = "acme";
    assert_int_equal(rfx_peers_compute((const rfx_register *const *)v, 3, &o, &p, &e), RFX_OK);
    char *js = rfx_peers_json(p, 0);
    json_error_t je;
    json_t *root = json_loads(js, 0, &je);
    assert_non_null(root);
    json_t *peers = json_object_get(root, "peers");
    assert_int_equal(json_array_size(peers), 2);
    /* the copy makes boreal the nearer peer */
    assert_string_equal(json_string_value(json_object_get(json_array_get(peers, 0), "company")), "boreal");
    json_t *r0 = json_array_get(json_object_get(root, "risks"), 0);
    json_t *st = json_object_get(r0, "shared_text");
    assert_int_equal(json_integer_value(json_object_get(st, "shared_sentences")), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(st, "companies"), 0)), "boreal");
    json_t *close = json_array_get(json_object_get(r0, "closest"), 0);
    assert_int_equal(json_integer_value(json_object_get(close, "risk")), 2);
    /* risk 2 (steel) is unique; the cyber theme of both peers is a gap */
    json_t *uniq = json_object_get(root, "unique");
    assert_int_equal(json_array_size(uniq), 1);
    assert_int_equal(json_integer_value(json_array_get(uniq, 0)), 2);
    json_t *gaps = json_object_get(root, "gaps");
    assert_int_equal(json_array_size(gaps), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(gaps, 0), "peers")), 2);
    json_decref(root);
    free(js);
    char *t = rfx_peers_text(p, 0);
    assert_non_null(strstr(t, "[UNIQUE]"));
    free(t);
    char *h = rfx_peers_html(p, 0);
    assert_non_null(strstr(h, "<!doctype html>"));
    assert_null(strstr(h, "<script"));
    free(h);
    rfx_peers_free(p);
    /* named peers */
    o.peers = "cobalt";
    assert_int_equal(rfx_peers_compute((const rfx_register *const *)v, 3, &o, &p, &e), RFX_OK);
    js = rfx_peers_json(p, 0);
    assert_non_null(strstr(js, "\"peers_given\":true"));
    free(js);
    rfx_peers_free(p);
    o.peers = "nosuch";
    assert_int_equal(rfx_peers_compute((const rfx_register *const *)v, 3, &o, &p, &e), RFX_EUSAGE);
    for (int i = 0; i < 3; i++) rfx_register_free(v[i]);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_peers)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
