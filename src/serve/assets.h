/* assets.h — the web application compiled into the binary by
 * tools/web_embed.sh (web/ → $(BUILD)/gen/web_assets.c). */
#ifndef RFX_SERVE_ASSETS_H
#define RFX_SERVE_ASSETS_H

#include <stddef.h>

typedef struct rfx_web_asset {
    const char *path; /* "/app.js" */
    const char *type; /* Content-Type */
    const char *data;
    size_t len;
} rfx_web_asset;

/* Ends with an entry whose path is NULL. */
extern const rfx_web_asset rfx_web_assets[];

#endif
