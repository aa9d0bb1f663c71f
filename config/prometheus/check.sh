#!/usr/bin/env bash
# Validates the Prometheus rules of this folder with promtool:
#   1. promtool check rules  rules.yml        (syntax, PromQL, templates)
#   2. promtool test rules   rules_test.yml   (unit tests of every rule/alert)
#   3. promtool check config prometheus.yml   (the example scrape config)
# Works from any current directory; exits non-zero on the first failure.
# promtool comes with Prometheus (Debian: `apt-get install prometheus`).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
promtool="${PROMTOOL:-promtool}"

if ! command -v "$promtool" >/dev/null 2>&1; then
  echo "check.sh: promtool not found (install Prometheus, e.g. apt-get install -y prometheus, or set PROMTOOL)" >&2
  exit 127
fi

"$promtool" --version 2>&1 | head -n 1
"$promtool" check rules "$here/rules.yml"
# promtool resolves rule_files in the test file relative to the test file.
"$promtool" test rules "$here/rules_test.yml"
"$promtool" check config "$here/prometheus.yml"
echo "check.sh: all Prometheus rule checks passed"
