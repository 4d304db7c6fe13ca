/* Unit tests for unpack/: tar header fields, the tar reader, budget arithmetic, member paths,
 * the streaming window. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/finding.h"
#include "pipeline/pipeline.h"
#include "unpack/unpack.h"
#include "unpack/unpack_int.h"

static const char STATE[] = "{\"version\":4,\"terraform_version\":\"1.8.2\",\"serial\":1,"
                            "\"lineage\":\"6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f\","
                            "\"outputs\":{},\"resources\":[]}";

/* Writes a ustar header for `name` with `size` (octal) into h[512]. */
static void tar_header(unsigned char *h, const char *name, const char *size_field, char type)
{
	memset(h, 0, 512);
	memcpy(h, name, strlen(name));
	memcpy(h + 100, "0000644", 7);
	memcpy(h + 124, size_field, strlen(size_field));
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar\0" "00", 8);
	memset(h + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
}

struct scan {
	struct scan_limits lim;
	struct finding_list out;
	struct scan_ctx ctx;
};

static void scan_init(struct scan *s)
{
	memset(s, 0, sizeof(*s));
	scan_limits_default(&s->lim);
	finding_list_init(&s->out);
	s->ctx.limits = &s->lim;
	s->ctx.out = &s->out;
	pipeline_attach(&s->ctx);
}

static const struct finding *find_rule(const struct finding_list *l, const char *rule)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].rule, rule))
			return &l->v[i];
	return NULL;
}

static void tar_numbers_parse_octal_and_base256_and_reject_negatives(void **state)
{
	(void)state;
	uint64_t v;
	assert_int_equal(tar_parse_number((const unsigned char *)"00000001750\0", 12, &v), 0);
	assert_int_equal(v, 1000);
	assert_int_equal(tar_parse_number((const unsigned char *)"   17 \0\0\0\0\0\0", 12, &v), 0);
	assert_int_equal(v, 15);
	unsigned char b256[12] = {0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x00};
	assert_int_equal(tar_parse_number(b256, 12, &v), 0);
	assert_int_equal(v, 4096);
	unsigned char neg[12];
	memset(neg, 0xff, sizeof(neg));
	assert_int_equal(tar_parse_number(neg, 12, &v), -1);
	assert_int_equal(tar_parse_number((const unsigned char *)"0000000x750\0", 12, &v), -1);
	unsigned char huge[12] = {0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	assert_int_equal(tar_parse_number(huge, 12, &v), -1);
}

static void tar_checksum_is_verified(void **state)
{
	(void)state;
	unsigned char h[512];
	tar_header(h, "a.txt", "00000000005", '0');
	assert_true(tar_header_valid(h));
	h[0] = 'b';
	assert_false(tar_header_valid(h));
	unsigned char zero[512] = {0};
	assert_false(tar_header_valid(zero));
}

static void tar_reader_scans_members_and_reports_state(void **state)
{
	(void)state;
	size_t n = strlen(STATE), padded = (n + 511) / 512 * 512;
	size_t len = 512 + padded + 1024;
	unsigned char *tar = calloc(1, len);
	char size[16];
	snprintf(size, sizeof(size), "%011zo", n);
	tar_header(tar, "envs/prod/terraform.tfstate", size, '0');
	memcpy(tar + 512, STATE, n);
	struct scan s;
	scan_init(&s);
	assert_true(unpack_is_container(tar, len));
	assert_int_equal(pipeline_scan_blob(&s.ctx, "a.tar", tar, len), 0);
	const struct finding *f = find_rule(&s.out, "tf-state");
	assert_non_null(f);
	assert_string_equal(f->path, "a.tar!envs/prod/terraform.tfstate");
	assert_null(find_rule(&s.out, "archive-corrupt"));
	finding_list_free(&s.out);
	free(tar);
}

static void tar_member_larger_than_the_archive_is_corrupt(void **state)
{
	(void)state;
	unsigned char tar[2048] = {0};
	tar_header(tar, "x.bin", "77777777777", '0');
	struct scan s;
	scan_init(&s);
	pipeline_scan_blob(&s.ctx, "x.tar", tar, sizeof(tar));
	assert_non_null(find_rule(&s.out, "archive-corrupt"));
	finding_list_free(&s.out);
}

static void tar_trailing_garbage_after_the_end_marker_is_corrupt(void **state)
{
	(void)state;
	unsigned char tar[2048] = {0};
	tar_header(tar, "x.txt", "00000000000", '0');
	tar[2047] = 'Z';
	struct scan s;
	scan_init(&s);
	pipeline_scan_blob(&s.ctx, "x.tar", tar, sizeof(tar));
	assert_non_null(find_rule(&s.out, "archive-corrupt"));
	finding_list_free(&s.out);
}

static void budget_checks_refuse_bombs_and_stream_big_members(void **state)
{
	(void)state;
	struct scan_limits l;
	scan_limits_default(&l);
	assert_int_equal(unpack_budget_check(&l, 0, 0, 1000, 1000), UNPACK_OK);
	/* ratio only counts above 1 MiB of output */
	assert_int_equal(unpack_budget_check(&l, 0, 0, 1, 1 << 20), UNPACK_OK);
	assert_int_equal(unpack_budget_check(&l, 0, 0, 1024, (1 << 20) + 1), UNPACK_LIMIT_RATIO);
	/* above member_bytes, or past archive_bytes of members held: streamed, not refused */
	assert_int_equal(unpack_budget_check(&l, 0, 0, 1ull << 30, l.member_bytes + 1),
	                 UNPACK_LIMIT_MEMBER);
	assert_int_equal(unpack_budget_check(&l, 0, l.archive_bytes - 10, 1 << 20, 11),
	                 UNPACK_LIMIT_BYTES);
	assert_int_equal(unpack_budget_check(&l, 0, l.archive_bytes - 10, 1 << 20, 10), UNPACK_OK);
	/* what was streamed counts against inflated_bytes only */
	assert_int_equal(unpack_budget_check(&l, l.archive_bytes * 4, 0, 1 << 20, 10), UNPACK_OK);
	assert_int_equal(unpack_budget_check(&l, l.inflated_bytes - 10, 0, 1 << 20, 11),
	                 UNPACK_LIMIT_INFLATED);
	/* saturating: no wrap-around with hostile sizes */
	assert_int_equal(unpack_budget_check(&l, UINT64_MAX - 1, 0, UINT64_MAX, UINT64_MAX),
	                 UNPACK_LIMIT_INFLATED);
	l.archive_ratio = 0;
	assert_int_equal(unpack_budget_check(&l, 0, 0, 1, 100 << 20), UNPACK_OK);
	assert_false(unpack_ratio_exceeded(&l, UINT64_MAX, 1));
}

static void repeated_limits_are_counted_on_one_finding_per_blob(void **state)
{
	(void)state;
	struct scan s;
	scan_init(&s);
	s.ctx.blob_first = 0;
	unpack_report_limit(&s.ctx, "a.zip!x", UNPACK_LIMIT_MEMBER, "zip member declares 1 GiB");
	unpack_report_limit(&s.ctx, "a.zip!y", UNPACK_LIMIT_MEMBER, "zip member declares 1 GiB");
	unpack_report_limit(&s.ctx, "a.zip!z", UNPACK_LIMIT_RATIO, "bomb");
	assert_int_equal(s.out.n, 2);
	cJSON *occ = cJSON_GetObjectItemCaseSensitive(s.out.v[0].details, "occurrences");
	assert_true(cJSON_IsNumber(occ));
	assert_int_equal(occ->valueint, 2);
	assert_non_null(strstr(s.out.v[0].message, "member_bytes"));
	/* a new top-level blob starts counting afresh */
	s.ctx.blob_first = s.out.n;
	unpack_report_limit(&s.ctx, "b.zip!x", UNPACK_LIMIT_MEMBER, "zip member declares 1 GiB");
	assert_int_equal(s.out.n, 3);
	finding_list_free(&s.out);
}

static void member_paths_escape_control_bytes_and_invalid_utf8(void **state)
{
	(void)state;
	char *p = unpack_member_path("a.zip", "dir/ok-é.txt", strlen("dir/ok-é.txt"));
	assert_string_equal(p, "a.zip!dir/ok-é.txt");
	free(p);
	p = unpack_member_path("a.zip", "x\n\x1b[0m\xff", 7);
	assert_string_equal(p, "a.zip!x\\x0a\\x1b[0m\\xff");
	free(p);
	p = unpack_member_path("t", "a\0b", 3);
	assert_string_equal(p, "t!a\\x00b");
	free(p);
}

static void sensitive_names_are_recognised(void **state)
{
	(void)state;
	assert_true(unpack_name_is_sensitive("envs/prod/terraform.tfstate"));
	assert_true(unpack_name_is_sensitive("tfplan"));
	assert_true(unpack_name_is_sensitive("planout"));
	assert_true(unpack_name_is_sensitive("x/.terraform/environment"));
	assert_true(unpack_name_is_sensitive("credentials.tfrc.json"));
	assert_false(unpack_name_is_sensitive("docs/README.md"));
}

static void containers_are_sniffed_by_magic_not_name(void **state)
{
	(void)state;
	assert_int_equal(unpack_sniff((const unsigned char *)"PK\3\4xxxx", 8), UNPACK_ZIP);
	assert_int_equal(unpack_sniff((const unsigned char *)"\x1f\x8b\x08\0", 4), UNPACK_GZIP);
	assert_int_equal(unpack_sniff((const unsigned char *)"\xfd" "7zXZ\0\0", 7), UNPACK_XZ);
	assert_int_equal(unpack_sniff((const unsigned char *)"\x28\xb5\x2f\xfd", 4), UNPACK_ZSTD);
	assert_int_equal(unpack_sniff((const unsigned char *)"BZh91AY&SY", 10), UNPACK_BZIP2);
	assert_int_equal(unpack_sniff((const unsigned char *)STATE, strlen(STATE)), UNPACK_NONE);
	/* an empty zip is only an end record; one with a prefix is found from the end */
	unsigned char z[64] = {0};
	memcpy(z + 42, "PK\5\6", 4);
	assert_int_equal(zip_find_eocd(z, sizeof(z)), 42);
	assert_int_equal(unpack_sniff(z, sizeof(z)), UNPACK_ZIP);
	z[62] = 1; /* comment length no longer matches the end */
	assert_int_equal(zip_find_eocd(z, sizeof(z)), -1);
}

static void libarchive_formats_are_recognised_by_their_whole_signature(void **state)
{
	(void)state;
	assert_int_equal(unpack_sniff((const unsigned char *)"7z\xbc\xaf\x27\x1c\0\4", 8), UNPACK_7Z);
	assert_int_equal(unpack_sniff((const unsigned char *)"Rar!\x1a\x07\x01\0", 8), UNPACK_RAR);
	assert_int_equal(unpack_sniff((const unsigned char *)"Rar!\x1a\x07\0", 7), UNPACK_RAR);
	assert_int_equal(unpack_sniff((const unsigned char *)"Rar!\x1a\x07\x05", 7), UNPACK_NONE);
	assert_int_equal(unpack_sniff((const unsigned char *)"\x04\x22\x4d\x18\x64\x40\xa7", 7),
	                 UNPACK_LZ4);
	assert_int_equal(unpack_sniff((const unsigned char *)"LZIP\x01\x0c", 6), UNPACK_LZIP);
	assert_int_equal(unpack_sniff((const unsigned char *)"LZIP\n\n", 6), UNPACK_NONE);
	assert_int_equal(unpack_sniff((const unsigned char *)"\x1f\x9d\x90", 3), UNPACK_COMPRESS);
	assert_int_equal(unpack_sniff((const unsigned char *)"\x1f\x9d\x08", 3), UNPACK_NONE);
	assert_int_equal(unpack_sniff((const unsigned char *)"\x1f\x9d\xf0", 3), UNPACK_NONE);

	/* cpio: the whole ASCII header must be digits of its base (newc: hex, odc: octal) */
	static const struct {
		const char *magic;
		size_t len;
		char digit, bad;
	} cpio[] = {{"070701", 110, 'a', 'g'}, {"070707", 76, '7', '8'}};
	for (size_t k = 0; k < 2; k++) {
		unsigned char h[110];
		memcpy(h, cpio[k].magic, 6);
		memset(h + 6, cpio[k].digit, cpio[k].len - 6);
		assert_int_equal(unpack_sniff(h, cpio[k].len), UNPACK_CPIO);
		assert_int_equal(unpack_sniff(h, cpio[k].len - 1), UNPACK_NONE); /* cut short */
		h[40] = (unsigned char)cpio[k].bad;
		assert_int_equal(unpack_sniff(h, cpio[k].len), UNPACK_NONE);
	}

	/* binary cpio: a name that fits and ends with its only NUL, a mode with a file type */
	unsigned char b[32] = {0xc7, 0x71};
	b[6] = 0xa4, b[7] = 0x81; /* 0100644, little-endian */
	b[20] = 3;                /* name size, NUL included */
	memcpy(b + 26, "ab", 3);
	assert_int_equal(unpack_sniff(b, sizeof(b)), UNPACK_CPIO);
	b[28] = 'c'; /* no NUL at the end of the name */
	assert_int_equal(unpack_sniff(b, sizeof(b)), UNPACK_NONE);
	b[28] = 0, b[7] = 0; /* no file type */
	assert_int_equal(unpack_sniff(b, sizeof(b)), UNPACK_NONE);

	assert_int_equal(unpack_sniff((const unsigned char *)"!<arch>\nx", 9), UNPACK_AR);
	assert_int_equal(unpack_sniff((const unsigned char *)"!<arch> x", 9), UNPACK_NONE);
	static unsigned char iso[0x8800];
	memcpy(iso + 0x8000, "\1CD001\1", 7);
	assert_int_equal(unpack_sniff(iso, sizeof(iso)), UNPACK_ISO9660);
	assert_int_equal(unpack_sniff(iso, 0x8000 + 2047), UNPACK_NONE);
	iso[0x8006] = 2;
	assert_int_equal(unpack_sniff(iso, sizeof(iso)), UNPACK_NONE);

	/* what libarchive cannot read is corrupt, never clean */
	struct scan s;
	scan_init(&s);
	assert_int_equal(pipeline_scan_blob(&s.ctx, "tools.bin",
	                                    (const unsigned char *)"7z\xbc\xaf\x27\x1c\0\4", 8), 0);
	const struct finding *f = find_rule(&s.out, "archive-corrupt");
	assert_non_null(f);
	assert_int_equal(f->severity, SG_SEV_BLOCK);
	assert_non_null(strstr(f->message, "7z archive is corrupt"));
	finding_list_free(&s.out);
}

/* A newc cpio of one member and the trailer; name_size 0 means the real one. */
static size_t cpio_newc(unsigned char *out, const char *name, const char *data,
                        unsigned long name_size)
{
	size_t n = 0, nlen = strlen(name) + 1, dlen = strlen(data);
	const char *names[2] = {name, "TRAILER!!!"};
	for (int k = 0; k < 2; k++) {
		size_t nl = k ? 11 : nlen, dl = k ? 0 : dlen;
		n += (size_t)sprintf((char *)out + n, "070701%08X%08X%08X%08X%08X%08X%08lX%08X%08X%08X%08X"
		                     "%08lX%08X", 1, k ? 0 : 0100644, 0, 0, 1, 0, (unsigned long)dl, 0, 0,
		                     0, 0, k || !name_size ? (unsigned long)nl : name_size, 0);
		memcpy(out + n, names[k], nl);
		n += nl;
		while (n % 4)
			out[n++] = 0;
		memcpy(out + n, k ? "" : data, dl);
		n += dl;
		while (n % 4)
			out[n++] = 0;
	}
	return n;
}

static void cpio_members_are_scanned_and_a_name_size_past_the_end_is_corrupt(void **state)
{
	(void)state;
	static unsigned char c[4096];
	struct scan s;
	scan_init(&s);
	size_t n = cpio_newc(c, "envs/terraform.tfstate", STATE, 0);
	assert_int_equal(pipeline_scan_blob(&s.ctx, "a.cpio", c, n), 0);
	const struct finding *f = find_rule(&s.out, "tf-state");
	assert_non_null(f);
	assert_string_equal(f->path, "a.cpio!envs/terraform.tfstate");
	assert_null(find_rule(&s.out, "archive-corrupt"));
	finding_list_free(&s.out);

	scan_init(&s);
	n = cpio_newc(c, "terraform.tfstate", STATE, 0xffffffffUL);
	assert_int_equal(pipeline_scan_blob(&s.ctx, "b.cpio", c, n), 0);
	f = find_rule(&s.out, "archive-corrupt");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "4294967295-byte name"));
	assert_null(find_rule(&s.out, "tf-state"));
	finding_list_free(&s.out);
}

static void depth_limit_stops_opening_containers(void **state)
{
	(void)state;
	struct scan s;
	scan_init(&s);
	s.lim.archive_depth = 0;
	unsigned char z[22] = {'P', 'K', 5, 6};
	assert_int_equal(pipeline_scan_blob(&s.ctx, "e.zip", z, sizeof(z)), 0);
	const struct finding *f = find_rule(&s.out, "archive-limit");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "archive_depth"));
	finding_list_free(&s.out);
}

/* n pseudo-random bytes (xorshift64: the same every run). Caller frees. */
static unsigned char *noise(size_t n)
{
	unsigned char *d = malloc(n);
	uint64_t x = 0x9e3779b97f4a7c15ull;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		d[i] = (unsigned char)(x >> 24);
	}
	return d;
}

/* Feeds d[0..n) to a window in chunks of `step` bytes and closes it as a member_bytes member. */
static void window_run(struct scan *s, const unsigned char *d, size_t n, size_t step)
{
	struct window w;
	window_open(&w, &s->ctx);
	for (size_t off = 0; off < n; off += step)
		window_feed(&w, d + off, n - off < step ? n - off : step);
	window_close(&w, &s->ctx, "p.zip!bin", UNPACK_LIMIT_MEMBER);
}

static void window_passes_random_bytes_whatever_the_chunks(void **state)
{
	(void)state;
	struct scan s;
	size_t n = (3u << 20) + 12345;
	unsigned char *d = noise(n);
	d[0] = 0x7f, d[1] = 'E', d[2] = 'L', d[3] = 'F';
	scan_init(&s);
	window_run(&s, d, n, 7777);
	window_run(&s, d, n, 1u << 20);
	assert_int_equal(s.out.n, 0);
	finding_list_free(&s.out);
	free(d);
}

static void window_sees_state_and_keys_across_chunk_and_window_borders(void **state)
{
	(void)state;
	struct scan s;
	size_t n = 3u << 20;
	unsigned char *d = noise(n);
	/* state split by a 7777-byte chunk border inside "lineage" */
	size_t at = 7777 * 200 - 20;
	memcpy(d + at, STATE, sizeof(STATE) - 1);
	scan_init(&s);
	window_run(&s, d, n, 7777);
	const struct finding *f = find_rule(&s.out, "scan-limit");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "Terraform state"));
	assert_non_null(strstr(f->message, "member_bytes"));
	finding_list_free(&s.out);
	free(d);
	/* an access key across the first token window's end (1 MiB + 64 KiB) */
	d = noise(n);
	static const char key[] = "\naws_access_key_id = AKIAZ7QWERTY2345ABCD\n";
	memcpy(d + (1u << 20) + (64u << 10) - 30, key, sizeof(key) - 1);
	scan_init(&s);
	window_run(&s, d, n, 65536);
	f = find_rule(&s.out, "scan-limit");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "aws-access-key"));
	finding_list_free(&s.out);
	free(d);
}

static void window_refuses_a_member_that_is_an_archive(void **state)
{
	(void)state;
	struct scan s;
	size_t n = 2u << 20;
	unsigned char *d = noise(n);
	/* a zip end record (and a 10-byte comment) at the very end: an archive behind a prefix */
	memset(d + n - 32, 0, 22);
	memcpy(d + n - 32, "PK\5\6", 4);
	d[n - 32 + 20] = 10;
	scan_init(&s);
	window_run(&s, d, n, 100000);
	const struct finding *f = find_rule(&s.out, "archive-limit");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "too large to open from a streaming window"));
	finding_list_free(&s.out);
	/* gzip magic at the head */
	d[n - 32 + 20] = 0;
	memcpy(d, "\x1f\x8b\x08", 3);
	scan_init(&s);
	window_run(&s, d, n, 100000);
	assert_non_null(find_rule(&s.out, "archive-limit"));
	finding_list_free(&s.out);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tar_numbers_parse_octal_and_base256_and_reject_negatives),
		cmocka_unit_test(tar_checksum_is_verified),
		cmocka_unit_test(tar_reader_scans_members_and_reports_state),
		cmocka_unit_test(tar_member_larger_than_the_archive_is_corrupt),
		cmocka_unit_test(tar_trailing_garbage_after_the_end_marker_is_corrupt),
		cmocka_unit_test(budget_checks_refuse_bombs_and_stream_big_members),
		cmocka_unit_test(repeated_limits_are_counted_on_one_finding_per_blob),
		cmocka_unit_test(member_paths_escape_control_bytes_and_invalid_utf8),
		cmocka_unit_test(sensitive_names_are_recognised),
		cmocka_unit_test(containers_are_sniffed_by_magic_not_name),
		cmocka_unit_test(libarchive_formats_are_recognised_by_their_whole_signature),
		cmocka_unit_test(cpio_members_are_scanned_and_a_name_size_past_the_end_is_corrupt),
		cmocka_unit_test(depth_limit_stops_opening_containers),
		cmocka_unit_test(window_passes_random_bytes_whatever_the_chunks),
		cmocka_unit_test(window_sees_state_and_keys_across_chunk_and_window_borders),
		cmocka_unit_test(window_refuses_a_member_that_is_an_archive),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
