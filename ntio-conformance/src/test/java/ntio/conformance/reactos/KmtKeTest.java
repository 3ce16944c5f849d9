package ntio.conformance.reactos;

import static org.assertj.core.api.Assertions.assertThat;

import ntio.conformance.ConformanceHost;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The JUnit half every ported {@code kmtests/ntos_ke} test class shares: one real host for the
 * class, the kernel test run once before its tests ({@link KmtKeRun}), the host closed after them.
 * A subclass names its driver half and asserts the checks of upstream's blocks through {@link
 * #run()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KmtKeTest {

  private final String suite;
  private final Class<? extends KmtKeDriver> driver;
  private ConformanceHost host;
  private KmtKeRun run;

  KmtKeTest(String suite, Class<? extends KmtKeDriver> driver) {
    this.suite = suite;
    this.driver = driver;
  }

  @BeforeAll
  void runTheKernelTest() {
    host = ConformanceHost.start();
    run = KmtKeRun.run(host, suite, driver);
  }

  @AfterAll
  void stopHost() {
    host.close();
  }

  /** What the kernel test did: the load's status and the checks it recorded. */
  KmtKeRun run() {
    return run;
  }

  /** kmtest loads the test driver, whose body runs. */
  @Test
  void theKernelTestLoads() {
    assertThat(run.load()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }
}
