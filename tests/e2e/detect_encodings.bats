#!/usr/bin/env bats
# Content behind an encoding is opened, not passed: UTF-16/UTF-32 text (PowerShell's `>`),
# base64 (Kubernetes and Consul backends, secrets, CI artifacts, wrapped text) and escaped
# text (pg_dump COPY lines, JSON strings). Fixtures are made here with iconv, base64, gzip
# and zip; findings name the layer in the path ("!utf-16le", "!base64@L4", "!unescaped@L2").
load ../lib/helpers

setup() { setup_tmp; }
teardown() { teardown_tmp; }

afx() { python3 "$SG_ROOT/tests/lib/archive_fixtures.py" "$@"; }

# scan_json FILE: scans FILE and prints "severity rule path" for each finding.
scan_rules() {
	run sg scan --format json "$@"
	rules=$(python3 -c 'import json, sys
for f in json.loads(sys.argv[1])["findings"]:
    print(f["severity"], f["rule"], f["path"])' "$output")
}

# assert_rule SEV RULE PATH: the last scan_rules saw that finding.
assert_rule() {
	grep -qxF "$1 $2 $3" <<<"$rules" && return 0
	echo "expected finding: $1 $2 $3"
	echo "--- findings ---"; echo "$rules"
	return 1
}

@test "a state saved by Windows PowerShell's > (UTF-16LE with a BOM) is blocked as tf-state" {
	fixtures state-v4 | iconv -f UTF-8 -t UTF-16 >backup.json
	[[ $(head -c 2 backup.json | od -An -tx1 | tr -d ' ') == fffe ]]
	scan_rules backup.json
	assert_status 1
	assert_rule block tf-state 'backup.json!utf-16le'
}

@test "terraform show -json saved as UTF-16LE is blocked as tf-show-json" {
	fixtures show-json-plan | iconv -f UTF-8 -t UTF-16 >plan.json
	scan_rules plan.json
	assert_status 1
	assert_rule block tf-show-json 'plan.json!utf-16le'
}

@test "a UTF-16 PowerShell script setting AWS_ACCESS_KEY_ID is blocked as aws-access-key" {
	fixtures token --token aws-access --seed 7 | sed 's/^export /$env:/' |
		iconv -f UTF-8 -t UTF-16 >setkeys.ps1
	scan_rules setkeys.ps1
	assert_status 1
	assert_rule block aws-access-key 'setkeys.ps1!utf-16le'
	assert_output_not_contains "$(fixtures token --token aws-access --seed 7 | cut -c30-45)"
}

@test "a state in UTF-16LE without a BOM and in UTF-16BE and UTF-32 is blocked" {
	fixtures state-v4 | iconv -f UTF-8 -t UTF-16LE >nobom.json
	fixtures state-v4 | iconv -f UTF-8 -t UTF-16BE >be.json
	{ printf '\xfe\xff'; fixtures state-v4 | iconv -f UTF-8 -t UTF-16BE; } >bebom.json
	{ printf '\xff\xfe\x00\x00'; fixtures state-v4 | iconv -f UTF-8 -t UTF-32LE; } >wide.json
	scan_rules nobom.json be.json bebom.json wide.json
	assert_status 1
	assert_rule block tf-state 'nobom.json!utf-16le'
	assert_rule block tf-state 'be.json!utf-16be'
	assert_rule block tf-state 'bebom.json!utf-16be'
	assert_rule block tf-state 'wide.json!utf-32le'
}

@test "a UTF-16 file named like state is blocked by its name even when it is not valid state" {
	fixtures state-v4 | head -c 200 | iconv -f UTF-8 -t UTF-16 >backup.tfstate
	scan_rules backup.tfstate
	assert_status 1
	assert_rule block tf-state 'backup.tfstate!utf-16le'
	assert_output_contains "file name"
}

@test "UTF-16 with lone surrogates and an odd length is scanned and the note says what was replaced" {
	{ fixtures state-v4 | iconv -f UTF-8 -t UTF-16; printf '\x00\xd8A\x00\x01'; } >broken.json
	scan_rules broken.json
	assert_status 1
	assert_rule block tf-state 'broken.json!utf-16le'
	assert_rule info text-encoding 'broken.json!utf-16le'
	assert_output_contains "1 invalid code unit"
	assert_output_contains "truncated last character"
}

@test "the Kubernetes backend's secret (base64 of gzip of state) is blocked as !base64@L…!gzip" {
	fixtures state-v4 | gzip -n | base64 -w0 >blob.b64
	cat >tfstate-default-prod.yaml <<EOF
apiVersion: v1
data:
  tfstate: $(cat blob.b64)
kind: Secret
metadata:
  labels:
    app.kubernetes.io/managed-by: terraform
    tfstate: "true"
    tfstateSecretSuffix: default-prod
    tfstateWorkspace: default
  name: tfstate-default-prod
type: Opaque
EOF
	scan_rules tfstate-default-prod.yaml
	assert_status 1
	assert_rule block tf-state 'tfstate-default-prod.yaml!base64@L3!gzip'
}

@test "a Kubernetes Secret holding base64 AWS keys is blocked for the key id and the secret" {
	fixtures token --token aws-pair --seed 11 >creds
	id=$(sed -n 's/^aws_access_key_id = //p' creds)
	secret=$(sed -n 's/^aws_secret_access_key = //p' creds)
	cat >aws-secret.yaml <<EOF
apiVersion: v1
kind: Secret
metadata:
  name: aws-credentials
type: Opaque
data:
  AWS_ACCESS_KEY_ID: $(printf %s "$id" | base64)
  AWS_SECRET_ACCESS_KEY: $(printf %s "$secret" | base64 -w0)
EOF
	scan_rules aws-secret.yaml
	assert_status 1
	assert_rule block aws-access-key 'aws-secret.yaml!base64@L7'
	assert_rule block aws-secret-key 'aws-secret.yaml!base64@L8'
	assert_output_not_contains "$secret"
}

@test "consul kv export of the Consul backend (base64 state in value) is blocked" {
	fixtures state-v4 --variant minified >state.json
	printf '[{"key":"terraform/prod","flags":0,"value":"%s"}]\n' "$(base64 -w0 state.json)" >consul-export.json
	scan_rules consul-export.json
	assert_status 1
	assert_rule block tf-state 'consul-export.json!base64@L1'
}

@test "a state pasted as base64 wrapped at 76 columns is blocked" {
	fixtures state-v4 | base64 >notes.txt
	[[ $(wc -l <notes.txt) -gt 10 ]]
	{ echo "state backup from the old laptop:"; cat notes.txt; echo "-- end"; } >paste.txt
	scan_rules paste.txt
	assert_status 1
	assert_rule block tf-state 'paste.txt!base64@L2'
}

@test "a CI artifact JSON holding a base64 zip with state inside is blocked on the member" {
	mkdir -p out/envs/prod
	fixtures state-v4 >out/envs/prod/terraform.tfstate
	(cd out && zip -qr ../artifact.zip envs)
	printf '{"job":"plan","artifacts":[{"name":"artifact.zip","data":"%s"}]}\n' \
		"$(base64 -w0 artifact.zip)" >job.json
	scan_rules job.json
	assert_status 1
	assert_rule block tf-state 'job.json!base64@L1!envs/prod/terraform.tfstate'
}

@test "a saved plan base64'd into a YAML block scalar is blocked as tf-plan" {
	afx plan planout
	{ printf 'pipeline:\n  plan: |\n'; base64 planout | sed 's/^/    /'; printf '  applied: false\n'; } >ci.yaml
	scan_rules ci.yaml
	assert_status 1
	assert_rule block tf-plan 'ci.yaml!base64@L3'
	assert_rule block tf-state 'ci.yaml!base64@L3!tfstate'
}

@test "a pg_dump COPY line carrying a pg backend state is blocked on its unescaped line" {
	fixtures state-v4 >state.json
	{
		printf -- '--\n-- PostgreSQL database dump\n--\n\n'
		printf 'COPY terraform_remote_state.states (id, name, data) FROM stdin;\n1\tdefault\t'
		python3 -c 'import sys; s = open(sys.argv[1]).read()
sys.stdout.write(s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t"))' state.json
		printf '\n\\.\n'
	} >states.sql
	[[ $(grep -c '"lineage"' states.sql) -eq 1 ]]
	scan_rules states.sql
	assert_status 1
	assert_rule block tf-state 'states.sql!unescaped@L6'
}

@test "a state carried as a JSON string in a CI job's output is blocked" {
	fixtures state-v4 >state.json
	python3 -c 'import json, sys; print(json.dumps({"job": 7, "stdout": open(sys.argv[1]).read()}))' state.json >job-output.json
	scan_rules job-output.json
	assert_status 1
	assert_rule block tf-state 'job-output.json!unescaped@L1'
}

@test "a state escaped twice (a JSON string inside a JSON string) is blocked" {
	fixtures state-v4 >state.json
	python3 -c 'import json, sys
inner = json.dumps({"log": open(sys.argv[1]).read()})
print(json.dumps({"stdout": inner}))' state.json >nested.json
	scan_rules nested.json
	assert_status 1
	assert_rule block tf-state 'nested.json!unescaped@L1!unescaped@L1'
}

@test "ordinary encoded content passes: a config Secret, a UTF-16 README, a lockfile, an SVG, a SQL dump" {
	e() { printf %s "$1" | base64 -w0; }
	cat >app-config.yaml <<EOF
apiVersion: v1
kind: Secret
metadata:
  name: app-config
type: Opaque
data:
  DATABASE_URL: $(e postgres://app@db.internal:5432/app?sslmode=require)
  FEATURE_FLAGS: $(e new-checkout,dark-mode,beta-search,faster-invoices)
  LOG_LEVEL: $(e info)
EOF
	fixtures docs-tfstate | iconv -f UTF-8 -t UTF-16 >README.md
	python3 - <<'PY'
import base64, hashlib, json, random, struct, zlib
pk = {"name": "web", "lockfileVersion": 3, "requires": True, "packages": {}}
for i in range(300):
    d = hashlib.sha512(b"pkg%d" % i).digest()
    pk["packages"]["node_modules/pkg%d" % i] = {
        "version": "1.0.%d" % i, "resolved": "https://registry.npmjs.org/pkg%d/-/pkg%d-1.0.%d.tgz" % (i, i, i),
        "integrity": "sha512-" + base64.b64encode(d).decode()}
open("package-lock.json", "w").write(json.dumps(pk, indent=2))
r = random.Random(3)
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
raw = b"".join(b"\0" + bytes(r.randrange(256) for _ in range(96)) for _ in range(32))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 32, 32, 8, 2, 0, 0, 0)) +
       chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
open("logo.svg", "w").write('<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32">\n'
                            '  <image href="data:image/png;base64,%s"/>\n</svg>\n' % base64.b64encode(png).decode())
rows = ["%d\tCustomer %d\tc%d@example.com\tfirst line\\nsecond\\tline \\\\ done\t{\"tier\": \"gold\"}" % (i, i, i)
        for i in range(200)]
open("customers.sql", "w").write("COPY public.customers (id, name, email, notes, prefs) FROM stdin;\n" +
                                 "\n".join(rows) + "\n\\.\n")
PY
	scan_rules app-config.yaml README.md package-lock.json logo.svg customers.sql
	assert_status 0
	[[ -z $(grep -E '^(block|warn) ' <<<"$rules") ]] || { echo "$rules"; return 1; }
}
