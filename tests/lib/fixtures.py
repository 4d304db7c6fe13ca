#!/usr/bin/env python3
"""Fixture generator for stateguard tests (python3 stdlib only).

Writes Terraform/OpenTofu/Pulumi artifacts, credentials and the must-pass
negatives, all generated here (never copied from other projects). Secrets are
random but shaped like the real thing (seeded: output is reproducible).

Module use:   import fixtures; data = fixtures.state_v4(["aws_vpc"]); fixtures.write(path, data)
CLI use:      fixtures.py KIND [--resources T1,T2] [--variant V] [--out FILE] [--seed N] [...]
              fixtures.py --list          (every KIND with a one-line description)
Variants of JSON artifacts (--variant): pretty (default), minified, escaped,
bom-crlf, reordered, upper (upper-case keys), indent4.
"""
import argparse
import json
import random
import string
import sys
import uuid

B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"


def rng(seed=1):
    return random.Random(seed)


def _rand(r, alphabet, n):
    return "".join(r.choice(alphabet) for _ in range(n))


# ---------------------------------------------------------------- secrets

def aws_access_key_id(seed=1, prefix="AKIA"):
    r = rng(seed)
    return prefix + _rand(r, B32, 16)


def aws_secret_key(seed=1):
    r = rng(seed + 1000)
    return _rand(r, B64, 40)


def tfc_token(seed=1):
    r = rng(seed + 2000)
    return _rand(r, ALNUM, 14) + ".atlasv1." + _rand(r, ALNUM, 67)


def vault_token(seed=1, kind="hvs"):
    r = rng(seed + 3000)
    if kind == "hvb":
        return "hvb." + _rand(r, ALNUM + "_-", 150)
    if kind == "legacy":
        return "s." + _rand(r, string.ascii_lowercase + string.digits, 24)
    return "hvs." + _rand(r, ALNUM + "_-", 95)


def private_key_pem(seed=1, label="RSA PRIVATE KEY"):
    r = rng(seed + 4000)
    body = "\n".join(_rand(r, B64, 64) for _ in range(8))
    return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (label, body, label)


def lineage(seed=1):
    return str(uuid.UUID(int=rng(seed + 5000).getrandbits(128), version=4))


# ---------------------------------------------------------------- variants

def _dump_escaped(obj):
    def enc(o):
        if isinstance(o, dict):
            items = []
            for k, v in o.items():
                ek = "".join("\\u%04x" % ord(ch) if ch in "leorsv" else ch for ch in k)
                items.append('"%s":%s' % (ek, enc(v)))
            return "{" + ",".join(items) + "}"
        if isinstance(o, list):
            return "[" + ",".join(enc(v) for v in o) + "]"
        return json.dumps(o)
    return enc(obj)


def _upper_keys(o):
    if isinstance(o, dict):
        return {k.upper(): _upper_keys(v) for k, v in o.items()}
    if isinstance(o, list):
        return [_upper_keys(v) for v in o]
    return o


def render(obj, variant="pretty"):
    """Serialises a JSON artifact in one of the variants; returns bytes."""
    if variant == "pretty":
        text = json.dumps(obj, indent=2) + "\n"
    elif variant == "indent4":
        text = json.dumps(obj, indent=4) + "\n"
    elif variant == "minified":
        text = json.dumps(obj, separators=(",", ":"))
    elif variant == "escaped":
        text = _dump_escaped(obj)
    elif variant == "bom-crlf":
        return b"\xef\xbb\xbf" + (json.dumps(obj, indent=2) + "\n").replace("\n", "\r\n").encode()
    elif variant == "reordered":
        text = json.dumps(obj, indent=1, sort_keys=True)
        if isinstance(obj, dict):
            text = json.dumps(dict(reversed(list(obj.items()))), indent=3)
    elif variant == "upper":
        text = json.dumps(_upper_keys(obj), indent=2)
    else:
        raise ValueError("unknown variant %s" % variant)
    return text.encode()


# ---------------------------------------------------------------- state

def _v4_resource(rtype, name, seed, secret):
    r = rng(seed)
    attrs = {"id": "%s-%s" % (rtype.split("_")[-1][:3], _rand(r, "0123456789abcdef", 17)),
             "arn": "arn:aws:ec2:us-east-1:%012d:%s/%s" % (r.randrange(10**11, 10**12), rtype, name),
             "tags": {"Name": name}}
    sens = []
    if rtype == "aws_db_instance":
        attrs.update({"engine": "postgres", "username": "admin", "port": 5432,
                      "address": "%s.c%s.us-east-1.rds.amazonaws.com" % (name, _rand(r, "abcdefghijklmnopqrstuvwxyz0123456789", 11))})
        if secret:
            attrs["password"] = _rand(r, ALNUM, 20)
            sens = [[{"type": "get_attr", "value": "password"}]]
    elif secret:
        attrs["secret"] = _rand(r, ALNUM, 24)
    return {"mode": "managed", "type": rtype, "name": name,
            "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
            "instances": [{"schema_version": 1, "attributes": attrs,
                           "sensitive_attributes": sens, "private": "bnVsbA==",
                           "dependencies": []}]}


def state_v4_obj(resources=("aws_vpc",), seed=1, tf_version="1.8.2", serial=34, secret=True,
                 outputs=True, data_sources=()):
    res = [_v4_resource(t, "%s_%d" % (t.split("_")[-1], i), seed + i, secret)
           for i, t in enumerate(resources)]
    for i, t in enumerate(data_sources):
        res.append({"mode": "data", "type": t, "name": "d%d" % i,
                    "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
                    "instances": [{"schema_version": 0, "attributes": {"id": "x"},
                                   "sensitive_attributes": []}]})
    outs = {}
    if outputs and resources:
        outs = {"vpc_id": {"value": "vpc-0a1b2c3d4e5f60718", "type": "string"}}
    return {"version": 4, "terraform_version": tf_version, "serial": serial,
            "lineage": lineage(seed), "outputs": outs, "resources": res, "check_results": None}


def state_v4(resources=("aws_vpc",), variant="pretty", **kw):
    return render(state_v4_obj(resources, **kw), variant)


def state_empty(variant="pretty", seed=1):
    return render(state_v4_obj((), seed=seed, serial=106, tf_version="1.9.8"), variant)


def state_legacy_obj(version=3, resources=("aws_instance",), seed=1):
    rs = {}
    for i, t in enumerate(resources):
        rs["%s.r%d" % (t, i)] = {
            "type": t, "depends_on": [], "provider": "provider.aws",
            "primary": {"id": "i-%08x" % (seed + i),
                        "attributes": {"id": "i-%08x" % (seed + i), "tags.%": "1",
                                       "tags.Name": "web", "password": "hunter2-%d" % i},
                        "meta": {"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0": {"create": 600000000000}},
                        "tainted": False},
            "deposed": []}
    mod = {"path": ["root"], "outputs": {}, "resources": rs, "depends_on": []}
    obj = {"version": version, "serial": 7, "modules": [mod]}
    if version >= 2:
        obj = {"version": version, "terraform_version": "0.11.7", "serial": 7,
               "lineage": lineage(seed), "modules": [mod]}
    if version == 1:
        obj["remote"] = {"type": "s3", "config": {"bucket": "b", "key": "k"}}
    return obj


def state_legacy(version=3, resources=("aws_instance",), variant="pretty", seed=1):
    return render(state_legacy_obj(version, resources, seed), variant)


def state_v0(seed=1):
    r = rng(seed)
    return b"tfstate" + bytes([0, 0, 0, 1]) + bytes(r.randrange(256) for _ in range(200))


def plan_legacy(seed=1):
    r = rng(seed)
    return b"tfplan" + bytes([0, 0, 0, 1]) + bytes(r.randrange(256) for _ in range(200))


# ---------------------------------------------------------------- backend caches

S3_KEYS = ["access_key", "secret_key", "token", "sse_customer_key", "profile", "role_arn",
           "shared_credentials_file", "kms_key_id", "dynamodb_table", "endpoint"]


def backend_cache_new(with_credentials=False, seed=1, variant="pretty"):
    cfg = {k: None for k in S3_KEYS}
    cfg.update({"bucket": "acme-prod-tfstate", "key": "network/terraform.tfstate",
                "region": "eu-west-1", "encrypt": True, "use_lockfile": True})
    if with_credentials:
        cfg["access_key"] = aws_access_key_id(seed)
        cfg["secret_key"] = aws_secret_key(seed)
    obj = {"version": 3, "terraform_version": "1.11.1",
           "backend": {"type": "s3", "config": cfg, "hash": 2843116839}}
    return render(obj, variant)


def backend_cache_old(with_credentials=False, seed=1, variant="indent4", kind="remote"):
    if kind == "remote":
        cfg = {"hostname": None, "organization": "acme", "token": None,
               "workspaces": {"name": "prod", "prefix": None}}
        if with_credentials:
            cfg["token"] = tfc_token(seed)
        btype = "remote"
    else:
        cfg = {k: None for k in S3_KEYS}
        cfg.update({"bucket": "acme-tf", "key": "prod/terraform.tfstate", "region": "us-east-1"})
        if with_credentials:
            cfg["secret_key"] = aws_secret_key(seed)
        btype = "s3"
    obj = {"version": 3, "serial": 0, "lineage": lineage(seed),
           "backend": {"type": btype, "config": cfg, "hash": 1234567890123456789},
           "modules": [{"path": ["root"], "outputs": {}, "resources": {}, "depends_on": []}]}
    return render(obj, variant)


# ---------------------------------------------------------------- show -json, encrypted, pulumi

def show_json_state(resources=("aws_vpc", "aws_db_instance"), variant="pretty", seed=1):
    res = [{"address": "%s.r%d" % (t, i), "mode": "managed", "type": t, "name": "r%d" % i,
            "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
            "values": {"id": "x-%d" % i, "password": "pw-%d-secret" % i}, "sensitive_values": {}}
           for i, t in enumerate(resources)]
    obj = {"format_version": "1.0", "terraform_version": "1.8.2",
           "values": {"outputs": {}, "root_module": {"resources": res}}}
    return render(obj, variant)


def show_json_plan(variant="pretty", seed=1):
    obj = {"format_version": "1.2", "terraform_version": "1.8.2",
           "variables": {"db_password": {"value": "pw-" + _rand(rng(seed), ALNUM, 12)}},
           "planned_values": {"root_module": {"resources": []}},
           "resource_changes": [{"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc",
                                 "name": "main", "change": {"actions": ["create"], "before": None,
                                                            "after": {"cidr_block": "10.0.0.0/16"}}}],
           "prior_state": {"format_version": "1.0", "terraform_version": "1.8.2",
                           "values": {"root_module": {"resources": [
                               {"address": "aws_db_instance.db", "mode": "managed",
                                "type": "aws_db_instance", "name": "db",
                                "values": {"password": "x"}}]}}},
           "configuration": {"root_module": {}}, "timestamp": "2024-05-01T10:00:00Z",
           "applyable": True, "complete": True, "errored": False}
    return render(obj, variant)


def encrypted_state(variant="pretty", seed=1, plan=False):
    r = rng(seed)
    obj = {"serial": 12, "lineage": lineage(seed),
           "meta": {"key_provider.pbkdf2.main": _rand(r, ALNUM, 80) + "=="},
           "encrypted_data": _rand(r, ALNUM, 400) + "=",
           "encryption_version": "v0"}
    if plan:
        del obj["serial"], obj["lineage"]
    return render(obj, variant)


def pulumi_checkpoint(variant="pretty", seed=1):
    res = [{"urn": "urn:pulumi:prod::web::pulumi:pulumi:Stack::web-prod", "custom": False,
            "type": "pulumi:pulumi:Stack"},
           {"urn": "urn:pulumi:prod::web::aws:ec2/vpc:Vpc::main", "custom": True,
            "id": "vpc-0a1b2c3d", "type": "aws:ec2/vpc:Vpc", "inputs": {"cidrBlock": "10.0.0.0/16"},
            "outputs": {"id": "vpc-0a1b2c3d"}},
           {"urn": "urn:pulumi:prod::web::aws:rds/instance:Instance::db", "custom": True,
            "id": "db-1", "type": "aws:rds/instance:Instance",
            "outputs": {"password": {"4dabf18193072939515e22adb298388d":
                                     "1b47061264138c4ac30d75fd1eb44270",
                                     "ciphertext": "v1:" + _rand(rng(seed), ALNUM, 40)}}}]
    obj = {"version": 3, "checkpoint": {"stack": "organization/web/prod", "config": {},
                                        "latest": {"manifest": {"time": "2024-05-01T10:00:00Z",
                                                                "magic": "0" * 64,
                                                                "version": "v3.100.0"},
                                                   "secrets_providers": {"type": "passphrase"},
                                                   "resources": res}}}
    return render(obj, variant)


def pulumi_checkpoint_v0(variant="pretty", seed=1):
    """An unversioned checkpoint: {"target", "config", "latest"} with no "version" key."""
    obj = json.loads(pulumi_checkpoint("minified", seed))
    latest = obj["checkpoint"]["latest"]
    del latest["manifest"]
    return render({"target": "prod", "config": {}, "latest": latest}, variant)


def pulumi_export(variant="pretty", seed=1):
    obj = json.loads(pulumi_checkpoint("minified", seed))
    return render({"version": 3, "deployment": obj["checkpoint"]["latest"]}, variant)


# ---------------------------------------------------------------- CLI credentials, HCL

def credentials_tfrc_json(seed=1, variant="pretty"):
    return render({"credentials": {"app.terraform.io": {"token": tfc_token(seed)}}}, variant)


def terraformrc(seed=1):
    return ('plugin_cache_dir = "$HOME/.terraform.d/plugin-cache"\n\n'
            'credentials "app.terraform.io" {\n  token = "%s"\n}\n' % tfc_token(seed)).encode()


def terraformrc_no_token():
    return b'plugin_cache_dir = "$HOME/.terraform.d/plugin-cache"\ndisable_checkpoint = true\n'


def backend_tf(kind="s3", credentials=False, seed=1):
    body = {"s3": ['bucket = "acme-prod-tfstate"', 'key = "network/terraform.tfstate"',
                   'region = "eu-west-1"', 'dynamodb_table = "tf-locks"', "encrypt = true"],
            "local": ['path = "terraform.tfstate"'],
            "pg": []}[kind]
    if credentials and kind == "s3":
        body += ['access_key = "%s"' % aws_access_key_id(seed), 'secret_key = "%s"' % aws_secret_key(seed)]
    if credentials and kind == "pg":
        body += ['conn_str = "postgres://tf:%s@db.internal/terraform"' % _rand(rng(seed), ALNUM, 16)]
    inner = "\n".join("    " + l for l in body)
    return ('terraform {\n  required_version = ">= 1.5"\n\n  backend "%s" {\n%s\n  }\n}\n\n'
            'provider "aws" {\n  region = var.region\n}\n' % (kind, inner)).encode()


def backend_tf_references():
    return (b'terraform {\n  backend "s3" {\n    bucket     = "acme-tf"\n    key        = "prod.tfstate"\n'
            b'    region     = "us-east-1"\n    access_key = null\n    secret_key = var.secret_key\n'
            b'    token      = ""\n  }\n}\n')


def cloud_tf(seed=1):
    return ('terraform {\n  cloud {\n    organization = "acme"\n    token = "%s"\n'
            '    workspaces {\n      name = "prod"\n    }\n  }\n}\n' % tfc_token(seed)).encode()


def tfbackend(seed=1, credentials=True):
    lines = ['bucket = "acme-prod-tfstate"', 'key    = "app/terraform.tfstate"', 'region = "eu-west-1"']
    if credentials:
        lines.append('secret_key = "%s"' % aws_secret_key(seed))
        lines.append('token = "%s"' % _rand(rng(seed), ALNUM, 120))
    return ("\n".join(lines) + "\n").encode()


def terragrunt(seed=1):
    return ('remote_state {\n  backend = "azurerm"\n  config = {\n'
            '    storage_account_name = "acmetfstate"\n    container_name = "tfstate"\n'
            '    key = "${path_relative_to_include()}/terraform.tfstate"\n'
            '    sas_token = "sv=2022-11-02&ss=b&sig=%s"\n  }\n}\n' % _rand(rng(seed), ALNUM, 43)).encode()


def encryption_tf(seed=1):
    return ('terraform {\n  encryption {\n    key_provider "pbkdf2" "main" {\n'
            '      passphrase = "%s"\n    }\n    method "aes_gcm" "m" {\n'
            '      keys = key_provider.pbkdf2.main\n    }\n  }\n}\n' % _rand(rng(seed), ALNUM, 32)).encode()


# ---------------------------------------------------------------- tokens in ordinary files

def token_file(kind="aws-pair", seed=1):
    if kind == "aws-pair":
        return ("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n"
                % (aws_access_key_id(seed), aws_secret_key(seed))).encode()
    if kind == "aws-access":
        return ('export AWS_ACCESS_KEY_ID="%s"\n' % aws_access_key_id(seed, "ASIA")).encode()
    if kind == "aws-secret":
        return ('secret_key: "%s"\n' % aws_secret_key(seed)).encode()
    if kind == "tfc":
        return ('api_token = "%s"\n' % tfc_token(seed)).encode()
    if kind == "tf-token-env":
        return ("TF_TOKEN_app_terraform_io=%s\n" % _rand(rng(seed), ALNUM, 40)).encode()
    if kind == "vault":
        return ('VAULT_TOKEN="%s"\n' % vault_token(seed)).encode()
    if kind == "vault-legacy":
        return ('export VAULT_TOKEN=%s\n' % vault_token(seed, "legacy")).encode()
    if kind == "private-key":
        return private_key_pem(seed).encode()
    if kind == "openssh-key":
        return private_key_pem(seed, "OPENSSH PRIVATE KEY").encode()
    raise ValueError(kind)


# ---------------------------------------------------------------- negatives (must pass)

def package_json():
    return render({"name": "web", "version": "1.4.2", "private": True,
                   "scripts": {"build": "tsc", "deploy": "terraform apply"},
                   "dependencies": {"lineage": "^1.0.0", "backend": "2.0.0"},
                   "modules": ["a", "b"]})


def openapi_spec():
    return render({"openapi": "3.0.3", "info": {"title": "State API", "version": "4"},
                   "paths": {"/state": {"get": {"parameters": [{"name": "lineage", "in": "query"},
                                                                {"name": "serial", "in": "query"}],
                                                 "responses": {"200": {"description": "resources"}}}}},
                   "components": {"schemas": {"State": {"properties": {
                       "version": {"type": "integer"}, "serial": {"type": "integer"},
                       "lineage": {"type": "string"}, "resources": {"type": "array"}}}}}})


def lock_hcl():
    return (b'# This file is maintained automatically by "terraform init".\n'
            b'# Manual edits may be lost in future updates.\n\n'
            b'provider "registry.terraform.io/hashicorp/aws" {\n  version     = "5.46.0"\n'
            b'  constraints = ">= 5.0.0"\n  hashes = [\n'
            b'    "h1:d0Mf33mbbQujZ/JaYkqmH5gZGvP+iEIWf9yBSiOwimE=",\n'
            b'    "zh:05ae6180a7f23071435f6e5e59c19af0b6c5da942bf592aee715ee1f72c4d7f2",\n'
            b'  ]\n}\n')


def tf_s3_no_credentials():
    return backend_tf("s3", credentials=False)


def docs_mentioning_state():
    return (b"# Operations\n\nNever commit `terraform.tfstate` or `*.tfstate.backup`. The state has a\n"
            b"`lineage`, a `serial` and `resources`; version 4 is current. Store it in the S3\n"
            b"backend with `secret_key` coming from the environment, e.g.\n\n"
            b"    terraform init -backend-config=\"bucket=acme\"\n\n"
            b"Tokens look like `XXXXXXXXXXXXXX.atlasv1.XXXX...`; see the vault docs for `hvs.` tokens.\n")


def git_shas(seed=1):
    r = rng(seed)
    lines = ["%s refs/heads/main" % _rand(r, "0123456789abcdef", 40) for _ in range(5)]
    lines.append("secret = \"%s\"" % _rand(r, "0123456789abcdef", 40))
    lines.append("commit %s" % _rand(r, "0123456789ABCDEF", 40))
    return ("\n".join(lines) + "\n").encode()


def aws_example_keys():
    return (b"# From the AWS documentation\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
            b"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
            b"export AWS_ACCESS_KEY_ID=ASIAXXXXXXXXXXEXAMPLE\n")


# ---------------------------------------------------------------- CLI

KINDS = {
    "state-v4": ("v4 state (--resources, --variant, --no-secret)", None),
    "state-empty": ("empty v4 state (0 resources)", None),
    "state-v3": ("legacy v3 state (modules[])", None),
    "state-v2": ("legacy v2 state", None),
    "state-v1": ("legacy v1 state (no lineage, remote{})", None),
    "state-v0": ("binary v0 state (tfstate prefix)", None),
    "plan-legacy": ("legacy binary plan (tfplan prefix)", None),
    "backend-cache-new": ("backend snapshot, Terraform >= 1.9 (--credentials)", None),
    "backend-cache-old": ("backend snapshot, Terraform 0.9-1.8 (--credentials)", None),
    "show-json-state": ("terraform show -json of a state", None),
    "show-json-plan": ("terraform show -json of a plan", None),
    "encrypted-state": ("OpenTofu encrypted state envelope", None),
    "encrypted-plan": ("OpenTofu encrypted plan envelope", None),
    "pulumi-checkpoint": ("Pulumi checkpoint", None),
    "pulumi-export": ("Pulumi stack export", None),
    "pulumi-checkpoint-v0": ("unversioned (v0) Pulumi checkpoint {target, latest}", None),
    "credentials-tfrc-json": ("credentials.tfrc.json from terraform login", None),
    "terraformrc": (".terraformrc with a credentials block", None),
    "terraformrc-no-token": (".terraformrc without credentials", None),
    "backend-tf": ("main.tf with a backend block (--backend s3|local|pg, --credentials)", None),
    "backend-tf-references": ("backend block whose credentials are null/var/empty", None),
    "cloud-tf": ("cloud block with a token", None),
    "tfbackend": ("partial backend file with credentials", None),
    "terragrunt": ("terragrunt remote_state with a sas_token", None),
    "encryption-tf": ("OpenTofu encryption block with a passphrase", None),
    "token": ("a token in an ordinary file (--token aws-pair|aws-access|aws-secret|tfc|"
              "tf-token-env|vault|vault-legacy|private-key|openssh-key)", None),
    "package-json": ("negative: package.json", None),
    "openapi": ("negative: OpenAPI spec mentioning state fields", None),
    "lock-hcl": ("negative: .terraform.lock.hcl", None),
    "tf-s3-no-credentials": ("negative: .tf with an S3 backend and no credentials", None),
    "docs-tfstate": ("negative: docs that mention terraform.tfstate", None),
    "git-shas": ("negative: 40-hex git SHAs", None),
    "aws-example-keys": ("negative: AWS documentation EXAMPLE keys", None),
}


def build(kind, a):
    res = [r for r in (a.resources or "aws_vpc,aws_db_instance").split(",") if r]
    v = a.variant
    s = a.seed
    if kind == "state-v4":
        return state_v4(res, v or "pretty", seed=s, secret=not a.no_secret)
    if kind == "state-empty":
        return state_empty(v or "pretty", s)
    if kind in ("state-v3", "state-v2", "state-v1"):
        return state_legacy(int(kind[-1]), res, v or "indent4", s)
    if kind == "state-v0":
        return state_v0(s)
    if kind == "plan-legacy":
        return plan_legacy(s)
    if kind == "backend-cache-new":
        return backend_cache_new(a.credentials, s, v or "pretty")
    if kind == "backend-cache-old":
        return backend_cache_old(a.credentials, s, v or "indent4", a.backend or "remote")
    if kind == "show-json-state":
        return show_json_state(res, v or "pretty", s)
    if kind == "show-json-plan":
        return show_json_plan(v or "pretty", s)
    if kind == "encrypted-state":
        return encrypted_state(v or "pretty", s)
    if kind == "encrypted-plan":
        return encrypted_state(v or "pretty", s, plan=True)
    if kind == "pulumi-checkpoint":
        return pulumi_checkpoint(v or "pretty", s)
    if kind == "pulumi-checkpoint-v0":
        return pulumi_checkpoint_v0(v or "pretty", s)
    if kind == "pulumi-export":
        return pulumi_export(v or "pretty", s)
    if kind == "credentials-tfrc-json":
        return credentials_tfrc_json(s, v or "pretty")
    if kind == "terraformrc":
        return terraformrc(s)
    if kind == "terraformrc-no-token":
        return terraformrc_no_token()
    if kind == "backend-tf":
        return backend_tf(a.backend or "s3", a.credentials, s)
    if kind == "backend-tf-references":
        return backend_tf_references()
    if kind == "cloud-tf":
        return cloud_tf(s)
    if kind == "tfbackend":
        return tfbackend(s)
    if kind == "terragrunt":
        return terragrunt(s)
    if kind == "encryption-tf":
        return encryption_tf(s)
    if kind == "token":
        return token_file(a.token or "aws-pair", s)
    return {"package-json": package_json, "openapi": openapi_spec, "lock-hcl": lock_hcl,
            "tf-s3-no-credentials": tf_s3_no_credentials, "docs-tfstate": docs_mentioning_state,
            "git-shas": git_shas, "aws-example-keys": aws_example_keys}[kind]()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("kind", nargs="?")
    p.add_argument("--list", action="store_true")
    p.add_argument("--resources")
    p.add_argument("--variant")
    p.add_argument("--backend")
    p.add_argument("--token")
    p.add_argument("--credentials", action="store_true")
    p.add_argument("--no-secret", action="store_true")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out")
    a = p.parse_args(argv)
    if a.list or not a.kind:
        for k, (d, _) in KINDS.items():
            print("%-24s %s" % (k, d))
        return 0
    if a.kind not in KINDS:
        p.error("unknown kind %s (see --list)" % a.kind)
    data = build(a.kind, a)
    if a.out:
        write(a.out, data)
    else:
        sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
