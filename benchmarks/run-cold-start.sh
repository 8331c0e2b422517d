#!/usr/bin/env bash
# Runs the cold-start harness: $1 cold JVMs per side (default 15). See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests -pl benchmarks -am package
exec java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" dev.llmobs.bench.ColdStart "${1:-15}"
