package ntio.kernel.registry;

import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import ntio.api.ValueResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability rule, proven against a real kill: a value whose set returned survives SIGKILL at
 * any instant, and the file always opens again.
 */
class HiveDurabilityTest {

  private static final int ROUNDS = 6;

  /** What one killed child acknowledged, and what it said on stderr. */
  private record Run(int lastAck, String stderr, int exitCode) {}

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void everyAcknowledgedValueSurvivesSigkillAtARandomMoment(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("hive.mv");
    Random random = new Random();
    List<Integer> lastAcks = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      int acksBeforeKill = 1 + random.nextInt(2500);
      int extraMillis = random.nextInt(25);
      Run run = runAndKill(file, dir, round, acksBeforeKill, extraMillis);
      assertThat(run.lastAck())
          .as(
              "round %d: the child acknowledged %d of %d sets before it was killed; stderr: %s",
              round, run.lastAck() + 1, acksBeforeKill, run.stderr())
          .isGreaterThanOrEqualTo(acksBeforeKill - 1);
      lastAcks.add(run.lastAck());

      Hive.OpenResult reopened = Hive.open(file);
      assertThat(reopened.status()).as("round %d reopen", round).isEqualTo(STATUS_SUCCESS);
      try (Hive hive = reopened.hive()) {
        KeyResult key = hive.resolvePath(hive.rootId(), HiveKillTarget.KEY, true);
        assertThat(key.status()).isEqualTo(STATUS_SUCCESS);
        for (int r = 0; r <= round; r++) {
          for (int n = 0; n <= lastAcks.get(r); n++) {
            ValueResult value = hive.queryValue(key.keyId(), HiveKillTarget.valueName(r, n));
            assertThat(value.status())
                .as("round %d: acknowledged value %s", round, HiveKillTarget.valueName(r, n))
                .isEqualTo(STATUS_SUCCESS);
            assertThat(value.value().data())
                .as("bytes of %s", HiveKillTarget.valueName(r, n))
                .isEqualTo(HiveKillTarget.payload(r, n));
          }
        }
        ValueResult inFlight =
            hive.queryValue(key.keyId(), HiveKillTarget.valueName(round, run.lastAck() + 1));
        if (inFlight.status().isSuccess()) {
          assertThat(inFlight.value().data())
              .as("a set in flight at the kill is whole or absent")
              .isEqualTo(HiveKillTarget.payload(round, run.lastAck() + 1));
        }
        assertThat(hive.checkRegistry()).isEmpty();
      }
    }
  }

  private static Run runAndKill(Path file, Path dir, int round, int acksBeforeKill, int extraMillis)
      throws IOException, InterruptedException {
    Path stderr = dir.resolve("child-" + round + ".err");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                HiveKillTarget.class.getName(),
                file.toString(),
                Integer.toString(round))
            .redirectError(stderr.toFile())
            .start();
    AtomicInteger lastAck = new AtomicInteger(-1);
    CountDownLatch enough = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  if (line.startsWith("ACK ")) {
                    int n = Integer.parseInt(line.substring(4));
                    lastAck.set(n);
                    if (n + 1 >= acksBeforeKill) {
                      enough.countDown();
                    }
                  }
                }
              } catch (IOException e) {
                // The pipe breaks when the child dies; every line read before counts.
              } finally {
                enough.countDown();
              }
            },
            "ack-reader-" + round);
    reader.start();
    try {
      assertThat(enough.await(60, TimeUnit.SECONDS)).as("child progress").isTrue();
      Thread.sleep(extraMillis);
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child died").isTrue();
      reader.join(TimeUnit.SECONDS.toMillis(30));
    }
    return new Run(lastAck.get(), Files.readString(stderr), child.exitValue());
  }
}
