/*
 * Unit tests for pipeline/blobscan_par: a threaded scan, whether handed the whole set or fed
 * while the set grows, reports exactly what a sequential scan in set order reports, in the
 * same order, on a real repository made by git.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

#include <git2.h>

#include "pipeline/pipeline.h"
#include "pipeline/blobscan.h"
#include "pipeline/blobscan_par.h"
#include "source/gitrepo.h"
#include "source/treewalk.h"

static char dir[] = "/tmp/sg-unit-par-XXXXXX";

/* 3000 small files and a state file every 500 (findings spread over the pack). */
static int make_repo(void **state)
{
	(void)state;
	return unit_fixture(dir, "cd %s && git init -q --bare . && python3 - <<'EOF' | git fast-import --quiet && git gc -q\n"
	                         "import json, sys\n"
	                         "out = ['commit refs/heads/main', 'committer t <t@t> 1700000000 +0000', 'data 1', 'x']\n"
	                         "for i in range(3000):\n"
	                         "    if i %% 500 == 7:\n"
	                         "        s = json.dumps({'version': 4, 'terraform_version': '1.8.2', 'serial': i,\n"
	                         "             'lineage': '3f1c2b8e-1111-2222-3333-44445555%%04d' %% i, 'outputs': {},\n"
	                         "             'resources': [{'mode': 'managed', 'type': 'aws_vpc', 'name': 'v',\n"
	                         "                            'instances': [{'attributes': {'id': 'vpc-%%d' %% i}}]}]})\n"
	                         "        name = 's%%d.json' %% i\n"
	                         "    else:\n"
	                         "        s, name = 'locals { x = %%d }' %% i, 'f%%d.tf' %% i\n"
	                         "    out += ['M 100644 inline d%%02d/%%s' %% (i %% 37, name), 'data %%d' %% len(s), s]\n"
	                         "sys.stdout.write('\\n'.join(out) + '\\n')\n"
	                         "EOF\n");
}

static int remove_repo(void **state)
{
	(void)state;
	return unit_rm_fixture(dir);
}

static void collect(git_repository *repo, struct blobset *set)
{
	git_object *o = NULL;
	char err[256];
	assert_int_equal(git_revparse_single(&o, repo, "refs/heads/main^{tree}"), 0);
	assert_int_equal(treewalk_tree(repo, (git_tree *)o, "", NULL, set, 0, err, sizeof(err)), 0);
	git_object_free(o);
}

/* The whole set through `threads` workers. */
static void par_scan(git_repository *repo, const struct blobset *set,
                     const struct blobscan_opts *bo, unsigned threads, struct finding_list *out)
{
	struct blobscan_par *p = blobscan_par_start(repo, bo, threads);
	blobscan_par_feed(p, set, 0);
	blobscan_par_finish(p, repo, out);
}

static void threaded_scan_reports_like_a_sequential_scan(void **state)
{
	(void)state;
	git_repository *repo = NULL;
	struct blobset set;
	struct finding_list seq, par;
	struct scan_limits limits;
	char err[256];

	git_libgit2_init();
	gitrepo_global_init();
	scan_limits_default(&limits);
	assert_int_equal(gitrepo_open(&repo, dir, err, sizeof(err)), 0);
	blobset_init(&set);
	collect(repo, &set);
	assert_int_equal(blobset_count(&set), 3000);
	finding_list_init(&seq);
	finding_list_init(&par);
	struct blobscan_opts bo = {&limits, NULL, NULL, NULL, NULL, 0};
	blobscan_run(repo, &set, blobset_count(&set), &bo, &seq);
	par_scan(repo, &set, &bo, 2, &par);
	assert_true(seq.n >= 6);
	assert_int_equal(seq.n, par.n);
	for (size_t i = 0; i < seq.n; i++) {
		assert_string_equal(seq.v[i].rule, par.v[i].rule);
		assert_string_equal(seq.v[i].path, par.v[i].path);
		assert_string_equal(seq.v[i].blob, par.v[i].blob);
	}
	finding_list_free(&par);
	finding_list_init(&par);
	par_scan(repo, &set, &bo, 1, &par); /* one worker */
	assert_int_equal(seq.n, par.n);
	for (size_t i = 0; i < seq.n; i++)
		assert_string_equal(seq.v[i].path, par.v[i].path);
	finding_list_free(&par);

	/* fed while growing: entries are added in pieces (each blob three times: the set keeps
	 * one) and handed over between pieces, to three workers */
	struct blobset grow;
	blobset_init(&grow);
	finding_list_init(&par);
	struct blobscan_par *p = blobscan_par_start(repo, &bo, 3);
	for (size_t k = 0; k < 4; k++) {
		for (unsigned r = 0; r < 3; r++)
			for (size_t i = k * 750; i < (k + 1) * 750; i++) {
				const struct blob_entry *e = blobset_at(&set, i);
				blobset_add(&grow, &e->id, e->path, NULL, 0);
			}
		blobscan_par_feed(p, &grow, 0);
	}
	blobscan_par_finish(p, repo, &par);
	assert_int_equal(blobset_count(&grow), 3000);
	assert_int_equal(seq.n, par.n);
	for (size_t i = 0; i < seq.n; i++) {
		assert_string_equal(seq.v[i].path, par.v[i].path);
		assert_string_equal(seq.v[i].blob, par.v[i].blob);
	}
	blobset_free(&grow);
	finding_list_free(&seq);
	finding_list_free(&par);
	blobset_free(&set);
	git_repository_free(repo);
	git_libgit2_shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(threaded_scan_reports_like_a_sequential_scan),
	};
	return cmocka_run_group_tests(tests, make_repo, remove_repo);
}
