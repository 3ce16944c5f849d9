package ntio.kernel.io.devicetests.lab;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceObjectExtension;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverObject;
import ntio.ddk.IoStackLocation;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.DeviceList;
import ntio.ddk.KernelServices.DeviceResult;
import ntio.ddk.KernelServices.ObjectResult;
import ntio.ddk.KernelServices.PoolResult;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectKind;
import ntio.ddk.PoolBlock;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.ddk.UnicodeString;

/**
 * The lab driver's script: one Io call per line, with devices named by variables, and what each
 * call returned written to {@link Observations}. Also the driver's dispatch routine and unload
 * routine, which run scripts too.
 *
 * <p>Commands ({@code <label>} prefixes the values recorded; numbers may be {@code 0x} hex):
 *
 * <pre>
 * create VAR NAME|- [excl] [auto] [type=N] [chars=N] [ext=TEXT]   IoCreateDevice → VAR.Create, VAR.Name
 * delete VAR                                                   IoDeleteDevice
 * ready VAR                                                    clears DO_DEVICE_INITIALIZING
 * state VAR LABEL                                              the device's fields → LABEL.*
 * driver LABEL                                                 Flags, DeviceObject, Devices (the list)
 * attach SRC TARGET LABEL                                      IoAttachDeviceToDeviceStackSafe → LABEL.Status, LABEL.Device
 * attachname SRC NAME LABEL                                    IoAttachDevice → LABEL.Status, LABEL.Device
 * detach VAR                                                   IoDetachDevice
 * lower|top|base VAR RESULT                                    IoGetLowerDeviceObject / IoGetAttachedDeviceReference /
 *                                                              IoGetDeviceAttachmentBaseRef → RESULT; RESULT keeps the reference
 * ref VAR NAME                                                 ObReferenceObjectByName(IoDeviceObjectType) → VAR.Ref
 * refobj VAR RESULT                                            ObReferenceObject; RESULT keeps the reference
 * deref VAR                                                    ObDereferenceObject of a kept reference
 * enum CAPACITY LABEL [keep]                                   IoEnumerateDeviceObjectList → LABEL.Status, .Count, .Devices;
 *                                                              keep: LABEL0.. keep the references
 * failcreate VAR STATUS                                        IRP_MJ_CREATE on VAR completes with STATUS
 * passdown VAR                                                 VAR passes the requests the driver handles, but
 *                                                              IOCTL_LAB_RUN and a failed create, down its stack
 * extalloc ID TEXT LABEL                                       IoAllocateDriverObjectExtension → LABEL
 * extget ID LABEL                                              IoGetDriverObjectExtension → LABEL (the text, or "null")
 * shutdown VAR                                                 IoRegisterShutdownNotification → VAR.Shutdown
 * unshutdown VAR                                               IoUnregisterShutdownNotification
 * alloc VAR SIZE TAG                                           ExAllocatePoolWithTag(NonPaged) → VAR.Alloc; VAR keeps the block
 * free VAR                                                     ExFreePoolWithTag of VAR's block with its tag
 * </pre>
 *
 * <p>A device of this driver is described by its variable; any other device by its name, or
 * {@code unnamed}; no device by {@code null}. A variable still names a device after {@code delete},
 * as a driver's pointer does: the script is the test's to keep honest.
 *
 * <p>Thread-safe: variables live in synchronized maps, held only to read or change them, never
 * across a call into the kernel (which may call this driver back on another device).
 */
final class LabScript {

  /** A line that cannot run: its message is recorded as {@code Error}. */
  static final class ScriptException extends Exception {
    private static final long serialVersionUID = 1L;

    ScriptException(String message) {
      super(message);
    }
  }

  /** A device extension: an object of its own, so the test can tell it is the very one given. */
  private static final class Extension {
    private final String text;

    Extension(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  private static final int IO_NO_INCREMENT = 0;

  private final DriverObject driver;
  private final KernelServices services;
  private final Observations observed;
  /** The driver's own devices, by variable, in creation order. */
  private final Map<String, DeviceObject> created = Collections.synchronizedMap(new LinkedHashMap<>());
  /** References the script holds, by variable. */
  private final Map<String, DeviceObject> held = Collections.synchronizedMap(new LinkedHashMap<>());
  /** The extension each device was created with. */
  private final Map<String, Object> extensions = new ConcurrentHashMap<>();
  private final Map<String, NtStatus> failCreate = new ConcurrentHashMap<>();
  private final Set<String> passDown = ConcurrentHashMap.newKeySet();
  /** Pool blocks the script allocated, by variable, with their tags. */
  private final Map<String, Map.Entry<PoolBlock, Integer>> blocks = new ConcurrentHashMap<>();
  /** {@code ClientIdentificationAddress}es: one object per id, as a driver uses an address. */
  private final Map<String, Object> clientIds = new ConcurrentHashMap<>();

  LabScript(DriverObject driver, Observations observed) {
    this.driver = driver;
    this.services = driver.services();
    this.observed = observed;
  }

  // Routines -------------------------------------------------------------------------------------

  /** The dispatch routine of every major function the driver handles. */
  NtStatus dispatch(DeviceObject device, Irp irp) {
    IoStackLocation stack = irp.currentStackLocation();
    int major = stack.majorFunction();
    String var = ownVar(device);
    observed.increment(var + "." + MajorFunctions.name(major));
    if (major == MajorFunctions.IRP_MJ_DEVICE_CONTROL && stack.ioControlCode() == LabDriver.IOCTL_LAB_RUN) {
      String text = new String(irp.systemBuffer(), 0, stack.inputBufferLength(), StandardCharsets.UTF_8);
      boolean ran = runRecordingErrors(List.of(text.split("[;\n]")));
      return complete(irp, ran ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_INVALID_PARAMETER);
    }
    NtStatus failure = major == MajorFunctions.IRP_MJ_CREATE ? failCreate.get(var) : null;
    if (failure != null) {
      return complete(irp, failure);
    }
    if (passDown.contains(var)) {
      DeviceObject lower = device.deviceObjectExtension().attachedTo();
      if (lower != null) {
        irp.skipCurrentStackLocation();
        return services.callDriver(lower, irp);
      }
    }
    return complete(irp, major == MajorFunctions.IRP_MJ_DEVICE_CONTROL
        ? NtStatus.STATUS_INVALID_DEVICE_REQUEST : NtStatus.STATUS_SUCCESS);
  }

  /**
   * DriverUnload: records that it ran and the driver's state, then runs {@code script}; with no
   * script, releases every kept reference and detaches and deletes every device of the driver.
   */
  void unload(List<String> script) {
    observed.increment("Unload.Count");
    observed.put("Unload.Flags", driver.flags());
    observed.put("Unload.DeviceObject", describe(driver.deviceObject()));
    observed.put("Unload.Devices", deviceList());
    if (!script.isEmpty()) {
      runRecordingErrors(script);
      return;
    }
    List<DeviceObject> references;
    synchronized (held) {
      references = new ArrayList<>(held.values());
      held.clear();
    }
    references.forEach(services::dereferenceObject);
    List<DeviceObject> own = new ArrayList<>();
    for (DeviceObject d = driver.deviceObject(); d != null; d = d.nextDevice()) {
      own.add(d);
    }
    for (DeviceObject device : own) {
      DeviceObject lower = device.deviceObjectExtension().attachedTo();
      if (lower != null) {
        services.detachDevice(lower);
      }
      services.deleteDevice(device);
    }
  }

  /** Runs {@code lines}; the first that cannot run stops the script and is recorded as {@code Error}. */
  boolean runRecordingErrors(List<String> lines) {
    try {
      for (String line : lines) {
        String trimmed = line.trim();
        if (!trimmed.isEmpty()) {
          run(trimmed.split("\\s+"));
        }
      }
      return true;
    } catch (ScriptException e) {
      observed.put("Error", e.getMessage());
      return false;
    }
  }

  // Commands -------------------------------------------------------------------------------------

  private void run(String[] words) throws ScriptException {
    switch (words[0]) {
      case "create" -> create(words);
      case "delete" -> services.deleteDevice(own(arg(words, 1)));
      case "ready" -> own(arg(words, 1)).clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);
      case "state" -> state(device(arg(words, 1)), arg(words, 1), arg(words, 2));
      case "driver" -> {
        String label = arg(words, 1);
        observed.put(label + ".Flags", driver.flags());
        observed.put(label + ".DeviceObject", describe(driver.deviceObject()));
        observed.put(label + ".Devices", deviceList());
      }
      case "attach" -> record(arg(words, 3),
          services.attachDeviceToDeviceStack(device(arg(words, 1)), device(arg(words, 2))));
      case "attachname" -> record(arg(words, 3),
          services.attachDevice(device(arg(words, 1)), UnicodeString.of(arg(words, 2))));
      case "detach" -> services.detachDevice(device(arg(words, 1)));
      case "lower" -> keep(arg(words, 2), services.getLowerDeviceObject(device(arg(words, 1))));
      case "top" -> keep(arg(words, 2), services.getAttachedDeviceReference(device(arg(words, 1))));
      case "base" -> keep(arg(words, 2), services.getDeviceAttachmentBaseRef(device(arg(words, 1))));
      case "ref" -> {
        String var = arg(words, 1);
        ObjectResult found = services.referenceObjectByName(UnicodeString.of(arg(words, 2)), ObjectKind.DEVICE);
        observed.put(var + ".Ref", found.status().code());
        if (found.status().isSuccess()) {
          held.put(var, (DeviceObject) found.object());
        }
      }
      case "refobj" -> {
        DeviceObject device = device(arg(words, 1));
        services.referenceObject(device);
        held.put(arg(words, 2), device);
      }
      case "deref" -> {
        DeviceObject device = held.remove(arg(words, 1));
        if (device == null) {
          throw new ScriptException("deref of " + words[1] + ", which holds no reference");
        }
        services.dereferenceObject(device);
      }
      case "enum" -> enumerate(words);
      case "failcreate" -> failCreate.put(ownVar(own(arg(words, 1))), NtStatus.of(number(arg(words, 2))));
      case "passdown" -> passDown.add(ownVar(own(arg(words, 1))));
      case "extalloc" -> {
        String text = arg(words, 2);
        NtStatus status = services.allocateDriverObjectExtension(driver, clientId(arg(words, 1)), () -> text);
        observed.put(arg(words, 3), status.code());
      }
      case "extget" -> observed.put(arg(words, 2),
          String.valueOf(services.getDriverObjectExtension(driver, clientId(arg(words, 1)))));
      case "shutdown" -> observed.put(arg(words, 1) + ".Shutdown",
          services.registerShutdownNotification(own(arg(words, 1))).code());
      case "unshutdown" -> services.unregisterShutdownNotification(own(arg(words, 1)));
      case "alloc" -> {
        int tag = PoolTag.of(arg(words, 3));
        PoolResult allocated = services.allocatePoolWithTag(PoolType.NON_PAGED, number(arg(words, 2)), tag);
        observed.put(arg(words, 1) + ".Alloc", allocated.status().code());
        if (allocated.status().isSuccess()) {
          blocks.put(arg(words, 1), Map.entry(allocated.block(), tag));
        }
      }
      case "free" -> {
        Map.Entry<PoolBlock, Integer> block = blocks.remove(arg(words, 1));
        if (block == null) {
          throw new ScriptException("free of " + words[1] + ", which holds no block");
        }
        services.freePoolWithTag(block.getKey(), block.getValue());
      }
      default -> throw new ScriptException("unknown command " + String.join(" ", words));
    }
  }

  private void create(String[] words) throws ScriptException {
    String var = arg(words, 1);
    String name = arg(words, 2);
    boolean exclusive = false;
    int characteristics = 0;
    int deviceType = DeviceTypes.FILE_DEVICE_UNKNOWN;
    Object extension = null;
    for (int i = 3; i < words.length; i++) {
      String option = words[i];
      if (option.equals("excl")) {
        exclusive = true;
      } else if (option.equals("auto")) {
        characteristics |= DeviceTypes.FILE_AUTOGENERATED_DEVICE_NAME;
      } else if (option.startsWith("type=")) {
        deviceType = number(option.substring(5));
      } else if (option.startsWith("chars=")) {
        characteristics |= number(option.substring(6));
      } else if (option.startsWith("ext=")) {
        extension = new Extension(option.substring(4));
      } else {
        throw new ScriptException("unknown create option " + option);
      }
    }
    DeviceResult result = services.createDevice(driver, extension,
        name.equals("-") ? null : UnicodeString.of(name), deviceType, characteristics, exclusive);
    observed.put(var + ".Create", result.status().code());
    if (result.status().isSuccess()) {
      created.put(var, result.device());
      if (extension != null) {
        extensions.put(var, extension);
      }
      observed.put(var + ".Name", result.device().deviceName().orElse(""));
    }
  }

  private void state(DeviceObject device, String var, String label) {
    DeviceObjectExtension extension = device.deviceObjectExtension();
    observed.put(label + ".Type", device.ioType());
    observed.put(label + ".Flags", device.flags());
    observed.put(label + ".ExtensionType", extension.ioType());
    observed.put(label + ".ExtensionDevice", describe(extension.deviceObject()));
    observed.put(label + ".ExtensionFlags", extension.extensionFlags());
    observed.put(label + ".ReferenceCount", device.referenceCount());
    observed.put(label + ".StackSize", device.stackSize());
    observed.put(label + ".DeviceType", device.deviceType());
    observed.put(label + ".Characteristics", device.characteristics());
    observed.put(label + ".SectorSize", device.sectorSize());
    observed.put(label + ".AlignmentRequirement", device.alignmentRequirement());
    observed.put(label + ".AttachedDevice", describe(device.attachedDevice()));
    observed.put(label + ".AttachedTo", describe(extension.attachedTo()));
    observed.put(label + ".NextDevice", describe(device.nextDevice()));
    observed.put(label + ".DriverIsSelf", device.driverObject() == driver ? 1 : 0);
    observed.put(label + ".Name", device.deviceName().orElse(""));
    Object given = extensions.get(var);
    observed.put(label + ".Extension", String.valueOf(device.deviceExtension()));
    observed.put(label + ".ExtensionIsGiven", given != null && given == device.deviceExtension() ? 1 : 0);
  }

  private void record(String label, DeviceResult result) {
    observed.put(label + ".Status", result.status().code());
    observed.put(label + ".Device", describe(result.device()));
  }

  private void keep(String var, DeviceObject referenced) {
    observed.put(var, describe(referenced));
    if (referenced != null) {
      held.put(var, referenced);
    }
  }

  private void enumerate(String[] words) throws ScriptException {
    int capacity = number(arg(words, 1));
    String label = arg(words, 2);
    boolean keep = words.length > 3 && words[3].equals("keep");
    DeviceList list = services.enumerateDeviceObjectList(driver, capacity);
    observed.put(label + ".Status", list.status().code());
    observed.put(label + ".Count", list.count());
    List<String> names = new ArrayList<>();
    for (int i = 0; i < list.devices().size(); i++) {
      DeviceObject device = list.devices().get(i);
      names.add(describe(device));
      if (keep) {
        held.put(label + i, device);
      } else {
        services.dereferenceObject(device);
      }
    }
    observed.put(label + ".Devices", String.join(",", names));
  }

  private NtStatus complete(Irp irp, NtStatus status) {
    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(0);
    services.completeRequest(irp, IO_NO_INCREMENT);
    return status;
  }

  // Names ----------------------------------------------------------------------------------------

  /** How observations name a device: see the class comment. */
  String describe(DeviceObject device) {
    if (device == null) {
      return "null";
    }
    String var = ownVarOrNull(device);
    return var != null ? var : device.deviceName().orElse("unnamed");
  }

  private String deviceList() {
    List<String> names = new ArrayList<>();
    for (DeviceObject d = driver.deviceObject(); d != null; d = d.nextDevice()) {
      names.add(describe(d));
    }
    return String.join(",", names);
  }

  private String ownVarOrNull(DeviceObject device) {
    synchronized (created) {
      for (Map.Entry<String, DeviceObject> entry : created.entrySet()) {
        if (entry.getValue() == device) {
          return entry.getKey();
        }
      }
    }
    return null;
  }

  private String ownVar(DeviceObject device) {
    String var = ownVarOrNull(device);
    return var != null ? var : "unknown";
  }

  private DeviceObject own(String var) throws ScriptException {
    DeviceObject device = created.get(var);
    if (device == null) {
      throw new ScriptException("no device of this driver named " + var);
    }
    return device;
  }

  private DeviceObject device(String var) throws ScriptException {
    DeviceObject device = created.get(var);
    if (device == null) {
      device = held.get(var);
    }
    if (device == null) {
      throw new ScriptException("no device named " + var);
    }
    return device;
  }

  /** The client id a script names; {@code NULL} is the null id. */
  private Object clientId(String id) {
    if (id.equals("NULL")) {
      return null;
    }
    return clientIds.computeIfAbsent(id, key -> new Object());
  }

  private static String arg(String[] words, int index) throws ScriptException {
    if (index >= words.length) {
      throw new ScriptException(words[0] + " needs argument " + index + ": " + String.join(" ", words));
    }
    return words[index];
  }

  private static int number(String text) throws ScriptException {
    try {
      return text.startsWith("0x") ? Integer.parseUnsignedInt(text.substring(2), 16) : Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new ScriptException("not a number: " + text);
    }
  }
}
