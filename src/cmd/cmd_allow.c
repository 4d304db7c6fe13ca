/*
 * cmd_allow: `stateguard allow FINDING-ID --reason TEXT [--expires DATE] [--owner X]
 * [--config FILE] [PATH...]` rescans PATH (default: the config's directory), finds
 * the finding with that id and appends an allow entry pinned to its path, rule and
 * blob id, so the exception stops matching when the content changes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cmd/commands.h"
#include "pipeline/pipeline.h"
#include "core/util.h"
#include "policy/glob.h"
#include "policy/policy.h"
#include "source/files.h"

static void allow_usage(FILE *out)
{
	fputs("usage: stateguard allow FINDING-ID --reason TEXT [--expires YYYY-MM-DD] [--owner NAME]\n"
	      "                        [--config FILE] [PATH...]\n\n"
	      "Adds a reviewed exception for one finding to .stateguard.json. FINDING-ID is the\n"
	      "'id' that scan prints with each finding (sg-...). PATH (default: the directory\n"
	      "of the configuration) is scanned again to find it; the entry pins the finding's\n"
	      "path, rule and blob id, so it stops matching when the content changes.\n\n"
	      "Examples:\n"
	      "  stateguard allow sg-1d105b2a8d96 --reason 'synthetic state for tests' --expires 2027-06-30\n",
	      out);
}

/* Replaces the configuration atomically, keeping its mode. Returns 0, or -1 with errno set. */
static int write_config(const char *path, const char *text)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	char *body = xasprintf("%s\n", text);
	int rc = util_write_file_atomic(path, body, strlen(body), tmp, 0) < 0 ? -1 : 0;
	int saved = errno;
	free(body);
	free(tmp);
	errno = saved;
	return rc;
}

int cmd_allow(int argc, char **argv)
{
	const char *id = NULL, *reason = NULL, *expires = NULL, *owner = NULL, *config = NULL;
	char *found = NULL, *root = NULL, err[600], *text = NULL, *rel = NULL;
	struct policy *pol = NULL, *check = NULL;
	struct scan_state s;
	struct scan_limits limits;
	cJSON *doc = NULL;
	unsigned char *data = NULL;
	size_t len = 0;
	int rc = SG_EXIT_ERROR, i;

	memset(&s, 0, sizeof(s));
	finding_list_init(&s.findings);
	s.skip_unscanned = 1; /* nothing to allow there: scan reports these */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			allow_usage(stdout);
			return SG_EXIT_OK;
		} else if (!strcmp(a, "--reason") && i + 1 < argc) {
			reason = argv[++i];
		} else if (!strcmp(a, "--expires") && i + 1 < argc) {
			expires = argv[++i];
		} else if (!strcmp(a, "--owner") && i + 1 < argc) {
			owner = argv[++i];
		} else if (!strcmp(a, "--config") && i + 1 < argc) {
			config = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			sg_error("unknown option '%s' for allow; see 'stateguard allow --help'.", a);
			allow_usage(stderr);
			return SG_EXIT_ERROR;
		} else if (!id) {
			id = a;
		} else {
			break;
		}
	}
	if (!id || !reason || !reason[0]) {
		sg_error(!id ? "which finding? give its FINDING-ID (the 'id' scan prints)"
		             : "every exception needs a --reason saying why it is safe");
		allow_usage(stderr);
		return SG_EXIT_ERROR;
	}

	if (policy_locate(config, &found, &root) < 0) {
		sg_error("cannot resolve the current directory: %s", strerror(errno));
		goto done;
	}
	if (policy_load_rooted(&pol, found, root, 1, err, sizeof(err)) < 0) {
		sg_error("%s", err);
		goto done;
	}
	if (access(found, F_OK) == 0) { /* edited as JSON, so that nothing else in it changes */
		int r = util_read_file(found, 64u << 20, &data, &len);
		doc = r == 0 ? cJSON_ParseWithLength((const char *)data, len) : NULL;
		if (!doc) {
			sg_error("%s: cannot read the configuration again", found);
			goto done;
		}
	} else if (!(doc = cJSON_CreateObject())) {
		goto done;
	}

	scan_limits_default(&limits);
	policy_limits(pol, &limits);
	s.ctx.limits = &limits;
	s.ctx.policy = pol;
	s.ctx.out = &s.findings;
	s.ctx.siblings = &files_siblings;
	if (i < argc)
		for (; i < argc; i++)
			files_walk(argv[i], limits.file_bytes, scan_file_one, &s);
	else
		files_walk(root, limits.file_bytes, scan_file_one, &s);

	const struct finding *f = NULL;
	for (size_t k = 0; k < s.findings.n && !f; k++)
		if (s.findings.v[k].id && !strcmp(s.findings.v[k].id, id))
			f = &s.findings.v[k];
	if (!f) {
		sg_error("no finding with id %s under %s: run `stateguard scan` there and copy an id "
		         "it prints",
		         id, i < argc ? "the given paths" : root);
		goto done;
	}
	if (f->allowed_by) {
		printf("stateguard: %s is already allowed by %s\n", id, f->allowed_by);
		rc = SG_EXIT_OK;
		goto done;
	}
	rel = policy_relpath(pol, f->path);
	char *bang = strchr(rel, '!');
	if (bang)
		*bang = 0;
	if (rel[0] == '/' || !strncmp(rel, "../", 3)) {
		sg_error("%s is outside %s, the directory of the configuration", f->path, root);
		goto done;
	}
	cJSON *allow = cJSON_GetObjectItemCaseSensitive(doc, "allow");
	if (!allow)
		allow = cJSON_AddArrayToObject(doc, "allow");
	cJSON *e = cJSON_CreateObject();
	char *pattern = glob_escape(rel);
	if (!allow || !e) {
		free(pattern);
		cJSON_Delete(e);
		goto done;
	}
	cJSON_AddStringToObject(e, "path", pattern);
	free(pattern);
	if (f->blob)
		cJSON_AddStringToObject(e, "blob", f->blob);
	cJSON *rules = cJSON_AddArrayToObject(e, "rules");
	cJSON_AddItemToArray(rules, cJSON_CreateString(f->rule));
	cJSON_AddStringToObject(e, "reason", reason);
	if (owner)
		cJSON_AddStringToObject(e, "owner", owner);
	if (expires)
		cJSON_AddStringToObject(e, "expires", expires);
	cJSON_AddItemToArray(allow, e);
	text = cJSON_Print(doc);
	if (!text || policy_parse(&check, found, text, strlen(text), err, sizeof(err)) < 0) {
		sg_error("the new entry is not valid: %s", text ? err : "out of memory");
		goto done;
	}
	if (write_config(found, text) < 0) {
		sg_error("%s: cannot write: %s", found, strerror(errno));
		goto done;
	}
	printf("stateguard: added allow[%d] for %s (%s in %s) to %s\n", cJSON_GetArraySize(allow) - 1,
	       id, f->rule, rel, found);
	rc = SG_EXIT_OK;
done:
	free(rel);
	free(text);
	free(data);
	cJSON_Delete(doc);
	policy_free(check);
	policy_free(pol);
	finding_list_free(&s.findings);
	free(found);
	free(root);
	return rc;
}
