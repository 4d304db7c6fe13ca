/*
 * report_json: one JSON document per run:
 * {"version":1,"findings":[...],"summary":{...}}. Field set is stable; new
 * fields may be added, none removed.
 */
#include "report/report.h"


int report_json(FILE *out, const struct finding_list *l, const struct report_opts *o)
{
	(void)o;
	struct finding_counts c;
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddNumberToObject(doc, "version", 1);
	cJSON *arr = cJSON_AddArrayToObject(doc, "findings");
	for (size_t i = 0; i < l->n; i++)
		cJSON_AddItemToArray(arr, report_finding_json(&l->v[i]));
	finding_list_count(l, &c);
	cJSON *s = cJSON_AddObjectToObject(doc, "summary");
	cJSON_AddNumberToObject(s, "findings", (double)l->n);
	cJSON_AddNumberToObject(s, "block", (double)c.block);
	cJSON_AddNumberToObject(s, "warn", (double)c.warn);
	cJSON_AddNumberToObject(s, "info", (double)c.info);
	cJSON_AddNumberToObject(s, "allowed", (double)c.allowed);
	cJSON_AddNumberToObject(s, "errors", (double)c.errors);
	cJSON_AddNumberToObject(s, "exit_code", finding_list_exit_code(l));
	return report_write_doc(out, doc);
}
