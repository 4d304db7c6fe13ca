/*
 * policy: the team's configuration (.stateguard.json): rule severities,
 * environments and their identifiers, reviewed exceptions and limits. It turns
 * raw detector findings into the findings a hook acts on. It never reads
 * content itself beyond the config file.
 */
#ifndef SG_POLICY_H
#define SG_POLICY_H

#include <stddef.h>

#include "core/finding.h"
#include "core/pipeline.h"

struct policy;

/*
 * Parses a config document (`name` is used in messages). On error returns -1
 * and writes a message naming the key and line into err.
 */
int policy_parse(struct policy **out, const char *name, const char *text, size_t len, char *err,
                 size_t errsz);

/* Reads and parses a config file. */
int policy_load_file(struct policy **out, const char *path, char *err, size_t errsz);

void policy_free(struct policy *p);

/* Applies limits from the config (if any) over the defaults in l. */
void policy_limits(const struct policy *p, struct scan_limits *l);

/*
 * Applies severities and allow entries to findings [from, l->n). `p` may be NULL
 * (built-in defaults).
 */
void policy_apply(const struct policy *p, struct finding_list *l, size_t from);

#endif
