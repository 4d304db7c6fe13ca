/*
 * cmd_scan: `stateguard scan [--format F] [--config FILE] PATH...`: scans
 * files and directories on disk (or stdin with "-") and reports. Its per-file
 * callback, scan_file_one, also serves allow.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <openssl/evp.h>

#include "cmd/commands.h"
#include "pipeline/pipeline.h"
#include "core/util.h"
#include "detect/detect.h"
#include "policy/policy.h"
#include "report/report.h"
#include "source/files.h"

/* A file above limits.file_bytes: streamed through the name and prefilter checks only. */
static void scan_oversize(struct scan_state *s, const char *path, size_t size)
{
	FILE *f = strcmp(path, "<stdin>") ? fopen(path, "rb") : NULL;
	if (!f) {
		finding_list_add_error(&s->findings, path,
		                       "above the file size limit and cannot be re-read for the "
		                       "streaming check: not examined (raise limits.file_bytes)");
		return;
	}
	struct detect_stream *ds = detect_stream_new();
	unsigned char *buf = xmalloc(1u << 20);
	size_t n;
	while ((n = fread(buf, 1, 1u << 20, f)) > 0)
		detect_stream_feed(ds, buf, n);
	if (ferror(f))
		finding_list_add_error(&s->findings, path, "read error during the streaming check");
	fclose(f);
	free(buf);
	detect_stream_finish(ds, &s->ctx, path, size);
}

/*
 * The blob id of content (what `git hash-object` prints). Big content is hashed
 * in steps that give a mapped file's pages back (util_release_pages), so that
 * stamping findings does not make the whole file resident. 0, or -1.
 */
static int scan_blob_id(const unsigned char *data, size_t len, char *hex, size_t hexsz)
{
	const size_t step = (size_t)8 << 20;
	if (len < 4 * step) {
		git_oid oid;
		if (git_odb_hash(&oid, data, len, GIT_OBJECT_BLOB) < 0)
			return -1;
		git_oid_tostr(hex, hexsz, &oid);
		return 0;
	}
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	char head[32];
	int hl = snprintf(head, sizeof(head), "blob %zu", len), ok;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	ok = c && EVP_DigestInit_ex(c, EVP_sha1(), NULL) == 1 &&
	     EVP_DigestUpdate(c, head, (size_t)hl + 1) == 1;
	for (size_t off = 0; ok && off < len; off += step) {
		size_t k = len - off < step ? len - off : step;
		ok = EVP_DigestUpdate(c, data + off, k) == 1;
		util_release_pages(data + off, k);
	}
	ok = ok && EVP_DigestFinal_ex(c, md, &n) == 1 && n == 20 && hexsz > 40;
	EVP_MD_CTX_free(c);
	for (unsigned i = 0; ok && i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return ok ? 0 : -1;
}

int scan_file_one(const char *path, const unsigned char *data, size_t len, const char *err,
                  void *arg)
{
	struct scan_state *s = arg;
	size_t from = s->findings.n;
	if ((err || !data) && s->skip_unscanned)
		return 0;
	if (err) {
		finding_list_add_error(&s->findings, path, "%s", err);
	} else if (!data) {
		scan_oversize(s, path, len);
	} else {
		pipeline_scan_blob(&s->ctx, path, data, len);
		if (s->findings.n > from) {
			/* the blob id lets allow entries pin reviewed content, as in the hooks;
			 * hashed only for files with findings */
			char hex[GIT_OID_HEXSZ + 1];
			if (scan_blob_id(data, len, hex, sizeof(hex)) == 0)
				pipeline_stamp_blob(&s->ctx, hex);
		}
	}
	policy_apply(s->ctx.policy, &s->findings, from);
	return 0;
}

/* --config FILE, else the nearest .stateguard.json at or above the current directory, else
 * the built-in rules (policy_locate: the same root allow uses, so ids match). */
static int scan_load_policy(const char *config, struct policy **pol)
{
	char err[600], *path = NULL, *root = NULL;
	int rc = -1;
	if (policy_locate(config, &path, &root) < 0) {
		sg_error("cannot resolve the current directory: %s", strerror(errno));
		return -1;
	}
	if (policy_load_rooted(pol, path, root, !config, err, sizeof(err)) < 0) {
		sg_error("%s", err);
		sg_error("fix the configuration: stateguard does not scan with a policy it cannot read");
		goto done;
	}
	rc = 0;
done:
	free(path);
	free(root);
	return rc;
}

static void scan_usage(FILE *out)
{
	fputs("usage: stateguard scan [--format text|json|sarif] [--config FILE] PATH...\n\n"
	      "Scans files and directories (recursively; '-' reads standard input) for\n"
	      "Terraform/OpenTofu/Pulumi state, plans, backend caches and credentials.\n\n"
	      "Options:\n"
	      "  --format F       text (default), json or sarif, on standard output\n"
	      "  --config FILE    policy file (paths relative to the current directory);\n"
	      "                   default: the first .stateguard.json above the current directory\n"
	      "  -q, --quiet      print only blocking findings and errors\n\n"
	      "Examples:\n"
	      "  stateguard scan .\n"
	      "  stateguard scan --format json infra.zip > findings.json\n"
	      "  terraform show -json | stateguard scan -\n",
	      out);
}

int cmd_scan(int argc, char **argv)
{
	struct scan_state s;
	struct scan_limits limits;
	struct report_opts ro = {REPORT_TEXT, REPORT_MODE_SCAN, 0};
	const char *config = NULL;
	struct policy *pol = NULL;
	int rc = SG_EXIT_ERROR, i;

	memset(&s, 0, sizeof(s));
	finding_list_init(&s.findings);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			scan_usage(stdout);
			return SG_EXIT_OK;
		} else if (!strcmp(a, "--format") && i + 1 < argc) {
			if (report_format_parse(argv[++i], &ro.format) < 0) {
				sg_error("unknown format '%s' (text, json or sarif)", argv[i]);
				return SG_EXIT_ERROR;
			}
		} else if (!strncmp(a, "--format=", 9)) {
			if (report_format_parse(a + 9, &ro.format) < 0) {
				sg_error("unknown format '%s' (text, json or sarif)", a + 9);
				return SG_EXIT_ERROR;
			}
		} else if (!strcmp(a, "--config") && i + 1 < argc) {
			config = argv[++i];
		} else if (!strcmp(a, "--format") || !strcmp(a, "--config")) {
			sg_error("option '%s' needs a value; see 'stateguard scan --help'.", a);
			return SG_EXIT_ERROR;
		} else if (a[0] == '-' && a[1]) {
			sg_error("unknown option '%s' for scan; see 'stateguard scan --help'.", a);
			return SG_EXIT_ERROR;
		} else {
			break;
		}
	}
	if (i >= argc) {
		scan_usage(stderr);
		return SG_EXIT_ERROR;
	}
	if (scan_load_policy(config, &pol) < 0)
		return SG_EXIT_ERROR;

	scan_limits_default(&limits);
	policy_limits(pol, &limits);
	s.ctx.limits = &limits;
	s.ctx.policy = pol;
	s.ctx.out = &s.findings;
	s.ctx.siblings = &files_siblings;
	for (; i < argc; i++)
		files_walk(argv[i], limits.file_bytes, scan_file_one, &s);

	ro.color = ro.format == REPORT_TEXT && report_want_color(stdout);
	if (report_print(stdout, &s.findings, &ro) < 0) {
		sg_error("cannot write the report");
		goto done;
	}
	rc = finding_list_exit_code(&s.findings);
done:
	finding_list_free(&s.findings);
	policy_free(pol);
	return rc;
}
