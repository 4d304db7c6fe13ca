/*
 * oversize: the verdict on content above the file size limit, which is never
 * read whole: its name and the streaming prefilter decide whether it could be
 * an artifact; if so it is blocked unexamined with a message saying how to
 * raise the limit. It does not read files itself (callers feed the bytes).
 */
#include "detect/detect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "detect/detect_int.h"

struct detect_stream {
	struct prefilter pf;
};

struct detect_stream *detect_stream_new(void)
{
	struct detect_stream *s = xcalloc(1, sizeof(*s));
	prefilter_init(&s->pf);
	return s;
}

void detect_stream_feed(struct detect_stream *s, const unsigned char *data, size_t len)
{
	prefilter_feed(&s->pf, data, len);
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
	const char *base = util_basename(path);
	const char *why = NULL;
	if (name_is_state(base, path) || name_is_backend_snapshot(path))
		why = "its name is that of Terraform state";
	else if (s->pf.flags & PF_BINARY)
		why = "it starts like binary Terraform state or a legacy plan";
	else if (container_magic(s->pf.head, s->pf.head_len))
		why = "it is an archive that would have to be unpacked";
	else if (s->pf.flags & PF_JSON)
		why = "it is a JSON object with keys of state, plans or backend caches";
	else if (s->pf.flags & PF_TOKENS)
		why = "it contains text shaped like a token or private key";
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
			cJSON_AddNumberToObject(d, "file_bytes", (double)ctx->limits->file_bytes);
			cJSON_AddStringToObject(d, "reason", why);
		}
		char *msg = xasprintf(
		    "Content of %s is above the file size limit (%s) and was checked by name and a "
		    "streaming prefilter only: %s, so it is blocked unexamined. Check it; to examine "
		    "it in full, raise limits.file_bytes in the stateguard configuration.",
		    util_human_bytes(size, hb, sizeof(hb)),
		    util_human_bytes(ctx->limits->file_bytes, lb, sizeof(lb)), why);
		finding_list_add(ctx->out, "scan-limit", SG_SEV_BLOCK, path, msg, d);
		free(msg);
	}
	free(s);
}
