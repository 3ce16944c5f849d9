package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.ke.Irqls;
import ntio.kernel.process.KThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IrqlMistakes sample ({@code IrqlMistakes.jar}, built by ntio-drivers) on a real kernel: each
 * control code, sent on a fresh kernel, makes its classic IRQL mistake and gets NT's bug check,
 * whose message names the driver's image and the source line of {@code IrqlMistakes.java} that
 * made it (the line marked {@code // mistake: <name>} in the sample's source).
 */
@Timeout(60)
class IrqlMistakesTest {

  /** Driver Verifier's flag 0x2, "Force IRQL checking" (spec DV3/DV9). */
  private static final int FORCE_IRQL_CHECKING = 0x2;

  private static final String SERVICE = "IrqlMistakes";
  private static final String DEVICE = "\\Device\\IrqlMistakes";

  /** {@code CTL_CODE(FILE_DEVICE_UNKNOWN, function, METHOD_BUFFERED, FILE_ANY_ACCESS)}, as its public.h says. */
  private static int ioctl(int function) {
    return (0x22 << 16) | (function << 2);
  }

  private static final int RAISE_BELOW = ioctl(0x900);
  private static final int LOWER_ABOVE = ioctl(0x901);

  /** The sample's source, where each mistake's line is marked. */
  private static final Path SOURCE = ntio.kernel.testing.ServiceInstaller.sampleDirectory()
      .resolve("../../src/main/java/ntio/drivers/irqlmistakes/IrqlMistakes.java").normalize();

  @TempDir Path state;
  private IoLab lab;

  @AfterEach
  void shutDown() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void raisingToALowerIrqlIsBugCheck0x9NamingTheDriverAndLine() {
    BugCheck found = trigger(RAISE_BELOW, false);

    assertThat(found.code()).isEqualTo(Irqls.IRQL_NOT_GREATER_OR_EQUAL);
    assertThat(found.parameter1()).as("P1, the current IRQL: DISPATCH_LEVEL").isEqualTo(2);
    assertThat(found.parameter2()).as("P2, the requested IRQL: PASSIVE_LEVEL").isEqualTo(0);
    assertNamesTheDriverAndLine(found, "raiseBelow");
  }

  @Test
  void loweringToAHigherIrqlIsBugCheck0xANamingTheDriverAndLine() {
    BugCheck found = trigger(LOWER_ABOVE, false);

    assertThat(found.code()).isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
    assertThat(found.parameter1()).as("P1, the requested IRQL: DISPATCH_LEVEL").isEqualTo(2);
    assertThat(found.parameter2()).as("P2, the current IRQL: PASSIVE_LEVEL").isEqualTo(0);
    assertNamesTheDriverAndLine(found, "lowerAbove");
  }

  /**
   * Boots a kernel (with the verifier's IRQL checking for the image when {@code verified}), loads
   * the real sample image, sends {@code code} and returns the bug check the kernel halted on.
   */
  private BugCheck trigger(int code, boolean verified) {
    lab = IoLab.boot(state);
    if (verified) {
      lab.verifyDrivers(SERVICE + ".jar", FORCE_IRQL_CHECKING);
    }
    lab.loadSample(SERVICE);
    KThread client = lab.userClient();
    Handle device = lab.openReadWrite(client, DEVICE);

    var result = lab.nt.ntDeviceIoControlFile(client, device, code, new byte[0], 0);

    IoLab.await("the bug check of control code 0x" + Integer.toHexString(code),
        () -> lab.kernel.bugChecks().first().isPresent());
    assertThat(result.status()).as("the caller's status once the kernel halted")
        .isNotEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.kernel.isRunning()).as("the kernel halted").isFalse();
    return lab.kernel.bugChecks().first().orElseThrow();
  }

  /**
   * Asserts that the bug check names the sample (its driver field, and its image in the message's
   * frame) and the exact line of {@code IrqlMistakes.java} marked {@code // mistake: <mistake>}.
   */
  private static void assertNamesTheDriverAndLine(BugCheck found, String mistake) {
    assertThat(found.driver()).contains(SERVICE);
    assertThat(found.message()).contains("IrqlMistakes.jar",
        "IrqlMistakes." + mistake + "(IrqlMistakes.java:" + markedLine(mistake) + ")");
  }

  /** The 1-based line of the sample's source that ends with {@code // mistake: <mistake>}. */
  private static int markedLine(String mistake) {
    try {
      List<String> lines = Files.readAllLines(SOURCE);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains("// mistake: " + mistake)) {
          return i + 1;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("no line marked '// mistake: " + mistake + "' in " + SOURCE);
  }
}
