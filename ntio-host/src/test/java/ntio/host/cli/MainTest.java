package ntio.host.cli;

import static ntio.host.cli.CliHarness.sampleImage;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.LocalNt;
import ntio.kernel.process.KProcess;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Main#run(ntio.api.NtApi, String[], PrintWriter, PrintWriter)}: the command line embedded. */
class MainTest {

  @TempDir
  Path state;

  @Test
  void commandsRunAsTheGivenClientsOfARunningKernelAndEndOnlyThoseClients() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      KThread installer = kernel.administratorSession("installer", Sid.unixUser(1000));
      KThread querier = kernel.administratorSession("querier", Sid.unixUser(1000));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();

      int created = Main.run(new LocalNt(kernel, installer),
          new String[] {"sc", "create", "Echo", "--image", sampleImage("Echo").toString()},
          new PrintWriter(out), new PrintWriter(err));
      int queried = Main.run(new LocalNt(kernel, querier), new String[] {"sc", "query", "Echo"},
          new PrintWriter(out), new PrintWriter(err));

      assertThat(created).as(err.toString()).isZero();
      assertThat(queried).as(err.toString()).isZero();
      // The second client sees what the first wrote: one kernel, booted once, not per command.
      assertThat(out.toString()).contains("[SC] CreateService SUCCESS", "SERVICE_NAME: Echo", "STOPPED");
      assertThat(installer.process().state()).isEqualTo(KProcess.State.TERMINATED);
      assertThat(querier.process().state()).isEqualTo(KProcess.State.TERMINATED);
      assertThat(kernel.isRunning()).isTrue();
    }
  }
}
