package dev.llmobs.testing;

import java.io.File;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The test's own class path, less some entries: for a fresh class loader or a child JVM that sees the function's
 * class path without a jar (the AWS SDK, bedrockruntime, our own) or without the test classes.
 */
public final class ClassPaths {
  private ClassPaths() {}

  /** The class path's entries, in order, less those {@code excluded} names. */
  public static List<String> entriesWithout(Predicate<String> excluded) {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> kept = new ArrayList<>();
    for (String entry : cp.split(File.pathSeparator)) {
      if (!entry.isEmpty() && !excluded.test(entry)) kept.add(entry);
    }
    return kept;
  }

  /** The same entries as URLs, for a {@link java.net.URLClassLoader}. */
  public static URL[] without(Predicate<String> excluded) {
    List<URL> urls = new ArrayList<>();
    for (String entry : entriesWithout(excluded)) {
      try {
        urls.add(new File(entry).toURI().toURL());
      } catch (MalformedURLException e) {
        throw new UncheckedIOException(e);
      }
    }
    return urls.toArray(new URL[0]);
  }
}
