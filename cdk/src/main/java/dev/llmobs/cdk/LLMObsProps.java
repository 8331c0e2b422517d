package dev.llmobs.cdk;

import java.util.Objects;
import software.amazon.awscdk.services.lambda.ILayerVersion;
import software.amazon.awscdk.services.secretsmanager.ISecret;

/**
 * How a function is instrumented: our layer, the route spans take (the Datadog Lambda extension, or agentless), and
 * the settings that become environment variables. Immutable; made with {@link #builder()}, which refuses what cannot
 * work (no layer, no route, two routes) with a clear message. There is no way to pass a plain API key: the key is
 * always a Secrets Manager secret.
 */
public final class LLMObsProps {
  /** Where spans go. */
  public enum Route {
    /** The Datadog Lambda extension's EVP proxy; the extension reads the key from the secret. */
    EXTENSION,
    /** Straight to Datadog's intake; CloudFormation resolves the secret into the function's configuration. */
    AGENTLESS
  }

  final ILayerVersion layer;
  final Route route;
  final ILayerVersion datadogExtension;
  final ISecret apiKey;
  final String mlApp, site, service, env, version;
  final Boolean captureIo;
  final Integer flushTimeoutMillis;
  final boolean zeroCode;

  private LLMObsProps(Builder b) {
    this.layer = b.layer;
    this.route = b.route;
    this.datadogExtension = b.datadogExtension;
    this.apiKey = b.apiKey;
    this.mlApp = b.mlApp;
    this.site = b.site;
    this.service = b.service;
    this.env = b.env;
    this.version = b.version;
    this.captureIo = b.captureIo;
    this.flushTimeoutMillis = b.flushTimeoutMillis;
    this.zeroCode = b.zeroCode;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link LLMObsProps}. */
  public static final class Builder {
    private ILayerVersion layer;
    private Route route;
    private ILayerVersion datadogExtension;
    private ISecret apiKey;
    private String mlApp, site, service, env, version;
    private Boolean captureIo;
    private Integer flushTimeoutMillis;
    private boolean zeroCode = true;

    private Builder() {}

    /** Our layer: {@link LLMObsLayer#layer()} or {@link LLMObsLayer#fromArn}. Required. */
    public Builder layer(ILayerVersion layer) {
      this.layer = Objects.requireNonNull(layer, "layer == null");
      return this;
    }

    /**
     * Spans go through the Datadog Lambda extension (its layer for your region and architecture), which reads the
     * API key from {@code apiKey}; the function's role is granted {@code secretsmanager:GetSecretValue} on it.
     */
    public Builder extension(ILayerVersion datadogExtension, ISecret apiKey) {
      setRoute(Route.EXTENSION);
      this.datadogExtension = Objects.requireNonNull(datadogExtension, "datadogExtension == null");
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey == null");
      return this;
    }

    /**
     * Spans go straight to Datadog's intake. The key reaches the function as {@code DD_API_KEY} through a
     * CloudFormation dynamic reference to {@code apiKey}: never in the template, but visible in the function's
     * configuration to whoever may read it. Prefer {@link #extension} where the extension can run.
     */
    public Builder agentless(ISecret apiKey) {
      setRoute(Route.AGENTLESS);
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey == null");
      return this;
    }

    private void setRoute(Route r) {
      if (route != null && route != r) {
        throw new IllegalArgumentException("llmobs-lambda: choose one route, extension(...) or agentless(...), not both");
      }
      route = r;
    }

    /** {@code DD_LLMOBS_ML_APP}. */
    public Builder mlApp(String mlApp) {
      this.mlApp = mlApp;
      return this;
    }

    /** {@code DD_SITE}, e.g. {@code datadoghq.eu}. */
    public Builder site(String site) {
      this.site = site;
      return this;
    }

    /** {@code DD_SERVICE}, {@code DD_ENV}, {@code DD_VERSION}; null leaves one unset. */
    public Builder unifiedTags(String service, String env, String version) {
      this.service = service;
      this.env = env;
      this.version = version;
      return this;
    }

    /** {@code LLMOBS_CAPTURE_IO}: false records no input or output. */
    public Builder captureIo(boolean captureIo) {
      this.captureIo = captureIo;
      return this;
    }

    /** {@code LLMOBS_FLUSH_TIMEOUT_MS}: the cap of each invocation's flush. */
    public Builder flushTimeoutMillis(int millis) {
      if (millis < 1) throw new IllegalArgumentException("llmobs-lambda: flushTimeoutMillis must be positive, was " + millis);
      this.flushTimeoutMillis = millis;
      return this;
    }

    /**
     * The function's code adopts tracing itself (a base class or {@code LLMObsLambda.wrap(...)}): the handler is left
     * alone and the exec wrapper is not set. By default the layer's exec wrapper traces it with zero code.
     */
    public Builder wrappedInCode() {
      this.zeroCode = false;
      return this;
    }

    public LLMObsProps build() {
      if (layer == null) throw new IllegalArgumentException("llmobs-lambda: layer(...) is required: new LLMObsLayer(...).layer() or LLMObsLayer.fromArn(...)");
      if (route == null) throw new IllegalArgumentException("llmobs-lambda: choose a route: extension(datadogExtensionLayer, apiKeySecret) or agentless(apiKeySecret)");
      return new LLMObsProps(this);
    }
  }
}
