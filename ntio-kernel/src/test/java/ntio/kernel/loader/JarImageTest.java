package ntio.kernel.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import ntio.ddk.NtStatus;
import ntio.kernel.loader.testdrivers.EchoDriver;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarImageTest {

  private static final long NO_LIMIT = Long.MAX_VALUE;

  @TempDir
  java.nio.file.Path temp;

  @Test
  void readsEveryFileOfADriverJarInItsOrder() throws Exception {
    byte[] jar = DriverJars.image("Echo.jar").entry(EchoDriver.class)
        .file("res/hello.txt", "hello".getBytes(StandardCharsets.UTF_8)).toBytes();

    JarImage image = JarImage.read(jar, NO_LIMIT);

    assertThat(image.files().keySet()).containsExactly(
        "META-INF/MANIFEST.MF",
        "ntio/kernel/loader/testdrivers/EchoDriver.class",
        "ntio/kernel/loader/testdrivers/EchoDriver$1.class",
        "ntio/kernel/loader/testdrivers/EchoDriver$Counter.class",
        "res/hello.txt");
    assertThat(image.files().get("res/hello.txt")).asString(StandardCharsets.UTF_8)
        .isEqualTo("hello");
    assertThat(image.files().get("ntio/kernel/loader/testdrivers/EchoDriver.class"))
        .isEqualTo(ClassFileTest.bytesOf(EchoDriver.class));
    assertThat(new String(image.manifest().orElseThrow(), StandardCharsets.UTF_8))
        .contains("Ntio-Driver-Entry: " + EchoDriver.class.getName());
  }

  @Test
  void readsStoredEntriesAndAnArchiveComment() throws Exception {
    byte[] data = "stored".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      ZipEntry entry = new ZipEntry("a.txt");
      entry.setMethod(ZipEntry.STORED);
      entry.setSize(data.length);
      CRC32 crc = new CRC32();
      crc.update(data);
      entry.setCrc(crc.getValue());
      zip.putNextEntry(entry);
      zip.write(data);
      zip.closeEntry();
      zip.setComment("a comment after the end record");
    }

    JarImage image = JarImage.read(bytes.toByteArray(), NO_LIMIT);

    assertThat(image.files()).containsOnlyKeys("a.txt");
    assertThat(image.files().get("a.txt")).isEqualTo(data);
    assertThat(image.manifest()).isEmpty();
  }

  @Test
  void everyTruncationOfAJarIsInvalidImageFormat() {
    byte[] whole = DriverJars.image("Echo.jar").entry(EchoDriver.class).toBytes();
    for (int length = 0; length < whole.length; length++) {
      assertInvalid(Arrays.copyOf(whole, length), "");
    }
  }

  @Test
  void noDamagedByteMakesTheReaderFailOtherThanWithAStatus() {
    byte[] whole = DriverJars.image("Echo.jar").entry(EchoDriver.class).toBytes();
    for (int i = 0; i < whole.length; i++) {
      for (int mask : new int[] {0x01, 0x80, 0xFF}) {
        byte[] damaged = whole.clone();
        damaged[i] ^= (byte) mask;
        try {
          // A damaged size could ask for gigabytes; the loader's own limit keeps that out.
          JarImage.read(damaged, 1 << 20);
        } catch (BadImageException e) {
          assertThat(e.status()).isIn(NtStatus.STATUS_INVALID_IMAGE_FORMAT,
              NtStatus.STATUS_INSUFFICIENT_RESOURCES);
        }
      }
    }
  }

  @Test
  void damagedCompressedDataIsInvalidImageFormat() throws Exception {
    byte[] corrupt = java.nio.file.Files.readAllBytes(
        DriverJars.corrupt(temp, "Corrupt.jar", EchoDriver.class));
    assertInvalid(corrupt, "EchoDriver");
  }

  @Test
  void aFileThatIsNoZipIsInvalidImageFormat() throws Exception {
    assertInvalid(java.nio.file.Files.readAllBytes(DriverJars.notAJar(temp, "Text.jar")),
        "no ZIP end record");
    assertInvalid(new byte[0], "no ZIP end record");
  }

  @Test
  void aDuplicateEntryIsInvalidImageFormat() {
    byte[] jar = zipOf("a.txt", "b.txt");
    replaceAll(jar, "b.txt", "a.txt");
    assertInvalid(jar, "appears twice");
  }

  @Test
  void aLocalHeaderThatDisagreesWithTheCentralDirectoryIsInvalidImageFormat() {
    byte[] jar = zipOf("a.txt");
    // The first occurrence of the name is in the local header.
    int at = indexOf(jar, "a.txt".getBytes(StandardCharsets.UTF_8));
    jar[at] = 'z';
    assertInvalid(jar, "disagrees with the central directory");
  }

  @Test
  void anEncryptedEntryIsInvalidImageFormat() {
    byte[] jar = zipOf("a.txt");
    ByteBuffer buffer = ByteBuffer.wrap(jar).order(ByteOrder.LITTLE_ENDIAN);
    int central = centralDirectory(buffer);
    buffer.putShort(central + 8, (short) (buffer.getShort(central + 8) | 1));
    assertInvalid(jar, "encrypted");
  }

  @Test
  void anUnsupportedCompressionMethodIsInvalidImageFormat() {
    byte[] jar = zipOf("a.txt");
    ByteBuffer buffer = ByteBuffer.wrap(jar).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putShort(centralDirectory(buffer) + 10, (short) 12);
    assertInvalid(jar, "compression method 12");
  }

  @Test
  void aWrongCrcIsInvalidImageFormat() {
    byte[] jar = zipOf("a.txt");
    ByteBuffer buffer = ByteBuffer.wrap(jar).order(ByteOrder.LITTLE_ENDIAN);
    int central = centralDirectory(buffer);
    buffer.putInt(central + 16, buffer.getInt(central + 16) ^ 1);
    assertInvalid(jar, "fails its CRC");
  }

  @Test
  void aDeclaredSizeSmallerThanTheDataIsInvalidImageFormat() {
    byte[] jar = zipOf("a.txt");
    ByteBuffer buffer = ByteBuffer.wrap(jar).order(ByteOrder.LITTLE_ENDIAN);
    int central = centralDirectory(buffer);
    buffer.putInt(central + 24, buffer.getInt(central + 24) - 1);
    assertInvalid(jar, "inflates to more than");
  }

  @Test
  void filesInflatingPastTheLimitAreInsufficientResources() {
    byte[] jar = zipOf("a.txt", "b.txt");
    assertThatThrownBy(() -> JarImage.read(jar, 10))
        .isInstanceOf(BadImageException.class)
        .satisfies(e -> assertThat(((BadImageException) e).status())
            .isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES));
  }

  @Test
  void twoManifestsSpelledInDifferentCasesAreInvalidImageFormat() throws Exception {
    byte[] jar = DriverJars.image("Two.jar").file("meta-inf/manifest.mf", new byte[0]).toBytes();
    JarImage image = JarImage.read(jar, NO_LIMIT);
    assertThatThrownBy(image::manifest).isInstanceOf(BadImageException.class)
        .hasMessageContaining("two manifests");
  }

  // Zip bombs: sizes are checked before memory is spent ----------------------------------------

  /** The most a refused bomb may cost: far below the 250 MB it would inflate to. */
  private static final long BOMB_BUDGET = 8L << 20;

  private static final long BOMB_SIZE = ZipBombs.BOMB_SIZE;

  @Test
  void anEntryDeclaringMoreThanTheEntryLimitIsRefusedBeforeAnyOfItIsInflated() {
    byte[] jar = ZipBombs.zeros250MB();
    assertThat(jar.length).isLessThan(1 << 20);

    long before = ZipBombs.allocatedByThisThread();
    assertThatThrownBy(() -> JarImage.read(jar, NO_LIMIT, LoaderLimits.DEFAULT_ENTRY_BYTES))
        .isInstanceOf(BadImageException.class)
        .hasMessageContaining("entry bomb/zeros.bin declares " + BOMB_SIZE + " bytes")
        .satisfies(e -> assertThat(((BadImageException) e).status())
            .isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES));
    assertThat(ZipBombs.allocatedByThisThread() - before).isLessThan(BOMB_BUDGET);
  }

  @Test
  void entriesDeclaringMoreThanTheImageLimitTogetherAreRefusedBeforeTheLastIsInflated() {
    byte[] jar = ZipBombs.zeros250MB();

    long before = ZipBombs.allocatedByThisThread();
    assertThatThrownBy(() -> JarImage.read(jar, BOMB_SIZE - 1, NO_LIMIT))
        .isInstanceOf(BadImageException.class)
        .hasMessageContaining("entry bomb/zeros.bin takes the image's files past")
        .satisfies(e -> assertThat(((BadImageException) e).status())
            .isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES));
    assertThat(ZipBombs.allocatedByThisThread() - before).isLessThan(BOMB_BUDGET);
  }

  @Test
  void anEntryInflatingPastItsDeclaredSizeIsStoppedTheMomentItDoes() {
    byte[] jar = ZipBombs.declaringLastEntry(ZipBombs.zeros250MB(), 1000);

    long before = ZipBombs.allocatedByThisThread();
    assertThatThrownBy(() -> JarImage.read(jar, NO_LIMIT, LoaderLimits.DEFAULT_ENTRY_BYTES))
        .isInstanceOf(BadImageException.class)
        .hasMessageContaining("entry bomb/zeros.bin inflates to more than 1000 bytes")
        .satisfies(e -> assertThat(((BadImageException) e).status())
            .isEqualTo(NtStatus.STATUS_INVALID_IMAGE_FORMAT));
    assertThat(ZipBombs.allocatedByThisThread() - before).isLessThan(BOMB_BUDGET);
  }

  @Test
  void anEntryDeclaringMoreThanItHoldsCostsOnlyWhatItHolds() {
    byte[] jar = ZipBombs.declaringLastEntry(ZipBombs.zeros("small.bin", 1000),
        LoaderLimits.DEFAULT_ENTRY_BYTES);

    long before = ZipBombs.allocatedByThisThread();
    assertThatThrownBy(() -> JarImage.read(jar, NO_LIMIT, LoaderLimits.DEFAULT_ENTRY_BYTES))
        .isInstanceOf(BadImageException.class)
        .hasMessageContaining("entry small.bin inflates to 1000 bytes")
        .satisfies(e -> assertThat(((BadImageException) e).status())
            .isEqualTo(NtStatus.STATUS_INVALID_IMAGE_FORMAT));
    assertThat(ZipBombs.allocatedByThisThread() - before).isLessThan(BOMB_BUDGET);
  }

  @Test
  void aLargeHonestEntryWithinTheLimitsIsReadWhole() throws Exception {
    byte[] jar = ZipBombs.zeros("big.bin", 3_000_000);

    JarImage image = JarImage.read(jar, NO_LIMIT, LoaderLimits.DEFAULT_ENTRY_BYTES);

    assertThat(image.files().get("big.bin")).hasSize(3_000_000).containsOnly(0);
    assertThat(image.inflatedBytes()).isEqualTo(3_000_000L + image.files().get(JarImage.MANIFEST).length);
  }

  /** A zip whose entries each hold their own name, twice over. */
  private static byte[] zipOf(String... names) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (String name : names) {
        zip.putNextEntry(new ZipEntry(name));
        zip.write((name + name).getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static int centralDirectory(ByteBuffer buffer) {
    int end = buffer.limit() - 22;
    return buffer.getInt(end + 16);
  }

  private static void replaceAll(byte[] bytes, String from, String to) {
    byte[] a = from.getBytes(StandardCharsets.UTF_8);
    byte[] b = to.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + a.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + a.length, a, 0, a.length)) {
        System.arraycopy(b, 0, bytes, i, b.length);
      }
    }
  }

  private static int indexOf(byte[] bytes, byte[] wanted) {
    for (int i = 0; i + wanted.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + wanted.length, wanted, 0, wanted.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }

  private static void assertInvalid(byte[] bytes, String message) {
    assertThatThrownBy(() -> JarImage.read(bytes, NO_LIMIT))
        .isInstanceOf(BadImageException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((BadImageException) e).status())
            .isEqualTo(NtStatus.STATUS_INVALID_IMAGE_FORMAT));
  }
}
