package ntio.kernel.loader;

import static ntio.kernel.loader.LoaderFixture.ECHO;
import static ntio.kernel.loader.LoaderFixture.driverPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import ntio.ddk.NtStatus;
import ntio.kernel.loader.testdrivers.AbstractDriver;
import ntio.kernel.loader.testdrivers.DriverHelper;
import ntio.kernel.loader.testdrivers.EchoDriver;
import ntio.kernel.loader.testdrivers.HelperUsingDriver;
import ntio.kernel.loader.testdrivers.InheritedDriver;
import ntio.kernel.loader.testdrivers.JavaxReferencingDriver;
import ntio.kernel.loader.testdrivers.KernelReferencingDriver;
import ntio.kernel.loader.testdrivers.NoDefaultConstructorDriver;
import ntio.kernel.loader.testdrivers.NotADriver;
import ntio.kernel.loader.testdrivers.UnsafeReferencingDriver;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriverLoaderTest {

  @TempDir
  Path temp;

  private LoaderFixture fixture;
  private DriverLoader loader;

  @BeforeEach
  void boot() {
    fixture = new LoaderFixture(temp);
    loader = fixture.loader;
  }

  // Mapping a good image ---------------------------------------------------------------------

  @Test
  void aWellFormedImageIsMappedAndDescribed() throws Exception {
    Path jar = DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);

    DriverLoader.MapResult result = loader.map("Echo", ECHO);

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(result.detail()).isEmpty();
    LoadedImage image = result.image();
    byte[] bytes = Files.readAllBytes(jar);
    assertThat(image.ntPath()).isEqualTo(ECHO);
    assertThat(image.hostFile()).isEqualTo(jar.toRealPath());
    assertThat(image.serviceName()).isEqualTo("Echo");
    assertThat(image.sha256()).isEqualTo(
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    assertThat(image.size()).isEqualTo(bytes.length);
    assertThat(image.isWdm()).isFalse();
    assertThat(image.entryClassName()).isEqualTo(EchoDriver.class.getName());
    assertThat(image.imageName()).isEqualTo("Echo.jar");
    assertThat(image.poolOwner().name()).isEqualTo("Echo.jar");
    assertThat(image.isMapped()).isTrue();
    assertThat(loader.loadedImages()).containsExactly(image);
  }

  @Test
  void theWdmAttributeIsTheWdmBit() {
    DriverJars.image("Wdm.jar").entry(EchoDriver.class).wdm(true).writeTo(fixture.drivers);
    DriverJars.image("Legacy.jar").entry(EchoDriver.class).wdm(false).writeTo(fixture.drivers);

    assertThat(fixture.mapped("Wdm", driverPath("Wdm.jar")).isWdm()).isTrue();
    assertThat(fixture.mapped("Legacy", driverPath("Legacy.jar")).isWdm()).isFalse();
  }

  @Test
  void aWdmAttributeOtherThanTrueOrFalseIsInvalidImageFormat() {
    for (String value : List.of("yes", "TRUE", "True", "", "1")) {
      DriverJars.image("Wdm.jar").entry(EchoDriver.class).attribute("Ntio-Wdm", value)
          .writeTo(fixture.drivers);
      assertRefused(driverPath("Wdm.jar"), NtStatus.STATUS_INVALID_IMAGE_FORMAT, "Ntio-Wdm");
    }
  }

  // B6: the loaded-image list ----------------------------------------------------------------

  @Test
  void B6_mappingTheSameImageTwiceIsAlreadyLoaded() {
    DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    LoadedImage first = fixture.mapped("Echo", ECHO);

    DriverLoader.MapResult again = loader.map("Echo", ECHO);
    DriverLoader.MapResult otherCase = loader.map("Echo", "\\SYSTEMROOT\\system32\\DRIVERS\\echo.JAR");
    DriverLoader.MapResult otherService = loader.map("EchoToo", ECHO);

    for (DriverLoader.MapResult result : List.of(again, otherCase, otherService)) {
      assertThat(result.status()).isEqualTo(NtStatus.STATUS_IMAGE_ALREADY_LOADED);
      assertThat(result.image()).isSameAs(first);
      assertThat(result.detail()).contains("service Echo");
    }
    assertThat(loader.loadedImages()).containsExactly(first);
    assertThat(first.isMapped()).isTrue();
    assertThat(first.serviceName()).isEqualTo("Echo");
  }

  @Test
  void B6_alreadyLoadedIsDecidedBeforeTheFileIsOpened() throws Exception {
    Path jar = DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    LoadedImage first = fixture.mapped("Echo", ECHO);
    Files.delete(jar);

    DriverLoader.MapResult again = loader.map("Echo", ECHO);

    assertThat(again.status()).isEqualTo(NtStatus.STATUS_IMAGE_ALREADY_LOADED);
    assertThat(again.image()).isSameAs(first);
  }

  @Test
  void B6_anImageMappedAgainAfterItsUnmapIsANewMappingWithANewPoolOwner() {
    DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    LoadedImage first = fixture.mapped("Echo", ECHO);
    loader.unmap(first);

    LoadedImage second = fixture.mapped("Echo", ECHO);

    assertThat(second).isNotSameAs(first);
    assertThat(second.poolOwner()).isNotEqualTo(first.poolOwner());
    assertThat(second.poolOwner().name()).isEqualTo(first.poolOwner().name());
    assertThat(first.isMapped()).isFalse();
    assertThat(loader.loadedImages()).containsExactly(second);
  }

  @Test
  void differentImagesAreListedInTheOrderTheyWereMapped() {
    for (String name : List.of("B.jar", "A.jar", "C.jar")) {
      DriverJars.driver(fixture.drivers, name, EchoDriver.class);
    }
    LoadedImage b = fixture.mapped("B", driverPath("B.jar"));
    LoadedImage a = fixture.mapped("A", driverPath("A.jar"));
    List<LoadedImage> before = loader.loadedImages();
    LoadedImage c = fixture.mapped("C", driverPath("C.jar"));

    assertThat(loader.loadedImages()).containsExactly(b, a, c);
    assertThat(before).as("a snapshot").containsExactly(b, a);
    assertThatThrownBy(() -> before.add(c)).isInstanceOf(UnsupportedOperationException.class);
  }

  // The file -------------------------------------------------------------------------------------

  @Test
  void aMissingFileIsObjectNameNotFound() {
    assertRefused(ECHO, NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, "does not exist");
  }

  @Test
  void aMissingDirectoryIsObjectPathNotFound() {
    assertRefused("\\SystemRoot\\System32\\nowhere\\Echo.jar",
        NtStatus.STATUS_OBJECT_PATH_NOT_FOUND, "does not exist");
  }

  @Test
  void aDanglingLinkIsObjectNameNotFound() throws Exception {
    Files.createSymbolicLink(fixture.drivers.resolve("Echo.jar"), temp.resolve("gone.jar"));
    assertRefused(ECHO, NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, "does not exist");
  }

  @Test
  void anUnreadableFileIsAccessDenied() throws Exception {
    Path jar = DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("---------"));
    assumeFalse(Files.isReadable(jar), "the test runs as a user who cannot override permissions");

    assertRefused(ECHO, NtStatus.STATUS_ACCESS_DENIED, "Echo.jar");
  }

  @Test
  void hostFailuresMapToNtStatuses() {
    assertThat(DriverLoader.statusOf(new AccessDeniedException("x")))
        .isEqualTo(NtStatus.STATUS_ACCESS_DENIED);
    assertThat(DriverLoader.statusOf(new NoSuchFileException("x")))
        .isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(DriverLoader.statusOf(new IOException("disk on fire")))
        .isEqualTo(NtStatus.STATUS_UNSUCCESSFUL);
  }

  @Test
  void aDirectoryIsInvalidImageFormat() throws Exception {
    Files.createDirectories(fixture.drivers.resolve("Echo.jar"));
    assertRefused(ECHO, NtStatus.STATUS_INVALID_IMAGE_FORMAT, "is not a file");
  }

  @Test
  void aPathThatNamesNoHostFileGivesThePathStatus() {
    assertRefused("\\Device\\HarddiskVolume1\\Echo.jar", NtStatus.STATUS_OBJECT_PATH_NOT_FOUND,
        "names no host file");
    assertRefused("\\SystemRoot\\System32\\drivers\\..\\..\\Echo.jar",
        NtStatus.STATUS_OBJECT_NAME_INVALID, "names no host file");
    assertRefused("System32\\drivers\\Echo.jar", NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD,
        "names no host file");
  }

  @Test
  void anImageLargerThanTheLimitIsInsufficientResources() {
    Path jar = DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    DriverLoader small = new DriverLoader(fixture.systemRoot,
        ImagePolicy.defaults(fixture.systemRoot), 100, DriverLoader.MAXIMUM_INFLATED_SIZE);
    DriverLoader.MapResult result = small.map("Echo", ECHO);

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    assertThat(result.detail()).contains(jar.getFileName().toString());
    assertThat(small.loadedImages()).isEmpty();
  }

  @Test
  void anImageInflatingPastTheLimitIsInsufficientResources() {
    DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    DriverLoader small = new DriverLoader(fixture.systemRoot,
        ImagePolicy.defaults(fixture.systemRoot), DriverLoader.MAXIMUM_IMAGE_SIZE, 100);

    assertThat(small.map("Echo", ECHO).status()).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
  }

  @Test
  void aZipBombImageIsRefusedNamingItsEntryBeforeItIsInflated() throws Exception {
    // 250 MB of zeros in a JAR of a few hundred KB.
    Files.write(fixture.drivers.resolve("Bomb.jar"), ZipBombs.zeros250MB());

    long before = ZipBombs.allocatedByThisThread();
    DriverLoader.MapResult result = loader.map("Bomb", driverPath("Bomb.jar"));

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    assertThat(result.detail()).contains("entry bomb/zeros.bin declares 250000000 bytes");
    assertThat(ZipBombs.allocatedByThisThread() - before).isLessThan(16L << 20);
    assertThat(loader.loadedImages()).isEmpty();
  }

  // The policy ----------------------------------------------------------------------------------

  @Test
  void anImageOutsideTheAllowedDirectoriesIsDriverBlocked() {
    DriverJars.driver(fixture.systemRoot, "Echo.jar", EchoDriver.class);
    Path outside = DriverJars.driver(temp.resolve("elsewhere"), "Echo.jar", EchoDriver.class);

    assertRefused("\\SystemRoot\\Echo.jar", NtStatus.STATUS_DRIVER_BLOCKED, "outside");
    assertRefused("\\??\\" + outside, NtStatus.STATUS_DRIVER_BLOCKED, "outside");
  }

  @Test
  void aConfigurationAllowingAnyPathMapsAnImageAnywhere() throws Exception {
    Path outside = DriverJars.driver(temp.resolve("elsewhere"), "Echo.jar", EchoDriver.class);
    DriverLoader open = new DriverLoader(fixture.systemRoot, ImagePolicy.anyPath());

    DriverLoader.MapResult result = open.map("Echo", "\\??\\" + outside);

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(result.image().hostFile()).isEqualTo(outside.toRealPath());
  }

  @Test
  void aLinkInTheDriversDirectoryPointingOutsideIsDriverBlocked() throws Exception {
    Path outside = DriverJars.driver(temp.resolve("elsewhere"), "Echo.jar", EchoDriver.class);
    Files.createSymbolicLink(fixture.drivers.resolve("Echo.jar"), outside);

    assertRefused(ECHO, NtStatus.STATUS_DRIVER_BLOCKED, "outside");
  }

  @Test
  void aLinkInTheDriversDirectoryPointingInsideMapsTheRealFile() throws Exception {
    Path real = DriverJars.driver(fixture.drivers.resolve("real"), "Echo.jar", EchoDriver.class);
    Files.createSymbolicLink(fixture.drivers.resolve("Echo.jar"), real);

    assertThat(fixture.mapped("Echo", ECHO).hostFile()).isEqualTo(real.toRealPath());
  }

  // The image's format -------------------------------------------------------------------------

  @Test
  void aFileThatIsNotAJarIsInvalidImageFormat() {
    DriverJars.notAJar(fixture.drivers, "Echo.jar");
    assertRefused(ECHO, NtStatus.STATUS_INVALID_IMAGE_FORMAT, "no ZIP end record");
  }

  @Test
  void anEmptyFileIsInvalidImageFormat() throws Exception {
    Files.write(fixture.drivers.resolve("Echo.jar"), new byte[0]);
    assertRefused(ECHO, NtStatus.STATUS_INVALID_IMAGE_FORMAT, "no ZIP end record");
  }

  @Test
  void aTruncatedJarIsInvalidImageFormat() {
    DriverJars.truncated(fixture.drivers, "Echo.jar", EchoDriver.class);
    assertRefused(ECHO, NtStatus.STATUS_INVALID_IMAGE_FORMAT, "truncated");
  }

  @Test
  void aCorruptJarIsInvalidImageFormat() {
    DriverJars.corrupt(fixture.drivers, "Echo.jar", EchoDriver.class);
    assertRefused(ECHO, NtStatus.STATUS_INVALID_IMAGE_FORMAT, "EchoDriver");
  }

  @Test
  void aJarWithoutManifestIsInvalidImageFormat() {
    DriverJars.withoutManifest(fixture.drivers, "Echo.jar", EchoDriver.class);
    assertRefused(ECHO, NtStatus.STATUS_INVALID_IMAGE_FORMAT, "META-INF/MANIFEST.MF");
  }

  @Test
  void aManifestThatDoesNotParseIsInvalidImageFormat() {
    DriverJars.image("Echo.jar").withoutManifest().add(EchoDriver.class)
        .file("META-INF/MANIFEST.MF", "no colon on this line\n".getBytes(StandardCharsets.UTF_8))
        .writeTo(fixture.drivers);
    assertRefused(ECHO, NtStatus.STATUS_INVALID_IMAGE_FORMAT, "manifest does not parse");
  }

  @Test
  void aMalformedClassFileIsInvalidImageFormat() {
    DriverJars.image("Echo.jar").entry(EchoDriver.class)
        .file("x/Bad.class", new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 0})
        .writeTo(fixture.drivers);
    assertRefused(ECHO, NtStatus.STATUS_INVALID_IMAGE_FORMAT, "x/Bad.class");
  }

  @Test
  void aClassFileTooNewForThisJvmIsInvalidImageFormat() {
    DriverJars.image("Echo.jar").entry(EchoDriver.class)
        .file("x/New.class", new ClassBytes("x/New").major(ClassFile.newestMajor() + 1).toBytes())
        .writeTo(fixture.drivers);
    assertRefused(ECHO, NtStatus.STATUS_INVALID_IMAGE_FORMAT, "class-file version");
  }

  @Test
  void aClassFileUnderAnotherNameIsInvalidImageFormat() {
    DriverJars.image("Echo.jar").entry(EchoDriver.class)
        .file("x/Other.class", new ClassBytes("x/Mine").toBytes())
        .writeTo(fixture.drivers);
    assertRefused(ECHO, NtStatus.STATUS_INVALID_IMAGE_FORMAT, "x/Other.class holds class x/Mine");
  }

  @Test
  void aClassInAPackageReservedForTheSystemIsInvalidImageFormat() {
    for (String name : List.of("java/lang/Evil", "ntio/ddk/Evil", "ntio/framework/Evil")) {
      DriverJars.image("Echo.jar").entry(EchoDriver.class)
          .file(name + ".class", new ClassBytes(name).toBytes())
          .writeTo(fixture.drivers);
      assertRefused(ECHO, NtStatus.STATUS_INVALID_IMAGE_FORMAT, "reserved for the system");
    }
  }

  @Test
  void versionedClassesAndTheModuleDescriptorAreNeverDefinedSoNotChecked() {
    DriverJars.image("Echo.jar").entry(EchoDriver.class)
        .file("META-INF/versions/21/x/Any.class", new byte[] {1, 2, 3})
        .file("module-info.class", new byte[] {1, 2, 3})
        .writeTo(fixture.drivers);
    assertThat(loader.map("Echo", ECHO).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void noDamagedByteOfAnImageEscapesAsAnException() throws Exception {
    byte[] whole = DriverJars.image("Echo.jar").entry(EchoDriver.class).wdm(true).toBytes();
    Path jar = fixture.drivers.resolve("Echo.jar");
    for (int i = 0; i < whole.length; i++) {
      byte[] damaged = whole.clone();
      damaged[i] ^= (byte) 0x41;
      Files.write(jar, damaged);
      DriverLoader.MapResult result = loader.map("Echo", ECHO);
      assertThat(result.status()).as("byte %d: %s", i, result.detail()).isIn(
          NtStatus.STATUS_SUCCESS, NtStatus.STATUS_INVALID_IMAGE_FORMAT,
          NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND, NtStatus.STATUS_INSUFFICIENT_RESOURCES);
      if (result.image() != null) {
        loader.unmap(result.image());
      }
    }
  }

  // The entry point --------------------------------------------------------------------------

  @Test
  void aManifestWithoutEntryClassIsDriverEntrypointNotFound() {
    DriverJars.image("Echo.jar").add(EchoDriver.class).writeTo(fixture.drivers);
    assertRefused(ECHO, NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND, "names no Ntio-Driver-Entry");
  }

  @Test
  void anEntryClassTheImageDoesNotCarryIsDriverEntrypointNotFound() {
    for (String name : List.of("ntio.kernel.loader.testdrivers.Missing", "ntio.ddk.DriverEntry",
        "ntio/kernel/loader/testdrivers/EchoDriver", "")) {
      DriverJars.image("Echo.jar").add(EchoDriver.class).attribute("Ntio-Driver-Entry", name)
          .writeTo(fixture.drivers);
      assertRefused(ECHO, NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND, "");
    }
  }

  @Test
  void aClassThatIsNotPublicIsDriverEntrypointNotFound() throws Exception {
    Class<?> hidden = Class.forName("ntio.kernel.loader.testdrivers.HiddenDriver");
    DriverJars.driver(fixture.drivers, "Echo.jar", hidden);
    assertRefused(ECHO, NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND, "is not public");
  }

  @Test
  void anAbstractClassIsDriverEntrypointNotFound() {
    DriverJars.driver(fixture.drivers, "Echo.jar", AbstractDriver.class);
    assertRefused(ECHO, NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND, "abstract");
  }

  @Test
  void anInterfaceIsDriverEntrypointNotFound() {
    DriverJars.image("Echo.jar").entry(EchoDriver.class)
        .file("x/Face.class", new ClassBytes("x/Face")
            .access(ClassFile.ACC_PUBLIC | ClassFile.ACC_INTERFACE | ClassFile.ACC_ABSTRACT)
            .implementing("ntio/ddk/DriverEntry").toBytes())
        .attribute("Ntio-Driver-Entry", "x.Face")
        .writeTo(fixture.drivers);
    assertRefused(ECHO, NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND, "abstract or an interface");
  }

  @Test
  void aClassThatIsNoDriverEntryIsDriverEntrypointNotFound() {
    DriverJars.driver(fixture.drivers, "Echo.jar", NotADriver.class);
    assertRefused(ECHO, NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND, "does not implement");
  }

  @Test
  void aClassWithoutPublicNoArgumentConstructorIsDriverEntrypointNotFound() {
    DriverJars.driver(fixture.drivers, "Echo.jar", NoDefaultConstructorDriver.class);
    assertRefused(ECHO, NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND,
        "no public no-argument constructor");
  }

  @Test
  void aDriverEntryInheritedFromASuperclassInTheImageIsAnEntryPoint() {
    DriverJars.driver(fixture.drivers, "Echo.jar", InheritedDriver.class, AbstractDriver.class);
    assertThat(loader.map("Echo", ECHO).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void aDriverEntryInheritedThroughAnExportedInterfaceIsAnEntryPoint() {
    // x.Sub implements x.Face, which extends the DDK's DriverEntry.
    DriverJars.image("Echo.jar")
        .file("x/Face.class", new ClassBytes("x/Face")
            .access(ClassFile.ACC_PUBLIC | ClassFile.ACC_INTERFACE | ClassFile.ACC_ABSTRACT)
            .implementing("ntio/ddk/DriverEntry").toBytes())
        .file("x/Sub.class", new ClassBytes("x/Sub").implementing("x/Face")
            .method(ClassFile.ACC_PUBLIC, "<init>", "()V").toBytes())
        .attribute("Ntio-Driver-Entry", "x.Sub")
        .writeTo(fixture.drivers);
    assertThat(loader.map("Echo", ECHO).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  // Imports -------------------------------------------------------------------------------------

  @Test
  void aDriverReachingIntoTheKernelIsDriverEntrypointNotFound() {
    DriverJars.driver(fixture.drivers, "Echo.jar", KernelReferencingDriver.class);
    assertRefused(ECHO, NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND,
        "unresolved import: ntio.kernel.executive.PoolOwner, referenced by "
            + KernelReferencingDriver.class.getName());
  }

  @Test
  void aDriverNamingJavaxIsDriverEntrypointNotFound() {
    DriverJars.driver(fixture.drivers, "Echo.jar", JavaxReferencingDriver.class);
    assertRefused(ECHO, NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND,
        "javax.crypto.Cipher, referenced by " + JavaxReferencingDriver.class.getName());
  }

  @Test
  void aDriverNamingSunMiscUnsafeIsDriverEntrypointNotFound() {
    DriverJars.driver(fixture.drivers, "Echo.jar", UnsafeReferencingDriver.class);
    assertRefused(ECHO, NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND,
        "sun.misc.Unsafe, referenced by " + UnsafeReferencingDriver.class.getName());
  }

  @Test
  void everyClassOfTheImageIsChecked() {
    // The entry class is clean; another class in the image is not.
    DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class, KernelReferencingDriver.class);
    assertRefused(ECHO, NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND, "ntio.kernel.executive.PoolOwner");
  }

  @Test
  void aReferenceOnlyInADescriptorIsAnImport() {
    ClassBytes sneaky = new ClassBytes("x/Sneaky");
    sneaky.methodType("()Lntio/kernel/Kernel;");
    DriverJars.image("Echo.jar").entry(EchoDriver.class)
        .file("x/Sneaky.class", sneaky.toBytes())
        .writeTo(fixture.drivers);
    assertRefused(ECHO, NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND,
        "ntio.kernel.Kernel, referenced by x.Sneaky");
  }

  @Test
  void aClassOfTheSamePackageTheImageDoesNotCarryIsDriverEntrypointNotFound() {
    DriverJars.driver(fixture.drivers, "Echo.jar", HelperUsingDriver.class);
    assertRefused(ECHO, NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND, DriverHelper.class.getName());
  }

  @Test
  void importsOfTheImageItselfJavaTheDdkAndTheFrameworkResolve() {
    ClassBytes user = new ClassBytes("x/FrameworkUser");
    // Classes the framework and the DDK have: an import of one they lack is refused (below).
    user.classRef("ntio/framework/WdfDevice");
    user.nameAndType("queue", "(Lntio/framework/WdfIoQueue;Ljava/util/List;)Lntio/ddk/Irp;");
    user.field("self", "Lx/FrameworkUser;");
    DriverJars.image("Echo.jar").entry(HelperUsingDriver.class).add(DriverHelper.class)
        .file("x/FrameworkUser.class", user.toBytes())
        .writeTo(fixture.drivers);

    assertThat(loader.map("Echo", ECHO).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void anImportOfAFrameworkClassTheHostLacksIsDriverEntrypointNotFound() {
    ClassBytes user = new ClassBytes("x/FrameworkUser");
    user.classRef("ntio/framework/FxNoSuchQueue");
    DriverJars.image("Echo.jar").entry(HelperUsingDriver.class).add(DriverHelper.class)
        .file("x/FrameworkUser.class", user.toBytes())
        .writeTo(fixture.drivers);

    assertRefused(ECHO, NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND,
        "class not found for an import: ntio.framework.FxNoSuchQueue, referenced by x.FrameworkUser");
  }

  // Unmapping -----------------------------------------------------------------------------------

  @Test
  void unmapTakesTheImageOutOfTheListAndEmptiesItsLoader() throws Exception {
    DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    LoadedImage image = fixture.mapped("Echo", ECHO);
    ClassLoader classes = image.unloadedLoaderReference().get();

    loader.unmap(image);

    assertThat(image.isMapped()).isFalse();
    assertThat(loader.loadedImages()).isEmpty();
    assertThat(image.toString()).contains("unmapped");
    assertThatThrownBy(() -> classes.loadClass(EchoDriver.class.getName()))
        .isInstanceOf(ClassNotFoundException.class)
        .hasMessageContaining("unmapped");
    assertThat(classes.getResource("META-INF/MANIFEST.MF")).isNull();
  }

  @Test
  void unmappingTwiceIsABug() {
    DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    LoadedImage image = fixture.mapped("Echo", ECHO);
    loader.unmap(image);

    assertThatThrownBy(() -> loader.unmap(image))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already unmapped")
        .hasMessageContaining(ECHO);
  }

  @Test
  void unmappingAnImageOfAnotherLoaderIsABug() {
    DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    LoadedImage image = fixture.mapped("Echo", ECHO);
    DriverLoader other = new DriverLoader(fixture.systemRoot, ImagePolicy.defaults(fixture.systemRoot));

    assertThatThrownBy(() -> other.unmap(image))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not mapped by this loader");
    assertThat(image.isMapped()).isTrue();
  }

  @Test
  void twoLoadersShareNothing() {
    DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    DriverLoader other = new DriverLoader(fixture.systemRoot, ImagePolicy.defaults(fixture.systemRoot));

    LoadedImage mine = fixture.mapped("Echo", ECHO);
    DriverLoader.MapResult theirs = other.map("Echo", ECHO);

    assertThat(theirs.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(theirs.image()).isNotSameAs(mine);
    assertThat(other.loadedImages()).containsExactly(theirs.image());
  }

  private void assertRefused(String ntPath, NtStatus status, String detail) {
    DriverLoader.MapResult result = loader.map("Echo", ntPath);
    assertThat(result.status()).as(result.detail()).isEqualTo(status);
    assertThat(result.image()).isNull();
    assertThat(result.detail()).contains(detail);
    assertThat(loader.loadedImages()).isEmpty();
  }
}
