#!/usr/bin/env python3
"""Input generator for `make bench` (python3 stdlib only; nothing is downloaded).

  gen.py wide NFILES              fast-import stream: one commit with NFILES files (pre-commit case)
  gen.py history NCOMMITS NREFS   fast-import stream: NCOMMITS one-file commits on main, NREFS tags
                                  spread over them, a few leaked artifacts deep in the past
  gen.py chain PARENT N           fast-import stream: N one-file commits on refs/heads/bench
                                  on top of PARENT (the pushes of the pre-receive case)
  gen.py state FILE MB            a Terraform v4 state of about MB megabytes
  gen.py cases DIR                the leaked-state cases of the peer comparison (and clean controls)

Content is deterministic (seeded), so every run measures the same bytes.
"""
import io
import json
import os
import random
import sys
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "lib"))
import fixtures  # noqa: E402

WHEN = 1700000000
out = sys.stdout.buffer


def data(b):
    out.write(b"data %d\n" % len(b))
    out.write(b)
    out.write(b"\n")


def commit(ref, mark, n, msg, parent_mark=None, parent_sha=None, ops=()):
    out.write(b"commit %s\nmark :%d\n" % (ref.encode(), mark))
    out.write(b"committer Bench <bench@example.com> %d +0000\n" % (WHEN + n))
    data(msg.encode())
    if parent_mark:
        out.write(b"from :%d\n" % parent_mark)
    elif parent_sha:
        out.write(b"from %s\n" % parent_sha.encode())
    for op in ops:
        out.write(op)


def modify(path, content):
    return b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(content), content)


def tf_file(r, i, rev):
    """A plausible ~1-2 KB Terraform file; rev makes each version unique."""
    lines = ['# module %d revision %d' % (i, rev),
             'resource "aws_instance" "web_%d" {' % i,
             '  ami           = var.ami_%d' % r.randrange(64),
             '  instance_type = "t3.%s"' % r.choice(["micro", "small", "medium", "large"]),
             '  tags = {',
             '    Name = "web-%d-%d"' % (i, rev),
             '    Team = "%s"' % r.choice(["net", "data", "platform", "edge"]),
             '  }', '}', '']
    for k in range(r.randrange(4, 20)):
        lines.append('variable "v_%d_%d" {\n  type    = string\n  default = "%x"\n}\n'
                     % (i, k, r.randrange(1 << 48)))
    return "\n".join(lines).encode()


def wide(nfiles):
    r = random.Random(7)
    ops = []
    per_dir = 100
    for i in range(nfiles):
        d = i // per_dir
        ops.append(modify("svc%03d/mod%02d/f%05d.tf" % (d // 100, d % 100, i),
                          b'locals { id = "%d-%x" }\n' % (i, r.randrange(1 << 32))))
    commit("refs/heads/main", 1, 0, "wide tree", ops=ops)


def planted(n):
    """Leaked artifacts planted at a few points of history (found by history --all)."""
    return {
        n // 7: ("envs/prod/terraform.tfstate",
                 fixtures.state_v4(["aws_vpc", "aws_db_instance"], seed=n)),
        n // 3: ("backup/state-copy.json", fixtures.state_v4(["aws_iam_access_key"], seed=n + 1)),
        n // 2: ("envs/stage/.terraform/terraform.tfstate",
                 fixtures.backend_cache_new(with_credentials=True, seed=n)),
    }


def history(ncommits, nrefs, nfiles=2000):
    r = random.Random(11)
    plant = planted(ncommits)
    step = max(1, ncommits // max(1, nrefs))
    refs = 0
    for n in range(1, ncommits + 1):
        i = r.randrange(nfiles)
        ops = [modify("modules/m%03d/f%04d.tf" % (i % 200, i), tf_file(r, i, n))]
        if n in plant:
            ops.append(modify(*plant[n]))
        if n - 1 in plant:  # deleted again one commit later: only history keeps it
            ops.append(b"D %s\n" % plant[n - 1][0].encode())
        commit("refs/heads/main", n, n, "change %d" % n, parent_mark=n - 1 if n > 1 else None,
               ops=ops)
        if n % step == 0 and refs < nrefs:
            out.write(b"reset refs/tags/v%d\nfrom :%d\n\n" % (refs, n))
            refs += 1
    while refs < nrefs:
        out.write(b"reset refs/tags/v%d\nfrom :%d\n\n" % (refs, ncommits))
        refs += 1


def chain(parent, n):
    r = random.Random(13)
    for k in range(1, n + 1):
        i = r.randrange(2000)
        commit("refs/heads/bench", k, 10**6 + k, "push %d" % k,
               parent_mark=k - 1 if k > 1 else None, parent_sha=parent if k == 1 else None,
               ops=[modify("modules/m%03d/f%04d.tf" % (i % 200, i), tf_file(r, i, 10**6 + k))])


def state(path, mb):
    target = mb * 1024 * 1024
    obj = fixtures.state_v4_obj(["aws_vpc"], seed=3)
    one = obj["resources"][0]
    blob = len(json.dumps(one, indent=2))
    res = []
    for i in range(max(1, target // blob)):
        x = json.loads(json.dumps(one))
        x["name"] = "vpc_%d" % i
        x["instances"][0]["attributes"]["id"] = "vpc-%017x" % i
        res.append(x)
    obj["resources"] = res
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)


def zipped(members):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members:
            z.writestr(name, content)
    return b.getvalue()


# name -> (relative path, content, should a guard block it?)
def cases():
    st = fixtures.state_v4(["aws_vpc", "aws_db_instance"], seed=21)
    st_key = fixtures.state_v4(["aws_iam_access_key"], seed=22)
    return [
        ("state", "terraform.tfstate", st, True),
        ("state with an IAM key", "iam/terraform.tfstate", st_key, True),
        ("state renamed", "notes/backup.json", st, True),
        ("state backup", "terraform.tfstate.backup", st, True),
        ("state in a zip", "artifacts/infra.zip", zipped([("terraform.tfstate", st)]), True),
        ("plan file", "plans/prod.plan",
         zipped([("tfplan", b"\x00plan"), ("tfstate", st), ("tfstate-prev", st)]), True),
        ("backend cache with a key", ".terraform/terraform.tfstate",
         fixtures.backend_cache_new(with_credentials=True, seed=23), True),
        ("show -json output", "out/show.json", fixtures.show_json_state(seed=24), True),
        ("AWS key pair in .tfvars", "prod.auto.tfvars", fixtures.token_file("aws-pair", 25), True),
        ("clean Terraform", "main.tf", fixtures.tf_s3_no_credentials(), False),
        ("clean lock file", ".terraform.lock.hcl", fixtures.lock_hcl(), False),
        ("docs mentioning tfstate", "docs/state.md", fixtures.docs_mentioning_state(), False),
    ]


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = argv[1]
    if cmd == "wide":
        wide(int(argv[2]))
    elif cmd == "history":
        history(int(argv[2]), int(argv[3]))
    elif cmd == "chain":
        chain(argv[2], int(argv[3]))
    elif cmd == "state":
        state(argv[2], int(argv[3]))
    elif cmd == "cases":
        for i, (name, rel, content, bad) in enumerate(cases()):
            d = os.path.join(argv[2], "case%02d" % i)
            os.makedirs(os.path.dirname(os.path.join(d, rel)), exist_ok=True)
            with open(os.path.join(d, rel), "wb") as f:
                f.write(content if isinstance(content, bytes) else content.encode())
            with open(os.path.join(d, ".case"), "w") as f:
                f.write("%s\t%s\t%d\n" % (name, rel, bad))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
