package ntio.drivers;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classes a class file refers to, read from its constant pool: every {@code CONSTANT_Class}
 * and every class named in a descriptor or signature (field and method types, generic signatures,
 * annotation types — including annotations the JVM never loads). String literals are not
 * references and are skipped.
 */
final class ClassFileReferences {

  /** An object type in a descriptor or signature: {@code L}, a name, then {@code ;} or {@code <}. */
  private static final Pattern OBJECT_TYPE = Pattern.compile("(?<![\\w$/])L([\\w$/]+)[;<]");

  private ClassFileReferences() {}

  /** The internal names ({@code java/lang/String}) of every class {@code classFile} refers to. */
  static Set<String> of(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file: bad magic");
    }
    in.readUnsignedShort(); // minor version
    in.readUnsignedShort(); // major version
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    List<Integer> classNames = new ArrayList<>();
    Set<Integer> literals = new HashSet<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 3, 4 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++; // a long or double takes two entries
        }
        case 7 -> classNames.add(in.readUnsignedShort());
        case 8 -> literals.add(in.readUnsignedShort());
        case 16, 19, 20 -> in.readUnsignedShort();
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        case 9, 10, 11, 12, 17, 18 -> in.readInt();
        default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
      }
    }
    Set<String> references = new TreeSet<>();
    for (int index : classNames) {
      String name = utf8[index];
      if (name.startsWith("[")) {
        addObjectTypes(name, references);
      } else {
        references.add(name);
      }
    }
    for (int i = 1; i < count; i++) {
      if (utf8[i] != null && !literals.contains(i)) {
        addObjectTypes(utf8[i], references);
      }
    }
    return references;
  }

  private static void addObjectTypes(String text, Set<String> references) {
    Matcher m = OBJECT_TYPE.matcher(text);
    while (m.find()) {
      references.add(m.group(1));
    }
  }
}
