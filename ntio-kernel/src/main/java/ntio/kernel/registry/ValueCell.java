package ntio.kernel.registry;

import ntio.ddk.RegValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The stored form of one value: what NT keeps in a {@code CM_KEY_VALUE} cell, plus the creation
 * ordinal that fixes its place in the key's value list.
 *
 * @param ordinal the value's place in creation order; kept when the value is set again
 * @param value the value itself
 */
record ValueCell(long ordinal, RegValue value) {

  private static final int FORMAT = 1;

  byte[] encode() {
    RegValue v = value;
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(32 + v.dataLength() + v.name().length());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeLong(ordinal);
      out.writeInt(v.type());
      out.writeUTF(v.name());
      out.writeInt(v.dataLength());
      out.write(v.data());
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return bytes.toByteArray();
  }

  static ValueCell decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int format = in.readUnsignedByte();
      if (format != FORMAT) {
        throw new IllegalStateException("value cell format " + format + ", expected " + FORMAT);
      }
      long ordinal = in.readLong();
      int type = in.readInt();
      String name = in.readUTF();
      byte[] data = new byte[in.readInt()];
      in.readFully(data);
      return new ValueCell(ordinal, new RegValue(name, type, data));
    } catch (IOException e) {
      throw new IllegalStateException("value cell of " + bytes.length + " bytes is truncated", e);
    }
  }
}
