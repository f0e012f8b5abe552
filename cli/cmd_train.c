/*
 * cmd_train.c — `rfx train`: fit the risk classifier on labelled risks and
 * report how well it does on risks it never saw.
 *
 *   rfx train LABELS.jsonl -o MODEL [--c C] [--threshold T] [--min-df N]
 *             [--folds K] [--heading-weight W] [--eval TEST.jsonl] [--dump FILE]
 *   rfx train --eval-only MODEL LABELS.jsonl [--split test|train|all] [--dump FILE]
 *
 * LABELS holds one JSON object a line: {"heading","body","labels":[...]} with
 * optional "split" ("train"/"test"), "company" (keeps a company's risks in one
 * cross-validation fold) and "id". Training uses every line whose split is
 * not "test"; evaluation uses the "test" lines of --eval's file, or of LABELS.
 * Training fits the one-vs-rest model and, unless --no-primary, the
 * primary-category model that picks each risk's top category.
 * The report is a table of per-category precision, recall and F1 followed by
 * macro and micro averages and the top-1 accuracy against the primary label
 * (and among all gold labels), with and without the primary model.
 */
#include "cli.h"

#include "classify/classify.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *usage =
    "usage: rfx train LABELS.jsonl -o MODEL [options]\n"
    "       rfx train --eval-only MODEL LABELS.jsonl [--split test|train|all]\n"
    "\n"
    "  -o FILE             write the trained model here\n"
    "  --c C               liblinear cost (default: chosen by grouped cross-validation)\n"
    "  --threshold T       one probability threshold for every category\n"
    "                      (default: tuned per category by cross-validation)\n"
    "  --min-df N          drop features seen in fewer than N training risks (default 3)\n"
    "  --folds K           cross-validation folds (default 5)\n"
    "  --heading-weight W  weight of the heading part of the vector (default 1)\n"
    "  --max-labels N      at most N categories per risk (default 4)\n"
    "  --pos-weight W      cost multiplier for positive examples (default 2)\n"
    "  --prune W           store weights with |w| < W as 0 (default 0.05)\n"
    "  --no-primary        no primary-category model: the top category is the most\n"
    "                      probable one-vs-rest category (a version-1 model file)\n"
    "  --primary-solver S  lr, cs, svc or l1lr (default: lr, cs or svc, by grouped CV)\n"
    "  --primary-c C       cost of the primary model (default: by grouped CV)\n"
    "  --primary-heading-weight W\n"
    "                      heading weight of the primary model (default: by grouped CV)\n"
    "  --eval FILE         evaluate on FILE's test lines (all lines if it has none)\n"
    "  --split S           with --eval-only: which lines to score (default test, else all)\n"
    "  --dump FILE         write each evaluated risk's gold and predicted labels (JSONL)\n"
    "  -q                  no progress on stderr\n"
    "  -h, --help          this help\n"
    "output: the model file (-o; read by rfx parse --model), a table of per-category\n"
    "precision/recall/F1 and top-1 accuracy on stdout, --dump as JSON Lines.\n"
    "LABELS.jsonl: one {\"heading\", \"body\", \"labels\": [...]} a line, optional\n"
    "\"split\" (train/test), \"company\", \"id\".\n"
    "exit codes: 0 ok, 2 bad usage, 3 unreadable or invalid labels or model\n";

static const char *const options[] = {"--help", "--eval", "--eval-only", "--split", "--dump", "--c",
                                      "--threshold", "--min-df", "--folds", "--heading-weight",
                                      "--pos-weight", "--prune", "--no-primary", "--primary-c",
                                      "--primary-heading-weight", "--primary-solver", "--max-labels",
                                      NULL};

/* A known option that takes a value (then "unknown" would mislead). */
static bool options_takes_value(const char *a) {
    static const char *const with_value[] = {"-o", "--eval", "--eval-only", "--split", "--dump", "--c",
                                             "--threshold", "--min-df", "--folds", "--heading-weight",
                                             "--pos-weight", "--prune", "--primary-c",
                                             "--primary-heading-weight", "--primary-solver",
                                             "--max-labels", NULL};
    for (size_t i = 0; with_value[i]; i++)
        if (!strcmp(a, with_value[i])) return true;
    return false;
}

typedef struct doc {
    char *id, *heading, *body, *company, *split;
    const char **labels;
    size_t nlabels;
} doc;

typedef struct docs {
    doc *d;
    size_t n, cap;
} docs;

static void docs_free(docs *ds) {
    for (size_t i = 0; i < ds->n; i++) {
        doc *d = &ds->d[i];
        free(d->id); free(d->heading); free(d->body); free(d->company); free(d->split);
        for (size_t j = 0; j < d->nlabels; j++) free((char *)d->labels[j]);
        free(d->labels);
    }
    free(ds->d);
    memset(ds, 0, sizeof *ds);
}

static char *jstr(json_t *o, const char *k) {
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

/* Reads a labels file; returns 0 or an exit code (message printed). */
static int read_labels(const char *path, docs *out) {
    size_t len;
    char *text = cli_slurp(path, &len);
    if (!text) return cli_fail(RFX_EINPUT, "%s: cannot open", path);
    size_t lineno = 0;
    int rc = 0;
    for (char *p = text; p < text + len && !rc;) {
        char *e = memchr(p, '\n', (size_t)(text + len - p));
        size_t n = e ? (size_t)(e - p) : (size_t)(text + len - p);
        lineno++;
        char *line = p;
        p += n + 1;
        if (strspn(line, " \t\r") >= n) continue;
        json_error_t je;
        json_t *o = json_loadb(line, n, 0, &je);
        if (!json_is_object(o)) {
            rc = cli_fail(RFX_EINPUT, "%s:%zu: not a JSON object: %s", path, lineno, je.text);
            json_decref(o);
            break;
        }
        json_t *labels = json_object_get(o, "labels");
        if (!json_is_string(json_object_get(o, "heading")) || !json_is_array(labels)) {
            rc = cli_fail(RFX_EINPUT, "%s:%zu: needs \"heading\" and \"labels\"", path, lineno);
            json_decref(o);
            break;
        }
        if (out->n == out->cap) {
            size_t nc = out->cap ? out->cap * 2 : 256;
            doc *nd = realloc(out->d, nc * sizeof *nd);
            if (!nd) { rc = cli_fail(RFX_ENOMEM, "out of memory"); json_decref(o); break; }
            out->d = nd;
            out->cap = nc;
        }
        doc *d = &out->d[out->n++];
        memset(d, 0, sizeof *d);
        d->id = jstr(o, "id");
        d->heading = jstr(o, "heading");
        d->body = jstr(o, "body");
        d->company = jstr(o, "company");
        d->split = jstr(o, "split");
        d->labels = calloc(json_array_size(labels) + 1, sizeof *d->labels);
        for (size_t j = 0; d->labels && j < json_array_size(labels); j++) {
            json_t *l = json_array_get(labels, j);
            if (json_is_string(l)) d->labels[d->nlabels++] = strdup(json_string_value(l));
        }
        if (!d->body) d->body = strdup("");
        json_decref(o);
    }
    free(text);
    if (!rc && out->n == 0) rc = cli_fail(RFX_EINPUT, "%s: no labelled risks", path);
    return rc;
}

static bool is_test(const doc *d) { return d->split && strcmp(d->split, "test") == 0; }

/* Prints the evaluation table of m on the docs where sel[i]. */
static int evaluate(const rfx_model *m, const docs *ds, const bool *sel, const char *dump,
                    const char *what) {
    size_t C = m->ncats, nsel = 0, top1 = 0, top1any = 0, ovr1 = 0, ovr1any = 0;
    size_t *tp = calloc(C, sizeof *tp), *fp = calloc(C, sizeof *fp), *fn = calloc(C, sizeof *fn);
    double *probs = calloc(C, sizeof *probs), *pprobs = calloc(C, sizeof *pprobs);
    FILE *df = NULL;
    if (!tp || !fp || !fn || !probs || !pprobs) {
        free(tp); free(fp); free(fn); free(probs); free(pprobs);
        return cli_fail(RFX_ENOMEM, "out of memory");
    }
    if (dump && !(df = fopen(dump, "w"))) {
        free(tp); free(fp); free(fn); free(probs); free(pprobs);
        return cli_fail(RFX_EINPUT, "%s: cannot write", dump);
    }
    size_t unknown = 0;
    for (size_t i = 0; i < ds->n; i++) {
        if (!sel[i]) continue;
        const doc *d = &ds->d[i];
        nsel++;
        rfx_pred pr[RFX_MODEL_MAX_CATS];
        size_t np = rfx_model_predict(m, d->heading, d->body, NULL, probs, pr, RFX_MODEL_MAX_CATS, 5);
        unsigned char *gold = calloc(C, 1), *pred = calloc(C, 1);
        if (!gold || !pred) { free(gold); free(pred); rfx_preds_free(pr, np); continue; }
        for (size_t j = 0; j < d->nlabels; j++) {
            bool found = false;
            for (size_t c = 0; c < C; c++)
                if (strcmp(m->cats[c], d->labels[j]) == 0) { gold[c] = 1; found = true; }
            unknown += !found;
        }
        for (size_t j = 0; j < np; j++) pred[pr[j].cat] = 1;
        if (np && d->nlabels && strcmp(m->cats[pr[0].cat], d->labels[0]) == 0) top1++;
        if (np && gold[pr[0].cat]) top1any++;
        /* what ranking the one-vs-rest probabilities alone would give */
        size_t ob = 0;
        for (size_t c = 1; c < C; c++)
            if (probs[c] > probs[ob]) ob = c;
        if (d->nlabels && strcmp(m->cats[ob], d->labels[0]) == 0) ovr1++;
        if (gold[ob]) ovr1any++;
        for (size_t c = 0; c < C; c++) {
            tp[c] += gold[c] && pred[c];
            fp[c] += !gold[c] && pred[c];
            fn[c] += gold[c] && !pred[c];
        }
        if (df) {
            /* one document a line: the contract's version first (docs/json.md) */
            json_t *o = json_pack("{s:s}", "schema_version", RFX_SCHEMA_VERSION), *g = json_array(),
                   *p = json_array();
            for (size_t j = 0; j < d->nlabels; j++) json_array_append_new(g, json_string(d->labels[j]));
            for (size_t j = 0; j < np; j++) {
                json_t *ev = json_array();
                for (size_t e = 0; e < pr[j].nevidence; e++) json_array_append_new(ev, json_string(pr[j].evidence[e]));
                json_array_append_new(p, json_pack("{s:s,s:f,s:o}", "id", m->cats[pr[j].cat], "score",
                                                   round(pr[j].prob * 1000) / 1000, "evidence", ev));
            }
            json_object_set_new(o, "id", json_string(d->id ? d->id : ""));
            json_object_set_new(o, "heading", json_string(d->heading));
            json_object_set_new(o, "gold", g);
            json_object_set_new(o, "pred", p);
            if (m->pw && rfx_model_primary(m, d->heading, d->body, NULL, pprobs) >= 0) {
                json_t *pa = json_array(); /* the primary model's three best */
                for (int k = 0; k < 3 && (size_t)k < C; k++) {
                    size_t b = 0;
                    for (size_t c = 1; c < C; c++)
                        if (pprobs[c] > pprobs[b]) b = c;
                    json_array_append_new(pa, json_pack("{s:s,s:f}", "id", m->cats[b], "p",
                                                        round(pprobs[b] * 1000) / 1000));
                    pprobs[b] = -1;
                }
                json_object_set_new(o, "primary", pa);
            }
            char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
            if (s) fprintf(df, "%s\n", s);
            free(s);
            json_decref(o);
        }
        free(gold);
        free(pred);
        rfx_preds_free(pr, np);
    }
    if (df) fclose(df);
    printf("evaluation on %zu %s risks (%zu categories)\n\n", nsel, what, C);
    printf("%-30s %7s %7s %7s %7s %7s\n", "category", "support", "pred", "P", "R", "F1");
    double mp = 0, mr = 0, mf = 0;
    size_t TP = 0, FP = 0, FN = 0, present = 0;
    for (size_t c = 0; c < C; c++) {
        double p = tp[c] + fp[c] ? (double)tp[c] / (double)(tp[c] + fp[c]) : 0;
        double r = tp[c] + fn[c] ? (double)tp[c] / (double)(tp[c] + fn[c]) : 0;
        double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
        printf("%-30s %7zu %7zu %7.3f %7.3f %7.3f\n", m->cats[c], tp[c] + fn[c], tp[c] + fp[c], p, r, f);
        if (tp[c] + fn[c] == 0) continue; /* no test support: not in the macro average */
        present++;
        mp += p; mr += r; mf += f;
        TP += tp[c]; FP += fp[c]; FN += fn[c];
    }
    if (present) { mp /= (double)present; mr /= (double)present; mf /= (double)present; }
    double up = TP + FP ? (double)TP / (double)(TP + FP) : 0, ur = TP + FN ? (double)TP / (double)(TP + FN) : 0;
    printf("%-30s %7s %7s %7.3f %7.3f %7.3f   (over %zu categories with support)\n", "macro average", "", "",
           mp, mr, mf, present);
    printf("%-30s %7zu %7zu %7.3f %7.3f %7.3f\n", "micro average", TP + FN, TP + FP, up, ur,
           up + ur > 0 ? 2 * up * ur / (up + ur) : 0);
    printf("top-1 = primary label: %.3f   top-1 among gold labels: %.3f   (top from the %s)\n",
           nsel ? (double)top1 / (double)nsel : 0, nsel ? (double)top1any / (double)nsel : 0,
           m->pw ? "primary model" : "one-vs-rest probabilities");
    if (m->pw)
        printf("one-vs-rest ranking alone:  %.3f   top-1 among gold labels: %.3f\n",
               nsel ? (double)ovr1 / (double)nsel : 0, nsel ? (double)ovr1any / (double)nsel : 0);
    if (unknown) printf("note: %zu gold labels are not categories of this model\n", unknown);
    free(tp); free(fp); free(fn); free(probs); free(pprobs);
    return 0;
}

static int parse_num(const char *flag, const char *v, double lo, double hi, double *out) {
    char *e;
    double d = v ? strtod(v, &e) : 0;
    if (!v || e == v || *e || !(d >= lo && d <= hi))
        return cli_fail(RFX_EUSAGE, "train: %s needs a number in [%g, %g]", flag, lo, hi);
    *out = d;
    return 0;
}

int cmd_train(int argc, char **argv) {
    const char *labels = NULL, *out = NULL, *eval = NULL, *eval_only = NULL, *split = NULL,
               *dump = NULL;
    bool q = false;
    rfx_train_opts o;
    rfx_train_opts_init(&o);
    o.log = stderr;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        double d;
        int rc = 0;
        bool has_val = i + 1 < argc;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { fputs(usage, stdout); return 0; }
        else if (!strcmp(a, "-q")) q = true;
        else if (!strcmp(a, "-o") && has_val) out = argv[++i];
        else if (!strcmp(a, "--eval") && has_val) eval = argv[++i];
        else if (!strcmp(a, "--eval-only") && has_val) eval_only = argv[++i];
        else if (!strcmp(a, "--split") && has_val) split = argv[++i];
        else if (!strcmp(a, "--dump") && has_val) dump = argv[++i];
        else if (!strcmp(a, "--c") && has_val) { if (!(rc = parse_num(a, argv[++i], 1e-4, 1e6, &d))) o.C = d; }
        else if (!strcmp(a, "--threshold") && has_val) { if (!(rc = parse_num(a, argv[++i], 0, 1, &d))) o.threshold = d; }
        else if (!strcmp(a, "--min-df") && has_val) { if (!(rc = parse_num(a, argv[++i], 1, 1e6, &d))) o.min_df = (unsigned)d; }
        else if (!strcmp(a, "--folds") && has_val) { if (!(rc = parse_num(a, argv[++i], 2, 50, &d))) o.folds = (unsigned)d; }
        else if (!strcmp(a, "--heading-weight") && has_val) { if (!(rc = parse_num(a, argv[++i], 0, 100, &d))) o.heading_weight = d; }
        else if (!strcmp(a, "--pos-weight") && has_val) { if (!(rc = parse_num(a, argv[++i], 0.01, 100, &d))) o.pos_weight = d; }
        else if (!strcmp(a, "--prune") && has_val) { if (!(rc = parse_num(a, argv[++i], 0, 10, &d))) o.prune = d; }
        else if (!strcmp(a, "--no-primary")) o.primary = false;
        else if (!strcmp(a, "--primary-c") && has_val) { if (!(rc = parse_num(a, argv[++i], 1e-4, 1e6, &d))) o.primary_C = d; }
        else if (!strcmp(a, "--primary-heading-weight") && has_val) { if (!(rc = parse_num(a, argv[++i], 0, 100, &d))) o.primary_heading_weight = d; }
        else if (!strcmp(a, "--primary-solver") && has_val) {
            const char *v = argv[++i];
            o.primary_solver = -1;
            for (int k = 0; k < RFX_PSOLVER_N; k++)
                if (!strcmp(v, rfx_psolver_names[k])) o.primary_solver = k;
            if (o.primary_solver < 0) return cli_fail(RFX_EUSAGE, "train: --primary-solver is lr, cs, svc or l1lr");
        }
        else if (!strcmp(a, "--max-labels") && has_val) { if (!(rc = parse_num(a, argv[++i], 1, RFX_MODEL_MAX_CATS, &d))) o.max_labels = (size_t)d; }
        else if (a[0] == '-' && a[1] && !has_val && options_takes_value(a))
            return cli_fail(RFX_EUSAGE, "train: %s needs a value", a);
        else if (a[0] == '-' && a[1]) return cli_unknown_option("train", a, options);
        else if (!labels) labels = a;
        else return cli_fail(RFX_EUSAGE, "train: more than one labels file");
        if (rc) return rc;
    }
    if (q) o.log = NULL;
    if (!labels) return cli_fail(RFX_EUSAGE, "train: no labels file (see rfx train --help)");
    if (split && strcmp(split, "test") && strcmp(split, "train") && strcmp(split, "all"))
        return cli_fail(RFX_EUSAGE, "train: --split is test, train or all");

    docs ds = {0};
    int rc = read_labels(labels, &ds);
    if (rc) { docs_free(&ds); return rc; }
    rfx_error err = {0};
    bool *sel = calloc(ds.n, sizeof *sel);
    if (!sel) { docs_free(&ds); return cli_fail(RFX_ENOMEM, "out of memory"); }

    if (eval_only) {
        rfx_model *m = rfx_model_load(eval_only, &err);
        if (!m) { free(sel); docs_free(&ds); return cli_fail(RFX_EINPUT, "%s", err.message); }
        size_t ntest = 0;
        for (size_t i = 0; i < ds.n; i++) ntest += is_test(&ds.d[i]);
        const char *sp = split ? split : ntest ? "test" : "all";
        for (size_t i = 0; i < ds.n; i++)
            sel[i] = !strcmp(sp, "all") || (!strcmp(sp, "test") == !!is_test(&ds.d[i]));
        rc = evaluate(m, &ds, sel, dump, sp);
        rfx_model_free(m);
        free(sel);
        docs_free(&ds);
        return rc;
    }
    if (!out) { free(sel); docs_free(&ds); return cli_fail(RFX_EUSAGE, "train: -o MODEL is required"); }

    rfx_train_doc *td = calloc(ds.n, sizeof *td);
    size_t nt = 0, ntest = 0;
    for (size_t i = 0; td && i < ds.n; i++) {
        if (is_test(&ds.d[i])) { ntest++; continue; }
        if (!ds.d[i].nlabels) continue;
        td[nt++] = (rfx_train_doc){ds.d[i].heading, ds.d[i].body, ds.d[i].company,
                                   ds.d[i].labels, ds.d[i].nlabels};
    }
    if (o.log) fprintf(o.log, "training on %zu risks (%zu test risks held out)\n", nt, ntest);
    rfx_model *m = td ? rfx_model_train(td, nt, &o, &err) : NULL;
    free(td);
    if (!m) {
        free(sel);
        docs_free(&ds);
        return cli_fail(err.code ? err.code : RFX_ENOMEM, "%s", err.message[0] ? err.message : "train: out of memory");
    }
    if (!rfx_model_save(m, out, &err)) rc = cli_fail(RFX_EINPUT, "%s", err.message);
    else if (o.log) fprintf(o.log, "wrote %s: %zu categories, %zu features\n", out, m->ncats, m->nfeat);
    if (!rc && eval) {
        docs es = {0};
        rc = read_labels(eval, &es);
        if (!rc) {
            bool *s2 = calloc(es.n, sizeof *s2);
            size_t et = 0;
            for (size_t i = 0; i < es.n; i++) et += is_test(&es.d[i]);
            for (size_t i = 0; s2 && i < es.n; i++) s2[i] = et ? is_test(&es.d[i]) : true;
            rc = s2 ? evaluate(m, &es, s2, dump, et ? "test" : "evaluation") : cli_fail(RFX_ENOMEM, "out of memory");
            free(s2);
        }
        docs_free(&es);
    } else if (!rc && ntest) {
        for (size_t i = 0; i < ds.n; i++) sel[i] = is_test(&ds.d[i]);
        rc = evaluate(m, &ds, sel, dump, "test");
    }
    rfx_model_free(m);
    free(sel);
    docs_free(&ds);
    return rc;
}
