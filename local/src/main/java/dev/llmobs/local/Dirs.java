package dev.llmobs.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Directory chores for laying out a function as Lambda does: unzip a package, copy a tree, delete a tree. */
public final class Dirs {
  private Dirs() {}

  /**
   * Unzips as Lambda unzips a deployment package or a layer; an entry that would land outside {@code into} is
   * refused, and the layer's exec wrapper is made executable (zip tools often drop the mode).
   */
  public static void unzip(Path zip, Path into) throws IOException {
    try (InputStream raw = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(raw)) {
      int entries = 0;
      for (ZipEntry e; (e = in.getNextEntry()) != null; entries++) {
        Path p = into.resolve(e.getName()).normalize();
        if (!p.startsWith(into)) throw new IOException("bad zip entry " + e.getName());
        if (e.isDirectory()) {
          Files.createDirectories(p);
        } else {
          Files.createDirectories(p.getParent());
          Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
          if (e.getName().equals("llmobs-wrapper")) p.toFile().setExecutable(true, false);
        }
      }
      if (entries == 0) throw new IOException(zip + " is not a zip or jar file (no entries)");
    }
  }

  public static void copyTree(Path from, Path to) throws IOException {
    if (!Files.exists(from)) return;
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.createDirectories(dest.getParent());
          Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  public static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      List<Path> all = new ArrayList<>();
      s.forEach(all::add);
      for (int i = all.size() - 1; i >= 0; i--) Files.deleteIfExists(all.get(i));
    }
  }
}
