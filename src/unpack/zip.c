/*
 * zip: zip archives (also behind a prefix, e.g. self-extracting) opened from
 * memory with libzip, every entry inflated under our own caps (libzip 1.7.3
 * does not stop at declared sizes) and scanned whole, or, above member_bytes or
 * past archive_bytes, judged through a window as it inflates; saved Terraform
 * plans become tf-plan findings. Our own central-directory walk finds prefixes
 * and overlapping entries, which libzip does not check. Nothing touches the disk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>
#include <zlib.h>

#include "core/util.h"
#include "unpack/unpack_int.h"

static uint16_t rd16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

long long zip_find_eocd(const unsigned char *d, size_t len)
{
	if (len < 22)
		return -1;
	/* every blob is asked this: find the signature's byte 5 with memrchr (it is rare in
	 * text), walking back from the end, and check the rest around it */
	size_t stop = len - 22 > 65535 ? len - 22 - 65535 : 0, end = len - 22 + 3;
	const unsigned char *p;
	while (end > stop + 2 && (p = memrchr(d + stop + 2, 5, end - stop - 2)) != NULL) {
		size_t i = (size_t)(p - d) - 2;
		end = i + 2;
		if (d[i] != 'P' || d[i + 1] != 'K' || d[i + 3] != 6)
			continue;
		uint32_t cd_size = rd32(d + i + 12);
		if (i + 22 + rd16(d + i + 20) == len && (cd_size <= i || cd_size == 0xffffffff))
			return (long long)i;
	}
	return -1;
}

struct zip_layout {
	uint64_t entries;  /* from the end-of-central-directory record */
	size_t cd_start;   /* where the central directory really starts in the blob */
	size_t cd_end;
	size_t delta;      /* bytes of prefix the archive's offsets do not count */
};

struct zip_range {
	uint64_t start, end;
};

static int range_cmp(const void *a, const void *b)
{
	const struct zip_range *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Reads the end records. Returns 0, or -1 with a problem in err. */
static int zip_read_layout(const unsigned char *d, size_t len, struct zip_layout *lay, char *err,
                           size_t errsz)
{
	long long e = zip_find_eocd(d, len);
	if (e < 0) {
		snprintf(err, errsz, "no end-of-central-directory record (truncated?)");
		return -1;
	}
	size_t eocd = (size_t)e, end = eocd;
	uint64_t entries = rd16(d + eocd + 10), cd_size = rd32(d + eocd + 12),
	         cd_off = rd32(d + eocd + 16);
	if (rd16(d + eocd + 4) != 0 || rd16(d + eocd + 6) != 0) {
		snprintf(err, errsz, "multi-disk archive");
		return -1;
	}
	if (entries == 0xffff || cd_size == 0xffffffff || cd_off == 0xffffffff) {
		if (eocd < 20 + 56 || memcmp(d + eocd - 20, "PK\6\7", 4) ||
		    memcmp(d + eocd - 76, "PK\6\6", 4)) {
			snprintf(err, errsz, "zip64 end records missing");
			return -1;
		}
		end = eocd - 76;
		entries = rd64(d + end + 32);
		cd_size = rd64(d + end + 40);
		cd_off = rd64(d + end + 48);
	}
	if (cd_size > end || cd_off > end - cd_size) {
		snprintf(err, errsz, "central directory offset or size out of range");
		return -1;
	}
	if (entries > cd_size / 46) {
		snprintf(err, errsz, "%llu entries cannot fit a %llu-byte central directory",
		         (unsigned long long)entries, (unsigned long long)cd_size);
		return -1;
	}
	lay->entries = entries;
	lay->cd_start = end - (size_t)cd_size;
	lay->cd_end = end;
	lay->delta = lay->cd_start - (size_t)cd_off;
	return 0;
}

/* Walks the central directory and local headers: bounds and overlaps. 0, or -1 with err. */
static int zip_check_layout(const unsigned char *d, const struct zip_layout *lay, char *err,
                            size_t errsz)
{
	struct zip_range *rg = xcalloc(lay->entries ? lay->entries : 1, sizeof(*rg));
	size_t p = lay->cd_start;
	int rc = -1;
	for (uint64_t i = 0; i < lay->entries; i++) {
		if (lay->cd_end - p < 46 || memcmp(d + p, "PK\1\2", 4)) {
			snprintf(err, errsz, "central directory entry %llu is malformed",
			         (unsigned long long)i);
			goto done;
		}
		uint64_t comp = rd32(d + p + 20), size = rd32(d + p + 24), lho = rd32(d + p + 42);
		size_t nlen = rd16(d + p + 28), elen = rd16(d + p + 30), clen = rd16(d + p + 32);
		if (lay->cd_end - p - 46 < nlen + elen + clen) {
			snprintf(err, errsz, "central directory entry %llu overruns the directory",
			         (unsigned long long)i);
			goto done;
		}
		const unsigned char *x = d + p + 46 + nlen, *xe = x + elen;
		while (xe - x >= 4) {
			uint16_t id = rd16(x), xl = rd16(x + 2);
			if ((size_t)(xe - x - 4) < xl)
				break;
			if (id == 1) {
				const unsigned char *f = x + 4, *fe = f + xl;
				if (size == 0xffffffff && fe - f >= 8) {
					size = rd64(f);
					f += 8;
				}
				if (comp == 0xffffffff && fe - f >= 8) {
					comp = rd64(f);
					f += 8;
				}
				if (lho == 0xffffffff && fe - f >= 8)
					lho = rd64(f);
			}
			x += 4 + xl;
		}
		uint64_t at = lho + lay->delta;
		if (lay->cd_start < 30 || lho > lay->cd_start || at > lay->cd_start - 30 ||
		    memcmp(d + at, "PK\3\4", 4)) {
			snprintf(err, errsz, "entry %llu points to no local header", (unsigned long long)i);
			goto done;
		}
		uint64_t data = at + 30 + rd16(d + at + 26) + rd16(d + at + 28);
		if (data > lay->cd_start || comp > lay->cd_start - data) {
			snprintf(err, errsz, "entry %llu extends past the central directory",
			         (unsigned long long)i);
			goto done;
		}
		rg[i].start = at;
		rg[i].end = data + comp;
		p += 46 + nlen + elen + clen;
	}
	qsort(rg, lay->entries, sizeof(*rg), range_cmp);
	for (uint64_t i = 1; i < lay->entries; i++)
		if (rg[i].start < rg[i - 1].end) {
			snprintf(err, errsz, "overlapping entries (one compressed stream used twice)");
			goto done;
		}
	rc = 0;
done:
	free(rg);
	return rc;
}

/* Names that make a zip a saved Terraform plan (terraform-artifacts.md §6.1). */
struct plan_names {
	int tfplan, tfstate, tfstate_prev, tfconfig;
};

static void plan_note(struct plan_names *pn, const char *name)
{
	if (!strcmp(name, "tfplan"))
		pn->tfplan = 1;
	else if (!strcmp(name, "tfstate"))
		pn->tfstate = 1;
	else if (!strcmp(name, "tfstate-prev"))
		pn->tfstate_prev = 1;
	else if (!strncmp(name, "tfconfig/", 9))
		pn->tfconfig = 1;
}

static const struct finding *find_state(const struct scan_ctx *ctx, size_t from, const char *p)
{
	for (size_t i = from; i < ctx->out->n; i++) {
		const struct finding *f = &ctx->out->v[i];
		if (!strcmp(f->rule, "tf-state") && !strcmp(f->path, p))
			return f;
	}
	return NULL;
}

/* Adds the tf-plan finding, with the details of the embedded state's tf-state finding. */
static void zip_report_plan(struct scan_ctx *ctx, const char *path, size_t from,
                            const struct plan_names *pn)
{
	char *sp = unpack_member_path(path, "tfstate", 7);
	char *pp = unpack_member_path(path, "tfstate-prev", 12);
	const struct finding *st = find_state(ctx, from, sp);
	if (!st)
		st = find_state(ctx, from, pp);
	cJSON *d = st && st->details ? cJSON_Duplicate(st->details, 1) : cJSON_CreateObject();
	if (!d)
		d = cJSON_CreateObject();
	cJSON *members = cJSON_AddArrayToObject(d, "plan_members");
	cJSON_AddItemToArray(members, cJSON_CreateString("tfplan"));
	if (pn->tfstate)
		cJSON_AddItemToArray(members, cJSON_CreateString("tfstate"));
	if (pn->tfstate_prev)
		cJSON_AddItemToArray(members, cJSON_CreateString("tfstate-prev"));
	if (pn->tfconfig)
		cJSON_AddItemToArray(members, cJSON_CreateString("tfconfig/"));

	char extra[200] = "";
	size_t o = 0;
	cJSON *res = cJSON_GetObjectItemCaseSensitive(d, "resource_count");
	cJSON *types = cJSON_GetObjectItemCaseSensitive(d, "resource_types");
	cJSON *ver = cJSON_GetObjectItemCaseSensitive(d, "terraform_version");
	if (cJSON_IsNumber(res))
		o += (size_t)snprintf(extra, sizeof(extra), " (%d resources%s%.60s", (int)res->valuedouble,
		                      cJSON_IsString(types) ? ": " : "",
		                      cJSON_IsString(types) ? types->valuestring : "");
	if (cJSON_IsString(ver) && o < sizeof(extra))
		o += (size_t)snprintf(extra + o, sizeof(extra) - o, "%sTerraform %.40s", o ? "; " : " (",
		                      ver->valuestring);
	if (o && o < sizeof(extra) - 1)
		strcat(extra, ")");
	char *msg = xasprintf("saved Terraform plan (terraform plan -out): it holds %s%s%severy input "
	                      "variable (sensitive ones too) and a copy of the configuration",
	                      pn->tfstate || pn->tfstate_prev ? "the full prior state" : "", extra,
	                      pn->tfstate || pn->tfstate_prev ? ", " : "");
	finding_list_add(ctx->out, "tf-plan", SG_SEV_BLOCK, path, msg, d);
	free(msg);
	free(sp);
	free(pp);
}

/*
 * Checks a member's declared size before anything is inflated: a bomb (ratio)
 * or a size over what is left of inflated_bytes is reported (returns 1);
 * otherwise *why says whether it is read whole (UNPACK_OK) or through a window.
 */
static int zip_refused(struct scan_ctx *ctx, const zip_stat_t *st, uint64_t in, const char *mpath,
                       enum unpack_limit *why)
{
	uint64_t size = st->size;
	enum unpack_limit l = unpack_budget_check(ctx->limits, ctx->inflated, ctx->held, in, size);
	*why = l;
	if (l != UNPACK_LIMIT_RATIO && l != UNPACK_LIMIT_INFLATED)
		return 0;
	char what[200], hb[32];
	util_human_bytes(size, hb, sizeof(hb));
	if (l == UNPACK_LIMIT_RATIO)
		snprintf(what, sizeof(what),
		         "zip member declares %s from %llu compressed bytes (a compression bomb?)", hb,
		         (unsigned long long)st->comp_size);
	else
		snprintf(what, sizeof(what),
		         "zip member declares %s, more than what is left of the bytes this file may "
		         "inflate, all levels together", hb);
	unpack_report_limit(ctx, mpath, l, what);
	return 1;
}

/* Inflates entry i under our caps and scans it (whole, or through a window). */
static int zip_scan_entry(struct scan_ctx *ctx, zip_t *za, zip_uint64_t i, const zip_stat_t *st,
                          const char *mpath, unsigned depth)
{
	uint64_t size = st->size;
	enum unpack_limit why;
	if (zip_refused(ctx, st, st->comp_method == ZIP_CM_STORE ? size : st->comp_size, mpath, &why))
		return 0;
	zip_file_t *zf = zip_fopen_index(za, i, 0);
	if (!zf) {
		unpack_report_corrupt(ctx, mpath, "zip", "member cannot be opened: %s", zip_strerror(za));
		return 0;
	}
	struct membuf mb = {0};
	struct window w;
	unsigned char *chunk = NULL;
	uint64_t got = 0;
	int bad = 0, rc = 0;
	if (why == UNPACK_OK) {
		membuf_start(&mb, size);
	} else {
		window_open(&w, ctx);
		chunk = xmalloc(WINDOW_CHUNK);
	}
	for (;;) {
		/* whole: read in place, one byte more than declared reveals a liar */
		size_t want = WINDOW_CHUNK;
		unsigned char *dst = chunk ? chunk : membuf_room(&mb, size + 1 - got, &want);
		zip_int64_t k = zip_fread(zf, dst, want);
		if (k < 0) {
			unpack_report_corrupt(ctx, mpath, "zip", "%s", zip_file_strerror(zf));
			bad = 1;
			break;
		}
		if (k == 0)
			break;
		got += (uint64_t)k;
		ctx->inflated += (uint64_t)k;
		if (got > size) {
			unpack_report_corrupt(ctx, mpath, "zip",
			                      "member inflates to more than the %llu bytes it declares",
			                      (unsigned long long)size);
			bad = 1;
			break;
		}
		if (chunk)
			window_feed(&w, dst, (size_t)k);
		else
			mb.len += (size_t)k;
	}
	zip_fclose(zf);
	if (!bad && got < size) {
		unpack_report_corrupt(ctx, mpath, "zip",
		                      "member inflates to %llu bytes, less than the %llu it declares",
		                      (unsigned long long)got, (unsigned long long)size);
		bad = 1;
	}
	if (chunk) {
		if (bad)
			window_discard(&w);
		else
			window_close(&w, ctx, mpath, why);
	} else if (!bad) {
		ctx->held += mb.len;
		rc = scan_emit(ctx, mpath, mb.data ? mb.data : (const unsigned char *)"", mb.len,
		               depth + 1);
	}
	free(chunk);
	membuf_free(&mb);
	return rc;
}

/* The reader format for zip methods libzip cannot inflate here but our decoders can. */
static enum unpack_format zip_raw_format(zip_int32_t method)
{
	switch (method) {
	case ZIP_CM_LZMA: return UNPACK_ZIP_LZMA;
	case ZIP_CM_XZ: return UNPACK_XZ;
	case 93: return UNPACK_ZSTD; /* zstd, APPNOTE 6.3.7; not named in libzip 1.7.3 */
	default: return UNPACK_NONE;
	}
}

/*
 * Entry i through our own decoder: libzip hands over the compressed bytes (at
 * most comp_size, which the layout check bounded by the blob; held in memory
 * even for a streamed member), we decode under the same caps into a buffer or
 * a window and verify the CRC ourselves.
 */
static int zip_scan_entry_raw(struct scan_ctx *ctx, zip_t *za, zip_uint64_t i,
                              const zip_stat_t *st, const char *mpath, unsigned depth)
{
	uint64_t size = st->size, got = 0;
	struct membuf comp = {0}, mb = {0};
	struct reader r;
	struct window w;
	unsigned char *chunk = NULL;
	uLong crc = crc32(0, NULL, 0);
	int rc = 0, bad = 0;
	enum unpack_limit why;
	if (zip_refused(ctx, st, st->comp_size, mpath, &why))
		return 0;
	zip_file_t *zf = zip_fopen_index(za, i, ZIP_FL_COMPRESSED);
	if (!zf) {
		unpack_report_corrupt(ctx, mpath, "zip", "member cannot be opened: %s", zip_strerror(za));
		return 0;
	}
	unsigned char buf[65536];
	for (;;) {
		zip_int64_t k = zip_fread(zf, buf, sizeof(buf));
		if (k < 0) {
			unpack_report_corrupt(ctx, mpath, "zip", "%s", zip_file_strerror(zf));
			bad = 1;
			break;
		}
		if (k == 0 || comp.len + (uint64_t)k > st->comp_size)
			break;
		membuf_append(&comp, buf, (size_t)k);
	}
	zip_fclose(zf);
	if (bad)
		goto done;
	reader_open(&r, ctx, zip_raw_format(st->comp_method), comp.data ? comp.data : buf, comp.len);
	r.declared = size;
	if (why == UNPACK_OK) {
		membuf_start(&mb, size);
	} else {
		window_open(&w, ctx);
		chunk = xmalloc(WINDOW_CHUNK);
	}
	while (r.state == READER_OK && got <= size) {
		unsigned char *dst = chunk;
		size_t want = WINDOW_CHUNK;
		if (!chunk)
			dst = membuf_room(&mb, size + 1 - got, &want);
		else if (want > size + 1 - got)
			want = (size_t)(size + 1 - got);
		size_t k = reader_read(&r, dst, want);
		crc = crc32_z(crc, dst, k);
		got += k;
		if (!chunk)
			mb.len += k;
		else if (got <= size)
			window_feed(&w, dst, k);
	}
	int ended = r.state == READER_END;
	if (got > size) {
		unpack_report_corrupt(ctx, mpath, "zip",
		                      "member inflates to more than the %llu bytes it declares",
		                      (unsigned long long)size);
		bad = 1;
	} else if (!ended) {
		if (!reader_report(&r, mpath))
			unpack_report_corrupt(ctx, mpath, "zip", "member data does not end where it should");
		bad = 1;
	} else if (got < size || crc != st->crc) {
		unpack_report_corrupt(ctx, mpath, "zip", got < size ? "member is shorter than declared"
		                                                    : "CRC error");
		bad = 1;
	}
	reader_close(&r);
	if (chunk) {
		if (bad)
			window_discard(&w);
		else
			window_close(&w, ctx, mpath, why);
	} else if (!bad) {
		ctx->held += mb.len;
		rc = scan_emit(ctx, mpath, mb.data, mb.len, depth + 1);
	}
done:
	free(chunk);
	membuf_free(&comp);
	membuf_free(&mb);
	return rc;
}

/*
 * libzip's source: the blob in memory, like zip_source_buffer_create, except
 * that what has been read is given back (util_release_pages) as reading moves
 * on, so a mapped file is not kept resident behind a streamed member.
 */
struct zip_mem {
	const unsigned char *d;
	zip_uint64_t len, pos, released;
	zip_error_t err;
};

/* Input read is given back in steps of this many bytes. */
#define ZIP_RELEASE_STEP ((zip_uint64_t)8 << 20)

static zip_int64_t zip_mem_cb(void *ud, void *data, zip_uint64_t n, zip_source_cmd_t cmd)
{
	struct zip_mem *m = ud;
	switch (cmd) {
	case ZIP_SOURCE_OPEN:
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_READ:
		if (n > m->len - m->pos)
			n = m->len - m->pos;
		memcpy(data, m->d + m->pos, (size_t)n);
		m->pos += n;
		if (m->pos > m->released && m->pos - m->released >= ZIP_RELEASE_STEP) {
			util_release_pages(m->d + m->released, (size_t)(m->pos - m->released));
			m->released = m->pos;
		}
		return (zip_int64_t)n;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, n, &m->err);
		if (!st)
			return -1;
		zip_stat_init(st);
		st->size = m->len;
		st->comp_size = m->len;
		st->comp_method = ZIP_CM_STORE;
		st->encryption_method = ZIP_EM_NONE;
		st->valid |= ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD |
		             ZIP_STAT_ENCRYPTION_METHOD;
		return sizeof(*st);
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&m->err, data, n);
	case ZIP_SOURCE_FREE:
		zip_error_fini(&m->err);
		free(m);
		return 0;
	case ZIP_SOURCE_SEEK: {
		zip_int64_t p = zip_source_seek_compute_offset(m->pos, m->len, data, n, &m->err);
		if (p < 0)
			return -1;
		m->pos = (zip_uint64_t)p;
		if (m->pos < m->released) /* libzip seeks before every read of a member */
			m->released = m->pos;
		return 0;
	}
	case ZIP_SOURCE_TELL:
		return (zip_int64_t)m->pos;
	case ZIP_SOURCE_SUPPORTS:
		return ZIP_SOURCE_SUPPORTS_SEEKABLE;
	default:
		zip_error_set(&m->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

static zip_source_t *zip_mem_source(const unsigned char *d, size_t len, zip_error_t *ze)
{
	struct zip_mem *m = xcalloc(1, sizeof(*m));
	m->d = d;
	m->len = len;
	zip_error_init(&m->err);
	zip_source_t *src = zip_source_function_create(zip_mem_cb, m, ze);
	if (!src) {
		zip_error_fini(&m->err);
		free(m);
	}
	return src;
}

/* Opens with ZIP_CHECKCONS, then (reporting why) without it. NULL if unreadable (reported). */
static zip_t *zip_open_mem(struct scan_ctx *ctx, const char *path, const unsigned char *d,
                           size_t len)
{
	zip_error_t ze;
	for (int pass = 0; pass < 2; pass++) {
		zip_error_init(&ze);
		zip_source_t *src = zip_mem_source(d, len, &ze);
		if (!src) {
			zip_error_fini(&ze);
			return NULL;
		}
		zip_t *za = zip_open_from_source(src, ZIP_RDONLY | (pass ? 0 : ZIP_CHECKCONS), &ze);
		if (za) {
			zip_error_fini(&ze);
			return za;
		}
		zip_source_free(src);
		int code = zip_error_code_zip(&ze);
		if (pass == 0 && (code == ZIP_ER_EXISTS || code == ZIP_ER_INCONS)) {
			unpack_report_corrupt(ctx, path, "zip", "%s; every entry is scanned anyway",
			                      code == ZIP_ER_EXISTS
			                          ? "duplicate member names (tools extract different files)"
			                          : "local and central headers disagree");
			zip_error_fini(&ze);
			continue;
		}
		unpack_report_corrupt(ctx, path, "zip", "%s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return NULL;
	}
	return NULL;
}

int unpack_zip(struct scan_ctx *ctx, const char *path, const unsigned char *data, size_t len,
               unsigned depth)
{
	struct zip_layout lay;
	struct plan_names pn = {0};
	char err[200];
	size_t from = ctx->out->n;
	int rc = 0;

	if (zip_read_layout(data, len, &lay, err, sizeof(err)) < 0) {
		unpack_report_corrupt(ctx, path, "zip", "%s", err);
		return 0;
	}
	if (lay.entries > ctx->limits->archive_members) {
		char what[96];
		snprintf(what, sizeof(what), "zip archive has %llu members", (unsigned long long)lay.entries);
		unpack_report_limit(ctx, path, UNPACK_LIMIT_MEMBERS, what);
		return 0;
	}
	if (zip_check_layout(data, &lay, err, sizeof(err)) < 0) {
		unpack_report_corrupt(ctx, path, "zip", "%s", err);
		return 0;
	}
	zip_t *za = zip_open_mem(ctx, path, data + lay.delta, len - lay.delta);
	if (!za)
		return 0;
	zip_int64_t n = zip_get_num_entries(za, 0);
	if (n < 0 || (uint64_t)n != lay.entries) {
		unpack_report_corrupt(ctx, path, "zip", "ambiguous central directory");
		goto done;
	}
	for (zip_uint64_t i = 0; i < (zip_uint64_t)n && rc >= 0; i++) {
		zip_stat_t st;
		zip_stat_init(&st);
		if (zip_stat_index(za, i, 0, &st) < 0 || !(st.valid & ZIP_STAT_NAME) ||
		    !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE)) {
			unpack_report_corrupt(ctx, path, "zip", "entry %llu cannot be read: %s",
			                      (unsigned long long)i, zip_strerror(za));
			continue;
		}
		size_t nlen = strlen(st.name);
		char *mpath = unpack_member_path(path, st.name, nlen);
		plan_note(&pn, st.name);
		if (nlen && st.name[nlen - 1] == '/' && st.size == 0) {
			/* a directory: nothing to read */
		} else if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
		           st.encryption_method != ZIP_EM_NONE) {
			unpack_report_encrypted(ctx, mpath, st.name,
			                        st.encryption_method == ZIP_EM_TRAD_PKWARE ? "zip password"
			                        : st.encryption_method >= ZIP_EM_AES_128 &&
			                                st.encryption_method <= ZIP_EM_AES_256
			                            ? "zip AES"
			                            : "zip encryption");
		} else if ((st.valid & ZIP_STAT_COMP_METHOD) && (st.valid & ZIP_STAT_CRC) &&
		           !zip_compression_method_supported(st.comp_method, 0) &&
		           zip_raw_format(st.comp_method) != UNPACK_NONE) {
			rc = zip_scan_entry_raw(ctx, za, i, &st, mpath, depth);
		} else if (!(st.valid & ZIP_STAT_COMP_METHOD) ||
		           !zip_compression_method_supported(st.comp_method, 0)) {
			char what[96];
			snprintf(what, sizeof(what), "zip member uses compression method %d",
			         (st.valid & ZIP_STAT_COMP_METHOD) ? st.comp_method : -1);
			unpack_report_limit(ctx, mpath, UNPACK_LIMIT_METHOD, what);
		} else {
			rc = zip_scan_entry(ctx, za, i, &st, mpath, depth);
		}
		free(mpath);
	}
	if (pn.tfplan && (pn.tfstate || pn.tfstate_prev || pn.tfconfig))
		zip_report_plan(ctx, path, from, &pn);
done:
	zip_discard(za);
	return rc;
}
