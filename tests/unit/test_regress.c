/*
 * Replays every saved fuzzer finding under tests/regress/<target>/ through the
 * very code of that fuzz target (fuzz/fuzz_<target>.c, included with its entry
 * point renamed), so each fixed crash stays fixed in `make test` and under ASan.
 */
#include "unit.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/util.h"

#define LLVMFuzzerTestOneInput replay_pipeline
#include "../../fuzz/fuzz_pipeline.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput replay_unpack
#include "../../fuzz/fuzz_unpack.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput replay_detect
#include "../../fuzz/fuzz_detect.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput replay_hcl
#include "../../fuzz/fuzz_hcl.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput replay_config
#include "../../fuzz/fuzz_config.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput replay_prefilter
#include "../../fuzz/fuzz_prefilter.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput replay_packread
#include "../../fuzz/fuzz_packread.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput replay_lfs
#include "../../fuzz/fuzz_lfs.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput replay_encodings
#include "../../fuzz/fuzz_encodings.c"
#undef LLVMFuzzerTestOneInput

/* Replays every file of tests/regress/<dir>; returns how many ran. */
static int replay_dir(const char *dir, int (*one)(const uint8_t *, size_t))
{
	char *path = xasprintf("tests/regress/%s", dir);
	DIR *d = opendir(path);
	int n = 0;
	if (!d) {
		free(path);
		return 0;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *file = xasprintf("%s/%s", path, e->d_name);
		unsigned char *data;
		size_t len;
		assert_int_equal(util_read_file(file, 64u << 20, &data, &len), 0);
		print_message("replaying %s\n", file);
		assert_int_equal(one(data, len), 0);
		free(data);
		free(file);
		n++;
	}
	closedir(d);
	free(path);
	return n;
}

static void saved_pipeline_inputs_scan_without_crashing(void **state)
{
	(void)state;
	replay_dir("fuzz_pipeline", replay_pipeline);
}

static void saved_archive_inputs_unpack_without_crashing(void **state)
{
	(void)state;
	replay_dir("fuzz_unpack", replay_unpack);
}

static void saved_detector_inputs_classify_without_crashing(void **state)
{
	(void)state;
	replay_dir("fuzz_detect", replay_detect);
}

static void saved_hcl_inputs_scan_without_crashing(void **state)
{
	(void)state;
	replay_dir("fuzz_hcl", replay_hcl);
}

static void saved_config_inputs_parse_without_crashing(void **state)
{
	(void)state;
	replay_dir("fuzz_config", replay_config);
}

static void saved_prefilter_inputs_agree_across_paths_and_chunks(void **state)
{
	(void)state;
	/* tests/regress/fuzz_prefilter holds a saved finding (tests/run.sh runs from
	 * the repository root, so the relative path resolves): an empty replay would
	 * mean the finding is no longer exercised. */
	int n = replay_dir("fuzz_prefilter", replay_prefilter);
	assert_true(n >= 1);
}

static void saved_packread_inputs_read_without_crashing(void **state)
{
	(void)state;
	/* tests/regress/fuzz_packread holds a saved finding: it must still be replayed */
	assert_true(replay_dir("fuzz_packread", replay_packread) >= 1);
}

static void saved_lfs_inputs_parse_without_crashing(void **state)
{
	(void)state;
	replay_dir("fuzz_lfs", replay_lfs);
}

static void saved_encoding_inputs_decode_without_crashing(void **state)
{
	(void)state;
	/* tests/regress/fuzz_encodings holds hostile inputs of each layer: they must still run */
	assert_true(replay_dir("fuzz_encodings", replay_encodings) >= 3);
}

static void empty_and_one_byte_inputs_reach_every_target(void **state)
{
	(void)state;
	static const uint8_t one[1] = {0};
	int (*targets[])(const uint8_t *, size_t) = {replay_pipeline, replay_unpack, replay_detect,
	                                             replay_hcl, replay_config, replay_prefilter,
	                                             replay_packread, replay_lfs,
	                                             replay_encodings};
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		assert_int_equal(targets[i](one, 0), 0);
		assert_int_equal(targets[i](one, 1), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(saved_pipeline_inputs_scan_without_crashing),
		cmocka_unit_test(saved_archive_inputs_unpack_without_crashing),
		cmocka_unit_test(saved_detector_inputs_classify_without_crashing),
		cmocka_unit_test(saved_hcl_inputs_scan_without_crashing),
		cmocka_unit_test(saved_config_inputs_parse_without_crashing),
		cmocka_unit_test(saved_prefilter_inputs_agree_across_paths_and_chunks),
		cmocka_unit_test(saved_packread_inputs_read_without_crashing),
		cmocka_unit_test(saved_lfs_inputs_parse_without_crashing),
		cmocka_unit_test(saved_encoding_inputs_decode_without_crashing),
		cmocka_unit_test(empty_and_one_byte_inputs_reach_every_target),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
