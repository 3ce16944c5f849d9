package ntio.ddk;

import java.util.Arrays;

/**
 * {@code DEVICE_CAPABILITIES} of {@code wdm.h}: what {@code IRP_MN_QUERY_CAPABILITIES} carries in
 * {@code Parameters.DeviceCapabilities.Capabilities} ({@link IoStackLocation#deviceCapabilities()}).
 * The sender owns it and fills it in first; each driver of the stack changes what it knows on the
 * way (the bus driver's PDO first, on completion, the others after). A mutable structure, as the C
 * one is: only the thread that holds the IRP touches it.
 *
 * <p>The PnP manager sends it filled as NT's {@code IopQueryDeviceCapabilities} does ({@link
 * #pnpManagerDefaults()}): {@code Size}, {@code Version} 1, {@code Address} and {@code UINumber}
 * 0xFFFFFFFF, every other field zero. Of the bits, ntio's PnP manager acts on {@link #rawDeviceOk}
 * (a PDO started without a function driver).
 */
public final class DeviceCapabilities {

  /** {@code sizeof(DEVICE_CAPABILITIES)} on Windows (64 bytes). */
  public static final int SIZE = 64;
  /** {@code PowerSystemMaximum}: the length of {@link #deviceState}. */
  public static final int POWER_SYSTEM_MAXIMUM = 7;
  /** {@code PowerDeviceUnspecified}. */
  public static final int POWER_DEVICE_UNSPECIFIED = 0;

  public int size;
  public int version;
  public boolean deviceD1;
  public boolean deviceD2;
  public boolean lockSupported;
  public boolean ejectSupported;
  public boolean removable;
  public boolean dockDevice;
  public boolean uniqueId;
  public boolean silentInstall;
  /** {@code RawDeviceOK}: the device may be started with no function driver (raw mode). */
  public boolean rawDeviceOk;
  public boolean surpriseRemovalOk;
  public boolean wakeFromD0;
  public boolean wakeFromD1;
  public boolean wakeFromD2;
  public boolean wakeFromD3;
  public boolean hardwareDisabled;
  public boolean nonDynamic;
  public boolean warmEjectSupported;
  public boolean noDisplayInUi;
  public int address;
  public int uiNumber;
  /** {@code DeviceState[PowerSystemMaximum]}: DEVICE_POWER_STATE by SYSTEM_POWER_STATE. */
  public final int[] deviceState = new int[POWER_SYSTEM_MAXIMUM];
  public int systemWake;
  public int deviceWake;
  public int d1Latency;
  public int d2Latency;
  public int d3Latency;

  /** A zeroed structure. */
  public DeviceCapabilities() {}

  /** What the PnP manager sends: Size, Version 1, Address and UINumber 0xFFFFFFFF, the rest 0. */
  public static DeviceCapabilities pnpManagerDefaults() {
    DeviceCapabilities caps = new DeviceCapabilities();
    caps.size = SIZE;
    caps.version = 1;
    caps.address = -1;
    caps.uiNumber = -1;
    Arrays.fill(caps.deviceState, POWER_DEVICE_UNSPECIFIED);
    return caps;
  }
}
