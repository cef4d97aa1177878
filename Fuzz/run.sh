#!/usr/bin/env bash
# Builds the libFuzzer target over the TOML loaders (PersonaKit's sources + Fuzz/TOMLFuzz.swift,
# with -sanitize=fuzzer,address) and runs it on Fuzz/corpus/toml for SECONDS (default 60).
# New inputs that reach new code are added to the corpus; a crash is written to
# .build-fuzz/crash-* and the script fails. Usage: bash Fuzz/run.sh [SECONDS]
# With FUZZ_RUNS=N the run is N inputs from seed 1 instead (what CI does: the same inputs every
# time, so that a red CI is a reproducible finding, not luck).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
out=.build-fuzz
mkdir -p "$out"
swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
  -module-name PersonaKit \
  $(find Sources/PersonaKit -name '*.swift' | sort) Fuzz/TOMLFuzz.swift \
  -o "$out/toml-fuzz"
limit=(-max_total_time="$seconds")
if [ -n "${FUZZ_RUNS:-}" ]; then limit=(-runs="$FUZZ_RUNS" -seed=1); fi
SWIFT_BACKTRACE=enable=no "$out/toml-fuzz" "${limit[@]}" -max_len=4096 -timeout=10 \
  -artifact_prefix="$out/" -dict=Fuzz/toml.dict Fuzz/corpus/toml
