/* Unit tests for detect/hcl: blocks, labels, attributes and value kinds, odd input. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

#include "detect/hcl.h"

struct rec {
	char log[4096];
	size_t n;
};

static int record(const struct hcl_event *ev, void *arg)
{
	struct rec *r = arg;
	static const char *const kinds[] = {"STRING", "TEMPLATE", "HEREDOC", "NULL",
	                                    "BOOL",   "NUMBER",   "OBJECT",  "EXPR"};
	int w = 0;
	size_t room = sizeof(r->log) - r->n;
	if (ev->kind == HCL_EV_BLOCK) {
		const struct hcl_frame *f = &ev->frames[ev->depth - 1];
		w = snprintf(r->log + r->n, room, "B%u:%.*s", ev->depth, (int)f->type.len, f->type.p);
		for (unsigned i = 0; i < f->nlabels && (size_t)w < room; i++)
			w += snprintf(r->log + r->n + w, room - (size_t)w, "[%.*s]", (int)f->labels[i].len,
			              f->labels[i].p);
		w += snprintf(r->log + r->n + w, room - (size_t)w, "@%zu;", ev->line);
	} else if (ev->kind == HCL_EV_END) {
		w = snprintf(r->log + r->n, room, "E%u;", ev->depth);
	} else {
		w = snprintf(r->log + r->n, room, "A%u:%.*s=%s(%.*s);", ev->depth, (int)ev->name.len,
		             ev->name.p, kinds[ev->vkind], (int)ev->value.len, ev->value.p);
	}
	if (w > 0 && (size_t)w < room)
		r->n += (size_t)w;
	return 0;
}

static const char *scan(struct rec *r, const char *text)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(hcl_scan(text, strlen(text), record, r), 0);
	return r->log;
}

static void blocks_labels_and_attributes_are_reported_in_order(void **state)
{
	(void)state;
	struct rec r;
	assert_string_equal(
	    scan(&r, "# c\nterraform {\n  backend \"s3\" {\n    bucket = \"b\" // x\n"
	             "    secret_key = var.s\n    token = null\n    encrypt = true\n"
	             "    n = 42\n  }\n}\n"),
	    "B1:terraform@2;B2:backend[s3]@3;A2:bucket=STRING(b);A2:secret_key=EXPR(var.s);"
	    "A2:token=NULL(null);A2:encrypt=BOOL(true);A2:n=NUMBER(42);E2;E1;");
}

static void templates_heredocs_and_objects_are_classified(void **state)
{
	(void)state;
	struct rec r;
	assert_string_equal(
	    scan(&r, "remote_state {\n  config = {\n    key = \"${path_relative_to_include()}/x\"\n"
	             "    \"sas_token\" = \"sv=1\"\n  }\n}\nk = <<-EOT\n  body\n  EOT\n"
	             "q = \"a \\\"quoted\\\" ${ \"nested\" } x\"\n"),
	    "B1:remote_state@1;B2:config@2;A2:key=TEMPLATE(${path_relative_to_include()}/x);"
	    "A2:sas_token=STRING(sv=1);E2;E1;A0:k=HEREDOC(  body\n);"
	    "A0:q=TEMPLATE(a \\\"quoted\\\" ${ \"nested\" } x);");
}

static void one_line_blocks_and_crlf_work(void **state)
{
	(void)state;
	struct rec r;
	assert_string_equal(scan(&r, "credentials \"app.terraform.io\" { token = \"abc\" }\r\n"),
	                    "B1:credentials[app.terraform.io]@1;A1:token=STRING(abc);E1;");
}

static void garbage_and_deep_nesting_never_crash(void **state)
{
	(void)state;
	struct rec r;
	scan(&r, "\"unterminated\n}}}} = = {{ <<\n\x01\x02 a \"b\" c {");
	char *deep = malloc(10000);
	for (int i = 0; i < 4999; i++) {
		deep[2 * i] = 'a';
		deep[2 * i + 1] = '{';
	}
	deep[9998] = 0;
	scan(&r, deep);
	free(deep);
	scan(&r, "x = <<EOT\nnever ends");
	scan(&r, "x = \"${ \"${ \"${ \"${ \"${ \"${ \"${ \"${ \"${ \"${ \"");
}

static void literal_helper_excludes_templates_and_empty(void **state)
{
	(void)state;
	struct hcl_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.vkind = HCL_VAL_STRING;
	ev.value = (struct hcl_span){"", 0};
	assert_false(hcl_value_is_literal(&ev));
	ev.value = (struct hcl_span){"x", 1};
	assert_true(hcl_value_is_literal(&ev));
	ev.vkind = HCL_VAL_HEREDOC;
	ev.value = (struct hcl_span){"a ${b}", 6};
	assert_false(hcl_value_is_literal(&ev));
	char *s = hcl_span_dup((struct hcl_span){"a\\\"b\\n", 6});
	assert_string_equal(s, "a\"b\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(blocks_labels_and_attributes_are_reported_in_order),
		cmocka_unit_test(templates_heredocs_and_objects_are_classified),
		cmocka_unit_test(one_line_blocks_and_crlf_work),
		cmocka_unit_test(garbage_and_deep_nesting_never_crash),
		cmocka_unit_test(literal_helper_excludes_templates_and_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
