/*
 * report: format selection, the shared JSON form of a finding and the shared
 * writing of a JSON document. The text, JSON and SARIF writers live in their
 * own files.
 */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int report_format_parse(const char *s, enum report_format *out)
{
	if (!strcmp(s, "text"))
		*out = REPORT_TEXT;
	else if (!strcmp(s, "json"))
		*out = REPORT_JSON;
	else if (!strcmp(s, "sarif"))
		*out = REPORT_SARIF;
	else
		return -1;
	return 0;
}

int report_want_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
	if (nc && *nc)
		return 0;
	if (term && !strcmp(term, "dumb"))
		return 0;
	return isatty(fileno(f));
}

int report_print(FILE *out, const struct finding_list *l, const struct report_opts *o)
{
	switch (o->format) {
	case REPORT_JSON:
		return report_json(out, l, o);
	case REPORT_SARIF:
		return report_sarif(out, l, o);
	default:
		return report_text(out, l, o);
	}
}

cJSON *report_finding_json(const struct finding *f)
{
	cJSON *o = cJSON_CreateObject();
	if (f->id)
		cJSON_AddStringToObject(o, "id", f->id);
	cJSON_AddStringToObject(o, "rule", f->rule);
	cJSON_AddStringToObject(o, "severity", severity_name(f->severity));
	cJSON_AddStringToObject(o, "path", f->path);
	if (f->lfs) {
		char *shown = finding_display_path(f);
		cJSON_AddStringToObject(o, "lfs", f->lfs);
		cJSON_AddStringToObject(o, "display_path", shown);
		free(shown);
	}
	cJSON_AddStringToObject(o, "message", f->message);
	cJSON_AddItemToObject(o, "details", cJSON_Duplicate(f->details, 1));
	if (f->commit)
		cJSON_AddStringToObject(o, "commit", f->commit);
	if (f->ref)
		cJSON_AddStringToObject(o, "ref", f->ref);
	if (f->blob)
		cJSON_AddStringToObject(o, "blob", f->blob);
	if (f->allowed_by)
		cJSON_AddStringToObject(o, "allowed_by", f->allowed_by);
	if (f->note)
		cJSON_AddStringToObject(o, "note", f->note);
	if (f->is_error)
		cJSON_AddBoolToObject(o, "error", 1);
	return o;
}

int report_write_doc(FILE *out, cJSON *doc)
{
	char *text = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	if (!text)
		return -1;
	int rc = fputs(text, out) < 0 || fputc('\n', out) == EOF ? -1 : 0;
	free(text);
	return rc;
}
