package dev.llmobs.integrations.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A class that implements one of an SDK's client interfaces by calling the user's client, written as bytecode from
 * the interface's own class file.
 *
 * <p>Why not a JDK proxy: {@link java.lang.reflect.Proxy} builds its class by reflection on the interface, and
 * reflection loads every type the interface's methods name. openai-java's client interface names some thirty
 * services; loading them all made a traced cold first call pay about 30 ms and pushed the JVM over its first
 * metadata GC threshold. Reading the class file names the methods without loading anything, and a type is loaded
 * when its method is first called, as it is without us.
 *
 * <p>Only for interfaces that are pure navigation: none of their methods is a model call (those stay in a JDK proxy,
 * which opens the call's span), and they extend no other interface. Every method calls the user's client with the
 * same arguments and returns its result, or throws what it threw (a default method too, so that the client's own
 * override answers); a method returning an object of the SDK's client
 * or service types passes that result through {@link ClientProxy#view} first. The class is defined in this package,
 * by the loader that loaded us, and only when that loader sees the very same interface; otherwise, or when the class
 * file cannot be read, {@link #define} answers null and the JDK proxy is used, as before.
 */
final class DelegateClass {
  private DelegateClass() {}

  private static final String SELF = "dev/llmobs/integrations/internal/";
  private static final String PROXY = SELF + "ClientProxy";
  private static final String MARK = SELF + "ClientProxy$Generated";
  private static final AtomicInteger COUNT = new AtomicInteger();

  /** A generated class: how to make one, and what its methods return (the binary name, for {@code view}). */
  static final class Shape {
    final Constructor<?> constructor;
    /** For method {@code i}: the binary name of its result type if it goes through {@code view}, else null. */
    final String[] viewed;
    /** For method {@code i}: whether it takes no arguments (its view can be kept and handed out again). */
    final boolean[] plain;

    Shape(Constructor<?> constructor, String[] viewed, boolean[] plain) {
      this.constructor = constructor;
      this.viewed = viewed;
      this.plain = plain;
    }
  }

  /** The generated class for {@code type}, or null when it must be a JDK proxy (said above). */
  static Shape define(Class<?> type, Protocol protocol) throws ReflectiveOperationException, IOException {
    if (!type.isInterface() || protocol.hasCalls(type)) return null;
    if (Class.forName(type.getName(), false, DelegateClass.class.getClassLoader()) != type) return null;
    List<String[]> methods = methods(type);
    if (methods == null) return null;
    String[] viewed = new String[methods.size()];
    boolean[] plain = new boolean[methods.size()];
    for (int i = 0; i < methods.size(); i++) {
      String name = methods.get(i)[0], descriptor = methods.get(i)[1];
      if (protocol.ofMethod(type, name) != null) return null; // a model call: the JDK proxy traces it
      plain[i] = descriptor.startsWith("()");
      String result = descriptor.substring(descriptor.indexOf(')') + 1);
      if (result.startsWith("L")) {
        String binary = result.substring(1, result.length() - 1).replace('/', '.');
        if (protocol.navigates(binary)) viewed[i] = binary;
      }
    }
    String name = SELF + "ClientView$" + COUNT.incrementAndGet();
    byte[] bytes = write(name, type.getName().replace('.', '/'), methods, viewed);
    if (bytes == null) return null;
    MethodHandles.Lookup here = MethodHandles.lookup();
    Class<?> defined = here.defineClass(bytes);
    here.ensureInitialized(defined); // verified now, so a class we wrote wrong fails the wrap, never a later call
    return new Shape(defined.getDeclaredConstructor(Object.class, ClientProxy.class), viewed, plain);
  }

  /**
   * The public instance methods of an interface (abstract or default) as {name, descriptor} pairs, read from its
   * class file; null when it is
   * not one we can implement: unreadable, not an interface, with superinterfaces, or with non-ASCII names.
   */
  static List<String[]> methods(Class<?> type) throws IOException {
    ClassLoader loader = type.getClassLoader();
    if (loader == null) return null;
    byte[] b;
    try (InputStream in = loader.getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
      if (in == null) return null;
      b = in.readAllBytes();
    }
    return methods(b);
  }

  static List<String[]> methods(byte[] b) {
    try {
      ByteBuffer in = ByteBuffer.wrap(b);
      if (in.getInt() != 0xCAFEBABE) return null;
      in.getInt(); // version
      int count = in.getShort() & 0xFFFF;
      String[] utf8 = new String[count];
      for (int i = 1; i < count; i++) {
        int tag = in.get();
        switch (tag) {
          case 1:
            int length = in.getShort() & 0xFFFF;
            boolean ascii = true; // names and descriptors are, in the SDKs; Kotlin's metadata strings are not
            for (int k = in.position(); k < in.position() + length; k++) ascii &= b[k] > 0;
            if (ascii) utf8[i] = new String(b, in.position(), length, StandardCharsets.ISO_8859_1);
            in.position(in.position() + length);
            break;
          case 7: case 8: case 16: case 19: case 20: in.position(in.position() + 2); break;
          case 15: in.position(in.position() + 3); break;
          case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: in.position(in.position() + 4); break;
          case 5: case 6: in.position(in.position() + 8); i++; break;
          default: return null;
        }
      }
      int access = in.getShort();
      in.getInt(); // this and super
      if ((access & 0x200) == 0 || in.getShort() != 0) return null; // not an interface, or it extends others
      skipMembers(in);
      int methods = in.getShort() & 0xFFFF;
      List<String[]> out = new ArrayList<>(methods);
      for (int i = 0; i < methods; i++) {
        int flags = in.getShort();
        String name = utf8[in.getShort() & 0xFFFF], descriptor = utf8[in.getShort() & 0xFFFF];
        skipAttributes(in);
        // Every instance method the interface shows, default ones too: an SDK's default may only throw, standing for
        // what its implementation overrides (openai-java 4.91's ChatService.completions()).
        if ((flags & 0x0008) != 0 || (flags & 0x0001) == 0) continue; // static, or a private helper
        if (name == null || descriptor == null) return null; // a name that is not ASCII
        out.add(new String[] {name, descriptor});
      }
      return out;
    } catch (RuntimeException e) { // a class file we do not understand: the JDK proxy reads it instead
      return null;
    }
  }

  private static void skipMembers(ByteBuffer in) {
    int n = in.getShort() & 0xFFFF;
    for (int i = 0; i < n; i++) {
      in.position(in.position() + 6);
      skipAttributes(in);
    }
  }

  private static void skipAttributes(ByteBuffer in) {
    int n = in.getShort() & 0xFFFF;
    for (int i = 0; i < n; i++) {
      in.getShort(); // its name
      int length = in.getInt();
      in.position(in.position() + length);
    }
  }

  /**
   * The class: two fields (the user's client, our {@link ClientProxy}), a constructor taking both, and every
   * method of the interface, default ones included, calling the client straight through, with {@code hashCode}, {@code equals} and
   * {@code toString} answered as the JDK proxy answers them. Straight-line code only, so no stack map frames.
   */
  static byte[] write(String name, String iface, List<String[]> methods, String[] viewed) {
    Pool pool = new Pool();
    String target = "L" + iface + ";", proxy = "L" + PROXY + ";";
    List<byte[]> bodies = new ArrayList<>();
    // <init>(Object, ClientProxy)
    Code init = new Code(pool);
    init.op(0x2a).op(0xb7).u2(pool.ref(10, "java/lang/Object", "<init>", "()V"));
    init.op(0x2a).op(0x2b).op(0xc0).u2(pool.type(iface)).op(0xb5).u2(pool.ref(9, name, "target", target));
    init.op(0x2a).op(0x2c).op(0xb5).u2(pool.ref(9, name, "proxy", proxy)).op(0xb1);
    bodies.add(init.method(0x0001, "<init>", "(Ljava/lang/Object;" + proxy + ")V", 2, 3));
    boolean hash = false, equals = false, string = false;
    for (int i = 0; i < methods.size(); i++) {
      String m = methods.get(i)[0], d = methods.get(i)[1];
      hash |= m.equals("hashCode") && d.equals("()I");
      equals |= m.equals("equals") && d.equals("(Ljava/lang/Object;)Z");
      string |= m.equals("toString") && d.equals("()Ljava/lang/String;");
      Code c = new Code(pool);
      if (viewed[i] != null) c.op(0x2a).op(0xb4).u2(pool.ref(9, name, "proxy", proxy)).op(0x11).u2(i);
      c.op(0x2a).op(0xb4).u2(pool.ref(9, name, "target", target));
      int slots = 1;
      int at = 1;
      while (d.charAt(at) != ')') {
        char t = d.charAt(at);
        int end = at;
        while (d.charAt(end) == '[') end++;
        if (d.charAt(end) == 'L') end = d.indexOf(';', end);
        if (slots > 250) return null; // beyond a one-byte local index: the JDK proxy takes it
        c.op(t == 'J' ? 0x16 : t == 'D' ? 0x18 : t == 'F' ? 0x17 : t == 'L' || t == '[' ? 0x19 : 0x15).op(slots);
        slots += t == 'J' || t == 'D' ? 2 : 1;
        at = end + 1;
      }
      c.op(0xb9).u2(pool.ref(11, iface, m, d)).op(slots).op(0);
      char r = d.charAt(d.indexOf(')') + 1);
      if (viewed[i] != null) {
        c.op(0xb6).u2(pool.ref(10, PROXY, "view", "(ILjava/lang/Object;)Ljava/lang/Object;"));
        c.op(0xc0).u2(pool.type(viewed[i].replace('.', '/'))).op(0xb0);
      } else {
        c.op(r == 'V' ? 0xb1 : r == 'J' ? 0xad : r == 'D' ? 0xaf : r == 'F' ? 0xae : r == 'L' || r == '[' ? 0xb0 : 0xac);
      }
      bodies.add(c.method(0x0001, m, d, slots + 4, slots));
    }
    if (!hash) {
      Code c = new Code(pool);
      c.op(0x2a).op(0xb4).u2(pool.ref(9, name, "target", target)).op(0xb6).u2(pool.ref(10, "java/lang/Object", "hashCode", "()I")).op(0xac);
      bodies.add(c.method(0x0001, "hashCode", "()I", 1, 1));
    }
    if (!string) {
      Code c = new Code(pool);
      c.op(0x2a).op(0xb4).u2(pool.ref(9, name, "target", target))
          .op(0xb6).u2(pool.ref(10, "java/lang/Object", "toString", "()Ljava/lang/String;")).op(0xb0);
      bodies.add(c.method(0x0001, "toString", "()Ljava/lang/String;", 1, 1));
    }
    if (!equals) {
      Code c = new Code(pool);
      c.op(0x2a).op(0x2a).op(0xb4).u2(pool.ref(9, name, "target", target)).op(0x2b)
          .op(0xb8).u2(pool.ref(10, PROXY, "same", "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;)Z")).op(0xac);
      bodies.add(c.method(0x0001, "equals", "(Ljava/lang/Object;)Z", 3, 2));
    }
    int thisClass = pool.type(name), superClass = pool.type("java/lang/Object");
    int mark = pool.type(MARK), implemented = pool.type(iface);
    int[] fields = {pool.utf8("target"), pool.utf8(target), pool.utf8("proxy"), pool.utf8(proxy)};
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(0xCAFEBABE);
      out.writeInt(61); // Java 17
      out.writeShort(pool.size);
      pool.bytes.writeTo(out);
      out.writeShort(0x0010 | 0x0020 | 0x1000); // final, super, synthetic
      out.writeShort(thisClass);
      out.writeShort(superClass);
      out.writeShort(2);
      out.writeShort(implemented);
      out.writeShort(mark);
      out.writeShort(2);
      for (int f = 0; f < 4; f += 2) {
        out.writeShort(0x0002 | 0x0010); // private final
        out.writeShort(fields[f]);
        out.writeShort(fields[f + 1]);
        out.writeShort(0);
      }
      out.writeShort(bodies.size());
      for (byte[] body : bodies) out.write(body);
      out.writeShort(0);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e); // in memory: cannot happen
    }
  }

  /** The constant pool being written: each entry once. */
  private static final class Pool {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final DataOutputStream out = new DataOutputStream(bytes);
    final Map<String, Integer> index = new HashMap<>();
    int size = 1;

    int utf8(String s) {
      return entry("1:" + s, 1, s, 0, 0);
    }

    int type(String internalName) {
      return entry("7:" + internalName, 7, null, utf8(internalName), 0);
    }

    /** A field (9), method (10) or interface method (11) reference. */
    int ref(int tag, String owner, String name, String descriptor) {
      int type = type(owner);
      int nameAndType = entry("12:" + name + ":" + descriptor, 12, null, utf8(name), utf8(descriptor));
      return entry(tag + ":" + owner + "." + name + ":" + descriptor, tag, null, type, nameAndType);
    }

    private int entry(String key, int tag, String text, int a, int b) {
      Integer known = index.get(key);
      if (known != null) return known;
      try {
        out.writeByte(tag);
        if (text != null) out.writeUTF(text);
        else {
          out.writeShort(a);
          if (tag != 7) out.writeShort(b);
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      index.put(key, size);
      return size++;
    }
  }

  /** One method's code, then the method itself. */
  private static final class Code {
    final Pool pool;
    final ByteArrayOutputStream code = new ByteArrayOutputStream();

    Code(Pool pool) {
      this.pool = pool;
    }

    Code op(int b) {
      code.write(b);
      return this;
    }

    Code u2(int v) {
      code.write(v >>> 8);
      code.write(v);
      return this;
    }

    byte[] method(int access, String name, String descriptor, int maxStack, int maxLocals) {
      int nameIndex = pool.utf8(name), descriptorIndex = pool.utf8(descriptor), codeIndex = pool.utf8("Code");
      ByteBuffer m = ByteBuffer.allocate(8 + 6 + 8 + code.size() + 4);
      m.putShort((short) access).putShort((short) nameIndex).putShort((short) descriptorIndex).putShort((short) 1);
      m.putShort((short) codeIndex).putInt(12 + code.size());
      m.putShort((short) maxStack).putShort((short) maxLocals).putInt(code.size()).put(code.toByteArray());
      m.putShort((short) 0).putShort((short) 0); // no exception table, no attributes
      return m.array();
    }
  }
}
