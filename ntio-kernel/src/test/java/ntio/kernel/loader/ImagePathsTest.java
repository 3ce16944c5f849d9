package ntio.kernel.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import ntio.ddk.NtStatus;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePathsTest {

  @TempDir
  Path root;

  // B5: ImagePath → NT path ------------------------------------------------------------------

  @Test
  void B5_anAbsentImagePathIsTheDocumentedWindowsDefault() {
    assertThat(ImagePaths.imagePath("Echo", Optional.empty()))
        .isEqualTo(new ImagePaths.NtPath(NtStatus.STATUS_SUCCESS,
            "\\SystemRoot\\System32\\drivers\\Echo.jar"));
    assertThat(ImagePaths.defaultImagePath("Echo"))
        .isEqualTo("\\SystemRoot\\System32\\drivers\\Echo.jar");
  }

  @Test
  void B5_aRelativeImagePathIsPutBelowSystemRoot() {
    assertThat(path("System32\\drivers\\Echo.jar"))
        .isEqualTo("\\SystemRoot\\System32\\drivers\\Echo.jar");
    assertThat(path("Echo.jar")).isEqualTo("\\SystemRoot\\Echo.jar");
  }

  @Test
  void B5_anImagePathWithALeadingBackslashIsKept() {
    assertThat(path("\\SystemRoot\\System32\\drivers\\Echo.jar"))
        .isEqualTo("\\SystemRoot\\System32\\drivers\\Echo.jar");
    assertThat(path("\\??\\C:\\drivers\\Echo.jar")).isEqualTo("\\??\\C:\\drivers\\Echo.jar");
    assertThat(path("\\??\\/opt/drivers/Echo.jar")).isEqualTo("\\??\\/opt/drivers/Echo.jar");
  }

  @Test
  void B5_regSzIsAcceptedLikeRegExpandSz() {
    assertThat(ImagePaths.imagePath("Echo", Optional.of(RegValue.string("ImagePath",
        "System32\\drivers\\Echo.jar"))))
        .isEqualTo(new ImagePaths.NtPath(NtStatus.STATUS_SUCCESS,
            "\\SystemRoot\\System32\\drivers\\Echo.jar"));
  }

  @Test
  void B5_anImagePathOfAnotherTypeIsIllFormed() {
    for (RegValue value : List.of(
        RegValue.dword("ImagePath", 1),
        RegValue.binary("ImagePath", "x.jar".getBytes(StandardCharsets.UTF_16LE)),
        RegValue.multiString("ImagePath", List.of("x.jar")),
        RegValue.link("ImagePath", "\\SystemRoot\\x.jar"),
        new RegValue("ImagePath", RegType.REG_NONE, "x.jar\0".getBytes(StandardCharsets.UTF_16LE)),
        RegValue.qword("ImagePath", 1))) {
      assertThat(ImagePaths.imagePath("Echo", Optional.of(value)))
          .as(value.toString())
          .isEqualTo(new ImagePaths.NtPath(NtStatus.STATUS_ILL_FORMED_SERVICE_ENTRY, null));
    }
  }

  @Test
  void B5_aZeroLengthImagePathIsIllFormed() {
    assertIllFormed(new RegValue("ImagePath", RegType.REG_EXPAND_SZ, new byte[0]));
    assertIllFormed(new RegValue("ImagePath", RegType.REG_SZ, new byte[0]));
  }

  @Test
  void B5_anEmptyStringIsIllFormed() {
    assertIllFormed(RegValue.expandString("ImagePath", ""));
    assertIllFormed(RegValue.string("ImagePath", ""));
  }

  @Test
  void B5_anOddNumberOfBytesIsIllFormed() {
    assertIllFormed(new RegValue("ImagePath", RegType.REG_EXPAND_SZ, new byte[] {'x', 0, 'y'}));
  }

  @Test
  void B5_theTextEndsAtItsFirstNul() {
    assertThat(path("Echo.jar\0garbage")).isEqualTo("\\SystemRoot\\Echo.jar");
    assertThat(ImagePaths.imagePath("Echo", Optional.of(new RegValue("ImagePath",
        RegType.REG_EXPAND_SZ, "Echo.jar".getBytes(StandardCharsets.UTF_16LE)))).path())
        .as("no terminator at all")
        .isEqualTo("\\SystemRoot\\Echo.jar");
  }

  @Test
  void B5_environmentStringsAreNotExpanded() {
    assertThat(path("%SystemRoot%\\Echo.jar")).isEqualTo("\\SystemRoot\\%SystemRoot%\\Echo.jar");
  }

  @Test
  void aServiceNameThatIsNotOneKeyNameIsABug() {
    assertThatThrownBy(() -> ImagePaths.imagePath("", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImagePaths.defaultImagePath("Services\\Echo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Services\\Echo");
  }

  // NT path → host file ----------------------------------------------------------------------

  @Test
  void aSystemRootPathMapsBelowTheRootDirectory() {
    assertThat(ImagePaths.hostPath("\\SystemRoot\\System32\\drivers\\Echo.jar", root))
        .isEqualTo(new ImagePaths.HostPath(NtStatus.STATUS_SUCCESS,
            root.resolve("System32").resolve("drivers").resolve("Echo.jar")));
  }

  @Test
  void systemRootComponentsAreFoundWithoutRegardToCase() throws Exception {
    Path file = Files.createDirectories(root.resolve("System32").resolve("drivers"))
        .resolve("Echo.jar");
    Files.write(file, new byte[1]);

    assertThat(ImagePaths.hostPath("\\SYSTEMROOT\\system32\\DRIVERS\\echo.JAR", root).file())
        .isEqualTo(file);
  }

  @Test
  void theExactSpellingWinsOverACaseInsensitiveMatch() throws Exception {
    Path drivers = Files.createDirectories(root.resolve("drivers"));
    Files.write(drivers.resolve("Echo.jar"), new byte[1]);
    assumeTrue(!Files.exists(drivers.resolve("ECHO.JAR")), "a case-sensitive file system");
    Files.write(drivers.resolve("ECHO.JAR"), new byte[2]);

    assertThat(ImagePaths.hostPath("\\SystemRoot\\drivers\\ECHO.JAR", root).file())
        .isEqualTo(drivers.resolve("ECHO.JAR"));
    assertThat(ImagePaths.hostPath("\\SystemRoot\\drivers\\Echo.jar", root).file())
        .isEqualTo(drivers.resolve("Echo.jar"));
    assertThat(ImagePaths.hostPath("\\SystemRoot\\drivers\\echo.jar", root).file())
        .as("two case-insensitive matches and no exact one: no guess")
        .isEqualTo(drivers.resolve("echo.jar"));
  }

  @Test
  void aMissingFileStillMapsToItsExactSpelling() {
    assertThat(ImagePaths.hostPath("\\SystemRoot\\Nowhere\\Missing.jar", root))
        .isEqualTo(new ImagePaths.HostPath(NtStatus.STATUS_SUCCESS,
            root.resolve("Nowhere").resolve("Missing.jar")));
  }

  @Test
  void dotDotAndOtherBadComponentsAreObjectNameInvalid() {
    for (String path : List.of(
        "\\SystemRoot\\..\\escape.jar",
        "\\SystemRoot\\System32\\..\\..\\escape.jar",
        "\\SystemRoot\\.\\Echo.jar",
        "\\SystemRoot\\System32\\\\Echo.jar",
        "\\SystemRoot\\drivers\\",
        "\\SystemRoot\\",
        "\\SystemRoot",
        "\\SystemRoot\\a/../../b.jar",
        "\\SystemRoot\\C:\\x.jar",
        "\\SystemRoot\\x*.jar",
        "\\SystemRoot\\x?.jar",
        "\\SystemRoot\\x\".jar",
        "\\SystemRoot\\x<.jar",
        "\\SystemRoot\\x>.jar",
        "\\SystemRoot\\x|.jar",
        "\\SystemRoot\\x\0.jar",
        "\\SystemRoot\\x\t.jar")) {
      assertThat(ImagePaths.hostPath(path, root))
          .as(path)
          .isEqualTo(new ImagePaths.HostPath(NtStatus.STATUS_OBJECT_NAME_INVALID, null));
    }
  }

  @Test
  void aRelativeNtPathIsObjectPathSyntaxBad() {
    assertThat(ImagePaths.hostPath("System32\\drivers\\Echo.jar", root))
        .isEqualTo(new ImagePaths.HostPath(NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD, null));
  }

  @Test
  void aRootOtherThanSystemRootOrDosDevicesIsObjectPathNotFound() {
    for (String path : List.of("\\Device\\HarddiskVolume1\\Echo.jar", "\\Windows\\Echo.jar",
        "\\Echo.jar", "\\??\\Echo.jar", "\\??\\UNC\\server\\share\\Echo.jar")) {
      assertThat(ImagePaths.hostPath(path, root))
          .as(path)
          .isEqualTo(new ImagePaths.HostPath(NtStatus.STATUS_OBJECT_PATH_NOT_FOUND, null));
    }
  }

  @Test
  void aDosDevicesUnixPathIsThatHostFile() {
    assumeTrue(root.getFileSystem().getSeparator().equals("/"), "a Unix host");
    for (String prefix : List.of("\\??\\", "\\DosDevices\\", "\\GLOBAL??\\", "\\dosdevices\\")) {
      assertThat(ImagePaths.hostPath(prefix + "/opt/drivers/Echo.jar", root))
          .as(prefix)
          .isEqualTo(new ImagePaths.HostPath(NtStatus.STATUS_SUCCESS,
              Path.of("/opt/drivers/Echo.jar")));
    }
  }

  @Test
  void aDosDevicesUnixPathWithBadComponentsIsObjectNameInvalid() {
    assumeTrue(root.getFileSystem().getSeparator().equals("/"), "a Unix host");
    for (String path : List.of("\\??\\/opt/../etc/x.jar", "\\??\\/opt//x.jar", "\\??\\/opt/./x.jar",
        "\\??\\/opt/x.jar/", "\\??\\/opt\\x.jar", "\\??\\/opt/x\0.jar")) {
      assertThat(ImagePaths.hostPath(path, root))
          .as(path)
          .isEqualTo(new ImagePaths.HostPath(NtStatus.STATUS_OBJECT_NAME_INVALID, null));
    }
  }

  @Test
  void aDriveLetterOnAUnixHostIsObjectPathNotFound() {
    assumeTrue(root.getFileSystem().getSeparator().equals("/"), "a Unix host");
    assertThat(ImagePaths.hostPath("\\??\\C:\\drivers\\Echo.jar", root))
        .isEqualTo(new ImagePaths.HostPath(NtStatus.STATUS_OBJECT_PATH_NOT_FOUND, null));
  }

  @Test
  void theListKeyIgnoresCaseAndTheBaseNameIsTheLastComponent() {
    assertThat(ImagePaths.key("\\SystemRoot\\System32\\drivers\\Echo.jar"))
        .isEqualTo(ImagePaths.key("\\SYSTEMROOT\\system32\\DRIVERS\\echo.JAR"))
        .isEqualTo("\\SYSTEMROOT\\SYSTEM32\\DRIVERS\\ECHO.JAR");
    assertThat(ImagePaths.baseName("\\SystemRoot\\System32\\drivers\\Echo.jar"))
        .isEqualTo("Echo.jar");
    assertThat(ImagePaths.baseName("\\??\\/opt/drivers/Echo.jar")).isEqualTo("Echo.jar");
  }

  private static String path(String imagePath) {
    ImagePaths.NtPath result =
        ImagePaths.imagePath("Echo", Optional.of(RegValue.expandString("ImagePath", imagePath)));
    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return result.path();
  }

  private static void assertIllFormed(RegValue value) {
    assertThat(ImagePaths.imagePath("Echo", Optional.of(value)))
        .isEqualTo(new ImagePaths.NtPath(NtStatus.STATUS_ILL_FORMED_SERVICE_ENTRY, null));
  }
}
