#!/usr/bin/env bash
# Regenerates the committed, generated documentation: one page per built-in
# rule (docs/rules/) and the framework coverage pages (docs/coverage/).
# tests/generated_docs.rs fails when these are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
bin=target/debug/tollgate
rm -rf docs/rules && "$bin" rules doc --out docs/rules >/dev/null
mkdir -p docs/coverage
for framework in fedramp-moderate nist-800-53-r5-moderate nist-800-171-r2 cmmc-l2; do
    "$bin" controls --framework "$framework" --format markdown >"docs/coverage/$framework.md"
done
echo "regenerated docs/rules and docs/coverage"
