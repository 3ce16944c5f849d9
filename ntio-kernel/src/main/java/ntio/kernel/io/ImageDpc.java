package ntio.kernel.io;

import ntio.ddk.DeferredRoutine;
import ntio.ddk.KernelDpc;
import ntio.kernel.ke.KDpc;

/**
 * A driver's DPC ({@code KDPC} initialized by {@code KeInitializeDpc}): the dispatcher's {@link
 * KDpc} with the image's gate on each routine the driver calls and on the routine the processor
 * runs, so a DPC of an unloaded image is bug check 0xCE, as in NT. The image lists it in its
 * {@link ImageResources} for the verifier's unload scan, which reports it when it is still
 * queued (0xC7, P1 = 1).
 *
 * <p>Thread-safe: the state is the {@link KDpc}'s.
 */
final class ImageDpc implements KernelDpc {

  private final ImageKernelRoutines image;
  private final KDpc dpc;
  private final String routineName;

  /**
   * @param routineName the driver routine it runs, for reports ({@link ImageResources#routineName})
   * @param routine what it runs, on a processor at DISPATCH_LEVEL through the image's gate
   */
  ImageDpc(ImageKernelRoutines image, String routineName, long address, DeferredRoutine routine) {
    this.image = image;
    this.routineName = routineName;
    String what = "the DPC " + routineName;
    this.dpc = new KDpc(image.driver.serviceName(), what, address,
        (first, second) -> image.runDriverCallback(what, () -> routine.run(this, first, second)));
    image.resources().addDpc(this);
  }

  /** The dispatcher's object, which a timer queues at expiry. */
  KDpc kernelDpc() {
    return dpc;
  }

  long address() {
    return dpc.address();
  }

  String describe() {
    return "DPC " + routineName;
  }

  @Override
  public boolean insertQueue(Object argument1, Object argument2) {
    image.checkLoaded("KeInsertQueueDpc");
    return image.io.processors.insert(dpc, argument1, argument2);
  }

  @Override
  public boolean removeQueue() {
    image.checkLoaded("KeRemoveQueueDpc");
    return image.io.processors.remove(dpc);
  }

  @Override
  public void setTargetProcessor(int number) {
    image.checkLoaded("KeSetTargetProcessorDpc");
    int count = image.io.processors.count();
    if (number < 0 || number >= count) {
      // NT indexes its processor blocks with the number and faults on a bad one.
      throw image.arguments().fault("KeSetTargetProcessorDpc to processor " + number + " of " + count);
    }
    image.io.processors.setTarget(dpc, number);
  }

  @Override
  public boolean isQueued() {
    return dpc.isQueued();
  }

  @Override
  public String toString() {
    return describe();
  }
}
