/* Unit tests for core/util: case-insensitive search (correct and linear). */
#include "unit.h"

#include <ctype.h>
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

static const unsigned char *naive_casemem(const unsigned char *h, size_t n, const char *nd, size_t k)
{
	for (size_t i = 0; k && i + k <= n; i++) {
		size_t j = 0;
		while (j < k && tolower(h[i + j]) == tolower((unsigned char)nd[j]))
			j++;
		if (j == k)
			return h + i;
	}
	return NULL;
}

/* The vectorised search answers like the plain definition, at every offset and length. */
static void memcasemem_agrees_with_the_definition_on_random_text(void **state)
{
	(void)state;
	static const char alphabet[] = "sSeEcCrRtT-_ x@`{[\xc5";
	static const char *const needles[] = {"secret", "S", "vault", "/subscriptions/", "t_", "@x", "`"};
	unsigned char hay[200];
	srand(4242);
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(rand() % 200);
		for (size_t i = 0; i < n; i++)
			hay[i] = (unsigned char)alphabet[rand() % (int)(sizeof(alphabet) - 1)];
		const char *nd = needles[rand() % (int)(sizeof(needles) / sizeof(*needles))];
		if (rand() % 4 == 0 && n > strlen(nd)) /* plant it, in a random case */
			for (size_t j = 0, at = (size_t)rand() % (n - strlen(nd)); nd[j]; j++)
				hay[at + j] = (unsigned char)(rand() % 2 ? toupper(nd[j]) : nd[j]);
		assert_ptr_equal(util_memcasemem(hay, n, nd, strlen(nd)), naive_casemem(hay, n, nd, strlen(nd)));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memcasemem_finds_the_first_match_in_any_case),
		cmocka_unit_test(memcasemem_matches_at_both_ends),
		cmocka_unit_test(memcasemem_is_linear_when_one_case_never_occurs),
		cmocka_unit_test(memcasemem_agrees_with_the_definition_on_random_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
