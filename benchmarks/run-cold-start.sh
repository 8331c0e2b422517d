#!/usr/bin/env bash
# Runs a cold-start harness (see docs/performance.md):
#   run-cold-start.sh [runs] [primed]  first trace flushed vs a bare HttpURLConnection POST (primed: the JVM's
#                                      lambda machinery bootstrapped first, as under the Lambda runtime client)
#   run-cold-start.sh bedrock [runs]   first Bedrock Converse call with vs without llmobs on the class path
#   run-cold-start.sh langchain4j [runs]  first LangChain4j AI Service call with vs without llmobs on the class path
#   run-cold-start.sh clients [runs]   first Anthropic and OpenAI SDK calls, bare vs through LLMObs*.wrap
#   run-cold-start.sh clients-lambda [runs]  the first OpenAI SDK call inside a Lambda function, under the real
#                                      runtime client, with and without the layer (examples' LayerColdStart openai)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "clients-lambda" ]; then
  mvn -B -q -DskipTests install -pl layer,examples -am
  exec mvn -B -q -pl examples exec:java -Dexec.mainClass=dev.llmobs.examples.harness.LayerColdStart \
    -Dexec.classpathScope=test -Dexec.args="${2:-40} 5 openai"
fi
mvn -B -q -DskipTests -pl benchmarks -am package
main=dev.llmobs.bench.ColdStart
if [ "${1:-}" = "bedrock" ]; then main=dev.llmobs.bench.BedrockColdStart; shift; fi
if [ "${1:-}" = "langchain4j" ]; then main=dev.llmobs.bench.LangChain4jColdStart; shift; fi
if [ "${1:-}" = "clients" ]; then main=dev.llmobs.bench.LlmClientColdStart; shift; fi
exec java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" "$main" "${1:-15}" "${2:-}"
