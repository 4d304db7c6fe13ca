/*
 * Unit tests for source/packread: every object of real packs written by git (OFS_DELTA and
 * REF_DELTA chains, several packs, loose objects beside them) reads back byte for byte as
 * libgit2 reads it, whatever the cache size and order, and its type from headers alone; the size cap; and corrupt indexes,
 * entries and deltas are errors, never a crash or wrong bytes taken as right.
 */
#include "unit.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "core/util.h"
#include "source/gitrepo.h"
#include "source/packread.h"

#include "../../fuzz/pack_build.h"

static char dir[] = "/tmp/sg-unit-pack-XXXXXX";

/*
 * Repository "ofs": 60 versions of 25 files (text that changes a little each commit, so
 * git stores long delta chains) in one aggressive pack. "ref": the same packed with
 * REF_DELTA bases. "split": two packs plus loose objects.
 */
static int make_repos(void **state)
{
	(void)state;
	return unit_fixture(dir, "set -e; cd %s && git init -q --bare ofs && python3 - <<'EOF' | git -C ofs fast-import --quiet\n"
	                         "import sys\n"
	                         "out = []\n"
	                         "for c in range(60):\n"
	                         "    out += ['commit refs/heads/main', 'committer t <t@t> %%d +0000' %% (1700000000 + c),\n"
	                         "            'data 3', 'c%%02d' %% c]\n"
	                         "    for f in range(25):\n"
	                         "        s = ''.join('line %%d of file %%d%%s\\n' %% (i, f, ' changed in %%d' %% c if i %% 60 == c else '')\n"
	                         "                    for i in range(40 + 30 * f))\n"
	                         "        out += ['M 100644 inline d%%d/f%%d.txt' %% (f %% 4, f), 'data %%d' %% len(s.encode()), s]\n"
	                         "sys.stdout.write('\\n'.join(out) + '\\n')\n"
	                         "EOF\n"
	                         "git -C ofs repack -adfq --window=50 --depth=50\n"
	                         "git clone -q --bare --no-local ofs ref && git -C ref -c repack.useDeltaBaseOffset=false repack -adfq --window=50 --depth=50\n"
	                         "git clone -q --bare --no-local ofs split\n"
	                         "cd split && for i in 1 2 3; do printf 'packed apart %%d\\n' $i | git hash-object -w --stdin; done"
	                         " | git pack-objects -q objects/pack/pack >/dev/null && git prune-packed\n"
	                         "printf 'loose only\\n' | git hash-object -w --stdin > ../loose-id\n");
}

static int remove_repos(void **state)
{
	(void)state;
	return unit_rm_fixture(dir);
}

struct cmp_ctx {
	git_odb *odb;
	struct packread_cache *pc;
	size_t read, deltas_seen;
};

/* Reads one object both ways and compares. */
static int compare_one(const git_oid *id, void *arg)
{
	struct cmp_ctx *x = arg;
	git_odb_object *ref = NULL;
	unsigned char *data = NULL;
	size_t size = 0;
	git_object_t type = GIT_OBJECT_INVALID;
	char err[256];

	assert_int_equal(git_odb_read(&ref, x->odb, id), 0);
	int rc = packread_read(x->pc, id, UINT64_MAX, &data, &size, &type, err, sizeof(err));
	if (rc == PACKREAD_NOT_HERE) { /* loose: libgit2's */
		git_odb_object_free(ref);
		return 0;
	}
	assert_int_equal(rc, PACKREAD_OK);
	assert_int_equal(type, git_odb_object_type(ref));
	git_object_t htype = GIT_OBJECT_INVALID; /* from headers alone */
	assert_int_equal(packread_type(x->pc, id, &htype, err, sizeof(err)), PACKREAD_OK);
	assert_int_equal(htype, git_odb_object_type(ref));
	assert_int_equal(size, git_odb_object_size(ref));
	assert_memory_equal(data, git_odb_object_data(ref), size);
	assert_int_equal(data[size], '\0');
	x->read++;
	free(data);
	git_odb_object_free(ref);
	return 0;
}

/* Every object of repo `name` through packread (cache of `limit` bytes) equals libgit2's;
 * returns how many were read from packs. */
static size_t compare_repo(const char *name, size_t limit, size_t *npacks)
{
	char path[512];
	git_repository *repo = NULL;
	struct packread *pr = NULL;
	struct cmp_ctx x = {0};

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(git_repository_open(&repo, path), 0);
	assert_int_equal(git_repository_odb(&x.odb, repo), 0);
	snprintf(path, sizeof(path), "%s/%s/objects", dir, name);
	assert_int_equal(packread_open(&pr, path), 0);
	*npacks = packread_count(pr);
	x.pc = packread_cache_new(pr, limit);
	assert_non_null(x.pc);
	assert_int_equal(git_odb_foreach(x.odb, compare_one, &x), 0);
	packread_cache_free(x.pc);
	packread_free(pr);
	git_odb_free(x.odb);
	git_repository_free(repo);
	return x.read;
}

/* Counts the delta entries git reports in the packs of repo `name`. */
static long deltas_in(const char *name)
{
	char cmd[1024], line[256];
	long n = 0;
	snprintf(cmd, sizeof(cmd),
	         "cd %s/%s && for i in objects/pack/*.idx; do git verify-pack -v $i; done | "
	         "awk 'NF >= 7 && $4 ~ /^[0-9]+$/ {n++} END {print n+0}'",
	         dir, name);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	if (fgets(line, sizeof(line), f))
		n = strtol(line, NULL, 10);
	pclose(f);
	return n;
}

static void ofs_delta_chains_read_as_libgit2_reads_them(void **state)
{
	(void)state;
	size_t npacks = 0;
	assert_true(deltas_in("ofs") > 1000); /* the fixture really exercises deltas */
	size_t n = compare_repo("ofs", PACKREAD_CACHE_BYTES, &npacks);
	assert_int_equal(npacks, 1);
	assert_true(n > 1500); /* 1500 blobs + trees + commits */
}

static void ref_delta_chains_read_as_libgit2_reads_them(void **state)
{
	(void)state;
	size_t npacks = 0;
	assert_true(deltas_in("ref") > 1000);
	assert_true(compare_repo("ref", PACKREAD_CACHE_BYTES, &npacks) > 1500);
	assert_int_equal(npacks, 1);
}

static void no_cache_or_a_tiny_one_changes_nothing(void **state)
{
	(void)state;
	size_t npacks = 0;
	assert_true(compare_repo("ofs", 0, &npacks) > 1500);
	assert_true(compare_repo("ofs", 3000, &npacks) > 1500); /* constant eviction */
	assert_true(compare_repo("ref", 3000, &npacks) > 1500);
}

static void several_packs_are_read_and_loose_objects_left_to_libgit2(void **state)
{
	(void)state;
	size_t npacks = 0;
	assert_true(compare_repo("split", PACKREAD_CACHE_BYTES, &npacks) > 1500);
	assert_int_equal(npacks, 2);

	char path[512], hex[64] = "", err[256];
	snprintf(path, sizeof(path), "%s/loose-id", dir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(hex, sizeof(hex), f));
	fclose(f);
	hex[GIT_OID_HEXSZ] = '\0';
	git_oid id;
	assert_int_equal(git_oid_fromstr(&id, hex), 0);

	struct packread *pr = NULL;
	snprintf(path, sizeof(path), "%s/split/objects", dir);
	assert_int_equal(packread_open(&pr, path), 0);
	struct packread_cache *pc = packread_cache_new(pr, PACKREAD_CACHE_BYTES);
	unsigned char *data = NULL;
	size_t size;
	git_object_t type;
	assert_int_equal(packread_read(pc, &id, UINT64_MAX, &data, &size, &type, err, sizeof(err)),
	                 PACKREAD_NOT_HERE);
	assert_null(data);

	/* gitrepo_read_object falls back to libgit2 for it */
	git_repository *repo = NULL;
	git_odb *odb = NULL;
	struct gitrepo_obj obj;
	snprintf(path, sizeof(path), "%s/split", dir);
	assert_int_equal(git_repository_open(&repo, path), 0);
	assert_int_equal(git_repository_odb(&odb, repo), 0);
	assert_int_equal(gitrepo_read_blob(odb, pc, &id, 1024, &obj, err, sizeof(err)), 0);
	assert_int_equal(obj.size, 11);
	assert_memory_equal(obj.data, "loose only\n", 11);
	assert_non_null(obj.odb_obj);
	gitrepo_obj_release(&obj);
	git_odb_free(odb);
	git_repository_free(repo);
	packread_cache_free(pc);
	packread_free(pr);
}

struct cap_ctx {
	struct packread_cache *pc;
	git_odb *odb;
	size_t too_big, ok;
};

static int cap_one(const git_oid *id, void *arg)
{
	struct cap_ctx *x = arg;
	size_t real;
	git_object_t rtype, type;
	unsigned char *data = NULL;
	size_t size = 0;
	char err[256];
	assert_int_equal(git_odb_read_header(&real, &rtype, x->odb, id), 0);
	int rc = packread_read(x->pc, id, 5000, &data, &size, &type, err, sizeof(err));
	if (rc == PACKREAD_NOT_HERE)
		return 0;
	assert_int_equal(type, rtype);
	if (real > 5000) {
		assert_int_equal(rc, PACKREAD_TOO_BIG);
		assert_null(data);
		assert_int_equal(size, real);
		x->too_big++;
	} else {
		assert_int_equal(rc, PACKREAD_OK);
		assert_int_equal(size, real);
		x->ok++;
	}
	free(data);
	return 0;
}

static void an_object_above_the_cap_is_sized_not_read(void **state)
{
	(void)state;
	char path[512];
	git_repository *repo = NULL;
	struct packread *pr = NULL;
	struct cap_ctx x = {0};
	snprintf(path, sizeof(path), "%s/ofs", dir);
	assert_int_equal(git_repository_open(&repo, path), 0);
	assert_int_equal(git_repository_odb(&x.odb, repo), 0);
	snprintf(path, sizeof(path), "%s/ofs/objects", dir);
	assert_int_equal(packread_open(&pr, path), 0);
	x.pc = packread_cache_new(pr, PACKREAD_CACHE_BYTES);
	assert_int_equal(git_odb_foreach(x.odb, cap_one, &x), 0);
	assert_true(x.too_big > 300 && x.ok > 300); /* both sides of the cap, deltas among them */
	packread_cache_free(x.pc);
	packread_free(pr);
	git_odb_free(x.odb);
	git_repository_free(repo);
}

/* --- corrupt input, in memory ---------------------------------------------------------- */

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *b = xmalloc(*len ? *len : 1);
	assert_int_equal(fread(b, 1, *len, f), *len);
	fclose(f);
	return b;
}

/* The index and pack of repo `name` (one pack), in memory. */
static void load_pack(const char *name, unsigned char **idx, size_t *idxlen, unsigned char **pack,
                      size_t *packlen)
{
	char cmd[1024], base[512] = "";
	snprintf(cmd, sizeof(cmd), "ls %s/%s/objects/pack/*.idx", dir, name);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(base, sizeof(base), f));
	pclose(f);
	base[strcspn(base, "\n")] = '\0';
	*idx = slurp(base, idxlen);
	strcpy(base + strlen(base) - 4, ".pack");
	*pack = slurp(base, packlen);
}

static void damaged_indexes_and_packs_are_refused(void **state)
{
	(void)state;
	unsigned char *idx, *pack;
	size_t idxlen, packlen;
	struct packread *pr = NULL;
	char err[256];
	load_pack("ofs", &idx, &idxlen, &pack, &packlen);

	assert_int_equal(packread_open_mem(&pr, idx, idxlen, pack, packlen, err, sizeof(err)), 0);
	packread_free(pr);

	assert_int_equal(packread_open_mem(&pr, idx, idxlen - 1, pack, packlen, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "size does not match"));
	assert_int_equal(packread_open_mem(&pr, idx, 100, pack, packlen, err, sizeof(err)), -1);
	assert_int_equal(packread_open_mem(&pr, idx, idxlen, pack, packlen - 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "checksum"));

	idx[7] = 3; /* version 3 */
	assert_int_equal(packread_open_mem(&pr, idx, idxlen, pack, packlen, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "version-2"));
	idx[7] = 2;
	unsigned char saved = idx[8 + 4 * 10 + 3];
	idx[8 + 4 * 10 + 3] = 0xff; /* fan-out goes down after entry 10 */
	idx[8 + 4 * 10 + 2] ^= 0x7f;
	assert_int_equal(packread_open_mem(&pr, idx, idxlen, pack, packlen, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "fan-out"));
	idx[8 + 4 * 10 + 2] ^= 0x7f;
	idx[8 + 4 * 10 + 3] = saved;
	pack[11] ^= 1; /* object count */
	assert_int_equal(packread_open_mem(&pr, idx, idxlen, pack, packlen, err, sizeof(err)), -1);
	pack[11] ^= 1;
	assert_int_equal(packread_open_mem(&pr, idx, idxlen, pack, packlen, err, sizeof(err)), 0);
	packread_free(pr);
	free(idx);
	free(pack);
}

static uint32_t idx_count(const unsigned char *idx)
{
	const unsigned char *p = idx + 8 + 4 * 255;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Reads every object of the index; counts results. */
static void read_all(struct packread *pr, const unsigned char *idx, size_t limit, size_t *ok,
                     size_t *bad)
{
	uint32_t n = idx_count(idx);
	struct packread_cache *pc = packread_cache_new(pr, limit);
	*ok = *bad = 0;
	for (uint32_t i = 0; i < n; i++) {
		git_oid id;
		unsigned char *data = NULL;
		size_t size;
		git_object_t type;
		char err[256] = "";
		git_oid_fromraw(&id, idx + 8 + 1024 + (size_t)i * 20);
		int rc = packread_read(pc, &id, UINT64_MAX, &data, &size, &type, err, sizeof(err));
		if (rc == PACKREAD_OK)
			(*ok)++;
		else if (rc < 0 && err[0])
			(*bad)++;
		free(data);
	}
	packread_cache_free(pc);
}

static void corrupt_entries_are_errors_with_a_reason(void **state)
{
	(void)state;
	unsigned char *idx, *pack;
	size_t idxlen, packlen, ok, bad;
	struct packread *pr = NULL;
	char err[256];
	load_pack("ofs", &idx, &idxlen, &pack, &packlen);
	assert_int_equal(packread_open_mem(&pr, idx, idxlen, pack, packlen, err, sizeof(err)), 0);
	read_all(pr, idx, PACKREAD_CACHE_BYTES, &ok, &bad);
	assert_true(ok > 1500);
	assert_int_equal(bad, 0);
	size_t all = ok;

	/* flip bytes through the middle of the pack: compressed data, headers, delta bases */
	for (size_t at = packlen / 3; at < packlen / 3 + 4096; at += 97)
		pack[at] ^= 0x5a;
	read_all(pr, idx, PACKREAD_CACHE_BYTES, &ok, &bad);
	assert_true(bad > 0);          /* damage is seen ... */
	assert_true(ok + bad <= all);  /* ... and never turns into more objects */
	assert_true(ok > 0);           /* the rest still reads */
	packread_free(pr);

	/* an index pointing objects into the pack's header, mid-entry, or at the 64-bit offset
	 * table it does not have */
	uint32_t n = idx_count(idx);
	unsigned char *off32 = idx + 8 + 1024 + (size_t)n * 24;
	for (uint32_t i = 0; i < n; i++) {
		off32[4 * i] = 0;
		off32[4 * i + 1] = 0;
		off32[4 * i + 2] = 0;
		off32[4 * i + 3] = (unsigned char)(i % 3 == 0 ? 4 : i % 3 == 1 ? 12 : 0xff);
	}
	assert_int_equal(packread_open_mem(&pr, idx, idxlen, pack, packlen, err, sizeof(err)), 0);
	read_all(pr, idx, PACKREAD_CACHE_BYTES, &ok, &bad);
	assert_true(bad > 0);
	packread_free(pr);
	free(idx);
	free(pack);
}

/* --- entries git would never write (fuzz/pack_build.h) ---------------------------------- */

static const unsigned char base_text[] = "resource \"aws_vpc\" \"main\" {}\n";
#define BASE_LEN (sizeof(base_text) - 1) /* 29 */

/* Reads entry `i` of a pack built from e[0..n); returns the packread result. */
static int read_built(const struct pack_build_entry *e, size_t n, size_t i, size_t limit,
                      unsigned char **data, size_t *size, git_object_t *type, char *err,
                      size_t errsz)
{
	struct pack_build pb;
	struct packread *pr = NULL;
	git_oid id;
	assert_int_equal(pack_build(&pb, e, n), 0);
	assert_int_equal(packread_open_mem(&pr, pb.idx, pb.idxlen, pb.pack, pb.packlen, err, errsz), 0);
	struct packread_cache *pc = packread_cache_new(pr, limit);
	pack_build_oid(i, id.id);
	err[0] = '\0';
	int rc = packread_read(pc, &id, UINT64_MAX, data, size, type, err, errsz);
	packread_cache_free(pc);
	packread_free(pr);
	pack_build_free(&pb);
	return rc;
}

#define BASE {3, 0, base_text, BASE_LEN, 0, 0}

static void hand_written_deltas_apply(void **state)
{
	(void)state;
	/* src 29, dst 14: copy 8 bytes from 1 ("esource "), insert "is ok\n" */
	static const unsigned char d[] = {BASE_LEN, 14, 0x91, 1, 8, 6, 'i', 's', ' ', 'o', 'k', '\n'};
	/* a REF delta of that result, copying all 14 bytes */
	static const unsigned char d2[] = {14, 14, 0x90, 14};
	unsigned char *data = NULL;
	size_t size;
	git_object_t type;
	char err[256];
	struct pack_build_entry e[] = {BASE, {6, 0, d, sizeof(d), 0, 0}, {7, 1, d2, sizeof(d2), 0, 0}};
	for (size_t limit = 0; limit <= PACKREAD_CACHE_BYTES; limit += PACKREAD_CACHE_BYTES) {
		assert_int_equal(read_built(e, 3, 1, limit, &data, &size, &type, err, sizeof(err)), 0);
		assert_int_equal(type, GIT_OBJECT_BLOB);
		assert_int_equal(size, 14);
		assert_memory_equal(data, "esource is ok\n", 15);
		free(data);
		assert_int_equal(read_built(e, 3, 2, limit, &data, &size, &type, err, sizeof(err)), 0);
		assert_memory_equal(data, "esource is ok\n", 15);
		free(data);
	}
}

/* The entry fails with an error naming `why`. */
static void assert_fails(const struct pack_build_entry *e, size_t n, size_t i, const char *why)
{
	unsigned char *data = (unsigned char *)"unset";
	size_t size;
	git_object_t type;
	char err[256];
	assert_int_equal(read_built(e, n, i, PACKREAD_CACHE_BYTES, &data, &size, &type, err,
	                            sizeof(err)), -1);
	assert_null(data);
	if (!strstr(err, why))
		fail_msg("error '%s' does not say '%s'", err, why);
}

static void broken_deltas_are_errors(void **state)
{
	(void)state;
	static const unsigned char past_end[] = {BASE_LEN, 8, 0x91, 28, 8}; /* copy 28..36 of 29 */
	static const unsigned char op_zero[] = {BASE_LEN, 1, 0};            /* reserved opcode */
	static const unsigned char wrong_src[] = {30, 1, 1, 'x'};           /* base is 29 bytes */
	static const unsigned char short_dst[] = {BASE_LEN, 5, 1, 'x'};     /* makes 1 of 5 */
	static const unsigned char long_ins[] = {BASE_LEN, 2, 5, 'x', 'y'}; /* insert runs out */
	static const unsigned char over_dst[] = {BASE_LEN, 1, 0x90, 4};     /* copies 4 into 1 */
	static const unsigned char cut[] = {BASE_LEN};                      /* no target size */
	struct pack_build_entry e[] = {BASE, {6, 0, past_end, sizeof(past_end), 0, 0},
	                               {6, 0, op_zero, sizeof(op_zero), 0, 0},
	                               {6, 0, wrong_src, sizeof(wrong_src), 0, 0},
	                               {6, 0, short_dst, sizeof(short_dst), 0, 0},
	                               {6, 0, long_ins, sizeof(long_ins), 0, 0},
	                               {6, 0, over_dst, sizeof(over_dst), 0, 0},
	                               {6, 0, cut, sizeof(cut), 0, 0}};
	for (size_t i = 1; i < 7; i++)
		assert_fails(e, 8, i, "does not apply");
	assert_fails(e, 8, 7, "corrupt delta");
}

static void broken_entries_are_errors(void **state)
{
	(void)state;
	static const unsigned char d[] = {BASE_LEN, 1, 1, 'x'};
	struct pack_build_entry e[] = {
		BASE,
		{3, 0, base_text, BASE_LEN, 1, 0},  /* 1: stored raw, not zlib */
		{3, 0, base_text, BASE_LEN, 0, 1},  /* 2: header says one byte more */
		{3, 0, base_text, BASE_LEN, 0, -1}, /* 3: header says one byte less */
		{5, 0, base_text, BASE_LEN, 0, 0},  /* 4: type 5 does not exist */
		{0, 0, base_text, BASE_LEN, 0, 0},  /* 5: nor does 0 */
		{6, 7, d, sizeof(d), 0, 0},         /* 6: OFS base after the entry */
		{7, 8, d, sizeof(d), 0, 0},         /* 7: REF cycle 7 -> 8 -> 7 */
		{7, 7, d, sizeof(d), 0, 0},         /* 8: ... whose base is 7 */
		{6, 1, d, sizeof(d), 0, 0},         /* 9: base that does not inflate */
	};
	assert_fails(e, 10, 1, "does not inflate");
	assert_fails(e, 10, 2, "does not inflate");
	assert_fails(e, 10, 3, "does not inflate");
	assert_fails(e, 10, 4, "corrupt pack entry");
	assert_fails(e, 10, 5, "corrupt pack entry");
	assert_fails(e, 10, 6, "corrupt pack entry");
	assert_fails(e, 10, 7, "delta chain longer");
	assert_fails(e, 10, 9, "does not inflate");
}

static void a_base_in_no_pack_is_left_to_libgit2(void **state)
{
	(void)state;
	static const unsigned char d[] = {BASE_LEN, 1, 1, 'x'};
	struct pack_build_entry e[] = {BASE, {7, 5, d, sizeof(d), 0, 0}}; /* entry 5: not there */
	unsigned char *data = NULL;
	size_t size;
	git_object_t type;
	char err[256];
	assert_int_equal(read_built(e, 2, 1, PACKREAD_CACHE_BYTES, &data, &size, &type, err,
	                            sizeof(err)), PACKREAD_NOT_HERE);
	assert_null(data);
}

int main(void)
{
	git_libgit2_init();
	gitrepo_global_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ofs_delta_chains_read_as_libgit2_reads_them),
		cmocka_unit_test(ref_delta_chains_read_as_libgit2_reads_them),
		cmocka_unit_test(no_cache_or_a_tiny_one_changes_nothing),
		cmocka_unit_test(several_packs_are_read_and_loose_objects_left_to_libgit2),
		cmocka_unit_test(an_object_above_the_cap_is_sized_not_read),
		cmocka_unit_test(damaged_indexes_and_packs_are_refused),
		cmocka_unit_test(corrupt_entries_are_errors_with_a_reason),
		cmocka_unit_test(hand_written_deltas_apply),
		cmocka_unit_test(broken_deltas_are_errors),
		cmocka_unit_test(broken_entries_are_errors),
		cmocka_unit_test(a_base_in_no_pack_is_left_to_libgit2),
	};
	int rc = cmocka_run_group_tests(tests, make_repos, remove_repos);
	git_libgit2_shutdown();
	return rc;
}
