package ntio.kernel.loader;

import static ntio.kernel.loader.LoaderFixture.ECHO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import ntio.ddk.DriverEntry;
import ntio.ddk.NtStatus;
import ntio.kernel.loader.testdrivers.DriverHelper;
import ntio.kernel.loader.testdrivers.EchoDriver;
import ntio.kernel.loader.testdrivers.HelperUsingDriver;
import ntio.kernel.loader.testdrivers.IsolationProbeDriver;
import ntio.kernel.loader.testdrivers.ThrowingConstructorDriver;
import ntio.kernel.loader.testdrivers.ThrowingStaticInitializerDriver;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadedImageTest {

  @TempDir
  Path temp;

  private LoaderFixture fixture;

  @BeforeEach
  void boot() {
    fixture = new LoaderFixture(temp);
  }

  @Test
  void theEntryPointIsAnInstanceOfTheImagesOwnCopyOfTheClass() throws Exception {
    DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    LoadedImage image = fixture.mapped("Echo", ECHO);

    LoadedImage.EntryPoint entry = image.newEntryPoint();

    assertThat(entry.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(entry.thrown()).isNull();
    assertThat(entry.detail()).isEmpty();
    Class<?> imageClass = entry.driverEntry().getClass();
    assertThat(imageClass.getName()).isEqualTo(EchoDriver.class.getName());
    assertThat(imageClass).isNotSameAs(EchoDriver.class);
    assertThat(imageClass.getClassLoader())
        .isNotSameAs(EchoDriver.class.getClassLoader())
        .isSameAs(image.unloadedLoaderReference().get());
    assertThat(imageClass.getClassLoader().getName()).isEqualTo("image:Echo.jar");
    assertThat(DriverEntry.class.isAssignableFrom(imageClass)).as("one shared DDK").isTrue();
    assertThat(imageClass.getProtectionDomain().getCodeSource().getLocation())
        .isEqualTo(image.hostFile().toUri().toURL());
    // Running it uses the nested, anonymous and lambda classes, all from the image.
    assertThat(entry.driverEntry().driverEntry(null, null)).isEqualTo(NtStatus.STATUS_SUCCESS);
    Class<?> counter = imageClass.getClassLoader().loadClass(EchoDriver.class.getName() + "$Counter");
    assertThat(counter.getClassLoader()).isSameAs(imageClass.getClassLoader());
  }

  @Test
  void eachCallMakesANewInstance() {
    DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    LoadedImage image = fixture.mapped("Echo", ECHO);

    DriverEntry first = image.newEntryPoint().driverEntry();
    DriverEntry second = image.newEntryPoint().driverEntry();

    assertThat(first).isNotSameAs(second);
    assertThat(first.getClass()).isSameAs(second.getClass());
  }

  @Test
  void aSecondTopLevelClassOfTheImageIsLinkedFromTheImage() {
    DriverJars.driver(fixture.drivers, "Echo.jar", HelperUsingDriver.class, DriverHelper.class);
    DriverEntry entry = fixture.mapped("Echo", ECHO).newEntryPoint().driverEntry();

    assertThat(entry.driverEntry(null, null)).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void theImageSeesJavaTheDdkAndItselfButNotTheKernelNorTheClassPath() throws Exception {
    DriverJars.image("Echo.jar").entry(IsolationProbeDriver.class)
        .file(IsolationProbeDriver.RESOURCE, "hello".getBytes(StandardCharsets.UTF_8))
        .writeTo(fixture.drivers);
    DriverEntry probe = fixture.mapped("Echo", ECHO).newEntryPoint().driverEntry();

    // The probe runs Class.forName("ntio.kernel.Kernel") and friends inside the image.
    assertThat(probe.driverEntry(null, null)).isEqualTo(NtStatus.STATUS_SUCCESS);
    ClassLoader classes = probe.getClass().getClassLoader();
    assertThatThrownBy(() -> Class.forName("ntio.kernel.Kernel", false, classes))
        .isInstanceOf(ClassNotFoundException.class)
        .hasMessageContaining("neither in image Echo.jar nor exported to driver images");
    assertThatThrownBy(() -> classes.loadClass("javax.crypto.Cipher"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThat(classes.loadClass("java.util.List")).isSameAs(java.util.List.class);
    assertThat(classes.loadClass("ntio.ddk.NtStatus")).isSameAs(NtStatus.class);
    assertThat(classes.getResources("ntio/kernel/Kernel.class").hasMoreElements()).isFalse();
    assertThat(classes.getResources(IsolationProbeDriver.RESOURCE).hasMoreElements()).isTrue();
  }

  @Test
  void aThrowingConstructorIsReportedNotInterpreted() {
    DriverJars.driver(fixture.drivers, "Echo.jar", ThrowingConstructorDriver.class);
    LoadedImage image = fixture.mapped("Echo", ECHO);

    LoadedImage.EntryPoint entry = image.newEntryPoint();

    assertThat(entry.status()).isEqualTo(NtStatus.STATUS_DLL_INIT_FAILED);
    assertThat(entry.driverEntry()).isNull();
    assertThat(entry.thrown()).isInstanceOf(IllegalStateException.class)
        .hasMessage("the constructor refuses");
    assertThat(entry.detail()).contains("constructor of " + ThrowingConstructorDriver.class.getName());
    assertThat(image.isMapped()).as("the loader decides nothing").isTrue();
  }

  @Test
  void aThrowingStaticInitializerIsReportedNotInterpreted() {
    DriverJars.driver(fixture.drivers, "Echo.jar", ThrowingStaticInitializerDriver.class);
    LoadedImage image = fixture.mapped("Echo", ECHO);

    LoadedImage.EntryPoint entry = image.newEntryPoint();

    assertThat(entry.status()).isEqualTo(NtStatus.STATUS_DLL_INIT_FAILED);
    assertThat(entry.driverEntry()).isNull();
    assertThat(entry.thrown()).isInstanceOf(IllegalStateException.class)
        .hasMessage("the static initializer refuses");
    assertThat(entry.detail()).contains("static initializer");
    assertThat(image.isMapped()).isTrue();
  }

  @Test
  void aClassTheJvmRejectsIsInvalidImageFormat() {
    // A concrete public DriverEntry whose constructor has no code: it reads, but cannot define.
    DriverJars.image("Echo.jar")
        .file("x/Broken.class", new ClassBytes("x/Broken").implementing("ntio/ddk/DriverEntry")
            .method(ClassFile.ACC_PUBLIC, "<init>", "()V").toBytes())
        .attribute("Ntio-Driver-Entry", "x.Broken")
        .writeTo(fixture.drivers);
    LoadedImage image = fixture.mapped("Echo", ECHO);

    LoadedImage.EntryPoint entry = image.newEntryPoint();

    assertThat(entry.status()).isEqualTo(NtStatus.STATUS_INVALID_IMAGE_FORMAT);
    assertThat(entry.thrown()).isNull();
    assertThat(entry.detail()).contains("ClassFormatError", "x/Broken");
  }

  @Test
  void creatingTheEntryPointOfAnUnmappedImageIsABug() {
    DriverJars.driver(fixture.drivers, "Echo.jar", EchoDriver.class);
    LoadedImage image = fixture.mapped("Echo", ECHO);
    fixture.loader.unmap(image);

    assertThatThrownBy(image::newEntryPoint)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unmapped")
        .hasMessageContaining(ECHO);
  }
}
