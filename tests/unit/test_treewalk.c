/*
 * Unit tests for source/treewalk's pruned walk: on a generated history full of names that
 * sort near each other ("a", "a.b", "a-b", "a/"...), files that become directories and
 * back, renames, deletions and merges, the blobs treewalk_commit reports for every commit
 * are exactly the ones `git diff-tree -c` (root and single-parent commits: plain
 * `diff-tree --root`) says the commit adds or changes, read both ways: through libgit2 and
 * through packread on the packed repository. A blob at several new paths is kept once
 * (blobset), at one of the paths git lists for it.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "core/util.h"
#include "source/blobset.h"
#include "source/gitrepo.h"
#include "source/packread.h"
#include "source/treewalk.h"

static char dir[] = "/tmp/sg-unit-walk-XXXXXX";

/* 125 commits: four side branches merged back into main, from a fixed seed. */
static int make_repo(void **state)
{
	(void)state;
	return unit_fixture(dir, "set -e; cd %s && git init -q --bare . && python3 - <<'EOF' | git fast-import --quiet\n"
	                         "import random, sys\n"
	                         "r = random.Random(7)\n"
	                         "names = ['a', 'a.b', 'a-b', 'a0', 'ab', 'a_b', 'b', 'z', '\\u00e9t\\u00e9', 'x y']\n"
	                         "out, mark = [], 0\n"
	                         "def path():\n"
	                         "    return '/'.join(r.choice(names) for _ in range(r.randint(1, 3)))\n"
	                         "def commit(branch, parents, t, files):\n"
	                         "    global mark\n"
	                         "    mark += 1\n"
	                         "    out.extend(['commit refs/heads/' + branch, 'mark :%%d' %% mark,\n"
	                         "                'committer t <t@t> %%d +0000' %% (1700000000 + t), 'data 1', 'c'])\n"
	                         "    for i, p in enumerate(parents):\n"
	                         "        out.append(('from :%%d' if i == 0 else 'merge :%%d') %% p)\n"
	                         "    for _ in range(r.randint(1, 4)):\n"
	                         "        op, p = r.random(), path()\n"
	                         "        if op < 0.15 and files:\n"
	                         "            victim = r.choice(sorted(files)); del files[victim]; out.append('D ' + victim)\n"
	                         "        elif op < 0.25 and files:\n"
	                         "            src = r.choice(sorted(files))\n"
	                         "            if p == src or p.startswith(src + '/') or src.startswith(p + '/'): continue\n"
	                         "            for f in list(files):\n"
	                         "                if f != src and (f == p or f.startswith(p + '/') or p.startswith(f + '/')): del files[f]\n"
	                         "            out.append('R \"%%s\" \"%%s\"' %% (src, p))\n"
	                         "            files[p] = files.pop(src)\n"
	                         "        else:\n"
	                         "            body = 'content %%d\\n' %% r.randint(0, 40)\n"
	                         "            # a path under an existing file, or a file over a directory: git\n"
	                         "            # replaces what is in the way, and so does this model\n"
	                         "            for f in list(files):\n"
	                         "                if f.startswith(p + '/') or p.startswith(f + '/'): del files[f]\n"
	                         "            files[p] = body\n"
	                         "            out.extend(['M 100644 inline ' + p, 'data %%d' %% len(body.encode()), body])\n"
	                         "    return mark\n"
	                         "mf = {}\n"
	                         "main = commit('main', [], 0, mf)\n"
	                         "t = 1\n"
	                         "for round in range(4):\n"
	                         "    side, sf = main, dict(mf)\n"
	                         "    for _ in range(15):\n"
	                         "        side = commit('side%%d' %% round, [side], t, sf); t += 1\n"
	                         "    for _ in range(15):\n"
	                         "        main = commit('main', [main], t, mf); t += 1\n"
	                         "    main = commit('main', [main, side], t, mf); t += 1\n"
	                         "sys.stdout.write('\\n'.join(out) + '\\n')\n"
	                         "EOF\n");
}

static int remove_repo(void **state)
{
	(void)state;
	return unit_rm_fixture(dir);
}

/* "path\tblob" lines of what git says commit `hex` adds or changes, sorted. */
static char *git_says(const char *hex, unsigned nparents)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd),
	         "cd %s && git -c core.quotePath=false diff-tree -r %s --no-renames --no-commit-id %s %s | "
	         "awk -F'\\t' '{ n = split($1, f, \" \"); if (f[n] !~ /D/ && f[n-1] !~ /^0+$/ && "
	         "f[1] !~ /160000$/) print $NF \"\\t\" f[n-1] }' | LC_ALL=C sort -u",
	         dir, nparents > 1 ? "-c" : "", nparents == 0 ? "--root" : "", hex);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	char chunk[4096];
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		xgrow((void **)&buf, &cap, len + n + 1, 1);
		memcpy(buf + len, chunk, n);
		len += n;
	}
	assert_int_equal(pclose(f), 0);
	xgrow((void **)&buf, &cap, len + 1, 1);
	buf[len] = '\0';
	return buf;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The same lines from what treewalk_commit added. */
static char *walk_says(git_repository *repo, struct packread_cache *pc, git_commit *c)
{
	struct blobset set;
	char err[512], hex[GIT_OID_HEXSZ + 1];
	blobset_init(&set);
	assert_int_equal(treewalk_commit(repo, pc, c, &set, 0, err, sizeof(err)), 0);
	size_t n = blobset_count(&set);
	char **lines = xcalloc(n + 1, sizeof(*lines));
	for (size_t i = 0; i < n; i++) {
		const struct blob_entry *e = blobset_at(&set, i);
		lines[i] = xasprintf("%s\t%s", e->path, git_oid_tostr(hex, sizeof(hex), &e->id));
	}
	qsort(lines, n, sizeof(*lines), cmp_str);
	char *out = xstrdup("");
	for (size_t i = 0; i < n; i++) {
		if (i && !strcmp(lines[i], lines[i - 1]))
			continue;
		char *next = xasprintf("%s%s\n", out, lines[i]);
		free(out);
		out = next;
	}
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	blobset_free(&set);
	return out;
}

/* Whether `text` (lines ending in '\n') has the whole line l[0..n]. */
static int has_line(const char *text, const char *l, size_t n)
{
	for (const char *t = text; *t; t = strchr(t, '\n') + 1)
		if (!strncmp(t, l, n) && t[n] == '\n')
			return 1;
	return 0;
}

/* Whether every line of got is one of want's, and both name the same blob ids. */
static int same_blobs(const char *want, const char *got)
{
	const char *l;
	for (l = got; *l; l = strchr(l, '\n') + 1)
		if (!has_line(want, l, (size_t)(strchr(l, '\n') - l)))
			return 0;
	for (l = want; *l; l = strchr(l, '\n') + 1) { /* each id git lists, the walk has */
		const char *tab = strchr(l, '\t');
		char *id = xasprintf("\t%.40s\n", tab + 1);
		int found = strstr(got, id) != NULL;
		free(id);
		if (!found)
			return 0;
	}
	return 1;
}

/* Every commit of the repository, walked with pc (NULL: libgit2 alone); returns how many
 * commits reported something. */
static size_t compare_all(struct packread_cache *pc)
{
	git_repository *repo = NULL;
	git_revwalk *walk = NULL;
	git_oid id;
	size_t nonempty = 0, merges = 0;
	assert_int_equal(git_repository_open(&repo, dir), 0);
	assert_int_equal(git_revwalk_new(&walk, repo), 0);
	assert_int_equal(git_revwalk_push_glob(walk, "refs/heads/*"), 0);
	while (git_revwalk_next(&id, walk) == 0) {
		git_commit *c = NULL;
		char hex[GIT_OID_HEXSZ + 1];
		assert_int_equal(git_commit_lookup(&c, repo, &id), 0);
		git_oid_tostr(hex, sizeof(hex), &id);
		char *want = git_says(hex, git_commit_parentcount(c));
		char *got = walk_says(repo, pc, c);
		if (!same_blobs(want, got))
			fail_msg("commit %s (%u parents):\ngit diff-tree says:\n%s\ntreewalk says:\n%s", hex,
			         git_commit_parentcount(c), want, got);
		nonempty += want[0] != '\0';
		merges += git_commit_parentcount(c) > 1;
		free(want);
		free(got);
		git_commit_free(c);
	}
	assert_int_equal(merges, 4);
	git_revwalk_free(walk);
	git_repository_free(repo);
	return nonempty;
}

static void every_commit_reports_what_git_diff_tree_reports(void **state)
{
	(void)state;
	assert_true(compare_all(NULL) > 100);
}

static void the_same_through_packread_on_the_packed_repository(void **state)
{
	(void)state;
	char cmd[512];
	struct packread *pr = NULL;
	assert_int_equal(unit_sh("cd %s && git repack -adq", dir), 0);
	snprintf(cmd, sizeof(cmd), "%s/objects", dir);
	assert_int_equal(packread_open(&pr, cmd), 0);
	assert_int_equal(packread_count(pr), 1);
	struct packread_cache *pc = packread_cache_new(pr, PACKREAD_CACHE_BYTES);
	assert_true(compare_all(pc) > 100);
	packread_cache_free(pc);
	packread_free(pr);
}

int main(void)
{
	git_libgit2_init();
	gitrepo_global_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_commit_reports_what_git_diff_tree_reports),
		cmocka_unit_test(the_same_through_packread_on_the_packed_repository),
	};
	int rc = cmocka_run_group_tests(tests, make_repo, remove_repo);
	git_libgit2_shutdown();
	return rc;
}
