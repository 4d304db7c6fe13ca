/*
 * Unit tests for unpack/lfs: pointers are recognised exactly as git-lfs 3.x smudges them
 * (canonical text and the variants it also accepts; near misses are ordinary content),
 * objects are found in both store layouts, and the layer scans, verifies and names them.
 */
#include "unit.h"

#include <sys/stat.h>
#include <unistd.h>

#include "pipeline/pipeline.h"
#include "unpack/lfs.h"

#define OID "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393"
#define V1 "version https://git-lfs.github.com/spec/v1\n"

static int parse(const char *text, struct lfs_pointer *p)
{
	return lfs_pointer_parse((const unsigned char *)text, strlen(text), p);
}

static int is_pointer(const char *text)
{
	struct lfs_pointer p;
	return parse(text, &p);
}

static void the_canonical_pointer_gives_its_oid_and_size(void **state)
{
	(void)state;
	struct lfs_pointer p;
	assert_int_equal(parse(V1 "oid sha256:" OID "\nsize 12345\n", &p), 1);
	assert_string_equal(p.oid, OID);
	assert_int_equal(p.size, 12345);
	assert_int_equal(p.nexts, 0);
}

static void variants_git_lfs_also_smudges_are_pointers(void **state)
{
	(void)state;
	struct lfs_pointer p;
	/* CRLF lines, surrounding white space (Unicode too), empty lines, no final newline */
	assert_true(is_pointer("version https://git-lfs.github.com/spec/v1\r\noid sha256:" OID
	                       "\r\nsize 6\r\n"));
	assert_true(is_pointer("  \n\t" V1 "\noid sha256:" OID "\n\nsize 6"));
	assert_true(is_pointer("\xc2\xa0" V1 "oid sha256:" OID "\nsize 6\n\xe3\x80\x80"));
	/* the two older spec URLs git-lfs still reads */
	assert_true(is_pointer("version https://hawser.github.com/spec/v1\noid sha256:" OID
	                       "\nsize 6\n"));
	assert_true(is_pointer("version http://git-media.io/v/2\noid sha256:" OID "\nsize 0"));
	/* a sign on the size, as Go's ParseInt reads it */
	assert_int_equal(parse(V1 "oid sha256:" OID "\nsize +6\n", &p), 1);
	assert_int_equal(p.size, 6);
	/* extension lines, sorted as git-lfs writes them or even before version */
	assert_int_equal(parse(V1 "ext-0-foo sha256:" OID "\next-1-bar sha256:" OID "\noid sha256:" OID
	                       "\nsize 6\n", &p), 1);
	assert_int_equal(p.nexts, 2);
	assert_true(is_pointer("ext-0-foo sha256:" OID "\n" V1 "oid sha256:" OID "\nsize 6\n"));
	/* a repeated extension key keeps its last value */
	assert_true(is_pointer(V1 "ext-0-foo bad\next-0-foo sha256:" OID "\noid sha256:" OID
	                       "\nsize 6\n"));
}

static void only_the_first_1024_bytes_decide(void **state)
{
	(void)state;
	char buf[2100];
	int n = snprintf(buf, sizeof(buf), V1 "oid sha256:" OID "\nsize 6\n");
	memset(buf + n, ' ', sizeof(buf) - 1 - (size_t)n); /* padding past 1024: still smudged */
	buf[sizeof(buf) - 1] = '\0';
	assert_true(is_pointer(buf));
	memcpy(buf + 1100, "text", 4); /* text past byte 1024 is never read by git-lfs */
	assert_true(is_pointer(buf));
	memcpy(buf + 1000, "text", 4); /* but inside the first 1024 it is an extra line's start */
	assert_false(is_pointer(buf));
}

static void near_misses_are_ordinary_content(void **state)
{
	(void)state;
	assert_false(is_pointer(""));
	assert_false(is_pointer("{\"version\": 4, \"terraform_version\": \"1.8.2\"}"));
	assert_false(is_pointer(V1 "oid sha256:" OID "\n"));                       /* no size */
	assert_false(is_pointer(V1 "size 6\noid sha256:" OID "\n"));               /* order */
	assert_false(is_pointer("oid sha256:" OID "\n" V1 "size 6\n"));            /* version later */
	assert_false(is_pointer(V1 "oid sha256:" OID "\nsize 6\nextra line\n"));
	assert_false(is_pointer(V1 "oid sha256:" OID "\nsize 6\next-0-foo sha256:" OID "\n"));
	assert_false(is_pointer(V1 "oid sha256:" OID "0\nsize 6\n"));              /* 65 hex */
	assert_false(is_pointer(V1 "oid sha256:4D7A214614AB2935C943F9E0FF69D22EADBB8F32B1258DAAA5E2CA"
	                           "24D17E2393\nsize 6\n"));                         /* upper case */
	assert_false(is_pointer(V1 "oid sha1:" OID "\nsize 6\n"));
	assert_false(is_pointer(V1 "oid  sha256:" OID "\nsize 6\n"));              /* two spaces */
	assert_false(is_pointer(V1 "oid sha256:" OID "\nsize -6\n"));
	assert_false(is_pointer(V1 "oid sha256:" OID "\nsize 6 bytes\n"));
	assert_false(is_pointer(V1 "oid sha256:" OID "\nsize 9223372036854775808\n"));
	assert_false(is_pointer(V1 "oid sha256:" OID "\nsize \n"));
	assert_false(is_pointer("version https://git-lfs.github.com/spec/v2\noid sha256:" OID
	                        "\nsize 6\n"));
	assert_false(is_pointer("Version https://git-lfs.github.com/spec/v1\noid sha256:" OID
	                        "\nsize 6\n"));
	/* extensions: duplicate priorities, bad oids, malformed keys */
	assert_false(is_pointer(V1 "ext-0-foo sha256:" OID "\next-0-bar sha256:" OID "\noid sha256:" OID
	                        "\nsize 6\n"));
	assert_false(is_pointer(V1 "ext-0-foo sha256:abc\noid sha256:" OID "\nsize 6\n"));
	assert_false(is_pointer(V1 "ext-10-foo sha256:" OID "\noid sha256:" OID "\nsize 6\n"));
	assert_false(is_pointer(V1 "ext-0- sha256:" OID "\noid sha256:" OID "\nsize 6\n"));
	/* a CR inside a line is part of it */
	assert_false(is_pointer(V1 "oid sha256:" OID "\r\r\nsize 6\n"));
}

static void the_cheap_test_lets_ordinary_content_by(void **state)
{
	(void)state;
	static const char *const plain[] = {
	    "{\"version\": 4, \"serial\": 1, \"lineage\": \"x\", \"outputs\": {}, \"resources\": []}"
	    "............................................................",
	    "PK\x03\x04 an archive .............................................................."
	    "..............................................",
	    "terraform { backend \"s3\" {} } ...................................................."
	    ".................................................",
	};
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		assert_false(lfs_maybe_pointer((const unsigned char *)plain[i], strlen(plain[i])));
	const char *ptr = V1 "oid sha256:" OID "\nsize 6\n";
	assert_true(lfs_maybe_pointer((const unsigned char *)ptr, strlen(ptr)));
	assert_false(lfs_maybe_pointer((const unsigned char *)ptr, LFS_POINTER_MIN - 1));
}

/* A temporary store holding `content` under the layout's file name for its SHA-256. */
static char *make_store(const char *content, int gitlab, char *oid)
{
	static char dir[] = "/tmp/sg-lfs-XXXXXX";
	strcpy(dir, "/tmp/sg-lfs-XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(unit_sh("cd %s && printf '%%s' '%s' > obj && o=$(sha256sum obj | cut -c1-64)"
	                         " && a=$(echo $o | cut -c1-2) && b=$(echo $o | cut -c3-4)"
	                         " && mkdir -p $a/$b && mv obj $a/$b/%s && printf %%s $o > oid",
	                         dir, content, gitlab ? "$(echo $o | cut -c5-)" : "$o"),
	                 0);
	char *p = NULL;
	char path[64];
	snprintf(path, sizeof(path), "%s/oid", dir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fread(oid, 1, 64, f), 64);
	oid[64] = '\0';
	fclose(f);
	p = dir;
	return p;
}

static void objects_are_found_in_both_store_layouts(void **state)
{
	(void)state;
	char oid[65], *path;
	for (int gitlab = 0; gitlab < 2; gitlab++) {
		char *dir = make_store("hello", gitlab, oid);
		struct lfs_store *s = lfs_store_new(dir, LFS_MODE_RECEIVE, "test");
		assert_int_equal(lfs_store_find(s, oid, &path), 0);
		assert_non_null(strstr(path, gitlab ? oid + 4 : oid));
		free(path);
		assert_int_equal(lfs_store_find(s, OID, &path), 1);
		assert_null(path);
		lfs_store_free(s);
		unit_sh("rm -rf %s", dir);
	}
}

/* Scans `pointer` as blob `path` against a store holding `content`. */
static void scan_pointer_as(const char *path, const char *content, const char *pointer_fmt,
                            enum lfs_mode mode, struct finding_list *out, char *oid)
{
	struct scan_limits lim;
	char ptr[512];
	scan_limits_default(&lim);
	char *dir = make_store(content, 0, oid);
	struct lfs_store *s = lfs_store_new(dir, mode, "test");
	struct scan_ctx ctx = {.limits = &lim, .out = out, .lfs = s};
	int n = snprintf(ptr, sizeof(ptr), pointer_fmt, oid, strlen(content));
	assert_int_equal(pipeline_scan_blob(&ctx, path, (const unsigned char *)ptr, (size_t)n), 0);
	lfs_store_free(s);
	unit_sh("rm -rf %s", dir);
}

static void scan_pointer(const char *content, const char *pointer_fmt, enum lfs_mode mode,
                         struct finding_list *out, char *oid)
{
	scan_pointer_as("infra.json", content, pointer_fmt, mode, out, oid);
}

#define STATE "{\"version\":4,\"terraform_version\":\"1.8.2\",\"serial\":3,\"lineage\":" \
	"\"6f1c0d7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f\",\"outputs\":{},\"resources\":[{\"mode\":" \
	"\"managed\",\"type\":\"aws_vpc\",\"name\":\"main\",\"instances\":[{\"attributes\":" \
	"{\"id\":\"vpc-1\"}}]}]}"

static void the_object_is_scanned_as_the_file_and_named(void **state)
{
	(void)state;
	struct finding_list out;
	char oid[65], want[80];
	finding_list_init(&out);
	scan_pointer(STATE, V1 "oid sha256:%s\nsize %zu\n", LFS_MODE_COMMIT, &out, oid);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.v[0].rule, "tf-state");
	assert_string_equal(out.v[0].path, "infra.json");
	snprintf(want, sizeof(want), "sha256:%s", oid);
	assert_string_equal(out.v[0].lfs, want);
	char *shown = finding_display_path(&out.v[0]);
	snprintf(want, sizeof(want), "infra.json (LFS sha256:%.8s…)", oid);
	assert_string_equal(shown, want);
	free(shown);
	finding_list_free(&out);

	/* without a store, the pointer is only text */
	struct scan_limits lim;
	scan_limits_default(&lim);
	struct scan_ctx ctx = {.limits = &lim, .out = &out};
	const char *ptr = V1 "oid sha256:" OID "\nsize 6\n";
	pipeline_scan_blob(&ctx, "infra.json", (const unsigned char *)ptr, strlen(ptr));
	assert_int_equal(out.n, 0);
}

static void the_pointer_text_itself_is_not_judged_by_the_file_name(void **state)
{
	(void)state;
	struct finding_list out;
	char oid[65];
	finding_list_init(&out);
	/* a state tracked by LFS: one finding, on the object (the pointer text, named like
	 * state, would otherwise also be "named like state but not valid state JSON") */
	scan_pointer_as("prod/terraform.tfstate", STATE, V1 "oid sha256:%s\nsize %zu\n",
	                LFS_MODE_COMMIT, &out, oid);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.v[0].rule, "tf-state");
	assert_non_null(out.v[0].lfs);
	assert_null(strstr(out.v[0].message, "not valid"));
	finding_list_free(&out);
	/* a clean object behind a state-like name is clean */
	finding_list_init(&out);
	scan_pointer_as("docs/terraform.tfstate.md", "# how we keep state", V1 "oid sha256:%s\nsize %zu\n",
	                LFS_MODE_COMMIT, &out, oid);
	assert_int_equal(out.n, 0);
	finding_list_free(&out);
}

static void an_object_that_differs_from_its_pointer_is_blocked(void **state)
{
	(void)state;
	struct finding_list out;
	char oid[65];
	finding_list_init(&out);
	/* right name, wrong size stated */
	scan_pointer("clean text", V1 "oid sha256:%s\nsize 1%zu\n", LFS_MODE_RECEIVE, &out, oid);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.v[0].rule, LFS_RULE_MISMATCH);
	assert_int_equal(out.v[0].severity, SG_SEV_BLOCK);
	assert_non_null(out.v[0].lfs);
	finding_list_free(&out);
}

static void an_absent_object_means_what_the_hook_says(void **state)
{
	(void)state;
	static const struct {
		enum lfs_mode mode;
		enum sg_severity sev;
		int error;
	} cases[] = {{LFS_MODE_COMMIT, SG_SEV_BLOCK, 1},
	             {LFS_MODE_PUSH, SG_SEV_WARN, 0},
	             {LFS_MODE_RECEIVE, SG_SEV_BLOCK, 0},
	             {LFS_MODE_HISTORY, SG_SEV_BLOCK, 1}};
	struct scan_limits lim;
	scan_limits_default(&lim);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct finding_list out;
		finding_list_init(&out);
		struct lfs_store *s = lfs_store_new("/nonexistent/lfs/objects", cases[i].mode, "test");
		struct scan_ctx ctx = {.limits = &lim, .out = &out, .lfs = s};
		const char *ptr = V1 "oid sha256:" OID "\nsize 6\n";
		pipeline_scan_blob(&ctx, "a.zip", (const unsigned char *)ptr, strlen(ptr));
		assert_int_equal(out.n, 1);
		assert_string_equal(out.v[0].rule, LFS_RULE_MISSING);
		assert_int_equal(out.v[0].severity, cases[i].sev);
		assert_int_equal(out.v[0].is_error, cases[i].error);
		assert_string_equal(out.v[0].lfs, "sha256:" OID);
		assert_non_null(strstr(out.v[0].message, OID));
		lfs_store_free(s);
		finding_list_free(&out);
	}
}

static void an_object_above_file_bytes_is_streamed_and_still_verified(void **state)
{
	(void)state;
	struct finding_list out;
	struct scan_limits lim;
	char oid[65], ptr[256];
	scan_limits_default(&lim);
	lim.file_bytes = 16; /* the state is larger: prefilter only */
	finding_list_init(&out);
	char *dir = make_store(STATE, 0, oid);
	struct lfs_store *s = lfs_store_new(dir, LFS_MODE_COMMIT, "test");
	struct scan_ctx ctx = {.limits = &lim, .out = &out, .lfs = s};
	int n = snprintf(ptr, sizeof(ptr), V1 "oid sha256:%s\nsize %zu\n", oid, strlen(STATE));
	pipeline_scan_blob(&ctx, "infra.json", (const unsigned char *)ptr, (size_t)n);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.v[0].rule, "scan-limit");
	assert_non_null(out.v[0].lfs);
	finding_list_free(&out);
	/* a wrong oid is caught while streaming */
	finding_list_init(&out);
	n = snprintf(ptr, sizeof(ptr), V1 "oid sha256:%s\nsize %zu\n", oid, strlen(STATE));
	char *file = NULL;
	assert_int_equal(lfs_store_find(s, oid, &file), 0);
	assert_int_equal(unit_sh("printf x >> %s", file), 0);
	pipeline_scan_blob(&ctx, "infra.json", (const unsigned char *)ptr, (size_t)n);
	int mismatch = 0;
	for (size_t i = 0; i < out.n; i++)
		mismatch += !strcmp(out.v[i].rule, LFS_RULE_MISMATCH);
	assert_int_equal(mismatch, 1);
	free(file);
	finding_list_free(&out);
	lfs_store_free(s);
	unit_sh("rm -rf %s", dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_canonical_pointer_gives_its_oid_and_size),
		cmocka_unit_test(variants_git_lfs_also_smudges_are_pointers),
		cmocka_unit_test(only_the_first_1024_bytes_decide),
		cmocka_unit_test(near_misses_are_ordinary_content),
		cmocka_unit_test(the_cheap_test_lets_ordinary_content_by),
		cmocka_unit_test(objects_are_found_in_both_store_layouts),
		cmocka_unit_test(the_object_is_scanned_as_the_file_and_named),
		cmocka_unit_test(the_pointer_text_itself_is_not_judged_by_the_file_name),
		cmocka_unit_test(an_object_that_differs_from_its_pointer_is_blocked),
		cmocka_unit_test(an_absent_object_means_what_the_hook_says),
		cmocka_unit_test(an_object_above_file_bytes_is_streamed_and_still_verified),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
