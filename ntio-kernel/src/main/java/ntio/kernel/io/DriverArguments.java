package ntio.kernel.io;

import ntio.ddk.DeviceObject;
import ntio.ddk.DriverObject;
import ntio.ddk.FileObject;
import ntio.ddk.Irp;
import ntio.kernel.objects.KernelObject;

/**
 * The argument checks of one driver's kernel calls: an argument no routine can work with (an
 * object of the wrong type or of another kernel, a missing one, a negative count) is the driver's
 * bug, a 0x1E bug check naming it, never a raw {@code ClassCastException} or {@code
 * NullPointerException} out of the kernel. Each check returns the kernel's own object.
 */
final class DriverArguments {

  private final IoManager io;
  private final KernelDriverObject driver;

  DriverArguments(IoManager io, KernelDriverObject driver) {
    this.io = io;
    this.driver = driver;
  }

  /** A device object of this kernel. */
  KernelDeviceObject device(DeviceObject device, String routine) {
    if (device instanceof KernelDeviceObject d && d.type() == io.deviceType) {
      return d;
    }
    throw fault(routine + " given " + device + ", not a device object");
  }

  /** The calling driver's own driver object, which routines acting for it require. */
  KernelDriverObject ownDriver(DriverObject given, String routine) {
    if (given == driver) {
      return driver;
    }
    throw fault(routine + " given " + given + ", not the calling driver");
  }

  /** A driver object of this kernel, any driver's. */
  KernelDriverObject anyDriver(DriverObject given, String routine) {
    if (given instanceof KernelDriverObject d) {
      return d;
    }
    throw fault(routine + " given " + given);
  }

  KernelIrp irp(Irp irp, String routine) {
    if (irp instanceof KernelIrp k) {
      return k;
    }
    throw fault(routine + " given " + irp + ", not an IRP");
  }

  KernelFileObject file(FileObject file, String routine) {
    if (file instanceof KernelFileObject k) {
      return k;
    }
    throw fault(routine + " given " + file + ", not a file object");
  }

  KernelObject object(Object object, String routine) {
    if (object instanceof KernelObject k) {
      return k;
    }
    throw fault(routine + " given " + object + ", not an object");
  }

  /** A null a routine cannot work without. */
  void require(Object value, String routine, String what) {
    if (value == null) {
      throw fault(routine + " given no " + what);
    }
  }

  /** A count that cannot be negative. */
  void requireNotNegative(int value, String routine, String what) {
    if (value < 0) {
      throw fault(routine + " with " + what + " " + value);
    }
  }

  /** {@code IoAllocateIrp}'s stack size: a request needs a stack location. */
  void requireStackLocation(int stackSize) {
    if (stackSize < 1) {
      throw fault("IoAllocateIrp with stack size " + stackSize + ": a request needs a stack location");
    }
  }

  /** The 0x1E bug check naming the driver, for an argument checked elsewhere. */
  RuntimeException fault(String what) {
    return io.driverFault(driver, new IllegalArgumentException(what));
  }
}
