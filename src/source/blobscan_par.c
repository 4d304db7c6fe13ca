/*
 * blobscan_par: pack-order scheduling and the worker threads of a big scan.
 * Each worker has its own git_repository (sharing one is slower than one thread) and its own
 * finding list; findings are tagged with their set entry and merged in set order at the end.
 * What a blob is and how it is scanned stays in blobscan.c.
 */
#include "source/blobscan_par.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "source/gitrepo.h"

#define PAR_MIN_BLOBS 64     /* below this, threads cost more than they save */
#define PACK_ORDER_MIN 2048  /* below this, listing the whole store costs more than it saves */
#define CHUNK 64             /* entries handed to a worker at a time (consecutive in pack order) */
#define MAX_THREADS 16

unsigned blobscan_threads(void)
{
	const char *env = getenv("STATEGUARD_THREADS");
	if (env && *env) {
		char *end;
		long v = strtol(env, &end, 10);
		if (!*end && v >= 1 && v <= MAX_THREADS)
			return (unsigned)v;
	}
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n >= 2 ? 2 : 1;
}

/* Findings [from, from+n) of one worker's list belong to set entry `entry`. */
struct seg {
	size_t entry, from, n;
	unsigned worker;
};

struct shared {
	const struct blobset *set;
	const struct blobscan_opts *o;
	const size_t *order;
	size_t n;
	atomic_size_t next;
};

struct worker {
	struct shared *sh;
	git_repository *repo;
	pthread_t th;
	int running;
	struct finding_list out;
	struct seg *segs;
	size_t nsegs, cap;
	unsigned id;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	for (;;) {
		size_t k = atomic_fetch_add(&sh->next, CHUNK);
		if (k >= sh->n)
			break;
		size_t end = k + CHUNK < sh->n ? k + CHUNK : sh->n;
		for (size_t i = k; i < end; i++) {
			size_t idx = sh->order[i], n0 = w->out.n;
			blobscan_run(w->repo, sh->set, idx, idx + 1, sh->o, &w->out);
			if (w->out.n == n0)
				continue;
			xgrow((void **)&w->segs, &w->cap, w->nsegs + 1, sizeof(*w->segs));
			w->segs[w->nsegs++] = (struct seg){idx, n0, w->out.n - n0, w->id};
		}
	}
	return NULL;
}

struct order_walk {
	const struct blobset *set;
	unsigned char *placed;
	size_t *order, n;
};

static int on_object(const git_oid *id, void *arg)
{
	struct order_walk *ow = arg;
	size_t idx;
	if (oidset_index(&ow->set->ids, id, &idx) && !ow->placed[idx]) {
		ow->placed[idx] = 1;
		ow->order[ow->n++] = idx;
	}
	return 0;
}

/* The set's entries in the order their objects sit in the store (packs in offset order). */
static size_t *pack_order(git_repository *repo, const struct blobset *set, size_t n)
{
	struct order_walk ow = {set, xcalloc(n ? n : 1, 1), xcalloc(n ? n : 1, sizeof(size_t)), 0};
	git_odb *odb = NULL;
	if (git_repository_odb(&odb, repo) == 0)
		git_odb_foreach(odb, on_object, &ow); /* a failure only loses the ordering */
	git_odb_free(odb);
	for (size_t i = 0; i < n; i++) /* not listed (missing: reported when read): keep set order */
		if (!ow.placed[i])
			ow.order[ow.n++] = i;
	free(ow.placed);
	return ow.order;
}

static int reopen(git_repository **out, git_repository *repo)
{
	const char *quarantine = getenv("GIT_QUARANTINE_PATH");
	git_odb *odb = NULL;
	*out = NULL;
	if (git_repository_open_ext(out, git_repository_path(repo), GIT_REPOSITORY_OPEN_NO_SEARCH,
	                            NULL) < 0)
		return -1;
	if (quarantine && *quarantine &&
	    (git_repository_odb(&odb, *out) < 0 || git_odb_add_disk_alternate(odb, quarantine) < 0)) {
		git_odb_free(odb);
		git_repository_free(*out);
		*out = NULL;
		return -1;
	}
	git_odb_free(odb);
	return 0;
}

static int seg_cmp(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

int blobscan_run_all(git_repository *repo, const struct blobset *set, const struct blobscan_opts *o,
                     unsigned threads, struct finding_list *out)
{
	size_t n = blobset_count(set);
	if (threads < 1)
		threads = 1;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	if (n < PACK_ORDER_MIN && (threads == 1 || n < PAR_MIN_BLOBS))
		return blobscan_run(repo, set, 0, n, o, out);

	struct shared sh = {set, o, NULL, n, 0};
	struct worker *w = xcalloc(threads, sizeof(*w));
	size_t *order = NULL;
	unsigned started = 0;

	if (n >= PACK_ORDER_MIN) {
		order = pack_order(repo, set, n);
	} else {
		order = xcalloc(n, sizeof(*order));
		for (size_t i = 0; i < n; i++)
			order[i] = i;
	}
	sh.order = order;
	for (unsigned t = 0; t < threads; t++) {
		w[t].sh = &sh;
		w[t].id = t;
		finding_list_init(&w[t].out);
		if (t == 0)
			w[t].repo = repo;
		else if (reopen(&w[t].repo, repo) < 0)
			break; /* fewer workers: same result, slower */
		started = t + 1;
	}
	for (unsigned t = 1; t < started; t++)
		w[t].running = pthread_create(&w[t].th, NULL, worker_run, &w[t]) == 0;
	worker_run(&w[0]); /* a worker that could not start leaves its share to the others */
	for (unsigned t = 1; t < started; t++)
		if (w[t].running)
			pthread_join(w[t].th, NULL);

	/* merge: findings of each entry, entries in set order */
	size_t nsegs = 0;
	for (unsigned t = 0; t < started; t++)
		nsegs += w[t].nsegs;
	struct seg *all = xcalloc(nsegs ? nsegs : 1, sizeof(*all));
	nsegs = 0;
	for (unsigned t = 0; t < started; t++) {
		if (w[t].nsegs)
			memcpy(all + nsegs, w[t].segs, w[t].nsegs * sizeof(*all));
		nsegs += w[t].nsegs;
	}
	qsort(all, nsegs, sizeof(*all), seg_cmp);
	for (size_t s = 0; s < nsegs; s++) {
		const struct finding_list *src = &w[all[s].worker].out;
		xgrow((void **)&out->v, &out->cap, out->n + all[s].n, sizeof(*out->v));
		memcpy(out->v + out->n, src->v + all[s].from, all[s].n * sizeof(*out->v));
		out->n += all[s].n;
	}
	for (unsigned t = 0; t < started; t++) {
		w[t].out.n = 0; /* ownership of every finding moved to out */
		finding_list_free(&w[t].out);
		free(w[t].segs);
		if (t > 0)
			git_repository_free(w[t].repo);
	}
	free(all);
	free(order);
	free(w);
	return 0;
}
