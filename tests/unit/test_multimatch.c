/*
 * Unit tests for detect/multimatch (the prefilter's one-pass anchor matcher) and for the two
 * places that lean on it being exact: the SIMD path must answer like the scalar path at
 * every offset and block border, and the prefilter's anchors must fit its chunk-border window.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

#include "detect/detect_int.h"
#include "detect/multimatch.h"

enum { F_A = 1, F_B = 2, F_C = 4, F_D = 8, F_E = 16, F_ALL = 31 };

static const struct mm_pattern pats[] = {
	{.s = "terraform", .flag = F_A},       {.s = "lineage", .flag = F_B, .ci = 1},
	{.s = "-", .flag = F_C, .hex8 = 1},    {.s = "\\u", .flag = F_D},
	{.s = "A3T", .flag = F_E, .bucket = 8}, {.s = "\"backend", .flag = F_B, .ci = 1, .bucket = 2},
};

static struct multimatch *compile(void)
{
	struct multimatch *m = multimatch_new(pats, sizeof(pats) / sizeof(*pats));
	assert_non_null(m);
	return m;
}

/* Both paths, and the answer they must agree on. */
static unsigned both(const struct multimatch *m, const unsigned char *d, size_t n)
{
	unsigned simd = multimatch_scan(m, d, n, 0), scalar = multimatch_scan_scalar(m, d, n, 0);
	assert_int_equal(simd, scalar);
	return simd;
}

static void each_pattern_is_found_at_every_offset_and_block_border(void **state)
{
	(void)state;
	struct multimatch *m = compile();
	static const struct {
		const char *text;
		unsigned flag;
	} cases[] = {
		{"terraform", F_A}, {"LiNeAgE", F_B}, {"-0123abcd", F_C}, {"\\u", F_D},
		{"A3T", F_E},       {"\"BACKEND", F_B},
	};
	unsigned char buf[160];
	for (size_t c = 0; c < sizeof(cases) / sizeof(*cases); c++) {
		size_t l = strlen(cases[c].text);
		for (size_t n = l; n <= 100; n++) {
			for (size_t at = 0; at + l <= n; at++) {
				memset(buf, ' ', sizeof(buf));
				memcpy(buf + at, cases[c].text, l);
				assert_int_equal(both(m, buf, n), cases[c].flag);
			}
		}
	}
	multimatch_free(m);
}

static void near_misses_are_not_matches(void **state)
{
	(void)state;
	struct multimatch *m = compile();
	static const char *const misses[] = {
		"terrafor",            /* cut short */
		"Terraform",           /* case-sensitive pattern */
		"-0123abc",            /* 7 hex digits */
		"-0123ABCD",           /* upper-case hex */
		"-0123abcg",           /* not hex */
		"a3t",                 /* case-sensitive */
		"lineag e",
		"backend",             /* needs the quote */
	};
	unsigned char buf[128];
	for (size_t i = 0; i < sizeof(misses) / sizeof(*misses); i++) {
		for (size_t at = 0; at < 70; at++) {
			size_t l = strlen(misses[i]);
			memset(buf, 'x', sizeof(buf));
			memcpy(buf + at, misses[i], l);
			/* end the buffer right after the miss too: nothing may be read past n */
			assert_int_equal(both(m, buf, at + l), 0);
			assert_int_equal(both(m, buf, sizeof(buf)), 0);
		}
	}
	multimatch_free(m);
}

static void random_text_agrees_with_the_scalar_path(void **state)
{
	(void)state;
	struct multimatch *m = compile();
	static const char *const pieces[] = {"terr", "aform", "terraform", "LINEAGE", "-", "0123",
	                                     "abcd", "\\", "u", "A3", "T", "\"", "backend", " ",
	                                     "\n", "x", "lin", "eage"};
	unsigned char buf[512];
	unsigned seen = 0;
	srand(12345);
	for (int round = 0; round < 20000; round++) {
		size_t n = 0, want = (size_t)(rand() % 300);
		while (n < want) {
			const char *p = pieces[rand() % (sizeof(pieces) / sizeof(*pieces))];
			size_t l = strlen(p);
			if (n + l > sizeof(buf))
				break;
			memcpy(buf + n, p, l);
			n += l;
		}
		unsigned known = (unsigned)(rand() % 3 == 0 ? F_A : 0);
		unsigned a = multimatch_scan(m, buf, n, known), b = multimatch_scan_scalar(m, buf, n, known);
		assert_int_equal(a, b);
		assert_int_equal(a & known, known);
		seen |= a;
	}
	assert_int_equal(seen, F_ALL); /* the generator reached every pattern */
	multimatch_free(m);
}

static void invalid_pattern_sets_are_refused(void **state)
{
	(void)state;
	static const struct mm_pattern one_byte[] = {{.s = "x", .flag = 1}};
	static const struct mm_pattern empty_hex8[] = {{.s = "", .flag = 1, .hex8 = 1}};
	static const struct mm_pattern bad_bucket[] = {{.s = "xy", .flag = 1, .bucket = 9}};
	assert_null(multimatch_new(one_byte, 1));
	assert_null(multimatch_new(empty_hex8, 1));
	assert_null(multimatch_new(bad_bucket, 1));
	assert_null(multimatch_new(pats, 0));
}

/* line_has: the rest of the line must hold one of the bytes, or a block comment opener; a
 * line cut by the end of the buffer counts (the rest is unknown). */
static void line_conditions_look_at_the_rest_of_the_line_only(void **state)
{
	(void)state;
	static const struct mm_pattern p[] = {{.s = "terraform", .flag = 1, .line_has = "{"},
	                                      {.s = "bucket", .flag = 2, .line_has = "=:"}};
	struct multimatch *m = multimatch_new(p, 2);
	assert_non_null(m);
	static const struct {
		const char *text;
		unsigned want;
	} cases[] = {
		{"terraform {\n", 1},
		{"terraform /* c */\n", 1},
		{"x { terraform\n", 0},          /* the brace is before it */
		{"terraform\n{\n", 0},          /* the next line is not this line */
		{"terraform", 1},                 /* cut: unknown, so it counts */
		{"import \"terraform\"\nx\n", 0},
		{"bucket = \"b\"\n", 2},
		{"bucket: b\n", 2},
		{"bucket\n = 1\n", 0},
		{"terraform.x{}\nbucket := 1\n", 3},
	};
	unsigned char buf[256];
	for (size_t c = 0; c < sizeof(cases) / sizeof(*cases); c++) {
		for (size_t pad = 0; pad < 70; pad += 7) { /* shifted across SIMD block borders */
			size_t l = strlen(cases[c].text);
			memset(buf, ';', pad);
			memcpy(buf + pad, cases[c].text, l);
			assert_int_equal(both(m, buf, pad + l), cases[c].want);
		}
	}
	multimatch_free(m);
}

static void prefilter_anchors_fit_the_chunk_border_window(void **state)
{
	(void)state;
	struct prefilter pf;
	assert_true(prefilter_longest_anchor() <= sizeof(pf.tail));
	/* and every anchor family is still found when split at any byte across two chunks */
	static const struct {
		const char *text;
		unsigned flag;
	} cases[] = {
		{"x = \"arn:aws:iam::123456789012:role/x\"", PF_IDS_ARN},
		{"host = db.abc.eu-west-1.rds.amazonaws.com", PF_IDS_HOST},
		{"id = vpc-0a1b2c3d", PF_IDS_EC2},
		{"/SUBSCRIPTIONS/x", PF_AZURE},
		{"storage_account_name = \"x\"", PF_PARTIAL},
		{"-----BEGIN RSA PRIVATE KEY-----", PF_TOK_PKEY},
		{"AWS_SECRET_ACCESS_KEY=abc", PF_TOK_SECRET},
		{"# VAULT_TOKEN", PF_TOK_VAULT_LINE},
		{"terraform {\n  backend \"s3\" {", PF_HCL},
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(*cases); c++) {
		const char *t = cases[c].text;
		for (size_t cut = 0; cut <= strlen(t); cut++) {
			prefilter_init(&pf);
			prefilter_feed(&pf, (const unsigned char *)t, cut);
			prefilter_feed(&pf, (const unsigned char *)t + cut, strlen(t) - cut);
			assert_true(pf.flags & cases[c].flag);
		}
	}
	/* zeroed bytes before the JSON (a torn write) do not hide it from the streaming path */
	static const unsigned char padded[] = "\0\0\0  {\"lineage\": \"x\"}";
	prefilter_init(&pf);
	prefilter_feed(&pf, padded, 2);
	prefilter_feed(&pf, padded + 2, sizeof(padded) - 3);
	assert_true(pf.flags & PF_JSON);
	assert_false(prefilter_run((const unsigned char *)"i-1 and vpc-12345 and arn", 25) &
	             (PF_IDS | PF_AZURE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_pattern_is_found_at_every_offset_and_block_border),
		cmocka_unit_test(near_misses_are_not_matches),
		cmocka_unit_test(random_text_agrees_with_the_scalar_path),
		cmocka_unit_test(invalid_pattern_sets_are_refused),
		cmocka_unit_test(line_conditions_look_at_the_rest_of_the_line_only),
		cmocka_unit_test(prefilter_anchors_fit_the_chunk_border_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
