/* Unit tests for core/util: case-insensitive search (correct and linear). */
#include "unit.h"

#include <stdlib.h>
#include <time.h>

#include "core/util.h"

static const unsigned char *cmm(const char *hay, const char *needle)
{
	return util_memcasemem((const unsigned char *)hay, strlen(hay), needle, strlen(needle));
}

static void memcasemem_finds_the_first_match_in_any_case(void **state)
{
	(void)state;
	const char *h = "a sEcReT and a secret";
	assert_ptr_equal(cmm(h, "secret"), (const unsigned char *)h + 2);
	const char *up = "xxSECRET";
	assert_ptr_equal(cmm(up, "secret"), (const unsigned char *)up + 2);
	const char *mixed = "sssssS secreT";
	assert_ptr_equal(cmm(mixed, "secret"), (const unsigned char *)mixed + 7);
	assert_null(cmm("secre", "secret"));
	assert_null(cmm("", "s"));
	assert_null(cmm("abc", ""));
	const char *digits = "123";
	assert_ptr_equal(cmm(digits, "3"), (const unsigned char *)digits + 2);
}

static void memcasemem_matches_at_both_ends(void **state)
{
	(void)state;
	const char *h = "Secret........secreT";
	assert_ptr_equal(cmm(h, "SECRET"), (const unsigned char *)h);
	assert_ptr_equal(cmm(h + 1, "SECRET"), (const unsigned char *)h + 14);
}

/* 8 MiB of lower-case candidates and no upper-case one: was quadratic (minutes). */
static void memcasemem_is_linear_when_one_case_never_occurs(void **state)
{
	(void)state;
	size_t n = 8u << 20;
	unsigned char *hay = malloc(n);
	assert_non_null(hay);
	for (size_t i = 0; i < n; i++)
		hay[i] = i % 2 ? 's' : 'x';
	clock_t t0 = clock();
	assert_null(util_memcasemem(hay, n, "secret", 6));
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	free(hay);
	assert_true(secs < 2.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memcasemem_finds_the_first_match_in_any_case),
		cmocka_unit_test(memcasemem_matches_at_both_ends),
		cmocka_unit_test(memcasemem_is_linear_when_one_case_never_occurs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
