#!/usr/bin/env python3
"""Generates the scan benchmark tree: N mixed files, mostly ordinary source, some
JSON, a few Terraform artifacts (from tests/lib/fixtures.py). Deterministic.
Usage: scan_gen.py DIR [N]   (prints the number of planted artifacts)"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "lib"))
import fixtures  # noqa: E402

WORDS = ("state resource module provider config value index buffer count version key "
         "region output input return struct static const void int char size_t if else for "
         "while break continue switch case default import from def class self print len "
         "range list dict str bytes err nil func package fmt error string map type var").split()


def source(r, ext):
    lines = []
    for _ in range(r.randint(20, 200)):
        ind = "    " * r.randint(0, 3)
        lines.append(ind + " ".join(r.choice(WORDS) for _ in range(r.randint(2, 10))) +
                     (";" if ext in ("c", "go", "ts") else ""))
    return ("\n".join(lines) + "\n").encode()


def json_doc(r):
    kind = r.randint(0, 3)
    if kind == 0:
        return fixtures.package_json()
    if kind == 1:
        return fixtures.openapi_spec()
    return json.dumps({"name": "cfg-%d" % r.randint(0, 10**6), "version": "1.%d" % r.randint(0, 9),
                       "items": [{"id": i, "label": r.choice(WORDS)} for i in range(r.randint(5, 60))]},
                      indent=2).encode()


ARTIFACTS = [
    lambda s: ("terraform.tfstate", fixtures.state_v4(["aws_vpc", "aws_db_instance"], seed=s)),
    lambda s: ("prod.json", fixtures.state_v4(["aws_instance"], "minified", seed=s)),
    lambda s: ("cache.json", fixtures.backend_cache_new(seed=s)),
    lambda s: ("plan.json", fixtures.show_json_plan(seed=s)),
    lambda s: ("creds.txt", fixtures.token_file("aws-pair", seed=s)),
    lambda s: ("id_rsa", fixtures.token_file("private-key", seed=s)),
]


def main():
    root = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    r = random.Random(42)
    planted = 0
    for i in range(n):
        d = os.path.join(root, "d%03d" % (i % 500), "s%02d" % (i % 7))
        if i < 3500:
            os.makedirs(d, exist_ok=True)
        roll = r.random()
        if i % 2000 == 1999:
            name, data = ARTIFACTS[planted % len(ARTIFACTS)](i)
            name = "%d-%s" % (i, name)
            planted += 1
        elif roll < 0.10:
            name, data = "f%d.json" % i, json_doc(r)
        elif roll < 0.15:
            name, data = "f%d.tf" % i, fixtures.tf_s3_no_credentials()
        else:
            ext = r.choice(("c", "go", "py", "ts", "md"))
            name, data = "f%d.%s" % (i, ext), source(r, ext)
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    print(planted)


if __name__ == "__main__":
    main()
