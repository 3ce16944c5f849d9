package ntio.kernel.loader;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small class files by hand, for the references and the malformations javac never
 * produces. Methods have no code: the files are for reading, not for defining.
 */
final class ClassBytes {

  private final ByteArrayOutputStream poolBytes = new ByteArrayOutputStream();
  private final DataOutputStream pool = new DataOutputStream(poolBytes);
  private final List<int[]> fields = new ArrayList<>();
  private final List<int[]> methods = new ArrayList<>();
  private int count = 1;
  private int magic = 0xCAFEBABE;
  private int major = 61;
  private int access = ClassFile.ACC_PUBLIC | 0x0020;
  private final int thisClass;
  private int superClass;
  private final List<Integer> interfaces = new ArrayList<>();
  private byte[] trailing = new byte[0];

  ClassBytes(String internalName) {
    thisClass = classRef(internalName);
    superClass = classRef("java/lang/Object");
  }

  int utf8(String text) {
    return entry(out -> {
      out.writeByte(1);
      out.writeUTF(text);
    });
  }

  int classRef(String internalName) {
    int name = utf8(internalName);
    return entry(out -> {
      out.writeByte(7);
      out.writeShort(name);
    });
  }

  int nameAndType(String name, String descriptor) {
    int n = utf8(name);
    int d = utf8(descriptor);
    return entry(out -> {
      out.writeByte(12);
      out.writeShort(n);
      out.writeShort(d);
    });
  }

  int methodType(String descriptor) {
    int d = utf8(descriptor);
    return entry(out -> {
      out.writeByte(16);
      out.writeShort(d);
    });
  }

  int methodRef(String owner, String name, String descriptor) {
    int c = classRef(owner);
    int nat = nameAndType(name, descriptor);
    return entry(out -> {
      out.writeByte(10);
      out.writeShort(c);
      out.writeShort(nat);
    });
  }

  int methodHandle(int kind, int reference) {
    return entry(out -> {
      out.writeByte(15);
      out.writeByte(kind);
      out.writeShort(reference);
    });
  }

  /** One constant of any tag and body: for malformed pools. */
  int raw(int tag, byte... body) {
    return entry(out -> {
      out.writeByte(tag);
      out.write(body);
    });
  }

  /** A long constant, which takes two slots. */
  int longConstant(long value) {
    int index = entry(out -> {
      out.writeByte(5);
      out.writeLong(value);
    });
    count++;
    return index;
  }

  ClassBytes field(String name, String descriptor) {
    fields.add(new int[] {ClassFile.ACC_PUBLIC, utf8(name), utf8(descriptor)});
    return this;
  }

  ClassBytes method(int flags, String name, String descriptor) {
    methods.add(new int[] {flags, utf8(name), utf8(descriptor)});
    return this;
  }

  ClassBytes implementing(String internalName) {
    interfaces.add(classRef(internalName));
    return this;
  }

  ClassBytes superclass(String internalName) {
    superClass = classRef(internalName);
    return this;
  }

  ClassBytes access(int flags) {
    access = flags;
    return this;
  }

  ClassBytes magic(int value) {
    magic = value;
    return this;
  }

  ClassBytes major(int value) {
    major = value;
    return this;
  }

  ClassBytes trailing(byte... bytes) {
    trailing = bytes.clone();
    return this;
  }

  byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(magic);
      out.writeShort(0);
      out.writeShort(major);
      out.writeShort(count);
      out.write(poolBytes.toByteArray());
      out.writeShort(access);
      out.writeShort(thisClass);
      out.writeShort(superClass);
      out.writeShort(interfaces.size());
      for (int i : interfaces) {
        out.writeShort(i);
      }
      for (List<int[]> members : List.of(fields, methods)) {
        out.writeShort(members.size());
        for (int[] member : members) {
          out.writeShort(member[0]);
          out.writeShort(member[1]);
          out.writeShort(member[2]);
          out.writeShort(0);
        }
      }
      out.writeShort(0);
      out.write(trailing);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private int entry(Writer writer) {
    try {
      writer.write(pool);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return count++;
  }
}
