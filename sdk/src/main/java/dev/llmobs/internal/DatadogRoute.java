package dev.llmobs.internal;

import java.util.Map;

/**
 * Where spans go in Datadog's format and why: agentless to the intake, through the agent or Lambda extension's EVP
 * proxy, JSON lines on stdout or in a file, or nowhere (OTLP only). Read once from the environment with the rest of
 * the configuration; immutable. The API key lives here and nowhere else.
 */
public final class DatadogRoute {
  /** The kinds of route; {@code NONE} when spans go only over OTLP. */
  public enum Route { AGENTLESS, AGENT, STDOUT, FILE, NONE }

  public final Route route;
  /** Why {@link #route} was chosen, for the one start-up line. */
  public final String reason;
  /**
   * The agent route was detected, not asked for: the first flush asks the agent's {@code /info} whether it has the
   * EVP proxy before using it (wire format §1.4).
   */
  public final boolean discover;
  public final String site, agentUrl, overrideOrigin, exportFile;
  /** The largest request body ({@code DD_LLMOBS_PAYLOAD_SIZE_BYTES}; the extension's proxy takes less). */
  public final int payloadBytes;
  private final String apiKey; // never printed; see Config.toString()

  DatadogRoute(Map<String, String> e, boolean extensionPresent, String explicit, boolean otlpOnly) {
    site = Config.firstNonBlank(e.get("DD_SITE"), "datadoghq.com");
    apiKey = Config.trimToNull(e.get("DD_API_KEY"));
    overrideOrigin = Config.stripSlash(Config.trimToNull(e.get("DD_LLMOBS_OVERRIDE_ORIGIN")));
    exportFile = Config.trimToNull(e.get("LLMOBS_EXPORT_FILE"));
    String url = Config.trimToNull(e.get("DD_TRACE_AGENT_URL"));
    if (url == null) {
      String host = Config.firstNonBlank(e.get("DD_AGENT_HOST"), "localhost");
      String port = Config.firstNonBlank(e.get("DD_TRACE_AGENT_PORT"), "8126");
      url = "http://" + host + ":" + port;
    }
    agentUrl = Config.stripSlash(url);
    String agentless = Config.lower(Config.trimToNull(e.get("DD_LLMOBS_AGENTLESS_ENABLED")));
    Route r;
    String why;
    if (explicit != null && !explicit.equals("auto")) {
      switch (explicit) {
        case "agentless": r = Route.AGENTLESS; break;
        case "agent": case "extension": r = Route.AGENT; break;
        case "file": r = Route.FILE; break;
        case "stdout": r = Route.STDOUT; break;
        default:
          Log.warn("LLMOBS_EXPORTER=" + explicit + " is not one of auto, agentless, agent, stdout, file, otlp; using auto");
          r = null;
      }
      why = "LLMOBS_EXPORTER=" + explicit;
    } else {
      r = null;
      why = null;
    }
    boolean detected = false;
    if (otlpOnly) {
      r = Route.NONE;
      why = "LLMOBS_EXPORTER=otlp";
    }
    if (r == null) {
      if ("true".equals(agentless) || "1".equals(agentless)) {
        r = Route.AGENTLESS;
        why = "DD_LLMOBS_AGENTLESS_ENABLED=true";
      } else if ("false".equals(agentless) || "0".equals(agentless)) {
        r = Route.AGENT;
        why = "DD_LLMOBS_AGENTLESS_ENABLED=false";
      } else if (Config.trimToNull(e.get("DD_TRACE_AGENT_URL")) != null || Config.trimToNull(e.get("DD_AGENT_HOST")) != null) {
        r = Route.AGENT;
        why = "an agent address is configured";
        detected = true;
      } else if (extensionPresent) {
        r = Route.AGENT;
        why = "the Datadog Lambda extension is installed";
        detected = true;
      } else if (apiKey != null) {
        r = Route.AGENTLESS;
        why = "DD_API_KEY is set and no agent is configured";
      } else if (exportFile != null) {
        r = Route.FILE;
        why = "LLMOBS_EXPORT_FILE is set";
      } else {
        r = Route.STDOUT;
        why = "no Datadog agent or API key is configured";
      }
    }
    if (r == Route.AGENTLESS && apiKey == null) {
      Log.warn("agentless export needs DD_API_KEY, which is not set; writing spans to stdout instead");
      r = Route.STDOUT;
      why = "agentless without DD_API_KEY";
    }
    if (r == Route.FILE && exportFile == null) {
      Log.warn("LLMOBS_EXPORTER=file needs LLMOBS_EXPORT_FILE; writing spans to stdout instead");
      r = Route.STDOUT;
    }
    route = r;
    reason = why;
    discover = detected && r == Route.AGENT;
    int defaultPayload = route == Route.AGENT ? Config.EXTENSION_PAYLOAD_BYTES : Config.DEFAULT_PAYLOAD_BYTES;
    payloadBytes = (int) Config.clamp(Config.longValue(e, "DD_LLMOBS_PAYLOAD_SIZE_BYTES", defaultPayload), 1024,
        Integer.MAX_VALUE - 16);
  }

  /** The API key, for the one header that needs it. */
  public String apiKey() {
    return apiKey;
  }

  public String spansUrl() {
    return spansUrl(route);
  }

  public String evaluationsUrl() {
    return evaluationsUrl(route);
  }

  /** Where spans go on {@code r}, whatever route was chosen (discovery may switch). */
  public String spansUrl(Route r) {
    return url(r, "https://llmobs-intake." + site, "/api/v2/llmobs");
  }

  public String evaluationsUrl(Route r) {
    return url(r, "https://api." + site, "/api/intake/llm-obs/v2/eval-metric");
  }

  /** {@code path} at the intake's origin (agentless) or behind the agent's EVP proxy; null on another route. */
  private String url(Route r, String intakeOrigin, String path) {
    switch (r) {
      case AGENTLESS: return (overrideOrigin != null ? overrideOrigin : intakeOrigin) + path;
      case AGENT: return (overrideOrigin != null ? overrideOrigin : agentUrl) + "/evp_proxy/v2" + path;
      default: return null;
    }
  }

  /** Where spans go, without the API key. */
  String describe() {
    switch (route) {
      case AGENTLESS: return "Datadog intake " + originOf(spansUrl()) + " (agentless, " + reason + ")";
      case AGENT: return "Datadog agent/extension " + originOf(spansUrl()) + " (EVP proxy, " + reason + ")";
      case FILE: return "JSON lines in " + exportFile + " (" + reason + ")";
      default: return "JSON lines on stdout (" + reason + ")";
    }
  }

  private static String originOf(String url) {
    int i = url.indexOf('/', url.indexOf("//") + 2);
    return i < 0 ? url : url.substring(0, i);
  }
}
