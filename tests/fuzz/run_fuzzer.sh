#!/bin/sh
# usage: run_fuzzer.sh FUZZER SEED_DIR WORK_DIR SECONDS
# Runs a libFuzzer target for a bounded time on a fresh copy of the seeds; exits non-zero on any crash, leak,
# sanitizer report, over-long input (timeout) or oversized allocation. The crashing input is kept in WORK_DIR.
set -eu
fuzzer=$1 seeds=$2 work=$3 seconds=$4
[ -x "$fuzzer" ] || { echo "fuzzer $fuzzer not built"; exit 77; }
[ -d "$seeds" ] || { echo "no seeds in $seeds: run the reference.checkpoints test first"; exit 1; }
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
# -timeout is generous: the machine is shared, and a real hang runs far longer. -rss_limit_mb also caps
# single allocations: a reader that believes a file's absurd sizes is caught here.
exec "$fuzzer" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=3072 -max_len=262144 \
  -error_exitcode=1 -timeout_exitcode=1 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$work/corpus" "$seeds"
