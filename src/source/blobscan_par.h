/*
 * blobscan_par: blobscan_run over a whole blobset at git's own reading speed:
 * blobs are read in pack order (not id or discovery order) by up to two
 * workers, each with its own git_repository. The report is the same, in the
 * same order, as blobscan_run over the set in set order.
 */
#ifndef SG_BLOBSCAN_PAR_H
#define SG_BLOBSCAN_PAR_H

#include <git2.h>

#include "core/finding.h"
#include "source/blobscan.h"
#include "source/blobset.h"

/*
 * Worker count: $STATEGUARD_THREADS (1..16) if set, else the online CPUs, at most 2 (one
 * repository per worker; measured gains stop at the machine's cores).
 */
unsigned blobscan_threads(void);

/*
 * Scans every entry of set like blobscan_run(repo, set, 0, count, o, out), findings appended
 * to out in set order whatever the threading. Small sets (or one worker) are scanned in set
 * order on the calling thread. repo must have been opened with gitrepo_open (workers reopen
 * it the same way, quarantine included). Returns 0; failures become scan errors.
 */
int blobscan_run_all(git_repository *repo, const struct blobset *set, const struct blobscan_opts *o,
                     unsigned threads, struct finding_list *out);

#endif
