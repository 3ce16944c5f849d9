package ntio.embedding;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import ntio.api.BugCheckReport;
import ntio.api.IoResult;
import ntio.api.KernelHalt;
import ntio.api.NtDevice;
import ntio.api.NtSystem;
import ntio.api.Ntio;
import ntio.ddk.NtStatus;
import ntio.drivers.echo.EchoDriver;
import ntio.drivers.echo.EchoIoctl;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedding facade as the README's "Embedding ntio" shows it, from a package that is none of
 * the kernel's and imports nothing of it: real JAR images installed as services, loaded, opened,
 * called and unloaded through {@link Ntio#boot}.
 */
@Timeout(60)
class EmbeddingTest {

  @TempDir Path images;
  @TempDir Path state;

  /** The sample Echo driver's image, as ntio-drivers packages it: every class of its package. */
  private Path echoImage() {
    try {
      Class<?>[] more = new Class<?>[ECHO_CLASSES.size()];
      for (int i = 0; i < more.length; i++) {
        more[i] = Class.forName("ntio.drivers.echo." + ECHO_CLASSES.get(i));
      }
      return DriverJars.driver(images, "Echo.jar", EchoDriver.class, more);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  private static final List<String> ECHO_CLASSES =
      List.of("EchoDispatch", "EchoFifo", "ByteRing", "IoResult", "EchoIoctl");

  @Test
  void theReadmesExampleLoadsCallsAndUnloadsARealDriverImage() {
    Path echoJar = echoImage();
    List<BugCheckReport> stops = new CopyOnWriteArrayList<>();
    IoResult written;
    IoResult waiting;
    IoResult read;
    NtStatus unloaded;
    NtStatus gone;
    // The README's example, line for line.
    try (NtSystem system = Ntio.boot(state)) {
      system.onBugCheck(stops::add);
      system.installDriver("Echo", echoJar);
      system.load("Echo");
      try (NtDevice echo = system.open("\\Device\\Echo")) {
        written = echo.write("hello".getBytes(UTF_8), 0);
        waiting = echo.call(EchoIoctl.IOCTL_ECHO_QUERY_AVAILABLE, new byte[0], 4);
        read = echo.read(5, 0);
        unloaded = system.unload("Echo"); // deferred: \Device\Echo is still open
      }
      gone = system.awaitUnload("Echo", Duration.ofSeconds(10)); // DriverUnload ran at the last close
    }

    assertThat(written.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(written.information()).isEqualTo(5);
    assertThat(waiting.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(ByteBuffer.wrap(waiting.data()).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(5);
    assertThat(new String(read.data(), UTF_8)).isEqualTo("hello");
    assertThat(unloaded).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(gone).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(stops).isEmpty();
  }

  @Test
  void eachStepAnswersWithItsStatus() {
    Path echoJar = echoImage();
    try (NtSystem system = Ntio.boot(state)) {
      assertThat(system.installDriver("Echo", images.resolve("Missing.jar")))
          .isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
      assertThat(system.installDriver("Echo", echoJar)).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(system.load("Echo")).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(system.load("Echo")).isEqualTo(NtStatus.STATUS_IMAGE_ALREADY_LOADED);
      try (NtDevice missing = system.open("\\Device\\Nothing")) {
        assertThat(missing.status()).isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
        assertThat(missing.read(1, 0).status()).isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
      }
      try (NtDevice echo = system.open("\\Device\\Echo")) {
        assertThat(echo.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
        assertThat(system.unload("Echo")).isEqualTo(NtStatus.STATUS_SUCCESS);
        assertThat(system.awaitUnload("Echo", Duration.ofMillis(50))).isEqualTo(NtStatus.STATUS_TIMEOUT);
      }
      assertThat(system.awaitUnload("Echo", Duration.ofSeconds(10))).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(system.nt().queryDrivers().rows()).noneMatch(driver -> driver.service().equals("Echo"));
    }
  }

  @Test
  void anEmbedderIsToldOfABugCheckAfterTheKernelHalted() {
    Path crasherJar = DriverJars.driver(images, "Crasher.jar", Crasher.class);
    List<BugCheckReport> stops = new CopyOnWriteArrayList<>();
    try (NtSystem system = Ntio.boot(state)) {
      system.onBugCheck(stops::add);
      system.installDriver("Crasher", crasherJar);

      system.load("Crasher");

      assertThat(stops).singleElement().satisfies(stop -> {
        assertThat(stop.code()).isEqualTo(Crasher.CODE);
        assertThat(stop.parameter1()).isEqualTo(1);
        assertThat(stop.message()).contains("the embedder asked for it");
      });
      assertThat(system.nt().queryDrivers().status()).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    }
  }

  @Test
  void anEmbedderIsToldOfTheHaltWithTheDriversImageAndTheReportToShow() {
    Path crasherJar = DriverJars.driver(images, "Crasher.jar", Crasher.class);
    List<KernelHalt> halts = new CopyOnWriteArrayList<>();
    try (NtSystem system = Ntio.boot(state)) {
      system.onHalt(halts::add);
      system.installDriver("Crasher", crasherJar);

      system.load("Crasher");

      assertThat(halts).singleElement().satisfies(halt -> {
        assertThat(halt.bugCheck().code()).isEqualTo(Crasher.CODE);
        assertThat(halt.image()).isEqualTo("Crasher.jar");
        assertThat(state.resolve("crash").resolve(halt.reportId() + ".txt")).isRegularFile();
        assertThat(halt.line()).isEqualTo("kernel halted: bug check 0x000000E2 in Crasher.jar — `ntio crash show "
            + halt.reportId() + "`");
      });
      assertThat(system.nt().kernelHalt()).contains(halts.get(0));
    }
  }
}
