package dev.llmobs.internal;

import java.io.InputStream;
import java.util.Properties;

/** This SDK's version, as built; sent as {@code _dd.tracer_version} and tag {@code ddtrace.version}. */
public final class Version {
  private static final String VERSION = read();

  private Version() {}

  public static String get() {
    return VERSION;
  }

  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in == null) return "0.0.0";
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "0.0.0");
      return v.startsWith("${") ? "0.0.0" : v;
    } catch (Exception e) {
      return "0.0.0";
    }
  }
}
