package dev.llmobs.examples.harness;

import com.amazonaws.services.lambda.runtime.Context;
import dev.llmobs.examples.PlainHandler;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.instrumentation.awslambdacore.v1_0.TracingRequestHandler;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.util.Map;

/**
 * The comparator of the OTLP layer benchmark: example 2 traced with OpenTelemetry's own Lambda wrapper
 * ({@code TracingRequestHandler}, which flushes the SDK at the end of each invocation) and the OTLP/HTTP exporter,
 * doing the same work as our layer: a server span for the invocation and a GenAI {@code chat} span for the Bedrock
 * call. Not an example: it lives with the harness and runs only in {@code LayerColdStart otlp}.
 */
public class OtelPlainHandler extends TracingRequestHandler<Map<String, Object>, String> {
  private static final String MODEL = System.getenv().getOrDefault("MODEL_ID", "amazon.nova-micro-v1:0");
  private static final OpenTelemetrySdk SDK = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder()
          .setResource(Resource.getDefault().merge(Resource.create(
              Attributes.of(AttributeKey.stringKey("service.name"), "plain"))))
          .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
              .setEndpoint(System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT") + "/v1/traces").build()).build())
          .build())
      .build();
  private final PlainHandler delegate = new PlainHandler();

  public OtelPlainHandler() {
    super(SDK);
  }

  @Override protected String doHandleRequest(Map<String, Object> event, Context context) {
    Span span = SDK.getTracer("plain").spanBuilder("chat " + MODEL).setSpanKind(SpanKind.CLIENT)
        .setAttribute("gen_ai.operation.name", "chat").setAttribute("gen_ai.provider.name", "aws.bedrock")
        .setAttribute("gen_ai.request.model", MODEL).startSpan();
    try (Scope ignored = span.makeCurrent()) {
      return delegate.handleRequest(event, context);
    } finally {
      span.end();
    }
  }
}
