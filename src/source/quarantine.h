/*
 * quarantine: the objects a push brought, as git receive-pack holds them before
 * the push is accepted (GIT_QUARANTINE_PATH). Enumerating them catches what no
 * commit walk reaches (tags of blobs, unreferenced blobs) and costs what the
 * push costs. It does not know which ref or path a blob belongs to.
 */
#ifndef SG_QUARANTINE_H
#define SG_QUARANTINE_H

#include <stddef.h>

#include <git2.h>

#include "source/blobset.h"
#include "source/packread.h"

/*
 * Adds to set every blob in the quarantine object directory `dir` that `main_odb` (the
 * repository before the push) does not already hold, with `path` as its display path; blobs
 * already in set keep their path; new ones get `group`. Types are read through pc when given
 * (entry headers only). Returns 0, or -1 with err set.
 */
int quarantine_new_blobs(const char *dir, git_odb *main_odb, struct packread_cache *pc,
                         struct blobset *set, const char *path, int group, char *err,
                         size_t errsz);

#endif
