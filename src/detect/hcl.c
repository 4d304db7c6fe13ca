/*
 * hcl: a tolerant one-pass scanner of HCL native syntax: comments, quoted
 * strings with nested ${...} templates, heredocs, blocks with labels and
 * attributes. It reports events to a callback; it builds no tree, evaluates
 * nothing and never fails: unreadable input is skipped line by line.
 */
#include "detect/hcl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

struct hcl {
	const char *s, *end;
	const char *p;
	const char *line_pos; /* position up to which lines were counted */
	size_t line;
	struct hcl_frame frames[HCL_MAX_DEPTH];
	unsigned depth;
	hcl_cb cb;
	void *arg;
};

int hcl_span_eq(struct hcl_span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.len == n && (n == 0 || !memcmp(s.p, lit, n));
}

int hcl_value_is_literal(const struct hcl_event *ev)
{
	if (ev->vkind == HCL_VAL_STRING)
		return ev->value.len > 0;
	if (ev->vkind == HCL_VAL_HEREDOC) {
		const unsigned char *v = (const unsigned char *)ev->value.p;
		return ev->value.len > 0 && !util_memmem(v, ev->value.len, "${", 2) &&
		       !util_memmem(v, ev->value.len, "%{", 2);
	}
	return 0;
}

char *hcl_span_dup(struct hcl_span s)
{
	char *out = xmalloc(s.len + 1);
	size_t o = 0;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.p[i];
		if (c == '\\' && i + 1 < s.len) {
			char n = s.p[++i];
			c = n == 'n' ? '\n' : n == 't' ? '\t' : n == 'r' ? '\r' : n;
		}
		out[o++] = c;
	}
	out[o] = 0;
	return out;
}

static size_t line_of(struct hcl *h, const char *pos)
{
	if (pos < h->line_pos) { /* never happens in a forward scan; recount to be safe */
		h->line_pos = h->s;
		h->line = 1;
	}
	for (const char *q = h->line_pos; q < pos; q++)
		if (*q == '\n')
			h->line++;
	h->line_pos = pos;
	return h->line;
}

static int is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

static int is_ident(int c)
{
	return isalnum(c) || c == '_' || c == '-';
}

/* Skips spaces and tabs (and \r); with `nl` newlines and comments too. */
static void skip_space(struct hcl *h, int nl)
{
	while (h->p < h->end) {
		char c = *h->p;
		if (c == ' ' || c == '\t' || c == '\r' || (nl && c == '\n')) {
			h->p++;
		} else if (c == '#' || (c == '/' && h->p + 1 < h->end && h->p[1] == '/')) {
			const char *e = memchr(h->p, '\n', (size_t)(h->end - h->p));
			h->p = e ? e : h->end;
		} else if (c == '/' && h->p + 1 < h->end && h->p[1] == '*') {
			const char *e = (const char *)util_memmem((const unsigned char *)h->p + 2,
			                                          (size_t)(h->end - h->p - 2), "*/", 2);
			h->p = e ? e + 2 : h->end;
		} else {
			break;
		}
	}
}

static void skip_line(struct hcl *h)
{
	const char *e = memchr(h->p, '\n', (size_t)(h->end - h->p));
	h->p = e ? e + 1 : h->end;
}

/*
 * h->p is at an opening quote. Moves past the closing quote; sets *tmpl when a
 * ${ or %{ template sequence occurs. A newline ends an unterminated string.
 */
static void skip_string(struct hcl *h, int *tmpl, unsigned nest)
{
	h->p++;
	while (h->p < h->end) {
		char c = *h->p;
		if (c == '\\') {
			h->p += h->p + 1 < h->end ? 2 : 1;
		} else if (c == '"') {
			h->p++;
			return;
		} else if (c == '\n') {
			return;
		} else if ((c == '$' || c == '%') && h->p + 1 < h->end && h->p[1] == '{') {
			if (h->p + 2 < h->end && h->p[-1] == c) { /* $${ is an escaped literal */
				h->p += 2;
				continue;
			}
			*tmpl = 1;
			h->p += 2;
			unsigned depth = 1;
			while (h->p < h->end && depth) {
				char d = *h->p;
				if (d == '"' && nest < 8) {
					int t;
					skip_string(h, &t, nest + 1);
					continue;
				}
				if (d == '\n' && nest >= 8)
					return;
				if (d == '{')
					depth++;
				else if (d == '}')
					depth--;
				h->p++;
			}
		} else {
			h->p++;
		}
	}
}

/* Skips a bracketed expression starting at h->p ('[' or '('), strings included. */
static void skip_brackets(struct hcl *h)
{
	unsigned depth = 0;
	while (h->p < h->end) {
		char c = *h->p;
		if (c == '"') {
			int t;
			skip_string(h, &t, 0);
			continue;
		}
		if (c == '#' || (c == '/' && h->p + 1 < h->end && (h->p[1] == '/' || h->p[1] == '*'))) {
			skip_space(h, 1);
			continue;
		}
		if (c == '[' || c == '(' || c == '{')
			depth++;
		else if (c == ']' || c == ')' || c == '}') {
			if (depth == 0)
				return;
			if (--depth == 0) {
				h->p++;
				return;
			}
		}
		h->p++;
	}
}

static int emit(struct hcl *h, enum hcl_event_kind kind, struct hcl_span name,
                enum hcl_value_kind vk, struct hcl_span value, const char *at)
{
	struct hcl_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.depth = h->depth;
	ev.frames = h->frames;
	ev.name = name;
	ev.vkind = vk;
	ev.value = value;
	ev.line = line_of(h, at);
	return h->cb(&ev, h->arg);
}

/* Heredoc: h->p at "<<". Returns 1 and sets *body when it is one. */
static int read_heredoc(struct hcl *h, struct hcl_span *body)
{
	const char *q = h->p + 2;
	if (q < h->end && *q == '-')
		q++;
	const char *id = q;
	while (q < h->end && is_ident(*q))
		q++;
	size_t idlen = (size_t)(q - id);
	if (!idlen)
		return 0;
	const char *nl = memchr(q, '\n', (size_t)(h->end - q));
	if (!nl) {
		h->p = h->end;
		*body = (struct hcl_span){h->end, 0};
		return 1;
	}
	const char *start = nl + 1, *line = start;
	while (line < h->end) {
		const char *e = memchr(line, '\n', (size_t)(h->end - line));
		const char *le = e ? e : h->end;
		const char *t = line;
		while (t < le && (*t == ' ' || *t == '\t'))
			t++;
		const char *te = le;
		if (te > t && te[-1] == '\r')
			te--;
		if ((size_t)(te - t) == idlen && !memcmp(t, id, idlen)) {
			*body = (struct hcl_span){start, (size_t)(line - start)};
			h->p = le;
			return 1;
		}
		line = e ? e + 1 : h->end;
	}
	*body = (struct hcl_span){start, (size_t)(h->end - start)};
	h->p = h->end;
	return 1;
}

static int push(struct hcl *h, struct hcl_span type, const struct hcl_span *labels, unsigned n,
                int is_object)
{
	if (h->depth >= HCL_MAX_DEPTH)
		return -1;
	struct hcl_frame *f = &h->frames[h->depth++];
	memset(f, 0, sizeof(*f));
	f->type = type;
	f->nlabels = n > HCL_MAX_LABELS ? HCL_MAX_LABELS : n;
	for (unsigned i = 0; i < f->nlabels; i++)
		f->labels[i] = labels[i];
	f->is_object = is_object;
	return 0;
}

/* After "name =": reads the value and emits the attribute (or opens an object). */
static int read_value(struct hcl *h, struct hcl_span name, const char *at)
{
	skip_space(h, 0);
	struct hcl_span v = {h->p, 0};
	enum hcl_value_kind vk = HCL_VAL_EXPR;
	if (h->p >= h->end)
		return emit(h, HCL_EV_ATTR, name, vk, v, at);
	char c = *h->p;
	if (c == '{') {
		h->p++;
		if (push(h, name, NULL, 0, 1) < 0)
			return 1;
		return emit(h, HCL_EV_BLOCK, name, HCL_VAL_OBJECT, v, at);
	}
	if (c == '"') {
		int tmpl = 0;
		const char *start = h->p + 1;
		skip_string(h, &tmpl, 0);
		const char *e = h->p;
		if (e > start && e[-1] == '"')
			e--;
		v = (struct hcl_span){start, (size_t)(e - start)};
		vk = tmpl ? HCL_VAL_TEMPLATE : HCL_VAL_STRING;
		skip_space(h, 0);
		if (h->p < h->end && *h->p != '\n' && *h->p != '}' && *h->p != ',') {
			vk = HCL_VAL_EXPR; /* "a" == b, "x" ? ... : ... */
			while (h->p < h->end && *h->p != '\n' && *h->p != '}') {
				if (*h->p == '"' || *h->p == '(' || *h->p == '[')
					*h->p == '"' ? skip_string(h, &tmpl, 0) : skip_brackets(h);
				else
					h->p++;
			}
		}
		return emit(h, HCL_EV_ATTR, name, vk, v, at);
	}
	if (c == '<' && h->p + 1 < h->end && h->p[1] == '<' && read_heredoc(h, &v))
		return emit(h, HCL_EV_ATTR, name, HCL_VAL_HEREDOC, v, at);
	/* bare expression: up to the end of the line, brackets balanced */
	while (h->p < h->end && *h->p != '\n' && *h->p != '}' && *h->p != ',' && *h->p != '#') {
		if (*h->p == '/' && h->p + 1 < h->end && (h->p[1] == '/' || h->p[1] == '*'))
			break;
		if (*h->p == '"') {
			int t;
			skip_string(h, &t, 0);
		} else if (*h->p == '[' || *h->p == '(' || *h->p == '{') {
			skip_brackets(h);
			if (h->p < h->end && (*h->p == ']' || *h->p == ')' || *h->p == '}'))
				h->p++;
		} else {
			h->p++;
		}
	}
	const char *e = h->p;
	while (e > v.p && isspace((unsigned char)e[-1]))
		e--;
	v.len = (size_t)(e - v.p);
	if (hcl_span_eq(v, "null"))
		vk = HCL_VAL_NULL;
	else if (hcl_span_eq(v, "true") || hcl_span_eq(v, "false"))
		vk = HCL_VAL_BOOL;
	else if (v.len && (isdigit((unsigned char)v.p[0]) || v.p[0] == '-')) {
		vk = HCL_VAL_NUMBER;
		for (size_t i = 1; i < v.len; i++)
			if (!isdigit((unsigned char)v.p[i]) && v.p[i] != '.' && v.p[i] != 'e' &&
			    v.p[i] != 'E' && v.p[i] != '+' && v.p[i] != '-')
				vk = HCL_VAL_EXPR;
	}
	return emit(h, HCL_EV_ATTR, name, vk, v, at);
}

int hcl_scan(const char *text, size_t len, hcl_cb cb, void *arg)
{
	struct hcl h;
	memset(&h, 0, sizeof(h));
	h.s = h.p = h.line_pos = text;
	h.end = text + len;
	h.line = 1;
	h.cb = cb;
	h.arg = arg;
	int rc = 0;

	while (rc == 0) {
		skip_space(&h, 1);
		if (h.p >= h.end)
			break;
		char c = *h.p;
		if (c == '}') {
			h.p++;
			if (h.depth) {
				rc = emit(&h, HCL_EV_END, h.frames[h.depth - 1].type, HCL_VAL_EXPR,
				          (struct hcl_span){h.p, 0}, h.p - 1);
				h.depth--;
			}
			continue;
		}
		if (c == ',') {
			h.p++;
			continue;
		}
		const char *at = h.p;
		struct hcl_span name;
		if (c == '"' && h.depth && h.frames[h.depth - 1].is_object) {
			/* quoted key inside an object: "key" = value */
			int t = 0;
			skip_string(&h, &t, 0);
			name = (struct hcl_span){at + 1, (size_t)(h.p - at) - (h.p[-1] == '"' ? 2 : 1)};
		} else if (is_ident_start((unsigned char)c)) {
			while (h.p < h.end && is_ident((unsigned char)*h.p))
				h.p++;
			name = (struct hcl_span){at, (size_t)(h.p - at)};
		} else {
			skip_line(&h);
			continue;
		}
		skip_space(&h, 0);
		if (h.p >= h.end)
			break;
		c = *h.p;
		if ((c == '=' && !(h.p + 1 < h.end && h.p[1] == '=')) ||
		    (c == ':' && h.depth && h.frames[h.depth - 1].is_object)) {
			h.p++;
			rc = read_value(&h, name, at);
			continue;
		}
		/* block: labels (quoted or bare) then '{' on the same line */
		struct hcl_span labels[HCL_MAX_LABELS];
		unsigned n = 0;
		int ok = 1;
		while (h.p < h.end && *h.p != '{') {
			if (*h.p == '"') {
				const char *ls = h.p + 1;
				int t = 0;
				skip_string(&h, &t, 0);
				if (h.p[-1] != '"' || t) {
					ok = 0;
					break;
				}
				if (n < HCL_MAX_LABELS)
					labels[n] = (struct hcl_span){ls, (size_t)(h.p - 1 - ls)};
				n++;
			} else if (is_ident_start((unsigned char)*h.p)) {
				const char *ls = h.p;
				while (h.p < h.end && is_ident((unsigned char)*h.p))
					h.p++;
				if (n < HCL_MAX_LABELS)
					labels[n] = (struct hcl_span){ls, (size_t)(h.p - ls)};
				n++;
			} else {
				ok = 0;
				break;
			}
			skip_space(&h, 0);
		}
		if (!ok || h.p >= h.end) {
			if (h.p < h.end && *h.p != '\n')
				skip_line(&h);
			continue;
		}
		h.p++; /* '{' */
		if (push(&h, name, labels, n, 0) < 0)
			break;
		rc = emit(&h, HCL_EV_BLOCK, name, HCL_VAL_EXPR, (struct hcl_span){h.p, 0}, at);
	}
	return rc;
}
