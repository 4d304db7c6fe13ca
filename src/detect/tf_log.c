/*
 * tf_log: Terraform/OpenTofu debug logs (TF_LOG, TF_LOG_PATH, any name) and
 * crash logs, by content: timestamped [TRACE]/[DEBUG]/[INFO]/[WARN]/[ERROR]
 * lines (or TF_LOG=json lines) that carry Terraform's own markers, or the
 * TERRAFORM CRASH banner. It
 * reports the version and the names behind -var/-backend-config, never values.
 */
#include "detect/detect_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define MAX_NAMES 32

/* Terraform's own markers on a log line; the first two are strong alone. */
static const char *const strong[] = {"Terraform version: ", "OpenTofu version: ", "CLI args: ",
                                     NULL};
static const char *const weak[] = {"statemgr.", "terraform-provider-", NULL};

static int has(const unsigned char *p, size_t n, const char *needle)
{
	return util_memmem(p, n, needle, strlen(needle)) != NULL;
}

/* Terraform's backend loggers: " backend/local: ", " backend/remote-state/s3: ", or
 * "@message":"backend/local: ..." in JSON (a URL path "/api/backend/users" is not one). */
static int backend_logger(const unsigned char *p, size_t n)
{
	for (const unsigned char *q = util_memmem(p, n, "backend/", 8); q;
	     q = util_memmem(q + 1, n - (size_t)(q + 1 - p), "backend/", 8)) {
		if (q == p || (q[-1] != ' ' && q[-1] != '"'))
			continue;
		size_t i = (size_t)(q - p) + 8, start = i;
		while (i < n && (islower(p[i]) || isdigit(p[i]) || p[i] == '-' || p[i] == '/'))
			i++;
		if (i > start && i < n && p[i] == ':')
			return 1;
	}
	return 0;
}

/* "2024-01-02T03:04:05.678Z [DEBUG] ..." (hclog) or "2020/01/02 03:04:05 [DEBUG] ..."
 * (Terraform <= 0.14): a timestamp, then a level in brackets. */
static int log_line(const unsigned char *p, size_t n)
{
	static const char *const levels[] = {"[TRACE]", "[DEBUG]", "[INFO]", "[WARN]", "[ERROR]",
	                                     NULL};
	if (n < 12 || !isdigit(p[0]) || !isdigit(p[1]) || !isdigit(p[2]) || !isdigit(p[3]) ||
	    (p[4] != '-' && p[4] != '/'))
		return 0;
	size_t w = n < 48 ? n : 48;
	for (size_t i = 0; levels[i]; i++)
		if (has(p, w, levels[i]))
			return 1;
	return 0;
}

/* {"@level":"debug","@message":"...","@timestamp":"..."}: TF_LOG=json (keys in any order). */
static int json_log_line(const unsigned char *p, size_t n)
{
	return n > 24 && p[0] == '{' && has(p, n, "\"@level\":\"") && has(p, n, "\"@message\":\"");
}

static void add_name(cJSON *arr, const char *s, size_t n)
{
	if (!n || n > 128 || cJSON_GetArraySize(arr) >= MAX_NAMES)
		return;
	char buf[129];
	memcpy(buf, s, n);
	buf[n] = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
		if (!strcmp(e->valuestring, buf))
			return;
	cJSON_AddItemToArray(arr, cJSON_CreateString(buf));
}

/* The name before '=' of "name=value", if there is a value. */
static void add_assignment(cJSON *arr, const char *s, size_t n)
{
	const char *eq = memchr(s, '=', n);
	if (eq)
		add_name(arr, s, (size_t)(eq - s));
}

/* `CLI args: []string{"terraform", "apply", "-var", "db_password=..."}`: Go-quoted words. */
static void cli_args(const unsigned char *p, size_t n, cJSON *vars, cJSON *backend)
{
	enum { NONE, VAR, BACKEND } want = NONE;
	const unsigned char *at = util_memmem(p, n, "args: ", 6);
	if (!at)
		return;
	size_t i = (size_t)(at - p) + 6; /* the words start after the marker (JSON has quotes before) */
	while (i < n) {
		if (p[i] != '"') {
			i++;
			continue;
		}
		size_t s = ++i;
		while (i < n && p[i] != '"')
			i += p[i] == '\\' ? 2 : 1;
		if (i > n)
			i = n;
		const char *w = (const char *)p + s;
		size_t wl = i - s;
		i++;
		if (want == VAR)
			add_assignment(vars, w, wl);
		else if (want == BACKEND)
			add_assignment(backend, w, wl);
		want = NONE;
		const char *t = w[0] == '-' && wl > 1 && w[1] == '-' ? w + 1 : w;
		size_t tl = wl - (size_t)(t - w);
		if (tl == 4 && !memcmp(t, "-var", 4))
			want = VAR;
		else if (tl == 15 && !memcmp(t, "-backend-config", 15))
			want = BACKEND;
		else if (tl > 5 && !memcmp(t, "-var=", 5))
			add_assignment(vars, t + 5, tl - 5);
		else if (tl > 16 && !memcmp(t, "-backend-config=", 16))
			add_assignment(backend, t + 16, tl - 16);
	}
}

/* "1.11.4" after "version: ", up to 40 characters of [0-9A-Za-z.+-]. */
static void version_of(const unsigned char *p, size_t n, const char *marker, cJSON *d)
{
	const unsigned char *v = util_memmem(p, n, marker, strlen(marker));
	if (!v || cJSON_GetObjectItemCaseSensitive(d, "terraform_version"))
		return;
	v += strlen(marker);
	size_t k = 0, rest = n - (size_t)(v - p);
	while (k < rest && k < 40 && (isalnum(v[k]) || v[k] == '.' || v[k] == '+' || v[k] == '-'))
		k++;
	if (!k)
		return;
	char buf[41];
	memcpy(buf, v, k);
	buf[k] = 0;
	cJSON_AddStringToObject(d, "terraform_version", buf);
	cJSON_AddStringToObject(d, "product", marker[0] == 'O' ? "OpenTofu" : "Terraform");
}

int tf_log_detect(struct blob *b)
{
	if (!(b->pf & PF_TF_LOG))
		return 0;
	const unsigned char *p = b->data, *end = b->data + b->len;
	size_t lines = 0, marked = 0, strong_lines = 0, log_lines = 0;
	int banner = 0, stack = 0;
	cJSON *d = cJSON_CreateObject(), *vars = cJSON_CreateArray(), *backend = cJSON_CreateArray();
	if (!d || !vars || !backend) {
		cJSON_Delete(d);
		cJSON_Delete(vars);
		cJSON_Delete(backend);
		return -1;
	}
	while (p < end) {
		const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		lines++;
		if (has(p, n, "!!!") && (has(p, n, "TERRAFORM CRASH") || has(p, n, "OPENTOFU CRASH")))
			banner = 1;
		else if (n > 11 && !memcmp(p, "goroutine ", 10) && isdigit(p[10]))
			stack = 1;
		else if (log_line(p, n) || json_log_line(p, n)) {
			log_lines++;
			int s = 0, w = 0;
			for (size_t i = 0; strong[i]; i++)
				s |= has(p, n, strong[i]);
			for (size_t i = 0; !s && weak[i]; i++)
				w |= has(p, n, weak[i]);
			w |= !s && backend_logger(p, n);
			marked += (size_t)(s || w);
			strong_lines += (size_t)s;
			if (s) {
				version_of(p, n, "Terraform version: ", d);
				version_of(p, n, "OpenTofu version: ", d);
				if (p[0] == '{') {
					/* JSON escapes the Go quoting: \" -> ", \\ -> \ */
					unsigned char *u = xmalloc(n + 1);
					size_t k = 0;
					for (size_t i = 0; i < n; i++)
						u[k++] = p[i] == '\\' && i + 1 < n ? p[++i] : p[i];
					cli_args(u, k, vars, backend);
					free(u);
				} else {
					cli_args(p, n, vars, backend);
				}
			}
		}
		p = nl ? nl + 1 : end;
	}
	/* a generic log may have a "backend/x:" logger of its own; Terraform's logs say who
	 * they are on their first lines, and even a tail holds many statemgr/backend lines.
	 * The banner alone is Terraform's source (logging/panic.go): crash output has a
	 * goroutine stack or log lines with it. */
	int crash = banner && (stack || log_lines);
	if (!crash && !strong_lines && marked < 3) {
		cJSON_Delete(d);
		cJSON_Delete(vars);
		cJSON_Delete(backend);
		return 0;
	}
	cJSON_AddStringToObject(d, "kind", crash ? "crash log" : "debug log");
	cJSON_AddNumberToObject(d, "line_count", (double)lines);
	cJSON_AddItemToObject(d, "cli_var_names", vars);
	cJSON_AddItemToObject(d, "cli_backend_config_names", backend);
	const cJSON *tv = cJSON_GetObjectItemCaseSensitive(d, "terraform_version");
	const cJSON *prod = cJSON_GetObjectItemCaseSensitive(d, "product");
	int nv = cJSON_GetArraySize(vars), nb = cJSON_GetArraySize(backend);
	char *args = nv || nb ? xasprintf("; its CLI arguments carry values for %s%s%s%s%s", nv ? "-var " : "",
	                                  nv ? cJSON_GetArrayItem(vars, 0)->valuestring : "",
	                                  nv && nb ? " and " : "", nb ? "-backend-config " : "",
	                                  nb ? cJSON_GetArrayItem(backend, 0)->valuestring : "")
	                      : xstrdup("");
	char *msg = xasprintf(
	    "%s%s%s %s (%zu lines)%s: such logs record CLI arguments, backend settings and "
	    "provider requests and responses in clear text. Delete it, ignore crash*.log and the "
	    "TF_LOG_PATH file, and rotate what it shows.",
	    cJSON_IsString(prod) ? prod->valuestring : "Terraform", tv ? " " : "",
	    tv ? tv->valuestring : "", crash ? "crash log" : "debug log", lines, args);
	finding_list_add(b->ctx->out, "tf-log", SG_SEV_BLOCK, b->path, msg, d);
	free(args);
	free(msg);
	return 0;
}
