package ntio.kernel.io;

import static ntio.ddk.NtStatus.STATUS_DRIVER_BLOCKED;
import static ntio.ddk.NtStatus.STATUS_DRIVER_BLOCKED_CRITICAL;
import static ntio.ddk.NtStatus.STATUS_DRIVER_ENTRYPOINT_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_INVALID_IMAGE_FORMAT;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import ntio.api.DriverEvent;
import ntio.api.DriverLoadResult;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.io.loadtests.frameworkgap.FrameworkGapDriver;
import ntio.kernel.io.loadtests.frameworkgap.Stand;
import ntio.kernel.io.loadtests.kernelref.KernelReferencingDriver;
import ntio.kernel.io.loadtests.notentry.NotADriverEntry;
import ntio.kernel.io.loadtests.scripted.ScriptedDriver;
import ntio.kernel.loader.denied.ExitingDriver;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every load failure says which cause of its status it is and what to do: each broken image is a
 * real JAR loaded by the real loader through NtLoadDriver, and the status NtLoadDriver returns is
 * unchanged while the detail names the cause. The detail is published as a LOAD_FAILED event too.
 */
class LoadFailureDetailTest {

  private static final String SERVICE = "Broken";
  private static final String IMAGE = SERVICE + ".jar";
  private static final String SCRIPTED = ScriptedDriver.class.getName();

  @TempDir Path state;

  private Kernel kernel;
  private LoadFixture fixture;
  private final List<DriverEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void boot() {
    kernel = Kernel.boot(KernelConfig.of(state));
    kernel.addDriverEventListener(events::add);
    fixture = new LoadFixture(kernel);
    fixture.scriptedService(SERVICE, IMAGE);
  }

  @AfterEach
  void shutdown() {
    kernel.close();
  }

  private DriverLoadResult load(String service) {
    return kernel.services().ntLoadDriverDetailed(fixture.admin,
        UnicodeString.of(LoadFixture.SERVICES + service));
  }

  /** The status is the one NtLoadDriver always gave; the detail and the event say the rest. */
  private String failure(NtStatus status) {
    DriverLoadResult result = load(SERVICE);
    assertThat(result.status()).as(result.detail()).isEqualTo(status);
    assertThat(fixture.load(SERVICE)).as("plain NtLoadDriver").isEqualTo(status);
    DriverEvent event = events.get(0);
    assertThat(event.kind()).isEqualTo(DriverEvent.Kind.LOAD_FAILED);
    assertThat(event.service()).isEqualTo(SERVICE);
    assertThat(event.status()).isEqualTo(status);
    assertThat(event.detail()).isEqualTo(result.detail());
    return result.detail();
  }

  @Test
  void noManifestEntryIsSaidAndTheImagesDriverClassIsNamed() {
    DriverJars.image(IMAGE).add(ScriptedDriver.class).writeTo(fixture.drivers());

    assertThat(failure(STATUS_DRIVER_ENTRYPOINT_NOT_FOUND))
        .contains("the manifest names no Ntio-Driver-Entry")
        .contains("manifestEntries")
        .contains("the image's driver class: " + SCRIPTED);
  }

  @Test
  void aMisspeltEntryClassIsSaidWithTheCloseName() {
    DriverJars.image(IMAGE).add(ScriptedDriver.class)
        .attribute(DriverJars.ENTRY_ATTRIBUTE, "ntio.kernel.io.loadtests.scripted.ScriptedDrvier")
        .writeTo(fixture.drivers());

    assertThat(failure(STATUS_DRIVER_ENTRYPOINT_NOT_FOUND))
        .contains("entry class ntio.kernel.io.loadtests.scripted.ScriptedDrvier is not in the image")
        .contains("did you mean " + SCRIPTED + "?");
  }

  @Test
  void anEntryClassThatIsNoDriverIsSaid() {
    DriverJars.driver(fixture.drivers(), IMAGE, NotADriverEntry.class);

    assertThat(failure(STATUS_DRIVER_ENTRYPOINT_NOT_FOUND))
        .contains("entry class " + NotADriverEntry.class.getName() + " is not a driver")
        .contains("does not implement ntio.ddk.DriverEntry")
        .contains("no class of the image implements ntio.ddk.DriverEntry");
  }

  @Test
  void anImportOfAFrameworkClassTheHostLacksIsSaidAsAClassNotFound() {
    String stand = Stand.class.getName().replace('.', '/');
    String absent = "ntio/framework/NoSuch";
    absent += "X".repeat(stand.length() - absent.length());
    Map<String, byte[]> classes = DriverJars.classFiles(FrameworkGapDriver.class);
    String entryFile = FrameworkGapDriver.class.getName().replace('.', '/') + ".class";
    byte[] renamed = replace(classes.get(entryFile), stand, absent);
    DriverJars.image(IMAGE).file(entryFile, renamed)
        .attribute(DriverJars.ENTRY_ATTRIBUTE, FrameworkGapDriver.class.getName())
        .writeTo(fixture.drivers());

    assertThat(failure(STATUS_DRIVER_ENTRYPOINT_NOT_FOUND))
        .contains("class not found for an import: " + absent.replace('/', '.'))
        .contains("referenced by " + FrameworkGapDriver.class.getName())
        .contains("ntio-framework jar is missing from the host's class path");
  }

  @Test
  void anImportOfAClassNeitherPackagedNorExportedIsSaid() {
    DriverJars.driver(fixture.drivers(), IMAGE, KernelReferencingDriver.class);

    assertThat(failure(STATUS_DRIVER_ENTRYPOINT_NOT_FOUND))
        .contains("unresolved import: ntio.kernel.")
        .contains("is neither in the image nor exported to drivers")
        .contains("package a library into the JAR");
  }

  @Test
  void aForbiddenImportNamesTheMemberAndTheClassThatMakesIt() {
    DriverJars.driver(fixture.drivers(), IMAGE, ExitingDriver.class);

    assertThat(failure(STATUS_DRIVER_BLOCKED_CRITICAL))
        .contains("denied member: java.lang.System.exit")
        .contains("referenced by " + ExitingDriver.class.getName());
  }

  @Test
  void aNonJarIsSaidToBeNoJar() {
    DriverJars.notAJar(fixture.drivers(), IMAGE);

    assertThat(failure(STATUS_INVALID_IMAGE_FORMAT)).contains("not a JAR");
  }

  @Test
  void aJarWithoutAManifestIsSaid() {
    DriverJars.withoutManifest(fixture.drivers(), IMAGE, ScriptedDriver.class);

    assertThat(failure(STATUS_INVALID_IMAGE_FORMAT))
        .contains("has no META-INF/MANIFEST.MF")
        .contains("Ntio-Driver-Entry");
  }

  @Test
  void aBlockedImageNamesTheAllowedDirectoriesAndTheHostFlagThatAddsOne() {
    Path outside = state.resolve("outside");
    DriverJars.driver(outside, IMAGE, ScriptedDriver.class);
    fixture.service(SERVICE).set(RegValue.expandString("ImagePath",
        "\\??\\" + outside.resolve(IMAGE).toAbsolutePath()));

    assertThat(failure(STATUS_DRIVER_BLOCKED))
        .contains("outside the allowed image directories ("
            + state.resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers") + ")")
        .contains("ntio host --image-dir DIR")
        .contains("ntio sc create");
  }

  @Test
  void aLoadOfAServiceWithNoKeyIsPublishedUnderTheNameItWasGiven() {
    DriverLoadResult result = load("NoSuchService");

    assertThat(result).isEqualTo(new DriverLoadResult(STATUS_OBJECT_NAME_NOT_FOUND, ""));
    assertThat(events).containsExactly(new DriverEvent(DriverEvent.Kind.LOAD_FAILED, "NoSuchService", "",
        STATUS_OBJECT_NAME_NOT_FOUND, ""));
  }

  private static byte[] replace(byte[] bytes, String from, String to) {
    byte[] a = from.getBytes(StandardCharsets.UTF_8);
    byte[] b = to.getBytes(StandardCharsets.UTF_8);
    assertThat(b).hasSameSizeAs(a);
    byte[] out = bytes.clone();
    int replaced = 0;
    for (int i = 0; i + a.length <= out.length; i++) {
      if (java.util.Arrays.equals(out, i, i + a.length, a, 0, a.length)) {
        System.arraycopy(b, 0, out, i, b.length);
        replaced++;
      }
    }
    assertThat(replaced).as("references to " + from).isPositive();
    return out;
  }
}
