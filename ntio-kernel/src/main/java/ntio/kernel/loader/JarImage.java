package ntio.kernel.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import ntio.ddk.NtStatus;

/**
 * The files of a driver JAR, read strictly from its bytes: the ZIP central directory must be
 * whole, every entry's local header must agree with it, and every entry must inflate to exactly
 * its declared size and CRC. Anything else is {@code STATUS_INVALID_IMAGE_FORMAT}, as a PE image
 * whose headers do not add up is to {@code MmLoadSystemImage}.
 */
final class JarImage {

  /*
   * Implementation notes:
   *
   * java.util.zip.ZipInputStream reads local headers only: a JAR cut off at an entry boundary, or
   * one whose central directory disagrees with its entries, reads "successfully" as a shorter JAR.
   * ZipFile is strict but needs the file, and we want to check, hash and define the very same bytes
   * (so nothing can change between the import check and defineClass). Hence this reader over a
   * byte array: the end record, then the central directory, then each entry through its local
   * header, inflated with a raw Inflater. ZIP64, multi-disk archives and encryption are refused;
   * no driver image needs them.
   *
   * Memory follows the bytes actually inflated, never a header's word: each entry's declared size
   * is checked against the per-entry and per-image limits before anything is inflated, and its
   * buffer grows as data arrives (from 64 KiB, doubling) up to one byte past the declared size. The
   * moment an entry inflates past its declared size it is refused, so an entry that lies about its
   * size (a zip bomb) costs at most what it declared, and that is within the limits.
   */

  /** The manifest's entry name; looked up without regard to case, as {@code JarFile} does. */
  static final String MANIFEST = "META-INF/MANIFEST.MF";

  private static final int END_SIGNATURE = 0x06054b50;
  private static final int CENTRAL_SIGNATURE = 0x02014b50;
  private static final int LOCAL_SIGNATURE = 0x04034b50;
  private static final int END_SIZE = 22;
  private static final int CENTRAL_SIZE = 46;
  private static final int LOCAL_SIZE = 30;
  private static final int STORED = 0;
  private static final int DEFLATED = 8;

  /** The largest entry one Java array can hold, with the inflater's byte of slack. */
  private static final long MAXIMUM_ENTRY_SIZE = Integer.MAX_VALUE - 16;

  /** The first buffer of an inflated entry; it doubles as data arrives. */
  private static final int INITIAL_BUFFER = 64 << 10;

  private final Map<String, byte[]> files;
  private final long inflatedBytes;

  private JarImage(Map<String, byte[]> files, long inflatedBytes) {
    this.files = files;
    this.inflatedBytes = inflatedBytes;
  }

  /**
   * Reads every file of the archive into memory, each file limited only by what one Java array
   * holds; as {@link #read(byte[], long, long)}.
   */
  static JarImage read(byte[] bytes, long maxUncompressed) throws BadImageException {
    return read(bytes, maxUncompressed, MAXIMUM_ENTRY_SIZE);
  }

  /**
   * Reads every file of the archive into memory.
   *
   * <p>Sizes are checked before memory is spent: an entry that declares more than {@code
   * maxEntry}, or entries that together declare more than {@code maxUncompressed}, are refused
   * before any of their data is inflated; an entry that inflates past its declared size is
   * refused the moment it does, with at most one byte more than it declared inflated.
   *
   * @param maxUncompressed the most bytes all files together may inflate to
   * @param maxEntry the most bytes one file may inflate to
   * @throws BadImageException {@code STATUS_INVALID_IMAGE_FORMAT} naming what is wrong (an entry
   *     inflating past its declared size among it), or {@code STATUS_INSUFFICIENT_RESOURCES} naming
   *     the entry that takes the files past {@code maxUncompressed} or is larger than {@code
   *     maxEntry}
   */
  static JarImage read(byte[] bytes, long maxUncompressed, long maxEntry)
      throws BadImageException {
    long entryLimit = Math.min(maxEntry, MAXIMUM_ENTRY_SIZE);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int end = findEndRecord(buffer);
    if (buffer.getShort(end + 4) != 0 || buffer.getShort(end + 6) != 0
        || buffer.getShort(end + 8) != buffer.getShort(end + 10)) {
      throw BadImageException.format("a multi-disk ZIP archive is not an image");
    }
    int count = u16(buffer, end + 10);
    long directorySize = u32(buffer, end + 12);
    long directoryOffset = u32(buffer, end + 16);
    if (count == 0xFFFF || directorySize == 0xFFFF_FFFFL || directoryOffset == 0xFFFF_FFFFL) {
      throw BadImageException.format("ZIP64 archives are not supported as images");
    }
    if (directoryOffset + directorySize != end) {
      throw BadImageException.format("the central directory (offset " + directoryOffset + ", "
          + directorySize + " bytes) does not end where the end record starts (" + end + ")");
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    long total = 0;
    int p = (int) directoryOffset;
    for (int i = 0; i < count; i++) {
      if (p + CENTRAL_SIZE > end || buffer.getInt(p) != CENTRAL_SIGNATURE) {
        throw BadImageException.format("central directory entry " + i + " at " + p + " is damaged");
      }
      int flags = u16(buffer, p + 8);
      int method = u16(buffer, p + 10);
      long crc = u32(buffer, p + 16);
      long compressed = u32(buffer, p + 20);
      long size = u32(buffer, p + 24);
      int nameLength = u16(buffer, p + 28);
      int next = p + CENTRAL_SIZE + nameLength + u16(buffer, p + 30) + u16(buffer, p + 32);
      if (next > end) {
        throw BadImageException.format("central directory entry " + i + " runs past its end");
      }
      byte[] rawName = Arrays.copyOfRange(bytes, p + CENTRAL_SIZE, p + CENTRAL_SIZE + nameLength);
      String name = decodeName(rawName, i);
      if ((flags & 1) != 0) {
        throw BadImageException.format("entry " + name + " is encrypted");
      }
      if (method != STORED && method != DEFLATED) {
        throw BadImageException.format("entry " + name + " uses compression method " + method);
      }
      if (size > entryLimit) {
        throw new BadImageException(NtStatus.STATUS_INSUFFICIENT_RESOURCES, "entry " + name
            + " declares " + size + " bytes, more than the " + entryLimit
            + " one file of an image may inflate to");
      }
      total += size;
      if (total > maxUncompressed) {
        throw new BadImageException(NtStatus.STATUS_INSUFFICIENT_RESOURCES, "entry " + name
            + " takes the image's files past the " + maxUncompressed
            + " bytes they may inflate to");
      }
      byte[] data = readEntry(bytes, buffer, name, rawName, method, crc, compressed, size,
          u32(buffer, p + 42), directoryOffset);
      if (name.endsWith("/")) {
        if (data.length != 0) {
          throw BadImageException.format("directory entry " + name + " has data");
        }
      } else if (files.putIfAbsent(name, data) != null) {
        throw BadImageException.format("entry " + name + " appears twice");
      }
      p = next;
    }
    if (p != end) {
      throw BadImageException.format("the central directory holds more than its " + count
          + " entries");
    }
    return new JarImage(Collections.unmodifiableMap(files), total);
  }

  /** The bytes all files together inflated to. */
  long inflatedBytes() {
    return inflatedBytes;
  }

  /** Every file (directories left out), by entry name, in central-directory order. */
  Map<String, byte[]> files() {
    return files;
  }

  /**
   * The manifest's bytes, if the archive has one.
   *
   * @throws BadImageException if two entries spell the manifest's name in different cases
   */
  Optional<byte[]> manifest() throws BadImageException {
    byte[] found = null;
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      if (file.getKey().toUpperCase(Locale.ROOT).equals(MANIFEST)) {
        if (found != null) {
          throw BadImageException.format("the image has two manifests");
        }
        found = file.getValue();
      }
    }
    return Optional.ofNullable(found);
  }

  private static int findEndRecord(ByteBuffer buffer) throws BadImageException {
    int length = buffer.limit();
    // The end record is last, followed only by its comment (at most 65535 bytes).
    for (int p = length - END_SIZE; p >= 0 && p >= length - END_SIZE - 0xFFFF; p--) {
      if (buffer.getInt(p) == END_SIGNATURE && p + END_SIZE + u16(buffer, p + 20) == length) {
        return p;
      }
    }
    throw BadImageException.format("not a JAR: no ZIP end record in " + length
        + " bytes (the file is not a ZIP archive, or it is truncated); a driver image is the JAR"
        + " 'mvn package' builds");
  }

  private static byte[] readEntry(byte[] bytes, ByteBuffer buffer, String name, byte[] rawName,
      int method, long crc, long compressed, long size, long localOffset, long directoryOffset)
      throws BadImageException {
    if (localOffset + LOCAL_SIZE > directoryOffset
        || buffer.getInt((int) localOffset) != LOCAL_SIGNATURE) {
      throw BadImageException.format("the local header of " + name + " is missing or damaged");
    }
    int local = (int) localOffset;
    int localNameLength = u16(buffer, local + 26);
    long start = localOffset + LOCAL_SIZE + localNameLength + u16(buffer, local + 28);
    if (u16(buffer, local + 8) != method
        || localNameLength != rawName.length
        || !Arrays.equals(bytes, local + LOCAL_SIZE, local + LOCAL_SIZE + localNameLength,
            rawName, 0, rawName.length)) {
      throw BadImageException.format("the local header of " + name
          + " disagrees with the central directory");
    }
    if (start + compressed > directoryOffset) {
      throw BadImageException.format("the data of " + name + " runs into the central directory");
    }
    byte[] data = method == STORED
        ? stored(bytes, name, (int) start, compressed, size)
        : inflate(bytes, name, (int) start, (int) compressed, size);
    CRC32 check = new CRC32();
    check.update(data);
    if (check.getValue() != crc) {
      throw BadImageException.format(String.format(
          "entry %s fails its CRC: 0x%08X, expected 0x%08X", name, check.getValue(), crc));
    }
    return data;
  }

  private static byte[] stored(byte[] bytes, String name, int start, long compressed, long size)
      throws BadImageException {
    if (compressed != size) {
      throw BadImageException.format("stored entry " + name + " has " + compressed
          + " bytes but declares " + size);
    }
    return Arrays.copyOfRange(bytes, start, start + (int) size);
  }

  private static byte[] inflate(byte[] bytes, String name, int start, int compressed, long size)
      throws BadImageException {
    // One byte of slack shows an entry that inflates to more than it declares. A raw inflater
    // wants one byte past the data to see the end of the stream (as ZipFile feeds it); that byte
    // must not be consumed.
    // The buffer grows with the data, so a header that lies costs nothing it did not inflate.
    int capacity = (int) size + 1;
    byte[] out = new byte[Math.min(capacity, INITIAL_BUFFER)];
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(bytes, start, compressed + 1);
      int produced = 0;
      while (!inflater.finished()) {
        if (produced == out.length) {
          out = Arrays.copyOf(out, (int) Math.min(capacity, 2L * out.length));
        }
        int n = inflater.inflate(out, produced, out.length - produced);
        produced += n;
        if (produced > size) {
          throw BadImageException.format("entry " + name + " inflates to more than " + size
              + " bytes");
        }
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw BadImageException.format("the compressed data of " + name + " is truncated");
        }
      }
      if (produced != size || inflater.getBytesRead() != compressed) {
        throw BadImageException.format("entry " + name + " inflates to " + produced
            + " bytes from " + inflater.getBytesRead() + " (declared " + size + " from "
            + compressed + ")");
      }
      return Arrays.copyOf(out, produced);
    } catch (DataFormatException e) {
      throw BadImageException.format("the compressed data of " + name + " is corrupt: "
          + e.getMessage());
    } finally {
      inflater.end();
    }
  }

  private static String decodeName(byte[] raw, int index) throws BadImageException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      throw BadImageException.format("the name of entry " + index + " is not UTF-8");
    }
  }

  private static int u16(ByteBuffer buffer, int at) {
    return Short.toUnsignedInt(buffer.getShort(at));
  }

  private static long u32(ByteBuffer buffer, int at) {
    return Integer.toUnsignedLong(buffer.getInt(at));
  }
}
