/*
 * env: environments at scan time: which environment a path belongs to, and
 * where an environment's identifiers (literal, on identifier boundaries) and
 * fingerprints (salted hashes of candidate tokens) occur in a blob. It does not
 * create findings (detect/identifiers.c does).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "policy/glob.h"
#include "policy/policy_int.h"
#include "policy/idtoken.h"

static int lit_cmp(const void *a, const void *b)
{
	const struct policy_lit *x = a, *y = b;
	return strcmp(x->text, y->text);
}

int policy_fp_cmp(const void *a, const void *b)
{
	const struct policy_fp *x = a, *y = b;
	if (x->salt != y->salt)
		return x->salt < y->salt ? -1 : 1;
	return memcmp(x->digest, y->digest, 32);
}

void policy_index(struct policy *p)
{
	size_t n = 0;
	for (size_t e = 0; e < p->nenvs; e++)
		n += p->envs[e].nidents;
	free(p->lits);
	p->lits = xcalloc(n + 1, sizeof(*p->lits));
	p->nlits = 0;
	for (size_t e = 0; e < p->nenvs; e++)
		for (size_t i = 0; i < p->envs[e].nidents; i++)
			p->lits[p->nlits++] = (struct policy_lit){p->envs[e].idents[i],
			                                          strlen(p->envs[e].idents[i]), e};
	qsort(p->lits, p->nlits, sizeof(*p->lits), lit_cmp);
	if (p->nfps)
		qsort(p->fps, p->nfps, sizeof(*p->fps), policy_fp_cmp);
}

size_t policy_env_count(const struct policy *p)
{
	return p ? p->nenvs : 0;
}

const char *policy_env_name(const struct policy *p, size_t env)
{
	return p->envs[env].name;
}

int policy_env_home(const struct policy *p, size_t env, const char *relpath)
{
	const struct policy_env *e = &p->envs[env];
	const char *bang = strchr(relpath, '!');
	char *top = bang ? xstrndup(relpath, (size_t)(bang - relpath)) : (char *)relpath;
	int home = 0;
	for (size_t i = 0; i < e->npaths && !home; i++)
		home = glob_match(e->paths[i], top);
	if (top != relpath)
		free(top);
	return home;
}

/* --- identifier search ------------------------------------------------------ */

struct fp_search {
	const struct policy *p;
	struct idtoken_hasher **h;
	policy_ident_cb cb;
	void *arg;
	int failed;
};

static int fp_token(const unsigned char *d, size_t off, size_t len, enum idtoken_kind kind, void *arg)
{
	(void)kind;
	struct fp_search *s = arg;
	for (size_t salt = 0; salt < s->p->nsalts; salt++) {
		struct policy_fp key;
		if (idtoken_hasher_hash(s->h[salt], d + off, len, key.digest) < 0) {
			s->failed = 1;
			return -1;
		}
		key.salt = salt;
		const struct policy_fp *hit =
			bsearch(&key, s->p->fps, s->p->nfps, sizeof(key), policy_fp_cmp);
		if (!hit)
			continue;
		/* every environment holding this fingerprint */
		while (hit > s->p->fps && !policy_fp_cmp(hit - 1, &key))
			hit--;
		for (; hit < s->p->fps + s->p->nfps && !policy_fp_cmp(hit, &key); hit++)
			if (s->cb(hit->env, off, len, 1, s->arg))
				return 1;
	}
	return 0;
}

static int find_literals(const struct policy *p, const unsigned char *d, size_t len,
                         policy_ident_cb cb, void *arg)
{
	/* first[c]: index of the first literal starting with byte c */
	size_t first[257];
	size_t k = 0;
	for (int c = 0; c < 256; c++) {
		while (k < p->nlits && (unsigned char)p->lits[k].text[0] < c)
			k++;
		first[c] = k;
	}
	first[256] = p->nlits;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = d[i];
		size_t lo = first[c], hi = first[c + 1];
		if (lo == hi)
			continue;
		/* a literal that starts like an identifier must start on a boundary */
		if (idtoken_is_ident_char(c) && i > 0 && idtoken_is_ident_char(d[i - 1]))
			continue;
		for (size_t j = lo; j < hi; j++) {
			const struct policy_lit *l = &p->lits[j];
			if (l->len > len - i || memcmp(d + i, l->text, l->len))
				continue;
			if (idtoken_is_ident_char((unsigned char)l->text[l->len - 1]) && i + l->len < len &&
			    idtoken_is_ident_char(d[i + l->len]))
				continue;
			if (cb(l->env, i, l->len, 0, arg))
				return 1;
		}
	}
	return 0;
}

int policy_find_identifiers(const struct policy *p, const unsigned char *data, size_t len,
                            policy_ident_cb cb, void *arg)
{
	if (!p || (!p->nlits && !p->nfps))
		return 0;
	if (p->nlits && find_literals(p, data, len, cb, arg))
		return 0;
	if (!p->nfps)
		return 0;
	struct fp_search s = {p, xcalloc(p->nsalts, sizeof(*s.h)), cb, arg, 0};
	int rc = 0;
	for (size_t i = 0; i < p->nsalts; i++)
		if (!(s.h[i] = idtoken_hasher_new(p->salts[i])))
			s.failed = 1;
	if (!s.failed)
		idtoken_scan(data, len, fp_token, &s);
	if (s.failed)
		rc = -1;
	for (size_t i = 0; i < p->nsalts; i++)
		idtoken_hasher_free(s.h[i]);
	free(s.h);
	return rc;
}

/* --- paths relative to the config root ---------------------------------------- */

void policy_set_root(struct policy *p, const char *root)
{
	char buf[PATH_MAX];
	free(p->root);
	free(p->cwd);
	p->root = xstrdup(root);
	p->cwd = xstrdup(getcwd(buf, sizeof(buf)) ? buf : "/");
}

/* Resolves "." and ".." lexically in an absolute path, in place. */
static void normalize(char *s)
{
	char *w = s;
	const char *r = s;
	while (*r) {
		while (*r == '/')
			r++;
		const char *e = strchr(r, '/');
		size_t n = e ? (size_t)(e - r) : strlen(r);
		if (n == 0)
			break;
		if (n == 1 && r[0] == '.') {
			/* skip */
		} else if (n == 2 && r[0] == '.' && r[1] == '.') {
			while (w > s && *--w != '/')
				;
		} else {
			*w++ = '/';
			memmove(w, r, n);
			w += n;
		}
		r += n;
	}
	if (w == s)
		*w++ = '/';
	*w = 0;
}

char *policy_relpath(const struct policy *p, const char *path)
{
	if (!p || !p->root || !strcmp(path, "<stdin>"))
		return xstrdup(path);
	const char *bang = strchr(path, '!');
	size_t toplen = bang ? (size_t)(bang - path) : strlen(path);
	char *abs = path[0] == '/' ? xstrndup(path, toplen)
	                           : xasprintf("%s/%.*s", p->cwd, (int)toplen, path);
	normalize(abs);
	size_t rl = strlen(p->root);
	const char *rel = abs;
	if (!strcmp(p->root, "/"))
		rel = abs + 1;
	else if (!strncmp(abs, p->root, rl) && abs[rl] == '/')
		rel = abs + rl + 1;
	else if (!strcmp(abs, p->root))
		rel = ".";
	char *out = xasprintf("%s%s", rel, bang ? bang : "");
	free(abs);
	return out;
}
