package ntio.kernel.io;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import ntio.kernel.verifier.ImageLeftovers;

/**
 * What an image has running or registered that could outlive its code: timers that are set, DPCs
 * queued, work items queued or running without a reference on anything, System threads it
 * started, trace providers it registered. Driver Verifier's unload scan reads it at the unmap (DV8); without the
 * verifier nothing reads it, and whatever is left behaves as in NT — it calls into an unloaded
 * image, which is bug check 0xCE.
 *
 * <p>Thread-safe: concurrent sets, updated by the threads that set, run and end these things.
 */
final class ImageResources {

  /** Pseudo-addresses for reports: each resource gets one, as its memory would have. */
  private final AtomicLong nextAddress = new AtomicLong(0xFFFFB000_00000000L);

  final Set<ImageTimer> setTimers = ConcurrentHashMap.newKeySet();
  final Set<ExWorkItem> workItems = ConcurrentHashMap.newKeySet();
  /**
   * Work items queued with IoQueueWorkItem, from queueing until the routine returned: not a
   * leftover (each references its device, which keeps the image), but what {@link Holders} lists.
   */
  final Set<IoWorkItem> ioWorkItems = ConcurrentHashMap.newKeySet();
  final Set<SystemThreadObject> threads = ConcurrentHashMap.newKeySet();
  final Set<ImageTraceProvider> traceProviders = ConcurrentHashMap.newKeySet();
  /**
   * Every DPC the image initialized, its timers' included, held weakly: a DPC the driver dropped
   * goes, while a queued one is held by its processor's queue. The scan lists those still queued.
   */
  private final Set<ImageDpc> dpcs = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  /** Lists a DPC the image initialized. */
  void addDpc(ImageDpc dpc) {
    dpcs.add(dpc);
  }

  /** The image's DPCs waiting in a processor's queue now. */
  List<ImageDpc> queuedDpcs() {
    synchronized (dpcs) {
      return dpcs.stream().filter(ImageDpc::isQueued).toList();
    }
  }

  long nextAddress() {
    return nextAddress.getAndAdd(0x40);
  }

  /** A work item queued with ExQueueWorkItem, from queueing until its routine returned. */
  record ExWorkItem(long address, String routine) {}

  /** A work item queued with IoQueueWorkItem on {@code device}. */
  record IoWorkItem(KernelDeviceObject device, String routine) {}

  /** The scan's view: what is still there now. */
  ImageLeftovers leftovers() {
    return new ImageLeftovers(
        setTimers.stream().map(t -> new ImageLeftovers.Item(t.address(), t.describe())).toList(),
        workItems.stream().map(w -> new ImageLeftovers.Item(w.address(), "work item running " + w.routine())).toList(),
        threads.stream().filter(SystemThreadObject::isAlive)
            .map(t -> new ImageLeftovers.Item(t.address(), t.describe())).toList(),
        traceProviders.stream().filter(ImageTraceProvider::isRegistered)
            .map(p -> new ImageLeftovers.Item(p.address(), "trace provider " + p.providerId())).toList(),
        queuedDpcs().stream().map(d -> new ImageLeftovers.Item(d.address(), d.describe())).toList());
  }

  static String routineName(Object routine) {
    String name = routine.getClass().getName();
    int lambda = name.indexOf("$$Lambda");
    return lambda >= 0 ? name.substring(0, lambda) + " (lambda)" : name;
  }
}
