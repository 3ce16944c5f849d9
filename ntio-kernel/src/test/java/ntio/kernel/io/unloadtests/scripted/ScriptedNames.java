package ntio.kernel.io.unloadtests.scripted;

/**
 * What the scripted driver and the tests agree on: the values it reads under
 * {@code <RegistryPath>\Parameters}, the values it writes under {@code <RegistryPath>\Observed},
 * and its device-control codes. Every constant is a compile-time constant, so a test that names
 * one carries the value, not a reference to this class.
 */
public final class ScriptedNames {

  private ScriptedNames() {}

  /** The subkey DriverEntry reads its script from. */
  public static final String PARAMETERS = "Parameters";

  /** The subkey the driver writes what it saw to. */
  public static final String OBSERVED = "Observed";

  // Parameters --------------------------------------------------------------------------------

  /** REG_SZ: the name of the main device, such as {@code \Device\UnlBasic}; no device if absent. */
  public static final String DEVICE_NAME = "DeviceName";

  /** REG_DWORD: non-zero makes the main device exclusive. */
  public static final String EXCLUSIVE = "Exclusive";

  /** REG_SZ: a second device, never opened by the tests that use it. */
  public static final String SECOND_DEVICE = "SecondDevice";

  /** REG_SZ: a device of the driver's own attached on top of the main device (T36, T37). */
  public static final String UPPER_DEVICE = "UpperDevice";

  /** REG_SZ: a symbolic link to the main device. */
  public static final String SYMBOLIC_LINK = "SymbolicLink";

  /** REG_SZ: a device of another driver the main device attaches to with IoAttachDevice (T10). */
  public static final String ATTACH_TO = "AttachTo";

  /** REG_DWORD: non-zero registers the main device as a file system's control device (B43). */
  public static final String REGISTER_FILE_SYSTEM = "RegisterFileSystem";

  /** REG_DWORD: non-zero leaves DriverUnload unset (B17). */
  public static final String NO_UNLOAD = "NoUnload";

  /** REG_DWORD: non-zero makes DriverUnload call ZwUnloadDriver on its own service (B16). */
  public static final String UNLOAD_SELF_IN_UNLOAD = "UnloadSelfInUnload";

  /** REG_DWORD: non-zero makes DriverEntry record {@link #ENTRY_STARTED} and wait for {@link #ENTRY_GO}. */
  public static final String ENTRY_GATE = "EntryGate";

  /** REG_DWORD: set non-zero by the test to let a gated DriverEntry go on. */
  public static final String ENTRY_GO = "EntryGo";

  /** REG_SZ: a service key a gated DriverEntry unloads with ZwUnloadDriver once let go (B16). */
  public static final String ENTRY_UNLOAD_TARGET = "EntryUnloadTarget";

  /**
   * REG_DWORD: non-zero makes IRP_MJ_CREATE call ZwUnloadDriver on its own service, record
   * {@link #CREATE_UNLOAD_STATUS} and fail the open with STATUS_ACCESS_DENIED (B24).
   */
  public static final String UNLOAD_IN_CREATE = "UnloadInCreate";

  /** REG_SZ: the device {@link #IOCTL_CREATE_DEVICE} creates. */
  public static final String EXTRA_DEVICE = "ExtraDevice";

  /** REG_DWORD: set non-zero by the test to fire the work item {@link #IOCTL_ARM} queued. */
  public static final String ARM_GO = "ArmGo";

  /**
   * REG_DWORD: non-zero turns off the {@link #VIOLATION_UNLOAD_WITH_OPENS} check, for a driver
   * whose device another driver attaches to with IoAttachDevice: that open is created on this
   * driver's device but closed on the attacher's (B31, B39), so this driver cannot pair them.
   */
  public static final String NO_OPEN_CHECK = "NoOpenCheck";

  /** REG_DWORD: non-zero makes every dispatch routine append to {@link #IRP_LOG}. */
  public static final String LOG_IRPS = "LogIrps";

  // Observations ------------------------------------------------------------------------------

  /** REG_DWORD: how many times DriverEntry ran; the current value is the load's generation. */
  public static final String LOADS = "Loads";

  /** REG_DWORD: how many times DriverUnload ran. */
  public static final String UNLOADS = "Unloads";

  /** REG_SZ: the name of the Java thread the last DriverUnload ran on. */
  public static final String UNLOAD_THREAD = "UnloadThread";

  /** REG_DWORD: the driver object's {@code Flags} when DriverUnload was entered (T15). */
  public static final String UNLOAD_FLAGS = "UnloadFlags";

  /** REG_DWORD: how many devices the driver object listed when DriverUnload was entered (T15). */
  public static final String UNLOAD_DEVICE_COUNT = "UnloadDeviceCount";

  /** REG_DWORD: 1 when every listed device had DOE_UNLOAD_PENDING at DriverUnload, else 0 (B19). */
  public static final String UNLOAD_ALL_MARKED = "UnloadAllMarked";

  /** REG_DWORD: the driver's own count of opens (creates less closes) at DriverUnload. */
  public static final String UNLOAD_OPEN_COUNT = "UnloadOpenCount";

  /** REG_DWORD: the main device's {@code ExtensionFlags} at DriverUnload (T14). */
  public static final String UNLOAD_MAIN_EXTENSION_FLAGS = "UnloadMainExtensionFlags";

  /** REG_DWORD: the main device's {@code Flags} at DriverUnload (T14). */
  public static final String UNLOAD_MAIN_FLAGS = "UnloadMainFlags";

  /** REG_DWORD: the main device's {@code ReferenceCount} at DriverUnload (T14). */
  public static final String UNLOAD_MAIN_REFERENCES = "UnloadMainReferences";

  /** REG_SZ: the name of the device the main device is attached to at DriverUnload, or "" (T14). */
  public static final String UNLOAD_MAIN_ATTACHED_TO = "UnloadMainAttachedTo";

  /** REG_DWORD: {@code ExtensionFlags} of the device below the main device at DriverUnload (T14). */
  public static final String UNLOAD_LOWER_EXTENSION_FLAGS = "UnloadLowerExtensionFlags";

  /** REG_DWORD: {@code Flags} of the device below the main device at DriverUnload (T14). */
  public static final String UNLOAD_LOWER_FLAGS = "UnloadLowerFlags";

  /** REG_DWORD: {@code ReferenceCount} of the device below the main device at DriverUnload (T14). */
  public static final String UNLOAD_LOWER_REFERENCES = "UnloadLowerReferences";

  /** REG_SZ: the name of what is attached on the device below the main device at DriverUnload (T14). */
  public static final String UNLOAD_LOWER_ATTACHED_DEVICE = "UnloadLowerAttachedDevice";

  /** REG_DWORD: the status ZwUnloadDriver of its own service returned inside DriverUnload (B16). */
  public static final String UNLOAD_IN_UNLOAD_STATUS = "UnloadInUnloadStatus";

  /** REG_DWORD: the driver object's {@code Flags} seen by the first IRP_MJ_CREATE of a load (T15). */
  public static final String DISPATCH_FLAGS = "DispatchFlags";

  /**
   * REG_SZ: {@code CREATE#1 CLEANUP#1 CLOSE#1 … UNLOAD}: the requests in the order they came, file
   * objects numbered per load in create order ({@code #foreign} for one this load did not create),
   * and DriverUnload.
   */
  public static final String IRP_LOG = "IrpLog";

  /** REG_DWORD: 1 once a gated DriverEntry has started waiting. */
  public static final String ENTRY_STARTED = "EntryStarted";

  /** REG_DWORD: the status the gated DriverEntry's ZwUnloadDriver returned (B16). */
  public static final String ENTRY_UNLOAD_STATUS = "EntryUnloadStatus";

  /** REG_DWORD: the status ZwUnloadDriver returned inside IRP_MJ_CREATE ({@link #UNLOAD_IN_CREATE}). */
  public static final String CREATE_UNLOAD_STATUS = "CreateUnloadStatus";

  /** REG_DWORD: the status IoCreateDevice returned to {@link #IOCTL_CREATE_DEVICE}. */
  public static final String EXTRA_DEVICE_STATUS = "ExtraDeviceStatus";

  /** REG_SZ: the name of the device IoGetLowerDeviceObject returned, "" for none (T13). */
  public static final String LOWER_NAME = "LowerName";

  /** REG_DWORD: the action the armed work item carried out. */
  public static final String ARM_DONE = "ArmDone";

  /** REG_DWORD: 1 if a wait for a parameter gave up. */
  public static final String WAIT_TIMED_OUT = "WaitTimedOut";

  /** REG_DWORD: DriverUnload ran while the driver still counted opens: must stay absent. */
  public static final String VIOLATION_UNLOAD_WITH_OPENS = "ViolationUnloadWithOpens";

  /** REG_DWORD: an IRP_MJ_CREATE reached the driver after its DriverUnload: must stay absent. */
  public static final String VIOLATION_CREATE_AFTER_UNLOAD = "ViolationCreateAfterUnload";

  // Device-control codes: CTL_CODE(FILE_DEVICE_UNKNOWN, function, METHOD_BUFFERED, FILE_ANY_ACCESS)

  /** Deletes the device the handle was opened on ({@code IoDeleteDevice}). */
  public static final int IOCTL_DELETE_DEVICE = (0x22 << 16) | (0x801 << 2);

  /** Creates {@link #EXTRA_DEVICE} and clears its DO_DEVICE_INITIALIZING. */
  public static final int IOCTL_CREATE_DEVICE = (0x22 << 16) | (0x802 << 2);

  /** Records {@link #LOWER_NAME} from IoGetLowerDeviceObject(main device). */
  public static final int IOCTL_QUERY_LOWER = (0x22 << 16) | (0x803 << 2);

  /** IoUnregisterFileSystem(main device). */
  public static final int IOCTL_UNREGISTER_FILE_SYSTEM = (0x22 << 16) | (0x804 << 2);

  /** IoDetachDevice(main device): takes the driver's own upper device off it. */
  public static final int IOCTL_DETACH_UPPER = (0x22 << 16) | (0x805 << 2);

  /**
   * Queues a work item that waits for {@link #ARM_GO}, then carries out the action given as a
   * 4-byte little-endian input: one of {@code ARM_*}.
   */
  public static final int IOCTL_ARM = (0x22 << 16) | (0x806 << 2);

  /** Answers the load's generation (its {@link #LOADS} value) as 4 little-endian bytes. */
  public static final int IOCTL_QUERY_GENERATION = (0x22 << 16) | (0x807 << 2);

  /** References the handle's file object (ObReferenceObject) and keeps it until {@link #ARM_RELEASE_FILE}. */
  public static final int IOCTL_HOLD_FILE = (0x22 << 16) | (0x808 << 2);

  /** Armed action: IoDetachDevice(main device). */
  public static final int ARM_DETACH_UPPER = 1;

  /** Armed action: IoUnregisterFileSystem(main device). */
  public static final int ARM_UNREGISTER_FILE_SYSTEM = 2;

  /** Armed action: IoDeleteDevice(main device), then IoDetachDevice(main device). */
  public static final int ARM_DELETE_THEN_DETACH = 3;

  /** Armed action: ObDereferenceObject of the file object {@link #IOCTL_HOLD_FILE} kept. */
  public static final int ARM_RELEASE_FILE = 4;
}
