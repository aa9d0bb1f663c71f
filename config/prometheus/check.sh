#!/usr/bin/env bash
# Validates the Prometheus rules of this folder with promtool:
#   1. promtool check rules  rules.yml        (syntax, PromQL, templates)
#   2. promtool test rules   rules_test.yml   (unit tests of every rule/alert)
#   3. promtool check config prometheus.yml   (the example scrape config)
# Works from any current directory; exits non-zero on the first failure.
# promtool comes with Prometheus (Debian: `apt-get install prometheus`); PROMTOOL names another one.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
promtool="${PROMTOOL:-promtool}"

# Without promtool the checks are skipped with one loud line (a fresh clone without Prometheus still
# builds and tests everything else); CI=true makes that a failure, so CI never skips them silently.
if ! command -v "$promtool" >/dev/null 2>&1; then
  enable="install Prometheus (Debian: apt-get install prometheus) or set PROMTOOL=/path/to/promtool"
  if [ "${CI:-}" = "true" ]; then
    echo "check.sh: FAILED: promtool not found ('$promtool'), and CI=true requires the Prometheus rule checks:" \
      "$enable" >&2
    exit 1
  fi
  echo "[WARNING] check.sh: SKIPPED the Prometheus rule checks (promtool check rules, test rules, check config):" \
    "promtool not found ('$promtool'); to run them, $enable. CI=true makes this a failure." >&2
  exit 0
fi

"$promtool" --version 2>&1 | head -n 1
"$promtool" check rules "$here/rules.yml"
# promtool resolves rule_files in the test file relative to the test file.
"$promtool" test rules "$here/rules_test.yml"
"$promtool" check config "$here/prometheus.yml"
echo "check.sh: all Prometheus rule checks passed"
