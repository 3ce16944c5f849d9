package ntio.kernel.registry;

import static ntio.ddk.NtStatus.STATUS_DISK_FULL;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import ntio.api.RegImportResult;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hive on a real, small file system that fills up: writes fail with {@code STATUS_DISK_FULL} and
 * change nothing, reads go on, the failure is logged at {@code ERROR}, and writes succeed again once
 * space is freed. Needs to mount a tmpfs (root, and a sandbox that allows it); skipped otherwise.
 */
@Timeout(60)
class HiveDiskFullTest {

  @TempDir Path temp;

  private Path disk;
  private Hive hive;
  private final List<LogRecord> logged = new ArrayList<>();
  private final Logger log = Logger.getLogger(Hive.class.getName());
  private final Handler recorder = new Handler() {
    @Override
    public void publish(LogRecord record) {
      synchronized (logged) {
        logged.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void mountSmallDisk() throws Exception {
    disk = Files.createDirectories(temp.resolve("disk"));
    String failure = run("mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", disk.toString());
    assumeTrue(failure == null, "cannot mount a tmpfs here: " + failure);
    log.addHandler(recorder);
  }

  @AfterEach
  void unmount() throws Exception {
    log.removeHandler(recorder);
    if (hive != null) {
      hive.close();
    }
    if (disk != null) {
      run("umount", "-l", disk.toString());
    }
  }

  /** Runs a command; null if it succeeded, else what it said. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.toString();
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return "timed out";
    }
    return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output;
  }

  /** Fills the disk with one file until the device is full. */
  private Path fillDisk() throws IOException {
    Path filler = disk.resolve("filler");
    byte[] chunk = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(chunk);
        out.flush();
      }
    } catch (IOException e) {
      assertThat(e.getMessage()).containsIgnoringCase("No space left");
    }
    return filler;
  }

  private static byte[] data(int i) {
    byte[] data = new byte[16 << 10];
    new java.util.Random(i).nextBytes(data); // incompressible, so every write needs new space
    return data;
  }

  /** Writes new values until one fails; its index. */
  private int writeUntilFailure(long key, List<NtStatus> statuses) {
    for (int i = 0; i < 500; i++) {
      NtStatus status = hive.setValue(key, RegValue.binary("v" + i, data(i)));
      statuses.add(status);
      if (!status.isSuccess()) {
        return i;
      }
    }
    throw new AssertionError("500 writes of 16 KiB fitted on a 2 MiB disk that was full");
  }

  @Test
  void aFullDiskFailsWritesWithDiskFullKeepsReadsAndRecoversWhenSpaceIsFreed() throws Exception {
    hive = Hive.open(disk.resolve("ntio.hive")).hive();
    long key = hive.createKey(hive.rootId(), "Before", 0).keyId();
    assertThat(hive.setValue(key, RegValue.dword("Kept", 7))).isEqualTo(STATUS_SUCCESS);
    Path filler = fillDisk();

    List<NtStatus> statuses = new ArrayList<>();
    int failed = writeUntilFailure(key, statuses);

    assertThat(statuses.get(failed)).isEqualTo(STATUS_DISK_FULL);
    // Reads go on while the disk is full, and the failed write left nothing.
    assertThat(hive.queryValue(key, "Kept").value().data()).containsExactly(7, 0, 0, 0);
    assertThat(hive.queryValue(key, "v" + failed).status()).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(hive.info(key).info().valueCount()).isEqualTo(1 + failed);
    // Writes keep failing, changing nothing, while the disk stays full.
    assertThat(hive.createKey(hive.rootId(), "During", 0).status()).isEqualTo(STATUS_DISK_FULL);
    assertThat(hive.lookupChild(hive.rootId(), "During").status())
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    synchronized (logged) {
      assertThat(logged).filteredOn(r -> r.getLevel().equals(Level.SEVERE)).hasSize(1)
          .first().satisfies(r -> assertThat(r.getMessage()).contains("STATUS_DISK_FULL"));
    }

    Files.delete(filler);
    assertThat(hive.setValue(key, RegValue.binary("After", data(-1)))).isEqualTo(STATUS_SUCCESS);
    assertThat(hive.createKey(hive.rootId(), "After", 0).status()).isEqualTo(STATUS_SUCCESS);
    assertThat(hive.checkRegistry()).isEmpty();

    // Everything acknowledged is in the file; nothing that failed is.
    hive.close();
    hive = Hive.open(disk.resolve("ntio.hive")).hive();
    long reopened = hive.lookupChild(hive.rootId(), "Before").keyId();
    for (int i = 0; i < failed; i++) {
      assertThat(hive.queryValue(reopened, "v" + i).value().data()).isEqualTo(data(i));
    }
    assertThat(hive.queryValue(reopened, "v" + failed).status())
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(hive.queryValue(reopened, "After").value().data()).isEqualTo(data(-1));
    assertThat(hive.lookupChild(hive.rootId(), "During").status())
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(hive.lookupChild(hive.rootId(), "After").status()).isEqualTo(STATUS_SUCCESS);
    assertThat(hive.checkRegistry()).isEmpty();
  }

  @Test
  void anImportOnAFullDiskIsAllOrNothing() throws Exception {
    hive = Hive.open(disk.resolve("ntio.hive")).hive();
    long machine = hive.createKey(hive.rootId(), "MACHINE", 0).keyId();
    fillDisk();
    StringBuilder text = new StringBuilder("Windows Registry Editor Version 5.00\r\n\r\n");
    for (int i = 0; i < 200; i++) {
      text.append("[HKEY_LOCAL_MACHINE\\Imported\\K").append(i).append("]\r\n\"v\"=hex:");
      text.append("00,".repeat(2000)).append("00\r\n\r\n");
    }

    RegImportResult imported = RegFile.importText(hive, text.toString());

    assertThat(imported.status()).isEqualTo(STATUS_DISK_FULL);
    assertThat(hive.lookupChild(machine, "Imported").status()).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(hive.checkRegistry()).isEmpty();
  }
}
