/*
 * finding: the finding list and its accounting (counts, exit code, redaction).
 * It does not decide severities (detectors and policy do) or print (report/ does).
 */
#include "core/finding.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

const char *severity_name(enum sg_severity s)
{
	switch (s) {
	case SG_SEV_BLOCK:
		return "block";
	case SG_SEV_WARN:
		return "warn";
	default:
		return "info";
	}
}

int severity_parse(const char *s, int *out)
{
	if (!strcmp(s, "block"))
		*out = SG_SEV_BLOCK;
	else if (!strcmp(s, "warn"))
		*out = SG_SEV_WARN;
	else if (!strcmp(s, "info"))
		*out = SG_SEV_INFO;
	else if (!strcmp(s, "off"))
		*out = -1;
	else
		return -1;
	return 0;
}

void finding_list_init(struct finding_list *l)
{
	memset(l, 0, sizeof(*l));
}

static void finding_free(struct finding *f)
{
	free(f->rule);
	free(f->path);
	free(f->message);
	cJSON_Delete(f->details);
	free(f->commit);
	free(f->ref);
	free(f->blob);
	free(f->lfs);
	free(f->allowed_by);
	free(f->note);
	free(f->id);
}

void finding_list_free(struct finding_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		finding_free(&l->v[i]);
	free(l->v);
	finding_list_init(l);
}

struct finding *finding_list_add(struct finding_list *l, const char *rule, enum sg_severity sev,
                                 const char *path, const char *message, cJSON *details)
{
	xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	struct finding *f = &l->v[l->n++];
	memset(f, 0, sizeof(*f));
	f->rule = xstrdup(rule);
	f->severity = sev;
	f->path = xstrdup(path);
	f->message = xstrdup(message);
	f->details = details ? details : cJSON_CreateObject();
	if (!f->details) {
		sg_error("out of memory building a finding; nothing was accepted");
		exit(SG_EXIT_ERROR);
	}
	return f;
}

struct finding *finding_list_add_error(struct finding_list *l, const char *path, const char *fmt,
                                       ...)
{
	va_list ap;
	char *msg = NULL;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	struct finding *f = finding_list_add(l, "scan-error", SG_SEV_BLOCK, path,
	                                     msg ? msg : "could not be examined", NULL);
	free(msg);
	f->is_error = 1;
	return f;
}

void finding_list_remove(struct finding_list *l, size_t i)
{
	if (i >= l->n)
		return;
	finding_free(&l->v[i]);
	memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof(*l->v));
	l->n--;
}

void finding_list_move(struct finding_list *dst, struct finding_list *src)
{
	if (src->n) {
		xgrow((void **)&dst->v, &dst->cap, dst->n + src->n, sizeof(*dst->v));
		memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
		dst->n += src->n;
	}
	free(src->v);
	finding_list_init(src);
}

char *finding_display_path(const struct finding *f)
{
	if (!f->lfs)
		return xstrdup(f->path);
	const char *bang = strchr(f->path, '!');
	size_t top = bang ? (size_t)(bang - f->path) : strlen(f->path);
	const char *hex = strchr(f->lfs, ':');
	hex = hex ? hex + 1 : f->lfs;
	return xasprintf("%.*s (LFS sha256:%.8s…)%s", (int)top, f->path, hex, f->path + top);
}

void finding_list_count(const struct finding_list *l, struct finding_counts *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < l->n; i++) {
		const struct finding *f = &l->v[i];
		if (f->is_error)
			c->errors++;
		else if (f->allowed_by)
			c->allowed++;
		else if (f->severity == SG_SEV_BLOCK)
			c->block++;
		else if (f->severity == SG_SEV_WARN)
			c->warn++;
		else
			c->info++;
	}
}

int finding_list_exit_code(const struct finding_list *l)
{
	struct finding_counts c;
	finding_list_count(l, &c);
	if (c.errors)
		return SG_EXIT_ERROR;
	return c.block ? SG_EXIT_BLOCK : SG_EXIT_OK;
}

const char *finding_redact(const char *secret, size_t len, char *buf, size_t bufsz)
{
	size_t show = len >= 16 ? 4 : 0;
	snprintf(buf, bufsz, "%.*s…(%zu chars)", (int)show, secret, len);
	return buf;
}
