/* Unit tests for core/deadline: what a time budget may be written as. */
#include "unit.h"

#include "core/deadline.h"

static void budgets_are_whole_seconds_up_to_a_week(void **state)
{
	(void)state;
	unsigned s = 99;
	assert_int_equal(deadline_parse("0", &s), 0);
	assert_int_equal(s, 0);
	assert_int_equal(deadline_parse("300", &s), 0);
	assert_int_equal(s, 300);
	assert_int_equal(deadline_parse("604800", &s), 0);
	assert_int_equal(s, 604800);
}

static void anything_else_is_refused(void **state)
{
	(void)state;
	unsigned s = 7;
	const char *bad[] = {"", "-1", "+5", "5s", "1.5", "soon", "604801", "99999999999999999999",
	                     " 5", NULL};
	for (int i = 0; bad[i]; i++)
		assert_int_equal(deadline_parse(bad[i], &s), -1);
	assert_int_equal(deadline_parse(NULL, &s), -1);
	assert_int_equal(s, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(budgets_are_whole_seconds_up_to_a_week),
		cmocka_unit_test(anything_else_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
