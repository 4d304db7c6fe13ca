/*
 * policy: composing policies from several sources: a base (server or user)
 * policy with a repository policy, and exceptions that arrive with the content
 * they excuse. Where each policy is read from is the caller's business (cmd/).
 */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "policy/policy_int.h"

static char **dup_strv(char *const *v, size_t n)
{
	char **o = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		o[i] = xstrdup(v[i]);
	return o;
}

static void copy_envs(struct policy *dst, const struct policy *src)
{
	dst->envs = xcalloc(src->nenvs + 1, sizeof(*dst->envs));
	dst->nenvs = src->nenvs;
	for (size_t i = 0; i < src->nenvs; i++) {
		const struct policy_env *s = &src->envs[i];
		struct policy_env *d = &dst->envs[i];
		d->name = xstrdup(s->name);
		d->paths = dup_strv(s->paths, s->npaths);
		d->npaths = s->npaths;
		d->idents = dup_strv(s->idents, s->nidents);
		d->nidents = s->nidents;
		d->nfps = s->nfps;
	}
	dst->salts = dup_strv(src->salts, src->nsalts);
	dst->nsalts = src->nsalts;
	dst->fps = xcalloc(src->nfps + 1, sizeof(*dst->fps));
	if (src->nfps)
		memcpy(dst->fps, src->fps, src->nfps * sizeof(*src->fps));
	dst->nfps = src->nfps;
}

static void copy_allows(struct policy *dst, const struct policy *src)
{
	dst->allows = xcalloc(src->nallows + 1, sizeof(*dst->allows));
	dst->nallows = src->nallows;
	for (size_t i = 0; i < src->nallows; i++) {
		const struct policy_allow *s = &src->allows[i];
		struct policy_allow *d = &dst->allows[i];
		*d = *s;
		d->path = s->path ? xstrdup(s->path) : NULL;
		d->blob = s->blob ? xstrdup(s->blob) : NULL;
		d->rules = dup_strv(s->rules, s->nrules);
		d->reason = xstrdup(s->reason);
		d->owner = s->owner ? xstrdup(s->owner) : NULL;
		d->canon = xstrdup(s->canon);
	}
}

static void add_rule(struct policy *p, const char *id, int sev, int keep_block)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (!strcmp(p->rules[i].id, id)) {
			p->rules[i].sev = sev;
			p->rules[i].keep_block = keep_block;
			return;
		}
	p->rules = xrealloc(p->rules, (p->nrules + 1) * sizeof(*p->rules));
	p->rules[p->nrules++] = (struct policy_rule){xstrdup(id), sev, keep_block};
}

struct policy *policy_combine(const struct policy *base, const struct policy *repo)
{
	struct policy *p = xcalloc(1, sizeof(*p));
	const struct policy *envsrc = repo && repo->nenvs ? repo : base;
	if (envsrc)
		copy_envs(p, envsrc);
	if (repo)
		copy_allows(p, repo);
	if (base)
		for (size_t i = 0; i < base->nrules; i++)
			add_rule(p, base->rules[i].id, base->rules[i].sev, base->rules[i].keep_block);
	if (repo)
		for (size_t i = 0; i < repo->nrules; i++) {
			const struct policy_rule *r = &repo->rules[i];
			const struct policy_rule *b = NULL;
			for (size_t k = 0; base && k < base->nrules; k++)
				if (!strcmp(base->rules[k].id, r->id))
					b = &base->rules[k];
			if (b && b->sev == SG_SEV_BLOCK)
				continue; /* the base's block stands */
			add_rule(p, r->id, r->sev, 1);
		}
	for (int k = 0; k < LIMIT_COUNT; k++) {
		if (base && base->has_limit[k]) {
			p->has_limit[k] = 1;
			p->limit[k] = base->limit[k];
		} else if (repo && repo->has_limit[k]) {
			p->has_limit[k] = 1;
			p->limit[k] = repo->limit[k];
		}
	}
	for (int k = 0; k < CTX_COUNT; k++) {
		const struct policy *src = base && base->has_ctx[k] ? base
		                           : repo && repo->has_ctx[k] ? repo : NULL;
		if (src) {
			p->has_ctx[k] = 1;
			p->ctx[k] = dup_strv(src->ctx[k], src->nctx[k]);
			p->nctx[k] = src->nctx[k];
		}
	}
	p->repository_config = base ? base->repository_config : 0;
	const struct policy *rootsrc = repo && repo->root ? repo : base;
	if (rootsrc && rootsrc->root) {
		p->root = xstrdup(rootsrc->root);
		p->cwd = xstrdup(rootsrc->cwd);
	}
	policy_index(p);
	return p;
}

void policy_mark_fresh(struct policy *p, const struct policy *before)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nallows; i++) {
		int seen = 0;
		for (size_t k = 0; before && k < before->nallows && !seen; k++)
			seen = !strcmp(p->allows[i].canon, before->allows[k].canon);
		p->allows[i].fresh = !seen;
	}
}
