package ntio.kernel.registry;

import ntio.ddk.RegType;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ntio.ddk.NtStatus;

/**
 * The process {@link HiveDurabilityTest} kills: opens the hive file named by its first argument,
 * sets values {@code r<round>-<n>} for n = 0, 1, 2, ... under {@code
 * \REGISTRY\MACHINE\SOFTWARE\KillTest}, and prints {@code ACK <n>} once each set has returned.
 * Exits by itself after 60 seconds, so that it never outlives a test that lost track of it.
 */
final class HiveKillTarget {

  static final List<String> KEY = List.of("MACHINE", "SOFTWARE", "KillTest");

  private HiveKillTarget() {}

  static String valueName(int round, int n) {
    return "r" + round + "-" + n;
  }

  /** Deterministic data of 1 to 6000 bytes, so that some sets span several blocks. */
  static byte[] payload(int round, int n) {
    byte[] data = new byte[1 + Math.floorMod(n * 7919 + round * 31, 6000)];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (n * 31 + i * 17 + round);
    }
    return data;
  }

  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    int round = Integer.parseInt(args[1]);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    PrintStream out = System.out;
    Hive.OpenResult opened = Hive.open(file);
    if (!opened.status().isSuccess()) {
      System.err.println("open failed: " + opened.status());
      System.exit(2);
    }
    Hive hive = opened.hive();
    NtStatus layout = HiveLayout.ensure(hive);
    CreateKeyResult key = hive.createPath(hive.rootId(), KEY, 0);
    if (!layout.isSuccess() || !key.status().isSuccess()) {
      System.err.println("setup failed: " + layout + ", " + key.status());
      System.exit(2);
    }
    for (int n = 0; System.nanoTime() < deadline; n++) {
      NtStatus status =
          hive.setValue(key.keyId(), valueName(round, n), RegType.REG_BINARY, payload(round, n));
      if (!status.isSuccess()) {
        System.err.println("set " + n + " failed: " + status);
        System.exit(2);
      }
      out.println("ACK " + n);
      out.flush();
    }
    System.exit(3);
  }
}
