#!/usr/bin/env bash
# Builds the libFuzzer targets (PersonaKit's sources + one entry file, with
# -sanitize=fuzzer,address) and runs each on its corpus for SECONDS (default 60):
# - Fuzz/TOMLFuzz.swift over the TOML loaders, on Fuzz/corpus/toml;
# - Fuzz/StreamLogFuzz.swift over the stream log reader and the dashboard's line formatting, on
#   Fuzz/corpus/streamlog.
# New inputs that reach new code are added to the corpus; a crash is written to
# .build-fuzz/crash-* and the script fails. Usage: bash Fuzz/run.sh [SECONDS]
# With FUZZ_RUNS=N each run is N inputs from seed 1 instead (what CI does: the same inputs every
# time, so that a red CI is a reproducible finding, not luck).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
out=.build-fuzz
mkdir -p "$out" Fuzz/corpus/streamlog
build() {
  swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
    -module-name PersonaKit -I Sources/CYAML -lyaml \
    $(find Sources/PersonaKit -name '*.swift' | sort) "Fuzz/$1" \
    -o "$out/$2"
}
build TOMLFuzz.swift toml-fuzz
build StreamLogFuzz.swift streamlog-fuzz
limit=(-max_total_time="$seconds")
if [ -n "${FUZZ_RUNS:-}" ]; then limit=(-runs="$FUZZ_RUNS" -seed=1); fi
SWIFT_BACKTRACE=enable=no "$out/toml-fuzz" "${limit[@]}" -max_len=4096 -timeout=10 \
  -artifact_prefix="$out/" -dict=Fuzz/toml.dict Fuzz/corpus/toml
# (Each input is written to a file and read back: a few hundred inputs a second.)
if [ -n "${FUZZ_RUNS:-}" ]; then limit=(-runs="${FUZZ_LOG_RUNS:-20000}" -seed=1); fi
SWIFT_BACKTRACE=enable=no "$out/streamlog-fuzz" "${limit[@]}" -max_len=4096 -timeout=10 \
  -artifact_prefix="$out/streamlog-" -dict=Fuzz/streamlog.dict Fuzz/corpus/streamlog
