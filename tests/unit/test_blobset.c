/*
 * test_blobset: the id set behind every git scan: each id once, first origin
 * kept, insertion order preserved across rehashes.
 */
#include "unit.h"

#include <stdio.h>

#include "source/blobset.h"

static void make_id(git_oid *id, unsigned i)
{
	memset(id, 0, sizeof(*id));
	/* same first 8 bytes for neighbours: forces probing, not only distinct slots */
	id->id[0] = (unsigned char)(i & 3);
	id->id[16] = (unsigned char)(i >> 24);
	id->id[17] = (unsigned char)(i >> 16);
	id->id[18] = (unsigned char)(i >> 8);
	id->id[19] = (unsigned char)i;
}

static void test_oidset_counts_each_id_once(void **state)
{
	(void)state;
	struct oidset s;
	git_oid id;
	size_t at;
	oidset_init(&s);
	for (unsigned i = 0; i < 5000; i++) {
		make_id(&id, i);
		assert_int_equal(oidset_add(&s, &id, &at), 1);
		assert_int_equal(at, i);
	}
	for (unsigned i = 0; i < 5000; i++) {
		make_id(&id, i);
		assert_int_equal(oidset_add(&s, &id, &at), 0);
		assert_int_equal(at, i);
		assert_true(oidset_contains(&s, &id));
	}
	make_id(&id, 999999);
	assert_false(oidset_contains(&s, &id));
	assert_int_equal(s.n, 5000);
	oidset_free(&s);
}

static void test_blobset_keeps_the_first_origin(void **state)
{
	(void)state;
	struct blobset s;
	git_oid id, c1, c2;
	blobset_init(&s);
	make_id(&id, 7);
	make_id(&c1, 100);
	make_id(&c2, 200);
	assert_int_equal(blobset_add(&s, &id, "first/path.tfstate", &c1, 3), 1);
	assert_int_equal(blobset_add(&s, &id, "later/copy.json", &c2, 1), 0);
	assert_int_equal(blobset_count(&s), 1);
	assert_string_equal(blobset_at(&s, 0)->path, "first/path.tfstate");
	assert_true(blobset_at(&s, 0)->has_commit);
	assert_true(git_oid_equal(&blobset_at(&s, 0)->commit, &c1));
	assert_int_equal(blobset_at(&s, 0)->group, 3);
	make_id(&id, 8);
	assert_int_equal(blobset_add(&s, &id, "index/only", NULL, 0), 1);
	assert_false(blobset_at(&s, 1)->has_commit);
	blobset_free(&s);
	assert_int_equal(blobset_count(&s), 0);
}

static void test_blobset_entries_do_not_move_as_it_grows(void **state)
{
	(void)state;
	struct blobset s;
	git_oid id;
	const struct blob_entry *first[3];
	blobset_init(&s);
	for (unsigned i = 0; i < 3 * BLOBSET_CHUNK + 5; i++) {
		make_id(&id, i);
		char path[32];
		snprintf(path, sizeof(path), "p%u", i);
		blobset_add(&s, &id, path, NULL, 0);
		if (i % BLOBSET_CHUNK == 0 && i / BLOBSET_CHUNK < 3)
			first[i / BLOBSET_CHUNK] = blobset_at(&s, i);
	}
	for (unsigned c = 0; c < 3; c++) {
		assert_ptr_equal(first[c], blobset_at(&s, c * BLOBSET_CHUNK));
		make_id(&id, c * BLOBSET_CHUNK);
		assert_true(git_oid_equal(&first[c]->id, &id));
	}
	assert_string_equal(blobset_at(&s, 3 * BLOBSET_CHUNK + 4)->path, "p12292");
	blobset_free(&s);
}

static void test_empty_sets_contain_nothing(void **state)
{
	(void)state;
	struct oidset s;
	git_oid id;
	oidset_init(&s);
	make_id(&id, 1);
	assert_false(oidset_contains(&s, &id));
	oidset_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blobset_entries_do_not_move_as_it_grows),
		cmocka_unit_test(test_oidset_counts_each_id_once),
		cmocka_unit_test(test_blobset_keeps_the_first_origin),
		cmocka_unit_test(test_empty_sets_contain_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
