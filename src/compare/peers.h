/*
 * peers.h — what peers.c and peers_render.c share (not public).
 */
#ifndef RFX_PEERS_H
#define RFX_PEERS_H

#include "../rfx_internal.h"

/* One company-year in the set. */
typedef struct pr_doc {
    const rfx_register *r;
    char key[64];   /* CIK, or the ticker / file prefix: one per company */
    char label[64]; /* short, shown: the ticker / file prefix */
    char name[128]; /* shown: the company's name and label */
    int year;
} pr_doc;

typedef struct pr_match {
    size_t peer;    /* index into peers[] */
    long risk;      /* 0-based risk of that peer, -1 none */
    double sim;
} pr_match;

typedef struct pr_shared {
    size_t sentences, shared;   /* sentences of 8+ words; those found at another company */
    size_t *companies;          /* doc indexes of the companies they were found at */
    size_t ncompanies;
} pr_shared;

typedef struct pr_risk {
    pr_match *best;             /* one per peer */
    double top;                 /* best similarity at any peer */
    bool unique;
    pr_shared shared;
} pr_risk;

typedef struct pr_evidence {
    size_t peer;
    size_t risk;
} pr_evidence;

typedef struct pr_gap {
    char terms[3][32];
    size_t npeers;              /* distinct peers in the cluster */
    pr_evidence *ev;
    size_t nev;
} pr_gap;

struct rfx_peers {
    pr_doc *docs;
    size_t ndocs;
    size_t target;              /* doc index */
    size_t *peers;              /* doc indexes */
    double *peer_sim;
    size_t npeers;
    bool peers_given;
    pr_risk *risks;             /* one per target risk */
    size_t nrisks;
    pr_gap *gaps;
    size_t ngaps;
    pr_shared section;          /* the whole section's sentences */
    size_t index_sentences;     /* sentences in the shingle index (whole set) */
    double index_seconds;       /* time to build it */
    double unique_below;
};

/* Exposed for bench/peers: build the MinHash/LSH index over every
 * sentence of docs and answer the shared-text question for doc t (results
 * into p->risks[].shared and p->section). */
bool pr_shared_text(struct rfx_peers *p);

#endif
