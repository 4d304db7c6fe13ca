/*
 * json_doc: the one budgeted cJSON parse per blob and small typed accessors.
 * cJSON's allocator hooks are process-global and installed once before main;
 * the budget itself is a thread-local counter, so parses on several threads
 * never share state. It does not decide what a document is.
 */
#include "detect/detect_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* Budget of the parse running on this thread; inactive (0) outside json_doc_parse. */
static _Thread_local struct {
	int active, hit;
	size_t used, limit;
} budget;

static void *budget_malloc(size_t n)
{
	if (budget.active) {
		if (n > budget.limit - budget.used) {
			budget.hit = 1;
			return NULL;
		}
		budget.used += n;
	}
	/* A real allocation failure is not a budget verdict: cJSON would turn it into
	 * "not JSON" and a state would pass. Exit 2 like every other allocation. */
	return xmalloc(n);
}

static void budget_free(void *p)
{
	free(p);
}

/* Runs before main (single-threaded): objects made earlier are plain malloc'd, so free works for all. */
__attribute__((constructor)) static void json_doc_install_hooks(void)
{
	cJSON_Hooks h = {budget_malloc, budget_free};
	cJSON_InitHooks(&h);
}

/* Deepest bracket nesting outside strings (cJSON refuses more than CJSON_NESTING_LIMIT). */
static size_t max_nesting(const char *s, size_t n)
{
	size_t depth = 0, max = 0;
	int in_str = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > max)
				max = depth;
		} else if ((c == '}' || c == ']') && depth) {
			depth--;
		}
	}
	return max;
}

enum json_status json_doc_parse(const unsigned char *data, size_t len, uint64_t parse_bytes,
                                cJSON **root)
{
	*root = NULL;
	if ((uint64_t)len > parse_bytes)
		return JSON_TOO_LARGE;
	/* cJSON wants a NUL inside the buffer it may read up to: copy with one. */
	char *copy = malloc(len + 1);
	if (!copy)
		return JSON_OVER_BUDGET;
	memcpy(copy, data, len);
	copy[len] = 0;

	const char *end = NULL;
	budget.used = 0;
	budget.hit = 0;
	budget.limit = len > (SIZE_MAX - (1u << 20)) / 8 ? SIZE_MAX : len * 8 + (1u << 20);
	budget.active = 1;
	cJSON *r = cJSON_ParseWithLengthOpts(copy, len, &end, 0);
	int over = budget.hit;
	budget.active = 0;

	enum json_status st = JSON_INVALID;
	if (r) {
		/* Whatever follows a complete object (NUL padding from a crash, a second
		 * document, appended junk) does not make the object less of a state:
		 * the object is examined on its own. */
		if (cJSON_IsObject(r)) {
			*root = r;
			r = NULL;
			st = JSON_OK;
		}
	} else if (over || max_nesting(copy, len) > CJSON_NESTING_LIMIT) {
		st = JSON_OVER_BUDGET; /* valid JSON may hide behind either limit: fail closed */
	}
	cJSON_Delete(r);
	free(copy);
	return st;
}

/*
 * Go's encoding/json matches keys case-insensitively, folding U+017F (long s)
 * to 's' and U+212A (Kelvin sign) to 'k': Terraform would read such keys, so
 * we match them the same way. `key` is lowercase ASCII.
 */
static int key_matches(const char *s, const char *key)
{
	for (; *key; key++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x80) {
			if (tolower(c) != *key)
				return 0;
			s++;
		} else if (*key == 's' && c == 0xC5 && (unsigned char)s[1] == 0xBF) {
			s += 2;
		} else if (*key == 'k' && c == 0xE2 && (unsigned char)s[1] == 0x84 &&
		           (unsigned char)s[2] == 0xAA) {
			s += 3;
		} else {
			return 0;
		}
	}
	return *s == 0;
}

cJSON *json_get(const cJSON *obj, const char *key)
{
	if (!cJSON_IsObject(obj))
		return NULL;
	cJSON *e;
	cJSON_ArrayForEach(e, obj) {
		if (e->string && key_matches(e->string, key))
			return e;
	}
	return NULL;
}

int json_is_int(const cJSON *item, double lo, double hi)
{
	if (!cJSON_IsNumber(item))
		return 0;
	double v = item->valuedouble;
	return v >= lo && v <= hi && v == (double)(long long)v;
}

int json_is_uuid(const cJSON *item)
{
	static const int groups[] = {8, 4, 4, 4, 12};
	if (!cJSON_IsString(item))
		return 0;
	const char *s = item->valuestring;
	for (int g = 0; g < 5; g++) {
		for (int i = 0; i < groups[g]; i++, s++)
			if (!isxdigit((unsigned char)*s))
				return 0;
		if (g < 4 && *s++ != '-')
			return 0;
	}
	return *s == 0;
}
