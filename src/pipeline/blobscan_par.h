/*
 * blobscan_par: blobscan_run over a set on several workers, each with its own
 * git_repository, while the set may still be growing. The report is the same,
 * in the same order, as blobscan_run over the set in set order.
 */
#ifndef SG_BLOBSCAN_PAR_H
#define SG_BLOBSCAN_PAR_H

#include <git2.h>

#include "core/finding.h"
#include "pipeline/blobscan.h"
#include "source/blobset.h"

/*
 * Worker count: $STATEGUARD_THREADS (1..16) if set, else the online CPUs, at most 2 (one
 * repository per worker; measured gains stop at the machine's cores).
 */
unsigned blobscan_threads(void);

struct blobscan_par;

/*
 * Starts `threads` workers, each reopening repo the way gitrepo_open opened it (quarantine
 * included). A worker that cannot start leaves its share to the others. Until finish is
 * called, one worker fewer takes entries: the thread growing the set needs a core. o must
 * outlive blobscan_par_finish.
 */
struct blobscan_par *blobscan_par_start(git_repository *repo, const struct blobscan_opts *o,
                                        unsigned threads);

/* Hands the entries added to set since the last call to the workers, if there are at least
 * `at_least` of them (0: whatever there is). Call from the thread that grows set; the
 * entries stay where they are (blobset_at). */
void blobscan_par_feed(struct blobscan_par *p, const struct blobset *set, size_t at_least);

/*
 * Waits for every handed entry to be scanned, appends the findings to out in set order and
 * frees p. If no worker could start, scans the entries here with repo.
 */
void blobscan_par_finish(struct blobscan_par *p, git_repository *repo, struct finding_list *out);

/* Sets of at least this many entries are scanned on workers by blobscan_auto (below it,
 * starting them costs more than they save). */
#define BLOBSCAN_PARALLEL_MIN 1024

/* Scans the whole set: on blobscan_threads() workers if it is large, else here. The report
 * is the same either way. */
void blobscan_auto(git_repository *repo, const struct blobset *set, const struct blobscan_opts *o,
                   struct finding_list *out);

#endif
