package ntio.host.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;
import ntio.host.shell.ShellFixture.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Scripts fed to a shell as stdin would feed them, on a kernel with the Echo driver loaded. */
@Timeout(60)
class ShellSessionTest {

  private static final Pattern PENDING = Pattern.compile("STATUS_PENDING \\(0x00000103\\) request (\\d+)");

  @TempDir
  Path state;

  private ShellFixture fixture;

  @BeforeEach
  void bootWithEcho() {
    fixture = new ShellFixture(state).withSampleDriver("Echo");
  }

  @AfterEach
  void shutDown() {
    fixture.close();
  }

  @Test
  void aHandleNamedWithAsIsAcceptedInPlaceOfItsValueByLaterLines() {
    Shell shell = fixture.shell();

    int exit = shell.script(
        "open \\Device\\Echo --as e",
        "write e hello",
        "read e 5");

    assertThat(exit).isZero();
    assertThat(shell.err().toString()).isEmpty();
    assertThat(shell.outLines()).hasSize(3);
    assertThat(shell.outLines().get(0)).matches("0x[0-9A-F]+ e");
    assertThat(shell.outLines()).endsWith("5 bytes written", "hello");
  }

  @Test
  void aHandleValueWorksAsWellAsAName() {
    Shell shell = fixture.shell();
    shell.script("open \\??\\Echo");
    String value = shell.outLines().get(0);
    assertThat(value).matches("0x[0-9A-F]+");

    int exit = shell.script("write " + value + " abc", "read " + value + " 3");

    assertThat(exit).isZero();
    assertThat(shell.outLines()).endsWith("3 bytes written", "abc");
  }

  @Test
  void handlesListsEachOpenHandleWithItsNamePathAndAccess() {
    Shell shell = fixture.shell();

    shell.script("open \\Device\\Echo --as e", "open \\??\\Echo --access read", "handles");

    List<String> lines = shell.outLines();
    assertThat(lines.get(2)).matches("Handle +Name +Path +Access +Pending");
    assertThat(lines.get(3)).matches("0x[0-9A-F]+ +e +\\\\Device\\\\Echo +0x0012019F");
    assertThat(lines.get(4)).matches("0x[0-9A-F]+ +\\\\\\?\\?\\\\Echo +0x00120089");
  }

  @Test
  void aDeviceControlsOutputIsPrintedAsAHexDumpWhenItIsNotText() {
    Shell shell = fixture.shell();

    int exit = shell.script("open \\Device\\Echo --as e", "write e hello", "ioctl e 0x226000 --out 4");

    assertThat(exit).isZero();
    assertThat(shell.outLines()).last().asString().startsWith("0000  05 00 00 00").endsWith("....");
  }

  @Test
  void theControlCodeMayBeGivenInDecimal() {
    Shell shell = fixture.shell();

    int exit = shell.script("open \\Device\\Echo --as e", "ioctl e 2252800 --out 4");

    assertThat(exit).isZero();
    assertThat(shell.outLines()).last().asString().startsWith("0000  00 00 00 00");
  }

  @Test
  void hexWritesAndBinaryReadsRoundTripThroughTheHexDump() {
    Shell shell = fixture.shell();

    int exit = shell.script("open \\Device\\Echo --as e", "write e --hex 00ff4142", "read e 4");

    assertThat(exit).isZero();
    assertThat(shell.outLines()).contains("4 bytes written");
    assertThat(shell.outLines()).last().asString().startsWith("0000  00 ff 41 42").endsWith("..AB");
  }

  @Test
  void aReadTheDriverHoldsIsReportedPendingWithItsRequestIdAndTheShellMovesOn() {
    Shell shell = fixture.shell();

    int exit = shell.script("open \\Device\\Echo --as e", "read e 5", "handles");

    assertThat(exit).isZero();
    long id = pendingId(shell.outLines().get(1));
    assertThat(shell.outLines()).last().asString().endsWith("0x0012019F  " + id);
  }

  @Test
  void aPendingReadsCompletionIsPrintedOnceAWriteServesIt() {
    Shell shell = fixture.shell();

    // The result comes back on a System worker: "wait" makes the report's place in the output certain.
    int exit = shell.script("open \\Device\\Echo --as e", "read e 5", "write e hello", "wait e");

    assertThat(exit).isZero();
    long id = pendingId(shell.outLines().get(1));
    assertThat(shell.outLines()).endsWith(
        "5 bytes written",
        "request " + id + " (read e 5): STATUS_SUCCESS (0x00000000)",
        "hello");
    assertThat(shell.err().toString()).isEmpty();
  }

  @Test
  void aScriptsEndGivesItsPendingRequestsTheWindowToCompleteAndBePrinted() {
    Shell shell = fixture.shell();

    int exit = shell.script("open \\Device\\Echo --as e", "read e 2", "write e hi");

    assertThat(exit).isZero();
    long id = pendingId(shell.outLines().get(1));
    assertThat(shell.outLines()).endsWith("request " + id + " (read e 2): STATUS_SUCCESS (0x00000000)", "hi");
  }

  @Test
  void cancelCompletesAPendingReadWithStatusCancelledOnStderr() {
    Shell shell = fixture.shell();

    int exit = shell.script("open \\Device\\Echo --as e", "read e 5", "cancel e", "handles");

    long id = pendingId(shell.outLines().get(1));
    assertThat(shell.errLines()).containsExactly("ntio: request " + id + " (read e 5): STATUS_CANCELLED (0xC0000120)");
    assertThat(shell.outLines()).last().asString().endsWith("0x0012019F");
    assertThat(exit).as("the cancel succeeded; the read's own failure does not fail the script").isZero();
  }

  @Test
  void cancelWithARequestIdCancelsThatRequestOnly() {
    Shell shell = fixture.shell();
    shell.script("open \\Device\\Echo --as e", "read e 2", "read e 3");
    long first = pendingId(shell.outLines().get(1));
    long second = pendingId(shell.outLines().get(2));

    int exit = shell.script("cancel e " + first, "write e abc", "wait e");

    assertThat(exit).isZero();
    assertThat(shell.errLines()).containsExactly("ntio: request " + first + " (read e 2): STATUS_CANCELLED (0xC0000120)");
    assertThat(shell.outLines()).endsWith(
        "3 bytes written", "request " + second + " (read e 3): STATUS_SUCCESS (0x00000000)", "abc");
  }

  @Test
  void cancellingARequestThatIsNotPendingAnswersStatusNotFound() {
    Shell shell = fixture.shell();

    int exit = shell.script("open \\Device\\Echo --as e", "cancel e 999");

    assertThat(exit).isEqualTo(ShellSession.NT_FAILURE);
    assertThat(shell.errLines()).containsExactly("ntio: cancel e 999: STATUS_NOT_FOUND (0xC0000225)");
  }

  @Test
  void closeDropsTheNameAndItsCleanupCompletesTheWaitingRead() {
    Shell shell = fixture.shell();

    int exit = shell.script("open \\Device\\Echo --as e", "read e 5", "close e", "handles", "read e 5");

    long id = pendingId(shell.outLines().get(1));
    assertThat(shell.outLines()).contains("(no open handles)");
    assertThat(shell.errLines()).containsExactly(
        "ntio: request " + id + " (read e 5): STATUS_CANCELLED (0xC0000120)",
        "ntio: read: no handle named e (see 'handles')");
    assertThat(exit).isEqualTo(ShellSession.USAGE);
  }

  @Test
  void waitPrintsTheCompletionsOfPendingRequestsOrFailsWithStatusTimeout() {
    Shell shell = fixture.shell();

    int exit = shell.script("open \\Device\\Echo --as e", "read e 5", "wait e --timeout 50");

    assertThat(exit).isEqualTo(ShellSession.NT_FAILURE);
    assertThat(shell.errLines()).containsExactly(
        "ntio: wait: 1 request still pending after 50 ms: STATUS_TIMEOUT (0x00000102)");
  }

  @Test
  void aFailedNtCallPrintsItsStatusByNameAndValueOnStderr() {
    Shell shell = fixture.shell();

    int exit = shell.script("open \\Device\\Nothing");

    assertThat(exit).isEqualTo(ShellSession.NT_FAILURE);
    assertThat(shell.out().toString()).isEmpty();
    assertThat(shell.errLines()).containsExactly("ntio: open \\Device\\Nothing: STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034)");
  }

  @Test
  void aHandleValueTheShellDidNotOpenGoesToTheKernelWhichRefusesIt() {
    Shell shell = fixture.shell();

    int exit = shell.script("close 0x400");

    assertThat(exit).isEqualTo(ShellSession.NT_FAILURE);
    assertThat(shell.errLines()).containsExactly("ntio: close 0x400: STATUS_INVALID_HANDLE (0xC0000008)");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    Shell shell = fixture.shell();

    int exit = shell.script("frobnicate \\Device\\Echo");

    assertThat(exit).isEqualTo(ShellSession.USAGE);
    assertThat(shell.errLines()).containsExactly("ntio: unknown command 'frobnicate'; 'help' lists the commands");
  }

  @Test
  void aMissingArgumentIsAUsageErrorWithTheCommandsUsage() {
    Shell shell = fixture.shell();

    int exit = shell.script("read");

    assertThat(exit).isEqualTo(ShellSession.USAGE);
    assertThat(shell.err().toString()).contains("Missing required parameters: 'H', 'N'").contains("Usage: ntio-shell read");
  }

  @Test
  void aNameThatIsAlreadyBoundIsRefusedBeforeAnythingIsOpened() {
    Shell shell = fixture.shell();

    int exit = shell.script("open \\Device\\Echo --as e", "open \\Device\\Echo --as e", "handles");

    assertThat(exit).isEqualTo(ShellSession.USAGE);
    assertThat(shell.errLines()).containsExactly("ntio: open: the name e is already bound; close it first");
    assertThat(shell.outLines()).hasSize(3);
  }

  @Test
  void anOpenQuoteIsAUsageError() {
    Shell shell = fixture.shell();

    int exit = shell.script("write e \"hello");

    assertThat(exit).isEqualTo(ShellSession.USAGE);
    assertThat(shell.errLines()).containsExactly("ntio: unterminated \" quote at column 9");
  }

  @Test
  void blankLinesAndCommentsAreSkippedAndNothingIsEchoed() {
    Shell shell = fixture.shell();

    int exit = shell.script("", "   ", "# open nothing", "handles");

    assertThat(exit).isZero();
    assertThat(shell.outLines()).containsExactly("(no open handles)");
  }

  @Test
  void aScriptKeepsGoingPastAFailureAndEndsWithTheLastFailuresCode() {
    Shell shell = fixture.shell();

    int exit = shell.script("bogus", "open \\Device\\Nothing", "open \\Device\\Echo --as e", "handles");

    assertThat(exit).isEqualTo(ShellSession.NT_FAILURE);
    assertThat(shell.outLines()).hasSize(3);
  }

  @Test
  void stopOnErrorEndsTheScriptAtTheFirstFailure() throws Exception {
    Shell shell = fixture.shell();

    int exit = shell.session().run(new java.io.BufferedReader(new java.io.StringReader(
        "open \\Device\\Nothing\nopen \\Device\\Echo --as e\n")), true);

    assertThat(exit).isEqualTo(ShellSession.NT_FAILURE);
    assertThat(shell.out().toString()).isEmpty();
  }

  @Test
  void exitEndsTheScriptWithTheCodeItGives() {
    Shell shell = fixture.shell();

    int exit = shell.script("exit 7", "open \\Device\\Echo");

    assertThat(exit).isEqualTo(7);
    assertThat(shell.out().toString()).isEmpty();
    assertThat(shell.session().exitRequested()).isTrue();
  }

  @Test
  void otherCommandsAreHandedToTheNtioCommandLineWithAllTheirWords() {
    List<List<String>> calls = new ArrayList<>();
    NtioCommands commands = new NtioCommands() {
      @Override
      public Set<String> names() {
        return Set.of("reg");
      }

      @Override
      public int run(List<String> words, PrintWriter out, PrintWriter err) {
        calls.add(words);
        out.println("ran " + words.get(0));
        return 1;
      }
    };
    Shell shell = fixture.shell(commands);

    int exit = shell.script("reg query HKLM\\SYSTEM --value \"Some Name\"");

    assertThat(calls).containsExactly(List.of("reg", "query", "HKLM\\SYSTEM", "--value", "Some Name"));
    assertThat(shell.outLines()).containsExactly("ran reg");
    assertThat(exit).isEqualTo(1);
  }

  @Test
  void helpListsTheHandleCommandsAndTheNtioCommands() {
    Shell shell = fixture.shell(new NtioCommands() {
      @Override
      public Set<String> names() {
        return Set.of("reg", "obj");
      }

      @Override
      public int run(List<String> words, PrintWriter out, PrintWriter err) {
        return 0;
      }
    });

    int exit = shell.script("help");

    assertThat(exit).isZero();
    assertThat(shell.out().toString()).contains("  open ", "  read ", "  cancel ", "  handles ", "  wait ", "  exit ")
        .contains("  obj reg");
  }

  @Test
  void aDeferredUnloadIsWatchedFromOneScriptOnOneKernel() throws InterruptedException {
    // A stand-in for the command line's "sc stop", which this test must not depend on: NtUnloadDriver
    // on the shell's own client, as sc stop makes it.
    NtioCommands sc = new NtioCommands() {
      @Override
      public Set<String> names() {
        return Set.of("sc");
      }

      @Override
      public int run(List<String> words, PrintWriter out, PrintWriter err) {
        NtStatus status = fixture.nt().unloadDriver(UnicodeString.of(ShellFixture.SERVICES + words.get(2)));
        out.println(words.get(1) + " " + words.get(2) + ": " + status);
        return status.isSuccess() ? 0 : 1;
      }
    };
    Shell shell = fixture.shell(sc);

    shell.script("open \\Device\\Echo --as e", "write e hello", "read e 5", "sc stop Echo", "open \\Device\\Echo");

    assertThat(shell.outLines()).contains("hello");
    assertThat(shell.errLines()).containsExactly("ntio: open \\Device\\Echo: STATUS_NO_SUCH_DEVICE (0xC000000E)");
    assertThat(driverLoaded("Echo")).as("the unload waits for the open handle").isTrue();

    assertThat(shell.script("close e")).isZero();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (driverLoaded("Echo") && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(driverLoaded("Echo")).as("closing the last handle lets the unload finish").isFalse();
  }

  private boolean driverLoaded(String service) {
    return fixture.nt().queryDrivers().rows().stream().anyMatch(driver -> service.equalsIgnoreCase(driver.service()));
  }

  private static long pendingId(String line) {
    Matcher matcher = PENDING.matcher(line);
    assertThat(matcher.matches()).as("a pending report: %s", line).isTrue();
    return Long.parseLong(matcher.group(1));
  }
}
