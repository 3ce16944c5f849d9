package ntio.api;

import java.util.Locale;

/**
 * A locally unique identifier. Models {@code LUID} (full): a 64-bit value made of a signed high
 * part and an unsigned low part, unique within one running kernel. Privileges are LUIDs with a
 * zero high part; token ids and logon sessions are LUIDs from a kernel's {@code LuidAllocator}.
 *
 * @param value the 64-bit value, high part in the upper 32 bits
 */
public record Luid(long value) {

  /** {@code SYSTEM_LUID} (0x3E7): the logon session of the System token. */
  public static final Luid SYSTEM_LUID = new Luid(0x3E7);

  /** {@code ANONYMOUS_LOGON_LUID} (0x3E6). */
  public static final Luid ANONYMOUS_LOGON_LUID = new Luid(0x3E6);

  /** {@code LOCALSERVICE_LUID} (0x3E5). */
  public static final Luid LOCALSERVICE_LUID = new Luid(0x3E5);

  /** {@code NETWORKSERVICE_LUID} (0x3E4). */
  public static final Luid NETWORKSERVICE_LUID = new Luid(0x3E4);

  /** The LUID with these parts; the low part is read as unsigned. */
  public static Luid of(int highPart, int lowPart) {
    return new Luid(((long) highPart << 32) | Integer.toUnsignedLong(lowPart));
  }

  /** {@code LowPart}. */
  public int lowPart() {
    return (int) value;
  }

  /** {@code HighPart}. */
  public int highPart() {
    return (int) (value >>> 32);
  }

  /** {@code 0x0:0x3E7}: high and low part in hex, as debuggers print a LUID. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "0x%X:0x%X", highPart(), lowPart());
  }
}
