/*
 * report_sarif: placeholder until the policy work lands SARIF 2.1.0 output.
 */
#include "report/report.h"

int report_sarif(FILE *out, const struct finding_list *l, const struct report_opts *o)
{
	return report_json(out, l, o);
}
