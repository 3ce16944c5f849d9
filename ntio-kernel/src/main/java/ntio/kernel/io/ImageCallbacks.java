package ntio.kernel.io;

import java.util.concurrent.CountDownLatch;
import ntio.ddk.KernelServices.ThreadResult;
import ntio.ddk.KernelServices.TraceResult;
import ntio.ddk.NtStatus;
import ntio.ddk.TraceProvider;
import ntio.kernel.executive.WorkQueueType;

/**
 * The routines through which an image hands the kernel code of its own to run later: work items
 * ({@code IoQueueWorkItem}, {@code ExQueueWorkItem}), System threads ({@code
 * PsCreateSystemThread}) and trace providers ({@code EtwRegister}). Each routine runs through
 * {@link ImageImports#runDriverCallback}, so code of an unloaded image is bug check 0xCE; while
 * queued, running or registered it is listed in the image's {@link ImageResources}, for the
 * verifier's unload scan.
 *
 * <p>The calls' gates and argument checks are the caller's ({@link ImageImports}).
 */
final class ImageCallbacks {

  private final ImageImports image;
  private final IoManager io;
  private final KernelDriverObject driver;
  private final ImageResources resources;

  ImageCallbacks(ImageImports image, IoManager io, KernelDriverObject driver) {
    this.image = image;
    this.io = io;
    this.driver = driver;
    this.resources = image.resources();
  }

  /** {@code IoQueueWorkItem}: the device is referenced until the routine has run. */
  NtStatus queueWorkItem(KernelDeviceObject target, Runnable routine) {
    target.reference();
    ImageResources.IoWorkItem item = new ImageResources.IoWorkItem(target, ImageResources.routineName(routine));
    resources.ioWorkItems.add(item);
    NtStatus queued = io.workQueues.queue(WorkQueueType.DELAYED, () -> {
      try {
        image.runDriverCallback("the work item", DriverDoor.WORK_ITEM, routine);
      } finally {
        resources.ioWorkItems.remove(item);
        target.dereference();
      }
    }, driver.serviceName());
    if (!queued.isSuccess()) {
      resources.ioWorkItems.remove(item);
      target.dereference();
    }
    return queued;
  }

  /** {@code ExQueueWorkItem}: listed in the image's resources until the routine has run. */
  NtStatus queueExWorkItem(Runnable routine) {
    ImageResources.ExWorkItem item = new ImageResources.ExWorkItem(resources.nextAddress(),
        ImageResources.routineName(routine));
    resources.workItems.add(item);
    NtStatus queued = io.workQueues.queue(WorkQueueType.DELAYED, () -> {
      try {
        image.runDriverCallback("the work item " + item.routine(), DriverDoor.WORK_ITEM, routine);
      } finally {
        resources.workItems.remove(item);
      }
    }, driver.serviceName());
    if (!queued.isSuccess()) {
      resources.workItems.remove(item);
    }
    return queued;
  }

  /**
   * {@code PsCreateSystemThread}: the thread is listed before its start routine runs, and leaves
   * the list when the routine returns (or the kernel halts under it).
   */
  ThreadResult createSystemThread(Runnable startRoutine) {
    String routine = ImageResources.routineName(startRoutine);
    SystemThreadObject[] self = new SystemThreadObject[1];
    CountDownLatch listed = new CountDownLatch(1);
    Thread thread = io.processes.systemThreadFactory("thread of " + driver.serviceName()).newThread(() -> {
      try {
        listed.await();
        image.runDriverCallback("the System thread running " + routine, DriverDoor.SYSTEM_THREAD,
            startRoutine);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ntio.kernel.executive.BugCheckException halted) {
        // Recorded by the crash handler; the thread just ends.
      } finally {
        resources.threads.remove(self[0]);
      }
    });
    self[0] = new SystemThreadObject(thread, routine, resources.nextAddress());
    resources.threads.add(self[0]);
    thread.start();
    listed.countDown();
    return new ThreadResult(NtStatus.STATUS_SUCCESS, self[0]);
  }

  /** {@code EtwRegister}. */
  TraceResult registerTraceProvider(java.util.UUID providerId) {
    ImageTraceProvider provider = new ImageTraceProvider(image, providerId, resources.nextAddress());
    resources.traceProviders.add(provider);
    return new TraceResult(NtStatus.STATUS_SUCCESS, provider);
  }

  /** {@code EtwUnregister}: only a provider this image registered, once. */
  NtStatus unregisterTraceProvider(TraceProvider provider) {
    if (!(provider instanceof ImageTraceProvider registered) || registered.owner() != image
        || !registered.unregister()) {
      return NtStatus.STATUS_INVALID_HANDLE;
    }
    resources.traceProviders.remove(registered);
    return NtStatus.STATUS_SUCCESS;
  }
}
