/*
 * policy: placeholder until the policy work lands: an empty policy that
 * accepts an empty JSON object and changes no finding.
 */
#include "policy/policy.h"

#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "core/util.h"

struct policy {
	int unused;
};

int policy_parse(struct policy **out, const char *name, const char *text, size_t len, char *err,
                 size_t errsz)
{
	cJSON *root = cJSON_ParseWithLength(text, len);
	if (!cJSON_IsObject(root)) {
		snprintf(err, errsz, "%s: not a JSON object", name);
		cJSON_Delete(root);
		return -1;
	}
	cJSON_Delete(root);
	*out = xcalloc(1, sizeof(**out));
	return 0;
}

int policy_load_file(struct policy **out, const char *path, char *err, size_t errsz)
{
	unsigned char *data;
	size_t len;
	if (util_read_file(path, 16u << 20, &data, &len) != 0) {
		snprintf(err, errsz, "%s: cannot read the configuration file", path);
		return -1;
	}
	int rc = policy_parse(out, path, (const char *)data, len, err, errsz);
	free(data);
	return rc;
}

void policy_free(struct policy *p)
{
	free(p);
}

void policy_limits(const struct policy *p, struct scan_limits *l)
{
	(void)p;
	(void)l;
}

void policy_apply(const struct policy *p, struct finding_list *l, size_t from)
{
	(void)p;
	(void)l;
	(void)from;
}
