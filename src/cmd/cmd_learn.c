/*
 * cmd_learn: `stateguard learn [--env NAME] [--path GLOB]... [--hash] [--merge FILE] STATE...`
 * reads state files (or `terraform show -json` / `output -json` output; '-' = stdin) and prints a
 * complete .stateguard.json with the identifiers they control. Logic: policy/learn.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cmd/commands.h"
#include "core/util.h"
#include "policy/learn.h"
#include "policy/policy.h"

#define LEARN_MAX_BYTES (1ull << 30)

static void learn_usage(FILE *out)
{
	fputs("usage: stateguard learn [--env NAME] [--path GLOB]... [--hash] [--merge FILE] STATE...\n\n"
	      "Reads Terraform/OpenTofu state files, `terraform show -json` or `terraform output\n"
	      "-json` output ('-' reads standard input; sensitive outputs are skipped) and\n"
	      "prints a complete .stateguard.json whose environment NAME\n"
	      "(default: production) lists the identifiers that state controls: account ids,\n"
	      "ARNs, resource ids, endpoints, bucket names.\n\n"
	      "Options:\n"
	      "  --env NAME      environment to fill (default: production)\n"
	      "  --path GLOB     add GLOB to the environment's paths (where they may appear)\n"
	      "  --hash          store salted SHA-256 fingerprints instead of the identifiers,\n"
	      "                  so the configuration itself reveals nothing\n"
	      "  --merge FILE    start from FILE (a valid configuration) and merge into it\n\n"
	      "Examples:\n"
	      "  terraform show -json | stateguard learn --hash --path 'envs/prod/**' - > .stateguard.json\n",
	      out);
}

static int read_input(const char *path, unsigned char **data, size_t *len)
{
	int r = !strcmp(path, "-") ? util_read_stream(stdin, LEARN_MAX_BYTES, data, len)
	                           : util_read_file(path, LEARN_MAX_BYTES, data, len);
	if (r < 0) {
		sg_error("%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	if (r > 0) {
		sg_error("%s: larger than 1 GiB; not read", path);
		return -1;
	}
	return 0;
}

int cmd_learn(int argc, char **argv)
{
	const char *env = "production", *merge = NULL;
	char **paths = xcalloc((size_t)argc + 1, sizeof(char *)), err[600];
	size_t npaths = 0, skipped = 0;
	int hash = 0, rc = SG_EXIT_ERROR, i;
	struct learn *l = learn_new();
	cJSON *doc = NULL;
	unsigned char *data = NULL;
	size_t len;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			learn_usage(stdout);
			rc = SG_EXIT_OK;
			goto done;
		} else if (!strcmp(a, "--env") && i + 1 < argc) {
			env = argv[++i];
		} else if (!strcmp(a, "--path") && i + 1 < argc) {
			paths[npaths++] = argv[++i];
		} else if (!strcmp(a, "--merge") && i + 1 < argc) {
			merge = argv[++i];
		} else if (!strcmp(a, "--hash")) {
			hash = 1;
		} else if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (a[0] == '-' && a[1]) {
			sg_error("unknown option '%s' for learn; see 'stateguard learn --help'.", a);
			learn_usage(stderr);
			goto done;
		} else {
			break;
		}
	}
	if (i >= argc) {
		learn_usage(stderr);
		goto done;
	}
	if (merge) {
		struct policy *check = NULL;
		if (policy_load_file(&check, merge, err, sizeof(err)) < 0) {
			sg_error("%s", err);
			goto done;
		}
		policy_free(check);
		if (read_input(merge, &data, &len) < 0)
			goto done;
		doc = cJSON_ParseWithLength((const char *)data, len);
		free(data);
		data = NULL;
	} else {
		doc = cJSON_CreateObject();
	}
	if (!doc) {
		sg_error("out of memory reading the configuration");
		goto done;
	}
	for (; i < argc; i++) {
		if (read_input(argv[i], &data, &len) < 0)
			goto done;
		cJSON *st = cJSON_ParseWithLength((const char *)data, len);
		free(data);
		data = NULL;
		if (!cJSON_IsObject(st)) {
			sg_error("%s: not a JSON state or `terraform show -json` document", argv[i]);
			cJSON_Delete(st);
			goto done;
		}
		learn_add_document(l, st);
		cJSON_Delete(st);
	}
	if (learn_write(l, doc, env, paths, npaths, hash, &skipped, err, sizeof(err)) < 0) {
		sg_error("%s", err);
		goto done;
	}
	/* what we print must be a configuration we accept */
	char *text = cJSON_Print(doc);
	struct policy *check = NULL;
	if (!text || policy_parse(&check, "learned configuration", text, strlen(text), err,
	                          sizeof(err)) < 0) {
		sg_error("%s", text ? err : "out of memory");
		free(text);
		goto done;
	}
	policy_free(check);
	printf("%s\n", text);
	free(text);
	char summary[300];
	learn_summary(l, summary, sizeof(summary));
	if (!sg_quiet) {
		fprintf(stderr, "stateguard: learned %zu identifier%s for %s%s%s%s\n", learn_count(l),
		        learn_count(l) == 1 ? "" : "s", env, summary[0] ? " (" : "", summary,
		        summary[0] ? ")" : "");
		if (skipped)
			fprintf(stderr,
			        "stateguard: %zu identifier%s not fingerprinted: scanning hashes only "
			        "tokens shaped like account ids, ARNs and dotted/hyphenated names, so a "
			        "fingerprint of them could never match; list them in \"identifiers\" "
			        "if they must be caught\n",
			        skipped, skipped == 1 ? " was" : "s were");
		if (!npaths && !cJSON_GetObjectItemCaseSensitive(
		                   cJSON_GetObjectItemCaseSensitive(
		                       cJSON_GetObjectItemCaseSensitive(doc, "environments"), env),
		                   "paths"))
			fprintf(stderr, "stateguard: %s has no paths yet, so its identifiers are blocked "
			                "everywhere; add --path GLOB for the directories that own them\n",
			        env);
	}
	rc = SG_EXIT_OK;
done:
	free(data);
	cJSON_Delete(doc);
	learn_free(l);
	free(paths);
	return rc;
}
