package ntio.kernel.pnp;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A fresh kernel ({@link PnpLab}) for each test of the PnP manager, shut down after it. */
@Timeout(60)
abstract class PnpLabTest {

  @TempDir Path state;

  PnpLab lab;

  @BeforeEach
  void boot() {
    lab = PnpLab.boot(state);
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }
}
