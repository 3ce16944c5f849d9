package ntio.ddk;

/**
 * A driver's handler for one major function. Models {@code DRIVER_DISPATCH} (full): it completes
 * the request with {@link KernelServices#completeRequest}, passes it down the stack, or marks it
 * pending and returns {@link NtStatus#STATUS_PENDING}.
 */
@FunctionalInterface
public interface DispatchRoutine {

  /** Handles {@code irp}, sent to {@code device}. */
  NtStatus dispatch(DeviceObject device, Irp irp);
}
