package ntio.bench.peers;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of the one class a peer's unit holds: public and final, a public no-argument
 * constructor that calls its superclass's, and public {@code void} methods that return at once
 * (a plugin's {@code start} and {@code stop}, an activator's {@code start(BundleContext)} and
 * {@code stop(BundleContext)}).
 *
 * <p>Written here rather than compiled, so that the unit's class is never on any class path: only
 * the peer's own loader, reading the JAR {@link UnitJar} writes, ever defines it, as only the
 * kernel's image loader defines the Null driver's classes.
 */
final class UnitClassFile {

  /*
   * Implementation notes:
   *
   * The class file format of JVMS §4, version 61 (Java 17, what javac --release 17 writes). No
   * method has a branch, so none needs a StackMapTable. Constants are interned in a
   * LinkedHashMap keyed by their encoded bytes, so each appears once and indices are stable.
   */

  private static final int MAGIC = 0xCAFEBABE;
  private static final int MAJOR_JAVA_17 = 61;

  private static final int ACC_PUBLIC = 0x0001;
  private static final int ACC_FINAL = 0x0010;
  private static final int ACC_SUPER = 0x0020;

  private static final int CONSTANT_UTF8 = 1;
  private static final int CONSTANT_CLASS = 7;
  private static final int CONSTANT_METHODREF = 10;
  private static final int CONSTANT_NAME_AND_TYPE = 12;

  private static final int ALOAD_0 = 0x2A;
  private static final int INVOKESPECIAL = 0xB7;
  private static final int RETURN = 0xB1;

  /** A method whose body only returns: its name and descriptor, {@code (Lorg/x/Y;)V} say. */
  record EmptyMethod(String name, String descriptor) {
    EmptyMethod {
      if (!descriptor.startsWith("(") || !descriptor.endsWith(")V")) {
        throw new IllegalArgumentException("not a void method descriptor: " + descriptor);
      }
    }
  }

  private final Map<String, Integer> constants = new LinkedHashMap<>();
  private final List<byte[]> pool = new ArrayList<>();

  private UnitClassFile() {}

  /**
   * The class file of {@code binaryName} ({@code a.b.C}), extending {@code superName} and
   * implementing {@code interfaces} (binary names too), with a no-argument constructor and
   * {@code methods}.
   */
  static byte[] of(String binaryName, String superName, List<String> interfaces, List<EmptyMethod> methods) {
    return new UnitClassFile().write(internal(binaryName), internal(superName),
        interfaces.stream().map(UnitClassFile::internal).toList(), methods);
  }

  private byte[] write(String name, String superName, List<String> interfaces, List<EmptyMethod> methods) {
    int thisClass = classRef(name);
    int superClass = classRef(superName);
    List<Integer> interfaceRefs = interfaces.stream().map(this::classRef).toList();
    int code = utf8("Code");
    int superConstructor = methodRef(superClass, "<init>", "()V");
    int constructorName = utf8("<init>");
    int constructorDescriptor = utf8("()V");
    List<int[]> methodRefs = new ArrayList<>();
    for (EmptyMethod method : methods) {
      methodRefs.add(new int[] {utf8(method.name()), utf8(method.descriptor()), 1 + argumentSlots(method.descriptor())});
    }

    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeShort(0);
      out.writeShort(MAJOR_JAVA_17);
      out.writeShort(pool.size() + 1);
      for (byte[] constant : pool) {
        out.write(constant);
      }
      out.writeShort(ACC_PUBLIC | ACC_FINAL | ACC_SUPER);
      out.writeShort(thisClass);
      out.writeShort(superClass);
      out.writeShort(interfaceRefs.size());
      for (int ref : interfaceRefs) {
        out.writeShort(ref);
      }
      out.writeShort(0); // fields
      out.writeShort(1 + methods.size());
      // public <init>() { super(); }: aload_0, invokespecial, return.
      method(out, constructorName, constructorDescriptor, code, 1, 1,
          new byte[] {(byte) ALOAD_0, (byte) INVOKESPECIAL, (byte) (superConstructor >> 8),
              (byte) superConstructor, (byte) RETURN});
      for (int[] method : methodRefs) {
        method(out, method[0], method[1], code, 0, method[2], new byte[] {(byte) RETURN});
      }
      out.writeShort(0); // class attributes
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory", e);
    }
    return bytes.toByteArray();
  }

  private static void method(DataOutputStream out, int name, int descriptor, int code, int maxStack,
      int maxLocals, byte[] instructions) throws IOException {
    out.writeShort(ACC_PUBLIC);
    out.writeShort(name);
    out.writeShort(descriptor);
    out.writeShort(1); // attributes: Code
    out.writeShort(code);
    out.writeInt(2 + 2 + 4 + instructions.length + 2 + 2);
    out.writeShort(maxStack);
    out.writeShort(maxLocals);
    out.writeInt(instructions.length);
    out.write(instructions);
    out.writeShort(0); // exception table
    out.writeShort(0); // attributes of Code
  }

  /** Local variable slots the arguments of {@code descriptor} take (long and double take two). */
  static int argumentSlots(String descriptor) {
    int slots = 0;
    int i = 1;
    while (descriptor.charAt(i) != ')') {
      boolean array = false;
      while (descriptor.charAt(i) == '[') {
        array = true;
        i++;
      }
      char type = descriptor.charAt(i);
      if (type == 'L') {
        i = descriptor.indexOf(';', i);
      }
      slots += !array && (type == 'J' || type == 'D') ? 2 : 1;
      i++;
    }
    return slots;
  }

  private int utf8(String value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(CONSTANT_UTF8);
      out.writeUTF(value);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory", e);
    }
    return intern(bytes.toByteArray());
  }

  private int classRef(String internalName) {
    int name = utf8(internalName);
    return intern(new byte[] {CONSTANT_CLASS, (byte) (name >> 8), (byte) name});
  }

  private int methodRef(int owner, String name, String descriptor) {
    int nameIndex = utf8(name);
    int descriptorIndex = utf8(descriptor);
    int nameAndType = intern(new byte[] {CONSTANT_NAME_AND_TYPE, (byte) (nameIndex >> 8), (byte) nameIndex,
        (byte) (descriptorIndex >> 8), (byte) descriptorIndex});
    return intern(new byte[] {CONSTANT_METHODREF, (byte) (owner >> 8), (byte) owner,
        (byte) (nameAndType >> 8), (byte) nameAndType});
  }

  private int intern(byte[] constant) {
    String key = new String(constant, StandardCharsets.ISO_8859_1);
    Integer index = constants.get(key);
    if (index == null) {
      pool.add(constant);
      index = pool.size();
      constants.put(key, index);
    }
    return index;
  }

  private static String internal(String binaryName) {
    return binaryName.replace('.', '/');
  }
}
