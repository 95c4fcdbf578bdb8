#!/usr/bin/env bash
# The fuzz targets (fuzz/, libFuzzer through libfuzzer-sys), each for a bounded time; a
# crash, a panic, an overflow or a timeout fails the step and leaves its input in
# fuzz/artifacts/<target>/. New corpus entries go to a scratch dir, so the checked-in
# seeds stay as they are.
#
# Built the way `cargo fuzz build -O -s none` builds (the same coverage flags), with the
# stable compiler and without installing cargo-fuzz: that install alone costs minutes of
# CI on 2 cores. Our code forbids `unsafe`, so AddressSanitizer (nightly-only) would
# add little; debug assertions and overflow checks stay on. Developers can still run
# `cargo +nightly fuzz run <target>` from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

SECS="${FUZZ_SECONDS:-15}"
TARGETS=(import_csv import_xlsx score_sheet rubric scrub)

HOST="$(rustc -vV | sed -n 's/^host: //p')"
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}/fuzz"
# With --target, these flags reach the fuzzed code and not the build scripts.
export RUSTFLAGS="-Cpasses=sancov-module \
 -Cllvm-args=-sanitizer-coverage-level=4 \
 -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
 -Cllvm-args=-sanitizer-coverage-pc-table \
 -Cllvm-args=-sanitizer-coverage-trace-compares \
 --cfg fuzzing -Cdebug-assertions -Coverflow-checks"

# One build for all targets, so the time limit below is fuzzing time.
cargo build --locked --release --manifest-path fuzz/Cargo.toml --target "$HOST" \
  --target-dir "$TARGET_DIR" --bins

SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT
for t in "${TARGETS[@]}"; do
  echo "== fuzz $t for ${SECS}s"
  mkdir -p "$SCRATCH/$t" "fuzz/artifacts/$t"
  seeds=()
  [ -d "fuzz/corpus/$t" ] && seeds=("fuzz/corpus/$t")
  "$TARGET_DIR/$HOST/release/$t" "$SCRATCH/$t" "${seeds[@]}" \
    -artifact_prefix="fuzz/artifacts/$t/" \
    -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1
done
echo "fuzz: no crash"
