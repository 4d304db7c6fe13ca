/*
 * lfs: the Git LFS layer. Recognises pointers exactly as git-lfs does (its
 * parser is lenient: a stricter one here would let a hand-made pointer past),
 * finds the object in the hook's store, verifies its SHA-256 and size while
 * reading it (mapped, or streamed through the prefilter when above file_bytes)
 * and scans it under the file's own path. It never writes to or deletes from a
 * store, and it resolves pointers only at the top level (no pointer chains).
 */
#include "unpack/lfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/util.h"
#include "unpack/unpack_int.h"

/* ---- pointers ---------------------------------------------------------------------------- */

/* Length of the white-space character (Go's unicode.IsSpace, as bytes.TrimSpace) at p, or 0. */
static size_t space_at(const unsigned char *p, size_t n)
{
	if (n >= 1 && (p[0] == ' ' || (p[0] >= '\t' && p[0] <= '\r')))
		return 1;
	if (n >= 2 && p[0] == 0xc2 && (p[1] == 0x85 || p[1] == 0xa0))
		return 2;
	if (n < 3)
		return 0;
	if ((p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80) ||                 /* U+1680 */
	    (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0x80 && p[2] <= 0x8a) || /* U+2000-200A */
	    (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9 || p[2] == 0xaf)) ||
	    (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f) || /* U+205F */
	    (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80))   /* U+3000 */
		return 3;
	return 0;
}

/* Length of the white-space character that ends p[0..n), or 0. */
static size_t space_before(const unsigned char *p, size_t n)
{
	if (n >= 1 && p[n - 1] < 0x80)
		return space_at(p + n - 1, 1);
	if (n >= 2 && space_at(p + n - 2, 2) == 2)
		return 2;
	if (n >= 3 && space_at(p + n - 3, 3) == 3)
		return 3;
	return 0;
}

struct kv {
	const unsigned char *key, *val;
	size_t klen, vlen;
};

static int kv_is(const struct kv *v, const char *s)
{
	return v->vlen == strlen(s) && !memcmp(v->val, s, v->vlen);
}

/* "sha256:" and 64 lower-case hex digits, nothing else; copies the hex to out. */
static int parse_oid(const struct kv *v, char *out)
{
	if (v->vlen != 7 + 64 || memcmp(v->val, "sha256:", 7))
		return 0;
	for (size_t i = 0; i < 64; i++) {
		unsigned char c = v->val[7 + i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return 0;
	}
	if (out) {
		memcpy(out, v->val + 7, 64);
		out[64] = '\0';
	}
	return 1;
}

/* Go's strconv.ParseInt(s, 10, 64) followed by "size >= 0". */
static int parse_size(const struct kv *v, uint64_t *out)
{
	const unsigned char *s = v->val;
	size_t n = v->vlen, i = 0;
	int neg = 0;
	uint64_t x = 0;
	if (n && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == n)
		return 0;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		if (x > ((uint64_t)INT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return 0;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	if (neg && x)
		return 0;
	*out = x;
	return 1;
}

/* git-lfs's extension key: `\Aext-\d-\w+` (a prefix match). */
static int ext_key(const unsigned char *k, size_t n)
{
	if (n < 7 || memcmp(k, "ext-", 4) || k[4] < '0' || k[4] > '9' || k[5] != '-')
		return 0;
	unsigned char c = k[6];
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

int lfs_pointer_parse(const unsigned char *data, size_t len, struct lfs_pointer *p)
{
	static const char *const versions[] = {"http://git-media.io/v/2",
	                                       "https://hawser.github.com/spec/v1",
	                                       "https://git-lfs.github.com/spec/v1"};
	static const char *const keys[] = {"version", "oid", "size"};
	struct kv kv[3] = {{0}}, ext[10];
	size_t nkeys = 0, next = 0, k;

	if (!lfs_maybe_pointer(data, len))
		return 0;
	if (len > LFS_POINTER_MAX)
		len = LFS_POINTER_MAX;
	while (len && (k = space_at(data, len)) > 0) {
		data += k;
		len -= k;
	}
	while (len && (k = space_before(data, len)) > 0)
		len -= k;
	if (!util_memmem(data, len, "git-media", 9) && !util_memmem(data, len, "hawser", 6) &&
	    !util_memmem(data, len, "git-lfs", 7))
		return 0;

	for (size_t at = 0; at < len;) {
		const unsigned char *line = data + at, *nl = memchr(line, '\n', len - at);
		size_t ll = nl ? (size_t)(nl - line) : len - at;
		at += ll + (nl != NULL);
		if (ll && line[ll - 1] == '\r')
			ll--;
		if (!ll)
			continue;
		const unsigned char *sp = memchr(line, ' ', ll);
		if (!sp || nkeys == 3)
			return 0;
		struct kv v = {line, sp + 1, (size_t)(sp - line), ll - (size_t)(sp - line) - 1};
		if (v.klen == strlen(keys[nkeys]) && !memcmp(v.key, keys[nkeys], v.klen)) {
			kv[nkeys++] = v;
			continue;
		}
		if (!ext_key(v.key, v.klen))
			return 0;
		/* a repeated key replaces the earlier value; two keys with one priority: no pointer */
		for (k = 0; k < next; k++) {
			if (ext[k].klen == v.klen && !memcmp(ext[k].key, v.key, v.klen))
				break;
			if (ext[k].key[4] == v.key[4])
				return 0;
		}
		if (k == next && next == sizeof(ext) / sizeof(ext[0]))
			return 0;
		ext[k] = v;
		if (k == next)
			next++;
	}
	if (nkeys < 2)
		return 0; /* no version or no oid; a missing size fails below */
	size_t i = 0;
	while (i < 3 && !kv_is(&kv[0], versions[i]))
		i++;
	if (i == 3 || !parse_oid(&kv[1], p->oid))
		return 0;
	if (nkeys < 3 || !parse_size(&kv[2], &p->size))
		return 0;
	for (k = 0; k < next; k++)
		if (!parse_oid(&ext[k], NULL))
			return 0;
	p->nexts = (unsigned)next;
	return 1;
}

/* ---- the layer ----------------------------------------------------------------------------- */

static void add_missing(struct scan_ctx *ctx, const char *path, const struct lfs_pointer *p)
{
	const struct lfs_store *s = ctx->lfs;
	char hb[32], *msg;
	enum sg_severity sev = SG_SEV_BLOCK;
	int error = 0;
	util_human_bytes(p->size, hb, sizeof(hb));
	switch (s->mode) {
	case LFS_MODE_COMMIT:
		error = 1;
		msg = xasprintf("This file is stored with Git LFS, but its object (sha256:%s, %s) is not "
		                "in the repository's LFS store %s (%s): its content cannot be examined, "
		                "so the commit is not accepted. Make sure git-lfs is installed (git lfs "
		                "install) and add the file again (git add), or fetch the object (git lfs "
		                "fetch).",
		                p->oid, hb, s->dir, s->origin);
		break;
	case LFS_MODE_PUSH:
		sev = SG_SEV_WARN;
		msg = xasprintf("This file is stored with Git LFS, but its object (sha256:%s, %s) is not "
		                "in the local LFS store %s: it was not examined here, and this push "
		                "cannot upload it either (a clone made with GIT_LFS_SKIP_SMUDGE?). Run "
		                "git lfs fetch to have it checked; the server refuses pointers whose "
		                "object it does not have.",
		                p->oid, hb, s->dir);
		break;
	case LFS_MODE_RECEIVE:
		msg = xasprintf("This file is stored with Git LFS, but its object (sha256:%s, %s) is not "
		                "in the server's LFS store: it never reached the server (pushed with "
		                "--no-verify or GIT_LFS_SKIP_PUSH, or from a client without git-lfs), "
		                "so the pointer is refused. Upload the object (git lfs push --all REMOTE) "
		                "and push again. If this server keeps LFS objects elsewhere, an "
		                "administrator sets git config stateguard.lfsStore PATH.",
		                p->oid, hb);
		break;
	default:
		error = 1;
		msg = xasprintf("This file is stored with Git LFS, but its object (sha256:%s, %s) is not "
		                "in the local LFS store %s: its content was not audited. Run git lfs "
		                "fetch --all, then audit again.",
		                p->oid, hb, s->dir);
		break;
	}
	cJSON *d = cJSON_CreateObject();
	cJSON_AddNumberToObject(d, "lfs_size", (double)p->size);
	struct finding *f = finding_list_add(ctx->out, LFS_RULE_MISSING, sev, path, msg, d);
	f->is_error = error;
	free(msg);
}

static void add_mismatch(struct scan_ctx *ctx, const char *path, const struct lfs_pointer *p,
                         const char *found, uint64_t size)
{
	char hb[32], fb[32];
	util_human_bytes(p->size, hb, sizeof(hb));
	util_human_bytes(size, fb, sizeof(fb));
	char *msg = xasprintf("The LFS object in the store is not the one this pointer names: the "
	                      "pointer says sha256:%s, %s; the store holds sha256:%s, %s. The content "
	                      "is not what the pointer says, so it is not accepted. Add the file "
	                      "again with git-lfs (git add), or repair the store (git lfs fsck).",
	                      p->oid, hb, found, fb);
	cJSON *d = cJSON_CreateObject();
	cJSON_AddNumberToObject(d, "lfs_size", (double)p->size);
	cJSON_AddStringToObject(d, "object_sha256", found);
	cJSON_AddNumberToObject(d, "object_size", (double)size);
	finding_list_add(ctx->out, LFS_RULE_MISMATCH, SG_SEV_BLOCK, path, msg, d);
	free(msg);
}

static void hex32(const unsigned char *d, char *out)
{
	static const char h[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		out[2 * i] = h[d[i] >> 4];
		out[2 * i + 1] = h[d[i] & 15];
	}
	out[64] = '\0';
}

/*
 * Reads the object at `file` (opened as fd, `size` bytes), hashing it into found[] and
 * scanning it as `path`. Returns 0, or -1 with errno set on a read error.
 */
static int scan_object(struct scan_ctx *ctx, const char *path, int fd, uint64_t size,
                       unsigned depth, EVP_MD_CTX *md, char *found)
{
	unsigned char dig[32];
	unsigned dl = 0;
	int rc = -1;

	if (size <= ctx->limits->file_bytes) {
		/* mapped like a file of `scan` (NUL after the content, pages given back as read) */
		const unsigned char *map = NULL;
		if (size > 0 && !(map = util_map_fd(fd, (size_t)size)))
			return -1;
		const unsigned char *data = map ? map : (const unsigned char *)"";
		if (EVP_DigestUpdate(md, data, (size_t)size) == 1 &&
		    EVP_DigestFinal_ex(md, dig, &dl) == 1 && dl == 32) {
			hex32(dig, found);
			rc = scan_emit(ctx, path, data, (size_t)size, depth + 1) < 0 ? -2 : 0;
		} else {
			errno = EIO;
		}
		util_unmap(map, (size_t)size);
		return rc;
	}
	/* above file_bytes: never read whole; the name and the streaming prefilter decide */
	struct scan_stream *ds = scan_stream_open(ctx);
	size_t cap = 1u << 20;
	unsigned char *buf = xmalloc(cap);
	uint64_t total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, cap);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (n == 0) {
			rc = 0;
			break;
		}
		total += (uint64_t)n;
		scan_stream_feed(ctx, ds, buf, (size_t)n);
		if (EVP_DigestUpdate(md, buf, (size_t)n) != 1) {
			errno = EIO;
			break;
		}
	}
	free(buf);
	if (rc == 0 && (EVP_DigestFinal_ex(md, dig, &dl) != 1 || dl != 32)) {
		errno = EIO;
		rc = -1;
	}
	int e = errno;
	if (rc == 0)
		hex32(dig, found);
	/* even after a read error: what was read may already rule the content in */
	scan_stream_finish(ctx, ds, path, total, "file_bytes", ctx->limits->file_bytes);
	errno = e;
	return rc;
}

int unpack_lfs(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
               unsigned depth)
{
	struct lfs_pointer p;
	char *file = NULL, found[65] = "";
	EVP_MD_CTX *md = NULL;
	size_t n0 = ctx->out->n;
	int fd = -1, rc = 0;
	struct stat st;

	if (depth > 0 || !ctx->lfs || !lfs_pointer_parse(data, len, &p))
		return 0;
	rc = 1;
	int r = lfs_store_find(ctx->lfs, p.oid, &file);
	if (r > 0) {
		add_missing(ctx, path, &p);
		goto stamp;
	}
	if (r < 0 || (fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0 ||
	    fstat(fd, &st) < 0) {
		finding_list_add_error(ctx->out, path, "the LFS object sha256:%s cannot be read from %s: "
		                       "%s; its content cannot be examined",
		                       p.oid, ctx->lfs->dir, strerror(errno));
		goto stamp;
	}
	if (!S_ISREG(st.st_mode)) {
		finding_list_add_error(ctx->out, path, "the LFS object sha256:%s in %s is not a regular "
		                       "file; its content cannot be examined",
		                       p.oid, ctx->lfs->dir);
		goto stamp;
	}
	md = EVP_MD_CTX_new();
	if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		finding_list_add_error(ctx->out, path, "cannot start SHA-256 to verify the LFS object "
		                       "sha256:%s",
		                       p.oid);
		goto stamp;
	}
	int s = scan_object(ctx, path, fd, (uint64_t)st.st_size, depth, md, found);
	if (s == -2) {
		rc = -1; /* the pipeline already reported it */
	} else if (s < 0) {
		finding_list_add_error(ctx->out, path, "the LFS object sha256:%s could not be read from "
		                       "%s: %s; its content cannot be examined",
		                       p.oid, ctx->lfs->dir, strerror(errno));
	} else if (strcmp(found, p.oid) || (uint64_t)st.st_size != p.size) {
		add_mismatch(ctx, path, &p, found, (uint64_t)st.st_size);
	}
stamp:
	for (size_t i = n0; i < ctx->out->n; i++)
		if (!ctx->out->v[i].lfs)
			ctx->out->v[i].lfs = xasprintf("sha256:%s", p.oid);
	EVP_MD_CTX_free(md);
	if (fd >= 0)
		close(fd);
	free(file);
	return rc;
}
