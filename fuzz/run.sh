#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60) with overflow checks and debug
# assertions on, and prints executions and findings per target. The growing corpus goes to
# fuzz/corpus-run/ (not committed); crashes to fuzz/artifacts/<target>/.
#
#   cargo install cargo-fuzz
#   fuzz/run.sh 300            five minutes per target
#   fuzz/run.sh 60 signatures  one target
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
shift || true
targets=${*:-$(RUSTC_BOOTSTRAP=1 cargo fuzz list)}
unset CARGO_TARGET_DIR   # sanitizer builds live in fuzz/target, apart from normal builds
RUSTC_BOOTSTRAP=1 cargo fuzz build -a >/dev/null
status=0
for t in $targets; do
  mkdir -p "corpus-run/$t"
  cp -n corpus/"$t"/* "corpus-run/$t/" 2>/dev/null
  out=$(RUSTC_BOOTSTRAP=1 cargo fuzz run -a "$t" "corpus-run/$t" -- -max_total_time="$secs" -print_final_stats=1 -timeout=10 2>&1)
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' <<<"$out" | grep -o '[0-9]*$')
  cov=$(grep -o 'cov: [0-9]*' <<<"$out" | tail -1)
  if [ $rc -eq 0 ]; then
    echo "$t: ${execs:-?} executions in ${secs}s, ${cov:-cov: ?}, corpus $(ls "corpus-run/$t" | wc -l) inputs, no findings"
  else
    status=1
    echo "$t: FINDING after ${execs:-?} executions:"
    grep -E 'panicked|ERROR|SUMMARY|Test unit written' <<<"$out" | head -5 | sed 's/^/    /'
  fi
done
exit $status
