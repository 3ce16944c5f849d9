package ntio.kernel.loader;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the loader needs from one class file of an image, read strictly without defining it: its
 * name, supertypes and flags, whether it has a public no-argument constructor, and every class it
 * names — its import table.
 *
 * @param name the internal name, such as {@code com/example/Echo}
 * @param superName the superclass's internal name; null only for {@code java/lang/Object}
 * @param interfaces the internal names of the direct superinterfaces
 * @param accessFlags the class's {@code access_flags}
 * @param publicNoArgConstructor whether a {@code public <init>()V} is declared
 * @param references the internal names of every class the file names, array element types
 *     unwrapped, in the order they first appear (constant pool, then fields, then methods)
 * @param members every field and method the file's constant pool refers to ({@code Fieldref},
 *     {@code Methodref}, {@code InterfaceMethodref}: what its instructions, its method handle
 *     constants and so its lambdas and bootstrap methods can reach), in constant-pool order
 */
record ClassFile(
    String name,
    String superName,
    List<String> interfaces,
    int accessFlags,
    boolean publicNoArgConstructor,
    List<String> references,
    List<MemberRef> members) {

  /**
   * One field or method a class file refers to.
   *
   * @param owner the internal name of the class the reference names, which may inherit the
   *     member; an array type's descriptor (such as {@code [I}) for an array's {@code clone}
   * @param name the member's name, {@code <init>} for a constructor
   * @param descriptor the field or method descriptor
   * @param field whether it is a {@code Fieldref}
   */
  record MemberRef(String owner, String name, String descriptor, boolean field) {

    /** {@code java.lang.System.exit(I)V}, or {@code java.lang.System.out:Ljava/io/PrintStream;}. */
    String describe() {
      return owner.replace('/', '.') + "." + name + (field ? ":" : "") + descriptor;
    }
  }

  /*
   * Implementation notes:
   *
   * A class can reach another only through its constant pool: CONSTANT_Class entries (new,
   * checkcast, instanceof, supertypes, catch types, field and method owners, nest and inner-class
   * attributes), and the descriptors of NameAndType (field and method signatures it calls, indy
   * and condy types) and MethodType entries. The descriptors of its own fields and methods are
   * plain Utf8 entries, so the field and method tables are walked too. Generic Signature,
   * annotation and debug attributes are not read: they are resolved only by reflection, which
   * fails softly (the import check is about linkage, which fails hard).
   *
   * Every index is checked against the tag it must point at, and the file must end exactly after
   * its last attribute; anything else is STATUS_INVALID_IMAGE_FORMAT.
   */

  static final int ACC_PUBLIC = 0x0001;
  static final int ACC_INTERFACE = 0x0200;
  static final int ACC_ABSTRACT = 0x0400;

  private static final int MAGIC = 0xCAFEBABE;
  private static final int FIRST_MAJOR = 45;

  private static final int UTF8 = 1;
  private static final int INTEGER = 3;
  private static final int FLOAT = 4;
  private static final int LONG = 5;
  private static final int DOUBLE = 6;
  private static final int CLASS = 7;
  private static final int STRING = 8;
  private static final int FIELDREF = 9;
  private static final int METHODREF = 10;
  private static final int INTERFACE_METHODREF = 11;
  private static final int NAME_AND_TYPE = 12;
  private static final int METHOD_HANDLE = 15;
  private static final int METHOD_TYPE = 16;
  private static final int DYNAMIC = 17;
  private static final int INVOKE_DYNAMIC = 18;

  /** The newest class-file version this JVM runs: 44 + its feature release. */
  static int newestMajor() {
    return 44 + Runtime.version().feature();
  }

  /**
   * Reads a class file.
   *
   * @param where the entry the bytes came from, for messages
   * @throws BadImageException {@code STATUS_INVALID_IMAGE_FORMAT} if it is not a well-formed class
   *     file this JVM can run
   */
  static ClassFile read(byte[] bytes, String where) throws BadImageException {
    try {
      return new Reader(bytes, where).read();
    } catch (EOFException e) {
      throw BadImageException.format(where + ": the class file is truncated");
    } catch (IOException e) {
      // readUTF's UTFDataFormatException: a Utf8 entry that is not modified UTF-8.
      throw BadImageException.format(where + ": " + e.getMessage());
    }
  }

  /** The binary name, such as {@code com.example.Echo}. */
  String binaryName() {
    return name.replace('/', '.');
  }

  private static final class Reader {
    private final DataInputStream in;
    private final String where;
    private int[] tags = new int[0];
    private String[] utf8 = new String[0];
    private int[] first = new int[0];
    private int[] second = new int[0];
    private final Set<String> references = new LinkedHashSet<>();
    private final Set<MemberRef> members = new LinkedHashSet<>();

    Reader(byte[] bytes, String where) {
      this.in = new DataInputStream(new ByteArrayInputStream(bytes));
      this.where = where;
    }

    ClassFile read() throws IOException, BadImageException {
      if (in.readInt() != MAGIC) {
        throw bad("not a class file (bad magic)");
      }
      in.readUnsignedShort();
      int major = in.readUnsignedShort();
      if (major < FIRST_MAJOR || major > newestMajor()) {
        throw bad("class-file version " + major + " is not between " + FIRST_MAJOR + " and "
            + newestMajor() + " (this JVM)");
      }
      readConstantPool();
      checkConstantPool();
      int access = in.readUnsignedShort();
      String name = className(in.readUnsignedShort());
      int superIndex = in.readUnsignedShort();
      String superName = superIndex == 0 ? null : className(superIndex);
      if (superName == null && !name.equals("java/lang/Object")) {
        throw bad("no superclass");
      }
      int interfaceCount = in.readUnsignedShort();
      List<String> interfaces = new ArrayList<>(interfaceCount);
      for (int i = 0; i < interfaceCount; i++) {
        interfaces.add(className(in.readUnsignedShort()));
      }
      readMembers(false);
      boolean noArg = readMembers(true);
      readAttributes();
      if (in.read() != -1) {
        throw bad("bytes after the last attribute");
      }
      return new ClassFile(name, superName, List.copyOf(interfaces), access, noArg,
          List.copyOf(references), List.copyOf(members));
    }

    private void readConstantPool() throws IOException, BadImageException {
      int count = in.readUnsignedShort();
      if (count == 0) {
        throw bad("constant_pool_count is 0");
      }
      tags = new int[count];
      utf8 = new String[count];
      first = new int[count];
      second = new int[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        tags[i] = tag;
        switch (tag) {
          case UTF8 -> utf8[i] = in.readUTF();
          case INTEGER, FLOAT -> in.readInt();
          case LONG, DOUBLE -> {
            in.readLong();
            // An eight-byte constant takes two slots; the second is unusable.
            i++;
            if (i >= count) {
              throw bad("a long or double constant overruns the constant pool");
            }
          }
          case CLASS, STRING, METHOD_TYPE -> first[i] = in.readUnsignedShort();
          case FIELDREF, METHODREF, INTERFACE_METHODREF, NAME_AND_TYPE, DYNAMIC, INVOKE_DYNAMIC -> {
            first[i] = in.readUnsignedShort();
            second[i] = in.readUnsignedShort();
          }
          case METHOD_HANDLE -> {
            first[i] = in.readUnsignedByte();
            second[i] = in.readUnsignedShort();
          }
          default -> throw bad("constant " + i + " has tag " + tag
              + ", which a class file may not hold");
        }
      }
    }

    private void checkConstantPool() throws BadImageException {
      try {
        checkEntries();
      } catch (BadImageException e) {
        throw bad(e.getMessage());
      }
    }

    private void checkEntries() throws BadImageException {
      for (int i = 1; i < tags.length; i++) {
        switch (tags[i]) {
          case CLASS -> {
            String name = utf8(first[i]);
            if (name.startsWith("[")) {
              Descriptors.field(name, references);
            } else {
              references.add(Descriptors.internalName(name));
            }
          }
          case STRING -> utf8(first[i]);
          case FIELDREF, METHODREF, INTERFACE_METHODREF -> {
            expect(first[i], CLASS, i);
            expect(second[i], NAME_AND_TYPE, i);
            int nameAndType = second[i];
            members.add(new MemberRef(utf8(first[first[i]]), utf8(first[nameAndType]),
                utf8(second[nameAndType]), tags[i] == FIELDREF));
          }
          case NAME_AND_TYPE -> {
            utf8(first[i]);
            String descriptor = utf8(second[i]);
            if (descriptor.startsWith("(")) {
              Descriptors.method(descriptor, references);
            } else {
              Descriptors.field(descriptor, references);
            }
          }
          case METHOD_TYPE -> Descriptors.method(utf8(first[i]), references);
          case DYNAMIC, INVOKE_DYNAMIC -> expect(second[i], NAME_AND_TYPE, i);
          case METHOD_HANDLE -> checkMethodHandle(i);
          default -> {
            // Utf8, numbers and the unusable second slot of a long or double refer to nothing.
          }
        }
      }
    }

    private void checkMethodHandle(int i) throws BadImageException {
      int kind = first[i];
      int target = second[i];
      boolean ok = switch (kind) {
        case 1, 2, 3, 4 -> tag(target) == FIELDREF;
        case 5, 8 -> tag(target) == METHODREF;
        case 6, 7 -> tag(target) == METHODREF || tag(target) == INTERFACE_METHODREF;
        case 9 -> tag(target) == INTERFACE_METHODREF;
        default -> false;
      };
      if (!ok) {
        throw bad("method handle " + i + " (kind " + kind + ") refers to constant " + target
            + " with tag " + tag(target));
      }
    }

    /** Reads the field or method table; returns whether it declares {@code public <init>()V}. */
    private boolean readMembers(boolean methods) throws IOException, BadImageException {
      int count = in.readUnsignedShort();
      boolean noArg = false;
      for (int i = 0; i < count; i++) {
        int access = in.readUnsignedShort();
        String name = utf8(in.readUnsignedShort());
        String descriptor = utf8(in.readUnsignedShort());
        try {
          if (methods) {
            Descriptors.method(descriptor, references);
          } else {
            Descriptors.field(descriptor, references);
          }
        } catch (BadImageException e) {
          throw bad((methods ? "method " : "field ") + name + ": " + e.getMessage());
        }
        noArg |= methods && name.equals("<init>") && descriptor.equals("()V")
            && (access & ACC_PUBLIC) != 0;
        readAttributes();
      }
      return noArg;
    }

    private void readAttributes() throws IOException, BadImageException {
      int count = in.readUnsignedShort();
      for (int i = 0; i < count; i++) {
        utf8(in.readUnsignedShort());
        long length = Integer.toUnsignedLong(in.readInt());
        if (in.skipBytes((int) Math.min(length, Integer.MAX_VALUE)) != length) {
          throw new EOFException();
        }
      }
    }

    private int tag(int index) {
      return index > 0 && index < tags.length ? tags[index] : 0;
    }

    private void expect(int index, int tag, int from) throws BadImageException {
      if (tag(index) != tag) {
        throw bad("constant " + from + " refers to constant " + index + ", which has tag "
            + tag(index) + ", not " + tag);
      }
    }

    private String utf8(int index) throws BadImageException {
      if (tag(index) != UTF8) {
        throw bad("constant " + index + " is not a Utf8 entry");
      }
      return utf8[index];
    }

    private String className(int index) throws BadImageException {
      if (tag(index) != CLASS) {
        throw bad("constant " + index + " is not a Class entry");
      }
      return utf8[first[index]];
    }

    private BadImageException bad(String what) {
      return BadImageException.format(where + ": " + what);
    }
  }

  /** Field and method descriptors (JVMS 4.3) and internal names (JVMS 4.2.1). */
  static final class Descriptors {
    private Descriptors() {}

    /** Checks a field descriptor and adds the classes it names. */
    static void field(String descriptor, Set<String> into) throws BadImageException {
      if (descriptor.isEmpty() || fieldType(descriptor, 0, into) != descriptor.length()) {
        throw malformed(descriptor);
      }
    }

    /** Checks a method descriptor and adds the classes it names. */
    static void method(String descriptor, Set<String> into) throws BadImageException {
      if (!descriptor.startsWith("(")) {
        throw malformed(descriptor);
      }
      int i = 1;
      while (i < descriptor.length() && descriptor.charAt(i) != ')') {
        i = fieldType(descriptor, i, into);
      }
      if (i >= descriptor.length()) {
        throw malformed(descriptor);
      }
      i++;
      int end = i < descriptor.length() && descriptor.charAt(i) == 'V'
          ? i + 1
          : fieldType(descriptor, i, into);
      if (end != descriptor.length()) {
        throw malformed(descriptor);
      }
    }

    /** Checks an internal name such as {@code java/lang/String} and returns it. */
    static String internalName(String name) throws BadImageException {
      if (!isInternalName(name)) {
        throw BadImageException.format("malformed class name \"" + name + "\"");
      }
      return name;
    }

    private static boolean isInternalName(String name) {
      if (name.isEmpty() || name.startsWith("/") || name.endsWith("/") || name.contains("//")) {
        return false;
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c == '.' || c == ';' || c == '[') {
          return false;
        }
      }
      return true;
    }

    private static int fieldType(String d, int i, Set<String> into) throws BadImageException {
      if (i >= d.length()) {
        throw malformed(d);
      }
      switch (d.charAt(i)) {
        case 'B', 'C', 'D', 'F', 'I', 'J', 'S', 'Z' -> {
          return i + 1;
        }
        case 'L' -> {
          int end = d.indexOf(';', i);
          if (end < 0) {
            throw malformed(d);
          }
          String name = d.substring(i + 1, end);
          if (!isInternalName(name)) {
            throw malformed(d);
          }
          into.add(name);
          return end + 1;
        }
        case '[' -> {
          int dims = 0;
          while (i < d.length() && d.charAt(i) == '[') {
            i++;
            dims++;
          }
          if (dims > 255) {
            throw malformed(d);
          }
          return fieldType(d, i, into);
        }
        default -> throw malformed(d);
      }
    }

    private static BadImageException malformed(String descriptor) {
      return BadImageException.format("malformed descriptor \"" + descriptor + "\"");
    }
  }
}
