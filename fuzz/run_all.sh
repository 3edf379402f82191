#!/usr/bin/env bash
# Run every atheris harness, one after the other, on one core.
#
#   fuzz/run_all.sh [SECONDS] [READER...]
#
# SECONDS per reader (default 600); READERs default to all of them. Needs a
# Python with biaskit[all] and atheris installed: set PYTHON (default: python3).
# Logs go to $FUZZ_LOGS (default /tmp/fuzz-logs), crash reproducers to
# $FUZZ_FINDINGS (default /tmp/fuzz-findings), the growing corpora to
# $FUZZ_WORK (default /tmp/fuzz-work). Summarise with fuzz/summary.py.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python3}"
seconds="${1:-600}"
shift || true
readers=("$@")
if [ ${#readers[@]} -eq 0 ]; then
    readers=(native brat labelstudio doccano ptc basil inception spacy)
fi
logs="${FUZZ_LOGS:-/tmp/fuzz-logs}"
findings="${FUZZ_FINDINGS:-/tmp/fuzz-findings}"
work="${FUZZ_WORK:-/tmp/fuzz-work}"
mkdir -p "$logs" "$findings" "$work"
for reader in "${readers[@]}"; do
    seeds="$work/seeds/$reader"
    corpus="$work/corpus/$reader"
    rm -rf "$seeds"
    mkdir -p "$corpus"
    "$python" "$here/fuzz_$reader.py" --make-seeds "$seeds"
    echo "== $reader: $(date -Is) for ${seconds}s" >>"$logs/runs.txt"
    "$python" "$here/fuzz_$reader.py" \
        -max_total_time="$seconds" -max_len=16384 -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$findings/$reader-" \
        "$corpus" "$seeds" >"$logs/$reader.log" 2>&1
    echo "== $reader: exit $? at $(date -Is)" >>"$logs/runs.txt"
done
