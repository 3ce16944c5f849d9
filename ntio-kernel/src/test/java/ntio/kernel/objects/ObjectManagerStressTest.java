package ntio.kernel.objects;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.ProcessorMode;
import ntio.kernel.objects.ObjectManager.Referenced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ObjectManagerStressTest {

  @Test
  @Timeout(60)
  void eightThreadsCreatingOpeningClosingAndDeletingLeaveNothingReferenced() throws Exception {
    ObjectsFixture f = new ObjectsFixture();
    ObjectManager ob = f.objects;
    ob.createKernelDirectory("\\Stress");
    int threads = 8;
    List<Caller> callers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      callers.add(new ObjectsFixture.TestCaller(new HandleTable("t" + i, false), f.systemToken, ProcessorMode.KERNEL));
    }
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Caller me = callers.get(t);
      Caller other = callers.get((t + 1) % threads);
      Random random = new Random(t);
      workers.add(new Thread(() -> {
        List<Handle> mine = new ArrayList<>();
        try {
          start.await();
          while (System.nanoTime() < deadline) {
            String name = "\\Stress\\O" + random.nextInt(16);
            switch (random.nextInt(6)) {
              case 0 -> {
                int attrs = random.nextBoolean() ? ObjectAttributes.OBJ_OPENIF : 0;
                OpenResult r = ob.insertObject(f.widget(), ObjectAttributes.of(name, attrs), null,
                    AccessMask.GENERIC_ALL, me, true, false);
                if (r.status().isSuccess()) {
                  mine.add(r.handle());
                }
              }
              case 1 -> {
                OpenResult r = ob.openByName(ObjectAttributes.of(name), f.widgetType, AccessMask.GENERIC_READ, me, null);
                if (r.status().isSuccess()) {
                  mine.add(r.handle());
                }
              }
              case 2, 3 -> {
                if (!mine.isEmpty()) {
                  Handle h = mine.remove(random.nextInt(mine.size()));
                  assertThat(ob.close(h, me).isSuccess()).isTrue();
                }
              }
              case 4 -> {
                Referenced<KernelObject> r = ob.referenceByName(name, f.widgetType);
                if (r.isSuccess()) {
                  if (random.nextBoolean()) {
                    ob.makeTemporary(r.object());
                  }
                  r.object().dereference();
                }
              }
              default -> {
                if (!mine.isEmpty()) {
                  OpenResult d = ob.duplicate(me.handleTable(), mine.get(0), other.handleTable(), 0, 0,
                      ObjectManager.DUPLICATE_SAME_ACCESS, me);
                  assertThat(d.status().isSuccess()).isTrue();
                }
              }
            }
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }));
    }
    workers.forEach(Thread::start);
    start.countDown();
    for (Thread worker : workers) {
      worker.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(failures).isEmpty();

    for (Caller caller : callers) {
      ob.runDown(caller.handleTable());
    }
    assertThat(f.widgetType.liveObjects()).isZero();
    assertThat(f.deletes.get()).isEqualTo((int) f.widgetType.totalObjects());
    Referenced<Directory> stress = ob.referenceByName("\\Stress", ob.directoryType());
    assertThat(ob.size(stress.object())).isZero();
    stress.object().dereference();
  }
}
