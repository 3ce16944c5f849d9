package ntio.host.cli;

import static ntio.host.cli.CliHarness.embedded;
import static ntio.host.cli.CliHarness.sampleImage;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.ObjectAttributes;
import ntio.host.cli.CliHarness.Result;
import ntio.host.cli.CliHarness.RunningKernel;
import ntio.kernel.LocalNt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sc create} and {@code sc config} check an image with the kernel loader's own checks before
 * they write its path: a non-JAR, a JAR whose manifest names no entry class or a misspelt one is
 * refused with the status its load would give and the detail, and no key is written; {@code
 * --no-check} writes it anyway, and {@code sc start} then says the same. {@code sc config}
 * replaces a stopped service's image and refuses a loaded one's.
 */
class ScImageCheckTest {

  private static final String SERVICES = "HKLM\\SYSTEM\\CurrentControlSet\\Services";

  @TempDir Path state;
  @TempDir Path work;

  /** The Echo sample with its manifest's Ntio-Driver-Entry set to {@code entry}, or removed when null. */
  private Path echoWithEntry(String fileName, String entry) throws IOException {
    Path target = work.resolve(fileName);
    try (JarFile echo = new JarFile(sampleImage("Echo").toFile());
        OutputStream file = Files.newOutputStream(target)) {
      Manifest manifest = new Manifest(echo.getManifest());
      if (entry == null) {
        manifest.getMainAttributes().remove(new java.util.jar.Attributes.Name("Ntio-Driver-Entry"));
      } else {
        manifest.getMainAttributes().putValue("Ntio-Driver-Entry", entry);
      }
      try (JarOutputStream jar = new JarOutputStream(file, manifest)) {
        for (Enumeration<JarEntry> entries = echo.entries(); entries.hasMoreElements(); ) {
          JarEntry next = entries.nextElement();
          if (next.getName().equalsIgnoreCase("META-INF/MANIFEST.MF") || next.getName().startsWith("META-INF/")) {
            continue; // the manifest is written above; a signature would no longer match
          }
          jar.putNextEntry(new JarEntry(next.getName()));
          try (InputStream in = echo.getInputStream(next)) {
            in.transferTo(jar);
          }
          jar.closeEntry();
        }
      }
    }
    return target;
  }

  private static String entryOfEcho() throws IOException {
    try (JarFile echo = new JarFile(sampleImage("Echo").toFile())) {
      return echo.getManifest().getMainAttributes().getValue("Ntio-Driver-Entry");
    }
  }

  /** Echo installed and RUNNING on {@code kernel}. */
  private static void runEcho(RunningKernel kernel) {
    assertThat(kernel.admin("sc", "create", "Echo", "--image", sampleImage("Echo").toString()).exitCode()).isZero();
    assertThat(kernel.admin("sc", "start", "Echo").outLines()).contains("STATE : 4 RUNNING");
  }

  private void assertNoService(String name) {
    assertThat(embedded(state, "reg", "query", SERVICES + "\\" + name).exitCode())
        .as("no key was written").isEqualTo(ExitCodes.NT_FAILURE);
  }

  @Test
  void createRefusesAFileThatIsNotAJarAndWritesNoKey() throws IOException {
    Path text = Files.writeString(work.resolve("Notes.jar"), "just some text\n");

    Result r = embedded(state, "sc", "create", "Notes", "--image", text.toString());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
    assertThat(r.errLines().get(0)).isEqualTo("ntio: cannot create service Notes: the image " + text
        + " would not load: STATUS_INVALID_IMAGE_FORMAT (0xC000007B)");
    assertThat(r.errLines().get(1)).startsWith("  not a JAR: no ZIP end record");
    assertThat(r.errLines().get(2)).isEqualTo("  (--no-check writes the service anyway)");
    assertNoService("Notes");
    assertThat(state.resolve("SystemRoot/System32/drivers/Notes.jar")).doesNotExist();
  }

  @Test
  void createRefusesAJarWithoutAnEntryClassNamingTheDriverClassItHas() throws IOException {
    Path image = echoWithEntry("NoEntry.jar", null);

    Result r = embedded(state, "sc", "create", "NoEntry", "--image", image.toString());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
    assertThat(r.err()).contains("STATUS_DRIVER_ENTRYPOINT_NOT_FOUND (0xC0000263)")
        .contains("the manifest names no Ntio-Driver-Entry")
        .contains("the image's driver class: " + entryOfEcho());
    assertNoService("NoEntry");
  }

  @Test
  void createRefusesAMisspeltEntryClassWithTheCloseName() throws IOException {
    String entry = entryOfEcho();
    Path image = echoWithEntry("Misspelt.jar", entry + "x");

    Result r = embedded(state, "sc", "create", "Misspelt", "--image", image.toString());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
    assertThat(r.err()).contains("STATUS_DRIVER_ENTRYPOINT_NOT_FOUND")
        .contains("entry class " + entry + "x is not in the image")
        .contains("did you mean " + entry + "?");
    assertNoService("Misspelt");
  }

  @Test
  void noCheckWritesTheServiceAndStartThenSaysWhatIsWrong() throws IOException {
    Path text = Files.writeString(work.resolve("Notes.jar"), "just some text\n");
    try (RunningKernel kernel = new RunningKernel(state)) {
      Result create = kernel.admin("sc", "create", "Notes", "--image", text.toString(), "--no-check");
      assertThat(create.exitCode()).as(create.err()).isZero();

      Result start = kernel.admin("sc", "start", "Notes");

      assertThat(start.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
      assertThat(start.errLines().get(0))
          .isEqualTo("ntio: cannot start Notes: STATUS_INVALID_IMAGE_FORMAT (0xC000007B)");
      assertThat(start.errLines().get(1)).startsWith("  not a JAR: no ZIP end record");
    }
  }

  @Test
  void configReplacesAStoppedServicesImageCheckedAndInstalled() throws IOException {
    Path text = Files.writeString(work.resolve("Notes.jar"), "just some text\n");
    try (RunningKernel kernel = new RunningKernel(state)) {
      assertThat(kernel.admin("sc", "create", "Echo", "--image", text.toString(), "--no-check").exitCode()).isZero();
      assertThat(kernel.admin("sc", "start", "Echo").exitCode()).isEqualTo(ExitCodes.NT_FAILURE);

      Result refused = kernel.admin("sc", "config", "Echo", "--image", text.toString());
      assertThat(refused.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
      assertThat(refused.errLines().get(0)).isEqualTo("ntio: cannot configure service Echo: the image " + text
          + " would not load: STATUS_INVALID_IMAGE_FORMAT (0xC000007B)");

      Result config = kernel.admin("sc", "config", "Echo", "--image", sampleImage("Echo").toString());

      assertThat(config.exitCode()).as(config.err()).isZero();
      assertThat(config.outLines()).contains("[SC] ChangeServiceConfig SUCCESS", "ImagePath : System32\\drivers\\Echo.jar");
      assertThat(Files.mismatch(state.resolve("SystemRoot/System32/drivers/Echo.jar"), sampleImage("Echo")))
          .isEqualTo(-1L);
      assertThat(kernel.admin("sc", "start", "Echo").outLines()).contains("STATE : 4 RUNNING");
    }
  }

  @Test
  void configRefusesARunningServiceWithInvalidDeviceStateAndChangesNothing() {
    try (RunningKernel kernel = new RunningKernel(state)) {
      runEcho(kernel);

      Result r = kernel.admin("sc", "config", "Echo", "--image", sampleImage("Null").toString());

      assertThat(r.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
      assertThat(r.errLines()).containsExactly("ntio: cannot configure service Echo: its driver is loaded"
          + " (RUNNING); stop it first with 'ntio sc stop Echo': STATUS_INVALID_DEVICE_STATE (0xC0000184)");
      assertThat(kernel.admin("sc", "query", "Echo").outLines())
          .contains("BINARY_PATH_NAME : System32\\drivers\\Echo.jar");
      assertThat(state.resolve("SystemRoot/System32/drivers/Null.jar")).doesNotExist();
    }
  }

  @Test
  void configOfAStopPendingServiceIsRefusedToo() {
    try (RunningKernel kernel = new RunningKernel(state)) {
      runEcho(kernel);
      try (LocalNt holder = kernel.client()) {
        OpenResult echo = holder.createFile(AccessMask.GENERIC_READ, ObjectAttributes.of("\\??\\Echo"), 0, 0);
        assertThat(kernel.admin("sc", "stop", "Echo").outLines()).contains("STATE : 3 STOP_PENDING");

        Result r = kernel.admin("sc", "config", "Echo", "--image", sampleImage("Echo").toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
        assertThat(r.err()).contains("its driver is loaded (STOP_PENDING)");
        holder.close(echo.handle());
      }
    }
  }

  @Test
  void configOfAServiceThatDoesNotExistSaysSo() {
    Result r = embedded(state, "sc", "config", "Nope", "--image", sampleImage("Echo").toString());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
    assertThat(r.errLines()).containsExactly("ntio: cannot configure service Nope (there is no such service;"
        + " 'ntio sc create' makes one): STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)");
  }
}
