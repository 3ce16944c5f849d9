package ntio.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import ntio.api.EventType;
import ntio.api.KeyCreateResult;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegType;
import ntio.ddk.UnicodeString;
import ntio.kernel.process.KThread;
import ntio.kernel.registry.Registry;
import ntio.kernel.security.Sid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class KernelStressTest {

  private static final String KEYS = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\Stress";

  @TempDir Path state;

  @Test
  @Timeout(60)
  void eightClientsCreatingOpeningClosingAndDeletingKeysAndObjectsLeaveNothingReferenced() throws Exception {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      SystemServices nt = kernel.services();
      KThread setup = kernel.administratorSession("setup", Sid.unixUser(1));
      KeyCreateResult root = nt.ntCreateKey(setup, AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(KEYS), 0);
      nt.ntClose(setup, root.handle());
      long keysBefore = kernel.registry().keyType().liveObjects();
      long eventsBefore = kernel.events().eventType().liveObjects();
      long directoriesBefore = kernel.objects().directoryType().liveObjects();

      List<KThread> clients = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        clients.add(kernel.administratorSession("client" + i, Sid.unixUser(100 + i)));
      }
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      CountDownLatch start = new CountDownLatch(1);
      long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < clients.size(); t++) {
        KThread me = clients.get(t);
        Random random = new Random(t);
        threads.add(new Thread(() -> {
          List<Handle> mine = new ArrayList<>();
          try {
            start.await();
            while (System.nanoTime() < deadline) {
              String name = "K" + random.nextInt(12);
              switch (random.nextInt(7)) {
                case 0 -> keep(mine, nt.ntCreateKey(me, AccessMask.KEY_ALL_ACCESS,
                    ObjectAttributes.of(KEYS + "\\" + name), random.nextBoolean() ? Registry.REG_OPTION_VOLATILE : 0).handle());
                case 1 -> keep(mine, nt.ntOpenKey(me, AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(KEYS + "\\" + name)).handle());
                case 2 -> {
                  if (!mine.isEmpty()) {
                    Handle h = mine.get(random.nextInt(mine.size()));
                    NtStatus s = nt.ntSetValueKey(me, h, UnicodeString.of("V"), RegType.REG_DWORD, new byte[4]);
                    if (!s.isSuccess()) {
                      // Not a key (an event or directory handle), or a deleted key: both are answers, not bugs.
                      assertThat(s).isIn(NtStatus.STATUS_OBJECT_TYPE_MISMATCH, NtStatus.STATUS_KEY_DELETED);
                    }
                  }
                }
                case 3 -> {
                  OpenResult key = nt.ntOpenKey(me, AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(KEYS + "\\" + name));
                  if (key.status().isSuccess()) {
                    nt.ntDeleteKey(me, key.handle());
                    nt.ntClose(me, key.handle());
                  }
                }
                case 4 -> keep(mine, nt.ntCreateEvent(me, AccessMask.EVENT_ALL_ACCESS,
                    ObjectAttributes.of("\\GLOBAL??\\E" + random.nextInt(12), ObjectAttributes.OBJ_OPENIF),
                    EventType.NOTIFICATION, false).handle());
                case 5 -> keep(mine, nt.ntCreateDirectoryObject(me, AccessMask.DIRECTORY_ALL_ACCESS,
                    ObjectAttributes.of("\\GLOBAL??\\D" + random.nextInt(12), ObjectAttributes.OBJ_OPENIF)).handle());
                default -> {
                  if (!mine.isEmpty()) {
                    assertThat(nt.ntClose(me, mine.remove(random.nextInt(mine.size())))).isEqualTo(NtStatus.STATUS_SUCCESS);
                  }
                }
              }
            }
            for (Handle h : mine) {
              assertThat(nt.ntClose(me, h)).isEqualTo(NtStatus.STATUS_SUCCESS);
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }));
      }
      threads.forEach(Thread::start);
      start.countDown();
      for (Thread thread : threads) {
        thread.join();
      }

      assertThat(failures).isEmpty();
      for (KThread client : clients) {
        assertThat(client.handleTable().count()).isZero();
      }
      assertThat(kernel.registry().keyType().liveObjects()).isEqualTo(keysBefore);
      assertThat(kernel.events().eventType().liveObjects()).isEqualTo(eventsBefore);
      assertThat(kernel.objects().directoryType().liveObjects()).isEqualTo(directoriesBefore);
      assertThat(KernelTest.names(kernel, "\\GLOBAL??")).isEmpty();
    }
  }

  private static void keep(List<Handle> mine, Handle handle) {
    if (!handle.isNull()) {
      mine.add(handle);
    }
  }
}
