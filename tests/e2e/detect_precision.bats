#!/usr/bin/env bats
# Precision: credential look-alikes in documentation and tests warn and never block, real
# token shapes and complete keys still block, state-named stubs warn, unversioned Pulumi
# checkpoints are state. Every example below is written here, after the kinds of false
# positives seen in public Terraform tooling repositories.
load ../lib/helpers

setup() { setup_tmp; }
teardown() { teardown_tmp; }

# count RULE SEVERITY: how many findings of RULE at SEVERITY are in the JSON in $output.
count() {
	python3 -c 'import json,sys; print(sum(1 for f in json.loads(sys.argv[1])["findings"] if f["rule"] == sys.argv[2] and f["severity"] == sys.argv[3]))' "$output" "$1" "$2"
}

write_lookalikes() {
	mkdir -p repo/docs repo/website/docs repo/test/fixtures/pbkdf2 repo/internal/cliconfig/testdata \
	    repo/pkg/config repo/live
	cat > repo/docs/state_encryption.md <<'EOF'
```hcl
terraform {
  encryption {
    key_provider "static" "my_key" {
      key = "this is my encryption key"
    }
    key_provider "pbkdf2" "other" {
      passphrase = "correct-horse-battery-staple"
    }
  }
}
```
EOF
	cat > repo/website/docs/azurerm.mdx <<'EOF'
terraform {
  backend "azurerm" {
    access_key    = "abcdefghijklmnopqrstuvwxyz0123456789..."
    sas_token     = "sv=2024-11-04&ss=b&sp=rwdlac&se=2025-08-05T23:46:49Z&spr=https&sig=abcdefg..."
    client_secret = "hunter2"
  }
}
terraform {
  backend "pg" {
    conn_str = "postgres://localhost/terraform_backend"
  }
}
EOF
	cat > repo/website/docs/config-file.mdx <<'EOF'
credentials "app.terraform.io" {
  token = "xxxxxx.atlasv1.zzzzzzzzzzzzz"
}
EOF
	cat > repo/test/fixtures/pbkdf2/terragrunt.hcl <<'EOF'
remote_state {
  backend = "s3"
  config = {
    bucket = "b"
  }
}
terraform {
  encryption {
    key_provider "openbao" "k" {
      token = "__FILL_IN_OPENBAO_TOKEN__"
    }
    key_provider "pbkdf2" "p" {
      passphrase = "SUPERSECRETPASSPHRASE"
    }
  }
}
EOF
	cat > repo/internal/cliconfig/testdata/credentials <<'EOF'
credentials "example.net" {
  token = "foo the bar baz"
}
EOF
	cat > repo/pkg/config/config_test.go <<'EOF'
package config

const cfg = `
credentials "registry.example.com" {
  token = "` + realToken + `"
}
terraform {
  encryption {
    key_provider "pbkdf2" "k" {
      passphrase = "GOOGLE_ENCRYPTION_KEY"
    }
  }
}
`
EOF
}

@test "credential look-alikes in docs and tests warn, say what they look like and never block" {
	write_lookalikes
	run sg scan --format json repo
	assert_status 0
	[ "$(count tf-backend-credentials block)" = 0 ]
	[ "$(count tf-cli-credentials block)" = 0 ]
	[ "$(count tf-backend-credentials warn)" = 8 ]
	[ "$(count tf-cli-credentials warn)" = 3 ]
	assert_output_contains "a value cut short"
	assert_output_contains "an environment-variable name"
	assert_output_contains "a template slot to fill in"
	assert_output_contains "built by concatenation"
	assert_output_contains "placeholder characters"
	assert_output_not_contains "terraform_backend"
}

@test "the same look-alikes outside docs and tests still only warn" {
	mkdir -p live
	cat > live/main.tf <<'EOF'
terraform {
  encryption {
    key_provider "pbkdf2" "k" {
      passphrase = "OpenTofu has encryption"
    }
  }
}
EOF
	run sg scan --format json live
	assert_status 0
	[ "$(count tf-backend-credentials warn)" = 1 ]
}

@test "a random-looking backend secret blocks in live code and is lowered in docs with the reason" {
	mkdir -p live docs
	secret=$(python3 -c 'import random; r=random.Random(7); print("".join(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789") for _ in range(32)))')
	for f in live/main.tf docs/guide.md; do
		printf 'terraform {\n  encryption {\n    key_provider "pbkdf2" "k" {\n      passphrase = "%s"\n    }\n  }\n}\n' "$secret" > "$f"
	done
	run sg scan --format json live
	assert_status 1
	[ "$(count tf-backend-credentials block)" = 1 ]
	run sg scan --format json docs
	assert_status 0
	[ "$(count tf-backend-credentials warn)" = 1 ]
	assert_output_contains "Lowered to a warning"
	python3 -c 'import json,sys; f=[f for f in json.loads(sys.argv[1])["findings"] if f["rule"]=="tf-backend-credentials"][0]; l=f["details"]["lowered"]; assert l["context"]=="docs" and l["from"]=="block", f' "$output"
	assert_output_not_contains "$secret"
}

@test "a team that wants documentation to block empties contexts.docs" {
	mkdir -p docs
	printf 'terraform {\n  backend "s3" {\n    secret_key = "k8Jd0Qp3Lr/Zx9Tn2Vb+Wq7Hy5Mc1Ef4Gs6Ua0Ti"\n  }\n}\n' > docs/guide.md
	printf '{"contexts": {"docs": []}}\n' > .stateguard.json
	run sg scan --format json docs
	assert_status 1
	[ "$(count tf-backend-credentials block)" = 1 ]
	printf '{"contexts": {"docs": "docs/"}}\n' > .stateguard.json
	run sg scan docs
	assert_status 2
	assert_output_contains "contexts.docs"
}

@test "a real token shape in documentation or tests still blocks" {
	mkdir -p docs test
	fixtures cloud-tf --out docs/cloud.md
	fixtures terraformrc --out test/.terraformrc
	run sg scan --format json docs test
	assert_status 1
	[ "$(count tf-backend-credentials block)" = 1 ]
	[ "$(count tf-cli-credentials block)" = 1 ]
	assert_output_not_contains "Lowered to a warning"
}

@test "a private key cut short in an upgrade guide warns; a complete key blocks" {
	mkdir -p website/upgrade-guides keys
	cat > website/upgrade-guides/0-15.md <<'EOF'
```shellsession
$ terraform output -raw private_key
-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAoahsvJ1rIxTIOOmJZ7yErs5eOq/Kv9+5l3h0LbxW78K8//Kb
OMU3v8F3h8jp+AB/1zGr5UBYfnYp5ncJm/OTCXLFAHxGibEbRnf1m2A3o0hEaWsw
# (etc...)
```
EOF
	fixtures token --token private-key --out keys/id.pem
	fixtures token --token openssh-key --out keys/id_ed25519
	run sg scan --format json website
	assert_status 0
	[ "$(count private-key warn)" = 1 ]
	run sg scan --format json keys
	assert_status 1
	[ "$(count private-key block)" = 2 ]
}

@test "a state-named file holding only a few bytes that are not JSON warns; truncated state blocks" {
	mkdir -p show-corrupt-statefile trunc
	printf 'invalid\n' > show-corrupt-statefile/terraform.tfstate
	run sg scan --format json show-corrupt-statefile
	assert_status 0
	[ "$(count tf-state warn)" = 1 ]
	fixtures state-v4 --out full.json
	head -c 200 full.json > trunc/terraform.tfstate
	run sg scan --format json trunc
	assert_status 1
	[ "$(count tf-state block)" = 1 ]
}

@test "an unversioned Pulumi checkpoint is pulumi-state with its resources" {
	fixtures pulumi-checkpoint-v0 --out stack.json
	run sg scan --format json stack.json
	assert_status 1
	[ "$(count pulumi-state block)" = 1 ]
	assert_output_contains '"resource_count":2'
	assert_output_contains "aws:rds/instance:Instance"
}

@test "pre-commit lets documentation examples through with warnings" {
	git init -q repo
	write_lookalikes
	git -C repo add -A
	cd repo
	run sg pre-commit
	assert_status 0
	assert_output_contains "tf-backend-credentials"
}
