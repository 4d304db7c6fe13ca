/*
 * report_sarif: SARIF 2.1.0 for code-scanning dashboards: one rule per rule id
 * seen (help from policy/rules), one result per finding with its location (the
 * top-level path; archive members as a logical location; commit and ref as
 * properties in history/push modes). Findings are already redacted.
 */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "policy/rules.h"

static const char *sarif_level(const struct finding *f)
{
	if (f->is_error || f->severity == SG_SEV_BLOCK)
		return "error";
	return f->severity == SG_SEV_WARN ? "warning" : "note";
}

/* Percent-encodes a relative path for artifactLocation.uri. */
static char *path_uri(const char *path, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	while (n >= 2 && path[0] == '.' && path[1] == '/') {
		path += 2;
		n -= 2;
	}
	char *o = xmalloc(3 * n + 1), *w = o;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~/", c)) {
			*w++ = (char)c;
		} else {
			*w++ = '%';
			*w++ = hex[c >> 4];
			*w++ = hex[c & 15];
		}
	}
	*w = 0;
	return o;
}

static cJSON *rule_object(const char *id, const struct finding *example)
{
	const struct rule_info *ri = rules_find(id);
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "id", id);
	cJSON_AddStringToObject(r, "name", id);
	cJSON *sd = cJSON_AddObjectToObject(r, "shortDescription");
	cJSON_AddStringToObject(sd, "text", ri ? ri->title : id);
	cJSON *fd = cJSON_AddObjectToObject(r, "fullDescription");
	cJSON_AddStringToObject(fd, "text", ri ? ri->help : example->message);
	cJSON *help = cJSON_AddObjectToObject(r, "help");
	cJSON_AddStringToObject(help, "text",
	                        ri ? ri->help
	                           : "See the finding's message; a reviewed exception belongs in "
	                             ".stateguard.json \"allow\" with a reason.");
	cJSON *dc = cJSON_AddObjectToObject(r, "defaultConfiguration");
	cJSON_AddStringToObject(dc, "level", sarif_level(example));
	return r;
}

static cJSON *result_object(const struct finding *f, int rule_index)
{
	cJSON *res = cJSON_CreateObject();
	cJSON_AddStringToObject(res, "ruleId", f->rule);
	cJSON_AddNumberToObject(res, "ruleIndex", rule_index);
	cJSON_AddStringToObject(res, "level", sarif_level(f));
	cJSON *msg = cJSON_AddObjectToObject(res, "message");
	cJSON_AddStringToObject(msg, "text", f->message);

	const char *bang = strchr(f->path, '!');
	size_t toplen = bang ? (size_t)(bang - f->path) : strlen(f->path);
	char *uri = path_uri(f->path, toplen);
	cJSON *locs = cJSON_AddArrayToObject(res, "locations");
	cJSON *loc = cJSON_CreateObject();
	cJSON *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
	cJSON *art = cJSON_AddObjectToObject(phys, "artifactLocation");
	cJSON_AddStringToObject(art, "uri", uri);
	cJSON_AddStringToObject(art, "uriBaseId", "%SRCROOT%");
	free(uri);
	if (bang || f->lfs) {
		/* an archive member, or the LFS object behind the file: named as text reports do */
		char *shown = finding_display_path(f);
		cJSON *logs = cJSON_AddArrayToObject(loc, "logicalLocations");
		cJSON *lg = cJSON_CreateObject();
		cJSON_AddStringToObject(lg, "fullyQualifiedName", shown);
		cJSON_AddStringToObject(lg, "name", util_basename(f->path));
		cJSON_AddStringToObject(lg, "kind", bang ? "archive-member" : "lfs-object");
		cJSON_AddItemToArray(logs, lg);
		free(shown);
	}
	cJSON_AddItemToArray(locs, loc);

	if (f->id) {
		cJSON *pf = cJSON_AddObjectToObject(res, "partialFingerprints");
		cJSON_AddStringToObject(pf, "stateguardFindingId/v1", f->id);
	}
	if (f->allowed_by) {
		cJSON *sups = cJSON_AddArrayToObject(res, "suppressions");
		cJSON *s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "kind", "external");
		cJSON_AddStringToObject(s, "status", "accepted");
		cJSON_AddStringToObject(s, "justification", f->allowed_by);
		cJSON_AddItemToArray(sups, s);
	}
	cJSON *props = cJSON_AddObjectToObject(res, "properties");
	cJSON_AddStringToObject(props, "severity", severity_name(f->severity));
	cJSON_AddStringToObject(props, "path", f->path);
	if (f->id)
		cJSON_AddStringToObject(props, "findingId", f->id);
	if (f->commit)
		cJSON_AddStringToObject(props, "commit", f->commit);
	if (f->ref)
		cJSON_AddStringToObject(props, "ref", f->ref);
	if (f->blob)
		cJSON_AddStringToObject(props, "blob", f->blob);
	if (f->lfs)
		cJSON_AddStringToObject(props, "lfs", f->lfs);
	if (f->note)
		cJSON_AddStringToObject(props, "note", f->note);
	if (f->is_error)
		cJSON_AddBoolToObject(props, "error", 1);
	cJSON_AddItemToObject(props, "details", cJSON_Duplicate(f->details, 1));
	return res;
}

int report_sarif(FILE *out, const struct finding_list *l, const struct report_opts *o)
{
	(void)o;
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	cJSON_AddStringToObject(doc, "version", "2.1.0");
	cJSON *runs = cJSON_AddArrayToObject(doc, "runs");
	cJSON *run = cJSON_CreateObject();
	cJSON_AddItemToArray(runs, run);
	cJSON *tool = cJSON_AddObjectToObject(run, "tool");
	cJSON *driver = cJSON_AddObjectToObject(tool, "driver");
	cJSON_AddStringToObject(driver, "name", "stateguard");
	cJSON_AddStringToObject(driver, "informationUri", "https://github.com/stateguard/stateguard");
	cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
	cJSON *results = cJSON_AddArrayToObject(run, "results");

	const char **ids = xcalloc(l->n + 1, sizeof(char *));
	size_t nids = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct finding *f = &l->v[i];
		size_t k = 0;
		while (k < nids && strcmp(ids[k], f->rule))
			k++;
		if (k == nids) {
			ids[nids++] = f->rule;
			cJSON_AddItemToArray(rules, rule_object(f->rule, f));
		}
		cJSON_AddItemToArray(results, result_object(f, (int)k));
	}
	free(ids);
	return report_write_doc(out, doc);
}
