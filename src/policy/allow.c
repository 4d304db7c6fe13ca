/*
 * allow: applying a policy to findings: rule severities ("off" removes),
 * documentation/test contexts (a lowerable credential block there becomes a
 * warning that says why), reviewed exceptions (path glob and/or blob id, narrowed
 * by rules, reason required, expiry enforced) and FINDING-IDs. It does not parse
 * the config (config.c) or detect anything.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "policy/glob.h"
#include "policy/policy_int.h"
#include "policy/idtoken.h"

void policy_finding_id(const struct policy *p, const struct finding *f, char *out, size_t outsz)
{
	unsigned char d[32];
	char *rel = policy_relpath(p, f->path);
	char *text = xasprintf("%s%c%s%c%s", f->rule, 0, rel, 0, f->blob ? f->blob : "");
	size_t tl = strlen(f->rule) + 1 + strlen(rel) + 1 + (f->blob ? strlen(f->blob) : 0);
	if (idtoken_hash("", (const unsigned char *)text, tl, d) < 0)
		memset(d, 0, sizeof(d));
	snprintf(out, outsz, "sg-%02x%02x%02x%02x%02x%02x", d[0], d[1], d[2], d[3], d[4], d[5]);
	free(text);
	free(rel);
}

const char *const policy_context_names[CTX_COUNT + 1] = {"docs", "tests", NULL};

/* Where example credentials live when .stateguard.json names no "contexts". */
static const char *const default_docs[] = {
	"**/*.md", "**/*.mdx", "**/*.markdown", "**/*.rst", "**/*.adoc", "**/*.html", "**/*.htm",
	"**/docs/", "**/website/", NULL,
};
static const char *const default_tests[] = {
	"**/*_test.go", "**/test/", "**/tests/", "**/testdata/", "**/fixtures/",
	"**/test-fixtures/", NULL,
};

/* The first glob of context k that matches rel (or its top-level path), or NULL. */
static const char *context_match(const struct policy *p, int k, const char *rel)
{
	const char *const *globs = k == CTX_DOCS ? default_docs : default_tests;
	size_t n = SIZE_MAX;
	if (p && p->has_ctx[k]) {
		globs = (const char *const *)p->ctx[k];
		n = p->nctx[k];
	}
	const char *bang = strchr(rel, '!');
	char *top = bang ? xstrndup(rel, (size_t)(bang - rel)) : NULL;
	const char *hit = NULL;
	for (size_t i = 0; i < n && globs[i] && !hit; i++)
		if (glob_match(globs[i], rel) || (top && glob_match(globs[i], top)))
			hit = globs[i];
	free(top);
	return hit;
}

/*
 * A block the detector judged by a value's look (not a known token shape) is lowered to
 * warn in documentation and test code: examples live there. The finding says so.
 */
static void context_lower(const struct policy *p, struct finding *f)
{
	if (!f->lowerable || f->severity != SG_SEV_BLOCK)
		return;
	char *rel = policy_relpath(p, f->path);
	const char *r = rel;
	while (r[0] == '.' && r[1] == '/')
		r += 2;
	for (int k = 0; k < CTX_COUNT; k++) {
		const char *g = context_match(p, k, r);
		if (!g)
			continue;
		const char *what = k == CTX_DOCS ? "documentation" : "test code or fixtures";
		f->severity = SG_SEV_WARN;
		char *m = xasprintf("%s Lowered to a warning: the file is %s (context \"%s\", "
		                    "pattern \"%s\"), where examples live; a known token shape would "
		                    "still block.",
		                    f->message, what, policy_context_names[k], g);
		free(f->message);
		f->message = m;
		cJSON *l = cJSON_CreateObject();
		if (l) {
			cJSON_AddStringToObject(l, "from", "block");
			cJSON_AddStringToObject(l, "context", policy_context_names[k]);
			cJSON_AddStringToObject(l, "pattern", g);
			cJSON_AddItemToObject(f->details, "lowered", l);
		}
		break;
	}
	free(rel);
}

static const struct policy_rule *find_rule(const struct policy *p, const char *id)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (!strcmp(p->rules[i].id, id))
			return &p->rules[i];
	return NULL;
}

static int allow_matches(const struct policy_allow *a, const struct finding *f, const char *rel)
{
	if (a->nrules) {
		size_t i = 0;
		while (i < a->nrules && strcmp(a->rules[i], f->rule))
			i++;
		if (i == a->nrules)
			return 0;
	}
	if (a->blob && (!f->blob || strcmp(a->blob, f->blob)))
		return 0;
	if (a->path) {
		const char *bang = strchr(rel, '!');
		int hit = glob_match(a->path, rel);
		if (!hit && bang) {
			char *top = xstrndup(rel, (size_t)(bang - rel));
			hit = glob_match(a->path, top);
			free(top);
		}
		if (!hit)
			return 0;
	}
	return 1;
}

static void add_note(struct finding *f, const char *text)
{
	char *n = f->note ? xasprintf("%s; %s", f->note, text) : xstrdup(text);
	free(f->note);
	f->note = n;
}

void policy_apply(const struct policy *p, struct finding_list *l, size_t from)
{
	char today[11], id[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);

	for (size_t i = from; i < l->n;) {
		struct finding *f = &l->v[i];
		if (f->is_error || !p) {
			if (!f->is_error)
				context_lower(p, f);
			if (!f->id && !f->is_error) {
				policy_finding_id(p, f, id, sizeof(id));
				f->id = xstrdup(id);
			}
			i++;
			continue;
		}
		const struct policy_rule *r = find_rule(p, f->rule);
		if (r) {
			int sev = r->sev;
			if (r->keep_block && f->severity == SG_SEV_BLOCK)
				sev = SG_SEV_BLOCK;
			if (sev < 0) {
				finding_list_remove(l, i);
				continue;
			}
			f->severity = (enum sg_severity)sev;
		}
		context_lower(p, f);
		if (!f->id) {
			policy_finding_id(p, f, id, sizeof(id));
			f->id = xstrdup(id);
		}
		char *rel = policy_relpath(p, f->path);
		for (size_t k = 0; k < p->nallows && !f->allowed_by; k++) {
			const struct policy_allow *a = &p->allows[k];
			if (!allow_matches(a, f, rel))
				continue;
			char note[600];
			if (a->expires[0] && strcmp(today, a->expires) > 0) {
				snprintf(note, sizeof(note),
				         "allow[%zu] (line %d, \"%.200s\") expired on %s and no longer "
				         "applies: review it, then renew its date or remove it",
				         k, a->line, a->reason, a->expires);
				add_note(f, note);
				continue;
			}
			if (a->fresh) {
				snprintf(note, sizeof(note),
				         "allow[%zu] (line %d) is added by the same push as the content it "
				         "allows, so it does not apply: land the exception on its own first",
				         k, a->line);
				add_note(f, note);
				continue;
			}
			f->allowed_by = a->owner ? xasprintf("allow[%zu]: %s (owner: %s)", k, a->reason,
			                                     a->owner)
			                         : xasprintf("allow[%zu]: %s", k, a->reason);
		}
		free(rel);
		i++;
	}
}
