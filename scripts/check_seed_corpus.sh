#!/usr/bin/env bash
# Fails when data/seed/corpus.csv is not what scripts/seed_corpus.py produces from the
# handwritten lines in data/seed/: regenerates it to a temporary file and compares.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PYTHONDONTWRITEBYTECODE=1 python3 scripts/seed_corpus.py --out "$tmp/corpus.csv" >/dev/null
if cmp -s "$tmp/corpus.csv" data/seed/corpus.csv; then
  echo "data/seed/corpus.csv is up to date ($(($(wc -l <data/seed/corpus.csv) - 1)) rows)"
  exit 0
fi
echo "data/seed/corpus.csv differs from what scripts/seed_corpus.py generates:" >&2
diff -u --label committed --label regenerated data/seed/corpus.csv "$tmp/corpus.csv" | head -n 40 >&2 || true
echo "rerun: python3 scripts/seed_corpus.py (and retrain models/default.json)" >&2
exit 1
