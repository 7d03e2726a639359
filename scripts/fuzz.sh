#!/usr/bin/env bash
# Builds every libFuzzer target (Fuzz/build.sh) and runs each for a while. See Fuzz/README.md.
#
#   scripts/fuzz.sh                 each target 600 s
#   scripts/fuzz.sh 1800            each target 1800 s
#   scripts/fuzz.sh --short         each target 20 s (CI)
#   scripts/fuzz.sh 600 NAME...     only these targets
#
# Environment: FUZZ_PARALLEL (targets run at once, default 1; the machine has 2 cores shared
# with builds, so at most 2), FUZZ_SCRATCH (build folder, default .build-fuzz), FUZZ_RSS_MB
# (libFuzzer memory limit, default 3072).
#
# For each target: first every input in Fuzz/regressions/<target>/ is replayed once (a crash
# found earlier must stay fixed), then libFuzzer runs with -max_total_time on a working corpus
# in $FUZZ_SCRATCH/corpus/<target> seeded from Fuzz/corpus/<target>. A crash leaves its input
# in $FUZZ_SCRATCH/artifacts/<target>/; copy it into Fuzz/regressions/<target>/ once the bug is
# fixed. The table at the end gives executions and coverage (cov: edges, ft: features) from
# libFuzzer's final stats. Exit status: 0 when nothing crashed.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=600
if [ "${1:-}" = "--short" ]; then seconds=20; shift
elif [[ "${1:-}" =~ ^[0-9]+$ ]]; then seconds=$1; shift
fi
SCRATCH=${FUZZ_SCRATCH:-.build-fuzz}
PARALLEL=${FUZZ_PARALLEL:-1}
RSS_MB=${FUZZ_RSS_MB:-3072}
export FUZZ_SCRATCH=$SCRATCH

if [ "$#" -gt 0 ]; then targets=("$@"); else
    targets=()
    for file in Fuzz/Targets/*.swift; do targets+=("$(basename "$file" .swift)"); done
fi

Fuzz/build.sh "${targets[@]}" || { echo "fuzz: build failed" >&2; exit 2; }

# LeakSanitizer stays on: a reference cycle leaking per request would be a real bug. Its
# suppressions name only fixtures built once per run (Fuzz/lsan.supp says why).
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:symbolize=1:detect_leaks=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0}
# Swift's own crash backtracer would run beside AddressSanitizer's report and can hang a crashed
# target; ASan's report is the one wanted.
export SWIFT_BACKTRACE=enable=no
# One folder per run, so two runs on different targets can share the build folder.
mkdir -p "$SCRATCH/fuzz-results"
results=$(mktemp -d "$SCRATCH/fuzz-results/run.XXXXXX")

run_target() {
    local target=$1 binary="$SCRATCH/fuzzers/$1" log="$SCRATCH/logs/$1.log"
    local corpus="$SCRATCH/corpus/$target" artifacts="$SCRATCH/artifacts/$target/"
    mkdir -p "$corpus" "$artifacts" "$SCRATCH/logs"
    local status=ok replayed=0

    # 1. Regressions: each saved crash input, run once.
    if compgen -G "Fuzz/regressions/$target/*" > /dev/null; then
        replayed=$(ls "Fuzz/regressions/$target" | wc -l)
        if ! "$binary" -rss_limit_mb="$RSS_MB" "Fuzz/regressions/$target"/* > "$SCRATCH/logs/$target.regressions.log" 2>&1; then
            status="REGRESSION (see $SCRATCH/logs/$target.regressions.log)"
        fi
    fi

    # 2. Fuzzing. The seed corpus is read (second folder), new inputs go to the working one.
    local seeds=()
    [ -d "Fuzz/corpus/$target" ] && seeds=("Fuzz/corpus/$target")
    "$binary" -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb="$RSS_MB" -timeout=10 \
        -max_len=8192 -dict=Fuzz/fuzz.dict -artifact_prefix="$artifacts" "$corpus" "${seeds[@]}" > "$log" 2>&1
    local code=$?
    if [ "$code" -ne 0 ]; then
        local artifact
        artifact=$(ls -t "$artifacts" 2>/dev/null | head -1)
        status="CRASH exit $code ${artifact:+($artifacts$artifact)}"
    fi

    # cov/ft/corp from the last status line, executions from the final stats.
    local last execs rate cov ft corp
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    execs=$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{print $2}')
    rate=$(grep -E '^stat::average_exec_per_sec:' "$log" | awk '{print $2}')
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<< "$last")
    printf '%-16s %7s %12s %8s %7s %7s %6s %5s  %s\n' "$target" "${seconds}s" "${execs:-?}" "${rate:-?}" "${cov:-?}" \
        "${ft:-?}" "${corp:-?}" "$replayed" "$status" > "$results/$target.row"
    echo "fuzz: $target done: ${execs:-?} executions, cov ${cov:-?}, ft ${ft:-?}, $status" >&2
}

echo "fuzz: ${#targets[@]} targets, ${seconds} s each, ${PARALLEL} at a time" >&2
running=0
for target in "${targets[@]}"; do
    run_target "$target" &
    running=$((running + 1))
    if [ "$running" -ge "$PARALLEL" ]; then wait -n; running=$((running - 1)); fi
done
wait

printf '\n%-16s %7s %12s %8s %7s %7s %6s %5s  %s\n' target time executions exec/s cov ft corpus regr result
failed=0
for target in "${targets[@]}"; do
    row="$results/$target.row"
    if [ -f "$row" ]; then cat "$row"; else printf '%-16s no result\n' "$target"; failed=1; fi
    grep -q -E ' ok$' "$row" 2>/dev/null || failed=1
done
rm -rf "$results"
if [ "$failed" -ne 0 ]; then
    echo "fuzz: FAILED: a target crashed or a regression input fails again (logs in $SCRATCH/logs)" >&2
    exit 1
fi
echo "fuzz: all targets ran without a crash" >&2
