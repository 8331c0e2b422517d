package dev.llmobs.testing;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fresh copy of the test's class path that notes every class asked of it: what a piece of code loads, seen from
 * outside, with none of it loaded yet.
 */
public final class WatchingClassLoader extends URLClassLoader {
  /** Every class name asked of this loader, loaded or not. */
  public final Set<String> asked = ConcurrentHashMap.newKeySet();

  /** @param withTestClasses whether the test classes are on it too (else only the main classes and libraries) */
  public WatchingClassLoader(boolean withTestClasses) throws Exception {
    super(urls(withTestClasses), ClassLoader.getPlatformClassLoader());
  }

  private static URL[] urls(boolean withTestClasses) throws Exception {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<URL> urls = new ArrayList<>();
    for (String entry : cp.split(File.pathSeparator)) {
      if (!entry.isEmpty() && (withTestClasses || !entry.contains("/test-classes"))) urls.add(new File(entry).toURI().toURL());
    }
    return urls.toArray(new URL[0]);
  }

  @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    asked.add(name);
    return super.loadClass(name, resolve);
  }
}
