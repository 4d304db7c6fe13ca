/* Unit tests for the encoding layers of unpack/: UTF-16/32 sniffing and transcoding, base64
 * runs (wrapped, URL-safe, escaped in JSON, keyed values, budgets) and escaped text. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/finding.h"
#include "pipeline/pipeline.h"
#include "core/util.h"
#include "unpack/unpack.h"
#include "unpack/unpack_int.h"

/* A state the detectors block; minified, and with lineage (the JSON gate key). */
static const char STATE[] = "{\"version\":4,\"terraform_version\":\"1.8.2\",\"serial\":1,"
                            "\"lineage\":\"6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f\",\"outputs\":{},"
                            "\"resources\":[{\"mode\":\"managed\",\"type\":\"aws_vpc\",\"name\":"
                            "\"main\",\"instances\":[{\"attributes\":{\"id\":\"vpc-1\"}}]}]}";

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
}

/* Scans `text` as `path`; returns the number of findings. */
static size_t scan_text(struct scan *s, const char *path, const unsigned char *text, size_t len)
{
	unsigned char *copy = xmalloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	assert_int_equal(pipeline_scan_blob(&s->ctx, path, copy, len), 0);
	free(copy);
	return s->out.n;
}

static const struct finding *find(const struct scan *s, const char *rule, const char *path)
{
	for (size_t i = 0; i < s->out.n; i++)
		if (!strcmp(s->out.v[i].rule, rule) && (!path || !strcmp(s->out.v[i].path, path)))
			return &s->out.v[i];
	return NULL;
}

static void dump(const struct scan *s)
{
	for (size_t i = 0; i < s->out.n; i++)
		print_message("  %s %s\n", s->out.v[i].rule, s->out.v[i].path);
}

static char *b64(const unsigned char *d, size_t n, int url)
{
	const char *abc = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	                      : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *o = xmalloc(n / 3 * 4 + 8), *p = o;
	size_t i = 0;
	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)d[i] << 16 | (uint32_t)d[i + 1] << 8 | d[i + 2];
		*p++ = abc[v >> 18];
		*p++ = abc[v >> 12 & 63];
		*p++ = abc[v >> 6 & 63];
		*p++ = abc[v & 63];
	}
	if (n - i) {
		uint32_t v = (uint32_t)d[i] << 16 | (n - i == 2 ? (uint32_t)d[i + 1] << 8 : 0);
		*p++ = abc[v >> 18];
		*p++ = abc[v >> 12 & 63];
		if (n - i == 2)
			*p++ = abc[v >> 6 & 63];
		if (!url) {
			if (n - i == 1)
				*p++ = '=';
			*p++ = '=';
		}
	}
	*p = '\0';
	return o;
}

static void utf16_is_recognised_by_bom_or_by_its_nul_pattern_only(void **state)
{
	(void)state;
	size_t bom;
	assert_int_equal(unpack_text_sniff((const unsigned char *)"\xff\xfe{\0", 4, &bom), UNPACK_TEXT_UTF16LE);
	assert_int_equal(bom, 2);
	assert_int_equal(unpack_text_sniff((const unsigned char *)"\xfe\xff\0{", 4, &bom), UNPACK_TEXT_UTF16BE);
	assert_int_equal(unpack_text_sniff((const unsigned char *)"\xff\xfe\0\0{\0\0\0", 8, &bom), UNPACK_TEXT_UTF32LE);
	assert_int_equal(bom, 4);
	assert_int_equal(unpack_text_sniff((const unsigned char *)"\0\0\xfe\xff", 4, &bom), UNPACK_TEXT_UTF32BE);
	assert_int_equal(unpack_text_sniff((const unsigned char *)"{\0\"\0v\0e\0r\0", 10, &bom), UNPACK_TEXT_UTF16LE);
	assert_int_equal(bom, 0);
	assert_int_equal(unpack_text_sniff((const unsigned char *)"\0{\0\"\0v\0e\0r", 10, &bom), UNPACK_TEXT_UTF16BE);
	/* too short, not every other byte zero, or not text: left alone */
	assert_int_equal(unpack_text_sniff((const unsigned char *)"a\0b\0", 4, &bom), UNPACK_TEXT_UTF8);
	assert_int_equal(unpack_text_sniff((const unsigned char *)"{\0\"\0v\0ex", 8, &bom), UNPACK_TEXT_UTF8);
	assert_int_equal(unpack_text_sniff((const unsigned char *)"\x01\0\x02\0\x03\0\x04\0\x05\0", 10, &bom), UNPACK_TEXT_UTF8);
	unsigned char zeros[64] = {0};
	assert_int_equal(unpack_text_sniff(zeros, sizeof(zeros), &bom), UNPACK_TEXT_UTF8);
	assert_int_equal(unpack_text_sniff((const unsigned char *)STATE, strlen(STATE), &bom), UNPACK_TEXT_UTF8);
}

static void utf16_surrogate_pairs_transcode_and_lone_ones_are_noted(void **state)
{
	(void)state;
	/* BOM, a state, U+1F600 as a pair, then a lone low surrogate: the state is still found */
	size_t n = strlen(STATE);
	unsigned char *u = xmalloc(2 + 2 * n + 8);
	size_t o = 0;
	u[o++] = 0xff;
	u[o++] = 0xfe;
	for (size_t i = 0; i < n; i++) {
		u[o++] = (unsigned char)STATE[i];
		u[o++] = 0;
	}
	memcpy(u + o, "\x3d\xd8\x00\xde\x00\xdc", 6);
	o += 6;
	struct scan s;
	scan_init(&s);
	scan_text(&s, "backup.json", u, o);
	dump(&s);
	assert_non_null(find(&s, "tf-state", "backup.json!utf-16le"));
	const struct finding *f = find(&s, "text-encoding", "backup.json!utf-16le");
	assert_non_null(f);
	assert_int_equal(f->severity, SG_SEV_INFO);
	assert_int_equal(cJSON_GetObjectItem(f->details, "replaced")->valuedouble, 1);
	finding_list_free(&s.out);
	free(u);
}

static void utf16_state_name_still_applies_to_the_transcoded_text(void **state)
{
	(void)state;
	static const unsigned char broken[] = "\xff\xfe{\0\"\0v\0e\0r\0";
	struct scan s;
	scan_init(&s);
	scan_text(&s, "env/prod.tfstate", broken, sizeof(broken) - 1);
	const struct finding *f = find(&s, "tf-state", "env/prod.tfstate!utf-16le");
	assert_non_null(f);
	assert_int_equal(f->severity, SG_SEV_BLOCK);
	finding_list_free(&s.out);
}

static void base64_wrapped_and_indented_in_a_yaml_block_scalar_is_decoded(void **state)
{
	(void)state;
	char *enc = b64((const unsigned char *)STATE, strlen(STATE), 0);
	/* 64 columns, indented 4, then an ordinary key */
	char text[4096];
	size_t o = (size_t)snprintf(text, sizeof(text), "kind: Backup\nspec:\n  state: |\n");
	for (size_t i = 0, n = strlen(enc); i < n; i += 64)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "    %.64s\n", enc + i);
	o += (size_t)snprintf(text + o, sizeof(text) - o, "  owner: ops\n");
	struct scan s;
	scan_init(&s);
	scan_text(&s, "backup.yaml", (unsigned char *)text, o);
	dump(&s);
	assert_non_null(find(&s, "tf-state", "backup.yaml!base64@L4"));
	finding_list_free(&s.out);
	free(enc);
}

static void base64_url_safe_unpadded_and_json_escaped_runs_are_decoded(void **state)
{
	(void)state;
	char *st = xasprintf("%s\n", STATE);
	assert_int_not_equal(strlen(st) % 3, 0); /* so that padding would be needed */
	char *url = b64((const unsigned char *)st, strlen(st), 1); /* written without it */
	char *std = b64((const unsigned char *)STATE, strlen(STATE), 0);
	/* a JSON encoder that writes "\/" and breaks lines with "\n" every 76 characters */
	char esc[4096];
	size_t o = 0;
	for (size_t i = 0; std[i]; i++) {
		if (i && i % 76 == 0)
			o += (size_t)snprintf(esc + o, sizeof(esc) - o, "\\n");
		o += (size_t)snprintf(esc + o, sizeof(esc) - o, std[i] == '/' ? "\\/" : "%c", std[i]);
	}
	char *text = xasprintf("{\"a\": \"%s\",\n \"b\": \"%s\"}\n", url, esc);
	struct scan s;
	scan_init(&s);
	scan_text(&s, "ci.json", (unsigned char *)text, strlen(text));
	dump(&s);
	assert_non_null(find(&s, "tf-state", "ci.json!base64@L1"));
	assert_non_null(find(&s, "tf-state", "ci.json!base64@L2"));
	finding_list_free(&s.out);
	free(text);
	free(url);
	free(std);
	free(st);
}

static void base64_of_ordinary_text_and_short_runs_add_nothing(void **state)
{
	(void)state;
	char *enc = b64((const unsigned char *)"just a long and ordinary sentence of configuration", 50, 0);
	char *text = xasprintf("note: %s\nshort: QUtJQQ==\nsha512-%s\n", enc, enc);
	struct scan s;
	scan_init(&s);
	assert_int_equal(scan_text(&s, "notes.yaml", (unsigned char *)text, strlen(text)), 0);
	assert_int_equal(s.ctx.inflated, 0);
	finding_list_free(&s.out);
	free(text);
	free(enc);
}

static void base64_keyed_secret_is_scanned_with_its_key(void **state)
{
	(void)state;
	/* an AWS secret access key alone is only recognised next to its key's name */
	const char *secret = "hzlW4fT0vQ2kP9mXc8R1nB7sJ3yL6aE5dG0uK2iO";
	char *enc = b64((const unsigned char *)secret, strlen(secret), 0);
	char *text = xasprintf("data:\n  AWS_SECRET_ACCESS_KEY: %s\n", enc);
	struct scan s;
	scan_init(&s);
	scan_text(&s, "secret.yaml", (unsigned char *)text, strlen(text));
	dump(&s);
	assert_non_null(find(&s, "aws-secret-key", "secret.yaml!base64@L2"));
	finding_list_free(&s.out);
	free(text);
	free(enc);
}

static void base64_decoded_bytes_count_against_the_archive_budget(void **state)
{
	(void)state;
	char *enc = b64((const unsigned char *)STATE, strlen(STATE), 0);
	struct scan s;
	scan_init(&s);
	s.lim.archive_bytes = 64;
	scan_text(&s, "s.txt", (unsigned char *)enc, strlen(enc));
	const struct finding *f = find(&s, "archive-limit", "s.txt!base64@L1");
	assert_non_null(f);
	assert_string_equal(cJSON_GetObjectItem(f->details, "limit")->valuestring, "archive_bytes");
	assert_null(find(&s, "tf-state", NULL));
	finding_list_free(&s.out);
	free(enc);
}

static void escaped_copy_fields_decode_octal_and_hex_escapes(void **state)
{
	(void)state;
	/* "lineage" spelled with octal and hex escapes behind a COPY field's \n */
	const char *text = "COPY s (id, data) FROM stdin;\n"
	                   "1\tdefault\t{\\n  \"lineage\": \"6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f\",\\n"
	                   "  \"version\": 4, \"serial\": 1, \"terraform_version\": \"1.8.2\",\\n"
	                   "  \"resources\": [{\"mode\": \"\\155anaged\", \"type\": \"aws_\\x76pc\", "
	                   "\"name\": \"main\", \"instances\": [{\"attributes\": {\"id\": \"vpc-1\"}}]}]}\n"
	                   "\\.\n";
	struct scan s;
	scan_init(&s);
	scan_text(&s, "dump.sql", (const unsigned char *)text, strlen(text));
	dump(&s);
	const struct finding *f = find(&s, "tf-state", "dump.sql!unescaped@L2");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "aws_vpc"));
	finding_list_free(&s.out);
}

static void escaped_json_without_an_anchor_costs_nothing(void **state)
{
	(void)state;
	const char *text = "{\"log\": \"line one\\nline \\\"two\\\"\\n{\\\"name\\\": \\\"web\\\"}\"}\n";
	struct scan s;
	scan_init(&s);
	assert_int_equal(scan_text(&s, "log.json", (const unsigned char *)text, strlen(text)), 0);
	assert_int_equal(s.ctx.inflated, 0);
	finding_list_free(&s.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf16_is_recognised_by_bom_or_by_its_nul_pattern_only),
		cmocka_unit_test(utf16_surrogate_pairs_transcode_and_lone_ones_are_noted),
		cmocka_unit_test(utf16_state_name_still_applies_to_the_transcoded_text),
		cmocka_unit_test(base64_wrapped_and_indented_in_a_yaml_block_scalar_is_decoded),
		cmocka_unit_test(base64_url_safe_unpadded_and_json_escaped_runs_are_decoded),
		cmocka_unit_test(base64_of_ordinary_text_and_short_runs_add_nothing),
		cmocka_unit_test(base64_keyed_secret_is_scanned_with_its_key),
		cmocka_unit_test(base64_decoded_bytes_count_against_the_archive_budget),
		cmocka_unit_test(escaped_copy_fields_decode_octal_and_hex_escapes),
		cmocka_unit_test(escaped_json_without_an_anchor_costs_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
