/*
 * blobscan_par: the worker threads of a big scan. Each worker has its own
 * git_repository (sharing one is slower than one thread) and its own finding
 * list. Entries are handed over while the set is still growing (history walks
 * and scans at once), in the order they were found; findings are tagged with
 * their entry and merged in set order at the end. What a blob is and how it is
 * scanned stays in blobscan.c.
 */
#include "pipeline/blobscan_par.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"

#define CHUNK 8          /* entries a worker takes at a time (small: the last ones balance) */
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

struct item {
	size_t idx;
	const struct blob_entry *e;
};

struct worker {
	struct blobscan_par *par;
	git_repository *repo;
	git_odb *odb;
	struct packread_cache *pc; /* NULL: libgit2 reads every blob */
	pthread_t th;
	int running;
	struct finding_list out;
	struct seg *segs;
	size_t nsegs, cap;
	unsigned id;
};

struct blobscan_par {
	const struct blobscan_opts *o;
	const struct blobset *set; /* the set being fed (entries [0, nq) are handed over) */
	pthread_mutex_t lock;
	pthread_cond_t more;
	struct item *q; /* every entry handed over, in set order */
	size_t nq, capq, next;
	int done;   /* no more entries will come */
	unsigned early; /* workers [0, early) work while entries still come; the rest wait for done */
	struct worker *w;
	unsigned nworkers;
};

static void scan_item(struct worker *w, const struct item *it)
{
	size_t n0 = w->out.n;
	blobscan_entry(w->odb, w->pc, it->e, w->par->o, &w->out);
	if (w->out.n == n0)
		return;
	xgrow((void **)&w->segs, &w->cap, w->nsegs + 1, sizeof(*w->segs));
	w->segs[w->nsegs++] = (struct seg){it->idx, n0, w->out.n - n0, w->id};
}

/* Takes up to CHUNK items; 0 when the queue is drained and closed. */
static size_t take(struct blobscan_par *p, struct item *buf, unsigned id)
{
	size_t k = 0;
	pthread_mutex_lock(&p->lock);
	while ((p->next == p->nq || id >= p->early) && !p->done)
		pthread_cond_wait(&p->more, &p->lock);
	while (k < CHUNK && p->next < p->nq)
		buf[k++] = p->q[p->next++];
	pthread_mutex_unlock(&p->lock);
	return k;
}

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	struct item buf[CHUNK];
	size_t k;
	while ((k = take(w->par, buf, w->id)) > 0)
		for (size_t i = 0; i < k; i++)
			scan_item(w, &buf[i]);
	return NULL;
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

struct blobscan_par *blobscan_par_start(git_repository *repo, const struct blobscan_opts *o,
                                        unsigned threads)
{
	struct blobscan_par *p = xcalloc(1, sizeof(*p));
	if (threads < 1)
		threads = 1;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	p->o = o;
	/* while the set grows, its producer needs a core of its own: one worker fewer (more
	 * would only contend with it for libgit2's locks) */
	p->early = threads > 1 ? threads - 1 : 1;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->more, NULL);
	p->w = xcalloc(threads, sizeof(*p->w));
	for (unsigned t = 0; t < threads; t++) {
		struct worker *w = &p->w[p->nworkers];
		w->par = p;
		w->id = p->nworkers;
		finding_list_init(&w->out);
		if (reopen(&w->repo, repo) < 0 || git_repository_odb(&w->odb, w->repo) < 0) {
			git_repository_free(w->repo);
			w->repo = NULL;
			continue; /* fewer workers: same result, slower */
		}
		w->pc = o->packs ? packread_cache_new(o->packs, PACKREAD_CACHE_BYTES) : NULL;
		w->running = pthread_create(&w->th, NULL, worker_run, w) == 0;
		if (!w->running) {
			packread_cache_free(w->pc);
			git_odb_free(w->odb);
			git_repository_free(w->repo);
			memset(w, 0, sizeof(*w));
			continue;
		}
		p->nworkers++;
	}
	return p;
}

void blobscan_par_feed(struct blobscan_par *p, const struct blobset *set, size_t at_least)
{
	size_t n = blobset_count(set);
	/* only this thread appends to the queue: reading nq without the lock is safe */
	if (n == p->nq || n - p->nq < at_least)
		return;
	p->set = set;
	pthread_mutex_lock(&p->lock);
	xgrow((void **)&p->q, &p->capq, n, sizeof(*p->q));
	for (size_t i = p->nq; i < n; i++)
		p->q[p->nq++] = (struct item){i, blobset_at(set, i)};
	pthread_cond_broadcast(&p->more);
	pthread_mutex_unlock(&p->lock);
}

void blobscan_auto(git_repository *repo, const struct blobset *set, const struct blobscan_opts *o,
                   struct finding_list *out)
{
	if (blobset_count(set) < BLOBSCAN_PARALLEL_MIN) {
		blobscan_run(repo, set, blobset_count(set), o, out);
		return;
	}
	struct blobscan_par *p = blobscan_par_start(repo, o, blobscan_threads());
	blobscan_par_feed(p, set, 0);
	blobscan_par_finish(p, repo, out);
}

static int seg_cmp(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

void blobscan_par_finish(struct blobscan_par *p, git_repository *repo, struct finding_list *out)
{
	pthread_mutex_lock(&p->lock);
	p->done = 1;
	pthread_cond_broadcast(&p->more);
	pthread_mutex_unlock(&p->lock);
	for (unsigned t = 0; t < p->nworkers; t++)
		pthread_join(p->w[t].th, NULL);
	if (p->nworkers == 0 && p->nq) /* no worker could start: scan here, same result */
		blobscan_run(repo, p->set, p->nq, p->o, out);

	/* merge: findings of each entry, entries in set order */
	size_t nsegs = 0;
	for (unsigned t = 0; t < p->nworkers; t++)
		nsegs += p->w[t].nsegs;
	struct seg *all = xcalloc(nsegs ? nsegs : 1, sizeof(*all));
	nsegs = 0;
	for (unsigned t = 0; t < p->nworkers; t++) {
		if (p->w[t].nsegs)
			memcpy(all + nsegs, p->w[t].segs, p->w[t].nsegs * sizeof(*all));
		nsegs += p->w[t].nsegs;
	}
	qsort(all, nsegs, sizeof(*all), seg_cmp);
	for (size_t s = 0; s < nsegs; s++) {
		const struct finding_list *src = &p->w[all[s].worker].out;
		xgrow((void **)&out->v, &out->cap, out->n + all[s].n, sizeof(*out->v));
		memcpy(out->v + out->n, src->v + all[s].from, all[s].n * sizeof(*out->v));
		out->n += all[s].n;
	}
	for (unsigned t = 0; t < p->nworkers; t++) {
		p->w[t].out.n = 0; /* ownership of every finding moved to out */
		finding_list_free(&p->w[t].out);
		free(p->w[t].segs);
		packread_cache_free(p->w[t].pc);
		git_odb_free(p->w[t].odb);
		git_repository_free(p->w[t].repo);
	}
	free(all);
	free(p->q);
	free(p->w);
	pthread_cond_destroy(&p->more);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
