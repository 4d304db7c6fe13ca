/*
 * oversize: the verdict on content above the file size limit, which is never
 * read whole: its name and the streaming prefilter decide whether it could be
 * an artifact; if so it is blocked unexamined with a message saying how to
 * raise the limit. The same verdict serves archive members above member_bytes
 * (unpack/ streams them). Besides the prefilter it looks for state embedded
 * anywhere in the stream ("lineage" with a UUID value), which the JSON gate
 * cannot see behind a binary's first byte, and runs the token detectors over
 * overlapping windows (1 MiB, 64 KiB overlap), so that a big binary holding
 * token-like bytes (any 700 MB of them holds "A3T") is judged by what the
 * detectors match, not by an anchor; a token whose evidence spans more than the
 * overlap (a legacy Vault token with "vault" 64 KiB back on its line) is missed.
 * It does not read files itself.
 */
#include "detect/detect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "detect/detect_int.h"

/* Longest embedded-state match: "lineage", 16 blanks, ':', 16 blanks, '"', a 36-byte UUID. */
#define EMBED_MAX 80

/* The token detectors run over windows of this many new bytes after TOK_OVERLAP old ones. */
#define TOK_WINDOW ((size_t)1 << 20)
#define TOK_OVERLAP ((size_t)64 << 10)

struct detect_stream {
	struct prefilter pf;
	int embedded_state;            /* a "lineage": "<uuid>" pair was seen */
	unsigned char carry[EMBED_MAX]; /* the stream's last bytes, for matches across chunks */
	size_t carry_len;
	unsigned char *win;            /* TOK_OVERLAP + TOK_WINDOW bytes for the token detectors */
	size_t win_len, win_fresh;     /* bytes in win; of them, not yet scanned */
	char *token;                   /* what the first token finding was (NULL: none) */
};

/* Runs the token detectors over the window; keeps what the first finding was. */
static void stream_scan_tokens(struct detect_stream *s)
{
	s->win_fresh = 0;
	unsigned pf = prefilter_run(s->win, s->win_len) & PF_TOKENS;
	if (s->token || !pf)
		return;
	struct scan_limits lim;
	struct finding_list out = {0};
	struct scan_ctx sc = {0};
	struct blob b = {0};
	scan_limits_default(&lim);
	sc.limits = &lim;
	sc.out = &out;
	b.ctx = &sc;
	b.path = b.base = "";
	b.data = s->win;
	b.len = s->win_len;
	b.pf = pf;
	tokens_detect(&b);
	if (out.n) {
		cJSON *v = cJSON_GetObjectItemCaseSensitive(out.v[0].details, "value");
		s->token = xasprintf("%s%s%s", out.v[0].rule, cJSON_IsString(v) ? " " : "",
		                     cJSON_IsString(v) ? v->valuestring : "");
	}
	finding_list_free(&out);
}

static void stream_window_feed(struct detect_stream *s, const unsigned char *p, size_t n)
{
	size_t cap = TOK_OVERLAP + TOK_WINDOW;
	while (n && !s->token) {
		size_t k = cap - s->win_len < n ? cap - s->win_len : n;
		memcpy(s->win + s->win_len, p, k);
		s->win_len += k;
		s->win_fresh += k;
		p += k;
		n -= k;
		if (s->win_len == cap) {
			stream_scan_tokens(s);
			memmove(s->win, s->win + cap - TOK_OVERLAP, TOK_OVERLAP);
			s->win_len = TOK_OVERLAP;
		}
	}
}

struct detect_stream *detect_stream_new(void)
{
	struct detect_stream *s = xcalloc(1, sizeof(*s));
	prefilter_init(&s->pf);
	s->win = xmalloc(TOK_OVERLAP + TOK_WINDOW);
	return s;
}

/* 1 if a "lineage" key at p (within n bytes) has a UUID-shaped string value. */
static int lineage_pair_at(const unsigned char *p, size_t n)
{
	size_t i = 9, blanks = 0; /* strlen("\"lineage\"") */
	while (i < n && strchr(" \t\r\n", p[i]) && p[i] && blanks++ < 16)
		i++;
	if (i >= n || p[i++] != ':')
		return 0;
	for (blanks = 0; i < n && strchr(" \t\r\n", p[i]) && p[i] && blanks++ < 16;)
		i++;
	if (i >= n || p[i++] != '"' || n - i < 36)
		return 0;
	for (size_t k = 0; k < 36; k++) {
		int dash = k == 8 || k == 13 || k == 18 || k == 23;
		if (dash ? p[i + k] != '-' : !strchr("0123456789abcdefABCDEF", p[i + k]) || !p[i + k])
			return 0;
	}
	return 1;
}

static int find_embedded_state(const unsigned char *d, size_t n)
{
	const unsigned char *p = d, *end = d + n;
	while ((p = util_memmem(p, (size_t)(end - p), "\"lineage\"", 9)) != NULL) {
		if (lineage_pair_at(p, (size_t)(end - p)))
			return 1;
		p++;
	}
	return 0;
}

void detect_stream_feed(struct detect_stream *s, const unsigned char *data, size_t len)
{
	prefilter_feed(&s->pf, data, len);
	stream_window_feed(s, data, len);
	if (s->embedded_state || !len)
		return;
	/* a match straddling the previous chunk lies within carry + the chunk's first bytes */
	unsigned char join[2 * EMBED_MAX];
	size_t head = len < EMBED_MAX ? len : EMBED_MAX;
	memcpy(join, s->carry, s->carry_len);
	memcpy(join + s->carry_len, data, head);
	if (find_embedded_state(join, s->carry_len + head) || find_embedded_state(data, len)) {
		s->embedded_state = 1;
		return;
	}
	if (len >= EMBED_MAX) {
		memcpy(s->carry, data + len - EMBED_MAX, EMBED_MAX);
		s->carry_len = EMBED_MAX;
	} else {
		size_t keep = s->carry_len + len > EMBED_MAX ? EMBED_MAX - len : s->carry_len;
		memmove(s->carry, s->carry + s->carry_len - keep, keep);
		memcpy(s->carry + keep, data, len);
		s->carry_len = keep + len;
	}
}

void detect_stream_free(struct detect_stream *s)
{
	if (!s)
		return;
	free(s->win);
	free(s->token);
	free(s);
}

/* Container magic at the start (zip, gzip, xz, bzip2, zstd): it would have to be unpacked. */
static int container_magic(const unsigned char *h, size_t n)
{
	return (n >= 4 && !memcmp(h, "PK\x03\x04", 4)) || (n >= 2 && !memcmp(h, "\x1f\x8b", 2)) ||
	       (n >= 6 && !memcmp(h, "\xfd" "7zXZ\0", 6)) || (n >= 3 && !memcmp(h, "BZh", 3)) ||
	       (n >= 4 && !memcmp(h, "\x28\xb5\x2f\xfd", 4));
}

void detect_stream_finish(struct detect_stream *s, struct scan_ctx *ctx, const char *path,
                          uint64_t size)
{
	detect_stream_finish_limit(s, ctx, path, size, "file_bytes", ctx->limits->file_bytes);
}

void detect_stream_finish_limit(struct detect_stream *s, struct scan_ctx *ctx, const char *path,
                                uint64_t size, const char *limit_key, uint64_t limit)
{
	const char *base = util_basename(path);
	const char *why = NULL;
	char *token_why = NULL;
	if (s->win_fresh)
		stream_scan_tokens(s);
	if (name_is_state(base, path) || name_is_backend_snapshot(path))
		why = "its name is that of Terraform state";
	else if (s->pf.flags & PF_BINARY)
		why = "it starts like binary Terraform state or a legacy plan";
	else if (s->embedded_state)
		why = "it contains Terraform state (a \"lineage\" key with a UUID) after other data";
	else if (container_magic(s->pf.head, s->pf.head_len))
		why = "it is an archive that would have to be unpacked";
	else if (s->pf.flags & PF_JSON)
		why = "it is a JSON object with keys of state, plans or backend caches";
	else if (s->token)
		why = token_why = xasprintf("the token detectors find a credential in it (%s)", s->token);
	else if (tf_vars_name(base))
		why = "it is a Terraform variable file, which may set secrets";
	else if (s->pf.flags & PF_TF_LOG)
		why = "it has log lines or a crash banner and may be a Terraform debug or crash log";
	else if ((s->pf.flags & (PF_HCL | PF_PARTIAL)) &&
	         (util_ends_with(base, ".tf") || util_ends_with(base, ".hcl") ||
	          util_ends_with(base, ".tfbackend") || util_ends_with(base, ".tfvars")))
		why = "it is Terraform configuration that may hold backend credentials";
	if (why) {
		char hb[32], lb[32];
		cJSON *d = cJSON_CreateObject();
		if (d) {
			cJSON_AddNumberToObject(d, "size", (double)size);
			cJSON_AddNumberToObject(d, limit_key, (double)limit);
			cJSON_AddStringToObject(d, "reason", why);
		}
		char *msg = xasprintf(
		    "Content of %s is above the %s limit (%s) and was checked by name and a "
		    "streaming prefilter only: %s, so it is blocked unexamined. Check it; to examine "
		    "it in full, raise limits.%s in the stateguard configuration.",
		    util_human_bytes(size, hb, sizeof(hb)),
		    strcmp(limit_key, "file_bytes") ? limit_key : "file size",
		    util_human_bytes(limit, lb, sizeof(lb)), why, limit_key);
		finding_list_add(ctx->out, "scan-limit", SG_SEV_BLOCK, path, msg, d);
		free(msg);
	}
	free(token_why);
	detect_stream_free(s);
}
