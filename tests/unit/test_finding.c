/* Unit tests for core/finding: list ownership, counts, exit codes, redaction. */
#include "unit.h"

#include <stdlib.h>

#include "core/finding.h"

static void exit_code_follows_worst_finding(void **state)
{
	(void)state;
	struct finding_list l;
	finding_list_init(&l);
	assert_int_equal(finding_list_exit_code(&l), 0);
	finding_list_add(&l, "tf-local-backend", SG_SEV_WARN, "main.tf", "local backend", NULL);
	assert_int_equal(finding_list_exit_code(&l), 0);
	struct finding *f = finding_list_add(&l, "tf-state", SG_SEV_BLOCK, "a", "state", NULL);
	assert_int_equal(finding_list_exit_code(&l), 1);
	f->allowed_by = strdup("fixture");
	assert_int_equal(finding_list_exit_code(&l), 0);
	finding_list_add_error(&l, "b", "cannot read: %s", "EIO");
	assert_int_equal(finding_list_exit_code(&l), 2);
	struct finding_counts c;
	finding_list_count(&l, &c);
	assert_int_equal(c.warn, 1);
	assert_int_equal(c.allowed, 1);
	assert_int_equal(c.errors, 1);
	assert_int_equal(c.block, 0);
	finding_list_free(&l);
}

static void redaction_never_shows_more_than_four_chars(void **state)
{
	(void)state;
	char buf[64];
	const char *secret = "AKIAZ7QWERTY2345ABCD";
	finding_redact(secret, strlen(secret), buf, sizeof(buf));
	assert_string_equal(buf, "AKIA…(20 chars)");
	finding_redact("hunter2", 7, buf, sizeof(buf));
	assert_null(strstr(buf, "hunter"));
}

static void move_transfers_ownership(void **state)
{
	(void)state;
	struct finding_list a, b;
	finding_list_init(&a);
	finding_list_init(&b);
	finding_list_add(&b, "x", SG_SEV_INFO, "p", "m", NULL);
	finding_list_move(&a, &b);
	assert_int_equal(a.n, 1);
	assert_int_equal(b.n, 0);
	assert_string_equal(a.v[0].rule, "x");
	finding_list_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exit_code_follows_worst_finding),
		cmocka_unit_test(redaction_never_shows_more_than_four_chars),
		cmocka_unit_test(move_transfers_ownership),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
