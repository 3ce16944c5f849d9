package ntio.kernel.registry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The stored form of one key: what NT keeps in a {@code CM_KEY_NODE} cell, less the lists, which
 * live in their own maps (see {@link CellStore}).
 *
 * @param parentId the parent key's id; 0 for the root
 * @param name the name as created (case kept)
 * @param flags {@link #FLAG_LINK} and {@link #FLAG_NO_DELETE}
 * @param lastWriteTime {@code LastWriteTime}, in 100 ns ticks since 1601 (a {@code FILETIME})
 * @param maxNameBytes {@code MaxNameLen}: the longest subkey name ever added since the subkey list
 *     was last empty, in bytes
 * @param maxValueNameBytes {@code MaxValueNameLen}, in bytes, reset when the value list empties
 * @param maxValueDataBytes {@code MaxValueDataLen}, reset when the value list empties
 * @param nextValueOrdinal the creation ordinal the next new value gets; orders the value list
 */
record KeyCell(
    long parentId,
    String name,
    int flags,
    long lastWriteTime,
    int maxNameBytes,
    int maxValueNameBytes,
    int maxValueDataBytes,
    long nextValueOrdinal) {

  /** {@code KEY_SYM_LINK}: the key is a registry link, made with {@code REG_OPTION_CREATE_LINK}. */
  static final int FLAG_LINK = 0x1;

  /** {@code KEY_NO_DELETE}: the key is a hive root and {@code NtDeleteKey} refuses it. */
  static final int FLAG_NO_DELETE = 0x2;

  private static final int FORMAT = 1;

  static KeyCell create(long parentId, String name, int flags, long now) {
    return new KeyCell(parentId, name, flags, now, 0, 0, 0, 0);
  }

  boolean isLink() {
    return (flags & FLAG_LINK) != 0;
  }

  boolean isNoDelete() {
    return (flags & FLAG_NO_DELETE) != 0;
  }

  KeyCell withFlags(int newFlags) {
    return new KeyCell(
        parentId,
        name,
        newFlags,
        lastWriteTime,
        maxNameBytes,
        maxValueNameBytes,
        maxValueDataBytes,
        nextValueOrdinal);
  }

  KeyCell withSubkeys(long now, int newMaxNameBytes) {
    return new KeyCell(
        parentId,
        name,
        flags,
        now,
        newMaxNameBytes,
        maxValueNameBytes,
        maxValueDataBytes,
        nextValueOrdinal);
  }

  KeyCell withValues(
      long now, int newMaxValueNameBytes, int newMaxValueDataBytes, long nextOrdinal) {
    return new KeyCell(
        parentId,
        name,
        flags,
        now,
        maxNameBytes,
        newMaxValueNameBytes,
        newMaxValueDataBytes,
        nextOrdinal);
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + name.length() * 3);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeLong(parentId);
      out.writeUTF(name);
      out.writeInt(flags);
      out.writeLong(lastWriteTime);
      out.writeInt(maxNameBytes);
      out.writeInt(maxValueNameBytes);
      out.writeInt(maxValueDataBytes);
      out.writeLong(nextValueOrdinal);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return bytes.toByteArray();
  }

  static KeyCell decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int format = in.readUnsignedByte();
      if (format != FORMAT) {
        throw new IllegalStateException("key cell format " + format + ", expected " + FORMAT);
      }
      return new KeyCell(
          in.readLong(),
          in.readUTF(),
          in.readInt(),
          in.readLong(),
          in.readInt(),
          in.readInt(),
          in.readInt(),
          in.readLong());
    } catch (IOException e) {
      throw new IllegalStateException("key cell of " + bytes.length + " bytes is truncated", e);
    }
  }
}
