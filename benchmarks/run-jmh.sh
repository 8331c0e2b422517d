#!/usr/bin/env bash
# Runs the JMH benchmarks (all, or those matching $1) on the current JDK. See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests -pl benchmarks -am package
exec java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" org.openjdk.jmh.Main "${@:-.*}"
