#!/usr/bin/env bash
# The fuzz targets (fuzz/, cargo-fuzz on libFuzzer), each for a bounded time; a crash,
# a panic or a timeout fails the step and leaves its input in fuzz/artifacts/<target>/.
# New corpus entries go to a scratch dir, so the checked-in seeds stay as they are.
set -euo pipefail
cd "$(dirname "$0")/.."

SECS="${FUZZ_SECONDS:-25}"
TARGETS=(import_csv import_xlsx score_sheet rubric)

# cargo-fuzz needs nightly (sanitizer flags). Use rustup's nightly when there is one;
# otherwise let the stable compiler accept them.
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  CARGO=(cargo +nightly)
else
  export RUSTC_BOOTSTRAP=1
  CARGO=(cargo)
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz
fi

SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT

# One build for all targets, so the time limit below is fuzzing time.
"${CARGO[@]}" fuzz build --fuzz-dir fuzz -O
for t in "${TARGETS[@]}"; do
  echo "== fuzz $t for ${SECS}s"
  mkdir -p "$SCRATCH/$t"
  seeds=()
  [ -d "fuzz/corpus/$t" ] && seeds=("fuzz/corpus/$t")
  "${CARGO[@]}" fuzz run --fuzz-dir fuzz -O "$t" "$SCRATCH/$t" "${seeds[@]}" -- \
    -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1
done
echo "fuzz: no crash"
