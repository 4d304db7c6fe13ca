/*
 * window: the verdict on an archive member too big to read whole, seen once in
 * order, keeping only its first 512 and last 64 KiB bytes: the streaming checks
 * the pipeline installed (scan_stream_*, the detectors') judge the content; a
 * member that is itself wrapped (a layer's sniff on its head, or a zip end record
 * at its tail: an archive, UTF-16 text) blocks, as it cannot be opened from a window.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "unpack/unpack_int.h"

void window_open(struct window *w, const struct scan_ctx *ctx)
{
	memset(w, 0, sizeof(*w));
	w->ctx = ctx;
	w->ds = scan_stream_open(ctx);
	w->tail = xmalloc(WINDOW_TAIL);
}

void window_feed(struct window *w, const unsigned char *p, size_t n)
{
	if (!n)
		return;
	w->size += n;
	scan_stream_feed(w->ctx, w->ds, p, n);
	if (w->head_len < sizeof(w->head)) {
		size_t k = sizeof(w->head) - w->head_len;
		if (k > n)
			k = n;
		memcpy(w->head + w->head_len, p, k);
		w->head_len += k;
	}
	if (n >= WINDOW_TAIL) {
		memcpy(w->tail, p + n - WINDOW_TAIL, WINDOW_TAIL);
		w->tail_len = WINDOW_TAIL;
		return;
	}
	size_t keep = w->tail_len + n > WINDOW_TAIL ? WINDOW_TAIL - n : w->tail_len;
	memmove(w->tail, w->tail + w->tail_len - keep, keep);
	memcpy(w->tail + keep, p, n);
	w->tail_len = keep + n;
}

/* 1 if the tail ends with a zip end-of-central-directory record (and its comment). */
static int tail_has_eocd(const unsigned char *t, size_t n)
{
	for (size_t i = n >= 22 ? n - 22 + 1 : 0; i-- > 0;) {
		if (t[i] == 'P' && t[i + 1] == 'K' && t[i + 2] == 5 && t[i + 3] == 6 &&
		    i + 22 + (size_t)(t[i + 20] | t[i + 21] << 8) == n)
			return 1;
	}
	return 0;
}

void window_discard(struct window *w)
{
	scan_stream_discard(w->ctx, w->ds);
	free(w->tail);
	memset(w, 0, sizeof(*w));
}

void window_close(struct window *w, struct scan_ctx *ctx, const char *mpath,
                  enum unpack_limit why)
{
	enum unpack_format f = unpack_sniff(w->head, w->head_len);
	if (f == UNPACK_NONE && tail_has_eocd(w->tail, w->tail_len))
		f = UNPACK_ZIP;
	if (f != UNPACK_NONE) {
		char what[200], hb[32];
		snprintf(what, sizeof(what),
		         "a %s member holding %s content, too large to open from a streaming window",
		         util_human_bytes(w->size, hb, sizeof(hb)), unpack_format_name(f));
		unpack_report_limit(ctx, mpath, why, what);
		window_discard(w);
		return;
	}
	scan_stream_finish(ctx, w->ds, mpath, w->size, unpack_limit_key(why),
	                   unpack_limit_value(ctx->limits, why));
	w->ds = NULL;
	window_discard(w);
}
