/*
 * report_text: the human report: one block per finding (severity, rule, path,
 * message, details), then the fix for the situation (commit, push, server,
 * history). Colour only when asked (a TTY without NO_COLOR).
 */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

struct palette {
	const char *red, *yellow, *dim, *bold, *reset;
};

/*
 * Prints text from the content (paths, member names) with control characters
 * escaped, so that a file name cannot move the cursor, clear the screen or
 * forge a line of the report ("prod\n.tfstate" prints as prod\n.tfstate).
 */
static void put_safe(FILE *out, const char *s)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '\n')
			fputs("\\n", out);
		else if (*c == '\t')
			fputs("\\t", out);
		else if (*c < 0x20 || *c == 0x7f)
			fprintf(out, "\\x%02x", *c);
		else
			fputc(*c, out);
	}
}

static void print_value(FILE *out, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		put_safe(out, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		if (v->valuedouble == (double)(long long)v->valuedouble)
			fprintf(out, "%lld", (long long)v->valuedouble);
		else
			fprintf(out, "%g", v->valuedouble);
	} else if (cJSON_IsBool(v)) {
		fputs(cJSON_IsTrue(v) ? "yes" : "no", out);
	} else if (cJSON_IsArray(v)) {
		const cJSON *e;
		int first = 1;
		cJSON_ArrayForEach(e, v) {
			if (!first)
				fputs(", ", out);
			print_value(out, e);
			first = 0;
		}
	} else if (cJSON_IsObject(v)) {
		const cJSON *e;
		int first = 1;
		cJSON_ArrayForEach(e, v) {
			if (!first)
				fputs(", ", out);
			fprintf(out, "%s ", e->string);
			print_value(out, e);
			first = 0;
		}
	}
}

static void print_finding(FILE *out, const struct finding *f, const struct palette *p)
{
	const char *sev = f->is_error ? "ERROR" : f->allowed_by ? "ALLOWED"
	                  : f->severity == SG_SEV_BLOCK ? "BLOCK"
	                  : f->severity == SG_SEV_WARN  ? "WARN"
	                                                : "INFO";
	const char *col = f->is_error || (f->severity == SG_SEV_BLOCK && !f->allowed_by) ? p->red
	                  : f->severity == SG_SEV_WARN                                   ? p->yellow
	                                                                                 : p->dim;
	fprintf(out, "%s%-7s%s %s%s%s  ", col, sev, p->reset, p->bold, f->rule, p->reset);
	char *shown = finding_display_path(f);
	put_safe(out, shown);
	free(shown);
	fputs("\n        ", out);
	put_safe(out, f->message);
	fputc('\n', out);
	if (f->commit || f->ref) {
		fputs("        ", out);
		if (f->commit)
			fprintf(out, "commit %.12s", f->commit);
		if (f->ref)
			fprintf(out, "%son %s", f->commit ? " " : "", f->ref);
		fputc('\n', out);
	}
	if (f->lfs)
		fprintf(out, "        %slfs object:%s %s\n", p->dim, p->reset, f->lfs);
	const cJSON *d;
	cJSON_ArrayForEach(d, f->details) {
		if (cJSON_IsObject(d) && !d->child)
			continue;
		if (cJSON_IsArray(d) && !d->child)
			continue;
		fprintf(out, "        %s%s:%s ", p->dim, d->string, p->reset);
		print_value(out, d);
		fputc('\n', out);
	}
	if (f->allowed_by)
		fprintf(out, "        allowed: %s\n", f->allowed_by);
	if (f->id && !f->is_error && !f->allowed_by)
		fprintf(out, "        %sid:%s %s\n", p->dim, p->reset, f->id);
	if (f->note)
		fprintf(out, "        note: %s\n", f->note);
}

static int has_rule_prefix(const struct finding_list *l, const char *prefix)
{
	size_t n = strlen(prefix);
	for (size_t i = 0; i < l->n; i++)
		if (!l->v[i].allowed_by && !strncmp(l->v[i].rule, prefix, n))
			return 1;
	return 0;
}

static int has_secret(const struct finding_list *l)
{
	static const char *secret_rules[] = {"tfc-token",  "aws-access-key", "aws-secret-key",
	                                     "vault-token", "private-key",    "tf-cli-credentials",
	                                     "tf-backend-credentials", "tf-vars-secret", "tf-log",
	                                     NULL};
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].allowed_by)
			continue;
		for (const char **r = secret_rules; *r; r++)
			if (!strcmp(l->v[i].rule, *r))
				return 1;
		if (cJSON_GetObjectItemCaseSensitive(l->v[i].details, "secret_attributes"))
			return 1;
	}
	return 0;
}

static void print_fix(FILE *out, const struct finding_list *l, const struct report_opts *o)
{
	fputs("\nHow to fix:\n", out);
	switch (o->mode) {
	case REPORT_MODE_COMMIT:
		fputs("  - Unstage the file (it stays on disk):  git rm --cached -- <path>\n", out);
		fputs("    (for an archive, unstage the archive itself: the part of the path before '!')\n",
		      out);
		break;
	case REPORT_MODE_PUSH:
	case REPORT_MODE_RECEIVE:
		fputs("  - Deleting the file in a new commit is not enough: the pushed commits still hold it.\n"
		      "    Rewrite them (git rebase -i <upstream>, or git commit --amend for the last one),\n"
		      "    remove the file from every commit listed, then push again.\n",
		      out);
		break;
	case REPORT_MODE_HISTORY:
		fputs("  - The file is in history: rewrite it out (git filter-repo --invert-paths --path <path>)\n"
		      "    and treat everything it contained as exposed.\n",
		      out);
		break;
	default:
		fputs("  - Do not commit these files; if they are tracked: git rm --cached -- <path>\n", out);
		break;
	}
	if (has_rule_prefix(l, "tf-") || has_rule_prefix(l, "pulumi") || has_rule_prefix(l, "archive"))
		fputs("  - Ignore them in .gitignore:  *.tfstate  *.tfstate.*  .terraform/  *.tfplan  "
		      "crash.log  crash.*.log  .terraformrc  terraform.rc\n"
		      "  - Keep state in a remote backend (s3, gcs, azurerm, HCP Terraform) with locking,\n"
		      "    never in the repository; pass backend credentials through the environment.\n",
		      out);
	if (has_secret(l))
		fputs("  - Rotate every credential named above: once committed, treat it as leaked.\n", out);
	fputs("  - A reviewed exception belongs in .stateguard.json \"allow\" with a reason.\n", out);
}

int report_text(FILE *out, const struct finding_list *l, const struct report_opts *o)
{
	struct palette p = {"", "", "", "", ""};
	if (o->color)
		p = (struct palette){"\033[31m", "\033[33m", "\033[2m", "\033[1m", "\033[0m"};

	struct finding_counts c;
	finding_list_count(l, &c);
	if (l->n == 0) {
		if (!sg_quiet)
			fputs("stateguard: no findings\n", out);
		return ferror(out) ? -1 : 0;
	}
	for (size_t i = 0; i < l->n; i++) {
		if (sg_quiet && l->v[i].severity != SG_SEV_BLOCK && !l->v[i].is_error)
			continue;
		print_finding(out, &l->v[i], &p);
	}
	fprintf(out, "\nstateguard: %zu blocking, %zu warning%s, %zu allowed, %zu error%s\n", c.block,
	        c.warn, c.warn == 1 ? "" : "s", c.allowed, c.errors, c.errors == 1 ? "" : "s");
	if (c.block)
		print_fix(out, l, o);
	if (c.errors) {
		if (!c.block)
			fputs("\nHow to fix:\n", out);
		fputs("  - Some content could not be examined (see ERROR lines); stateguard does not pass\n"
		      "    what it cannot read. Fix the cause or raise the limit named in the message.\n",
		      out);
	}
	return ferror(out) ? -1 : 0;
}
