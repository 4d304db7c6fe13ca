/*
 * Unit tests for core/strset: membership, duplicates, insertion order across growth, and
 * strings that differ only past a NUL byte or in length.
 */
#include "unit.h"

#include <stdio.h>

#include "core/strset.h"

static void added_strings_are_members_once_in_order(void **state)
{
	(void)state;
	struct strset s;
	char buf[32];
	strset_init(&s);
	assert_false(strset_has(&s, "x", 1));
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 5000; i++) { /* many growths; the second round adds nothing */
			int n = snprintf(buf, sizeof(buf), "vpc-%08x", (unsigned)i * 2654435761u);
			assert_int_equal(strset_add(&s, buf, (size_t)n), round == 0);
		}
	assert_int_equal(s.n, 5000);
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(buf, sizeof(buf), "vpc-%08x", (unsigned)i * 2654435761u);
		assert_true(strset_has(&s, buf, (size_t)n));
		assert_int_equal(s.items[i].len, (size_t)n);
		assert_string_equal(s.items[i].str, buf);
	}
	assert_false(strset_has(&s, "vpc-", 4));
	strset_free(&s);
	assert_int_equal(s.n, 0);
}

static void bytes_after_a_nul_and_lengths_count(void **state)
{
	(void)state;
	struct strset s;
	strset_init(&s);
	assert_int_equal(strset_add(&s, "a\0b", 3), 1);
	assert_int_equal(strset_add(&s, "a\0c", 3), 1);
	assert_int_equal(strset_add(&s, "a", 1), 1);
	assert_int_equal(strset_add(&s, "", 0), 1);
	assert_int_equal(strset_add(&s, "a\0b", 3), 0);
	assert_int_equal(strset_add(&s, "", 0), 0);
	assert_int_equal(s.n, 4);
	assert_memory_equal(s.items[1].str, "a\0c", 4);
	strset_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(added_strings_are_members_once_in_order),
		cmocka_unit_test(bytes_after_a_nul_and_lengths_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
