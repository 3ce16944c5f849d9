package ntio.host.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import ntio.api.IoResult;
import ntio.api.NtApi;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.IoControlCodes;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ntio toaster plug|unplug|eject SERIAL}: plugs a toaster into the ToasterBus sample's bus,
 * or takes one out, as the WDK's {@code enum.exe} does. Opens the bus's FDO ({@code
 * \DosDevices\ToasterBus}, else {@code \Device\ToasterBus}), sends it one of the bus's control
 * codes with the serial number, and prints one line.
 */
@Command(name = "toaster", mixinStandardHelpOptions = true,
    description = {"Plug toasters into the ToasterBus sample's bus, or take them out (enum.exe).",
        "The bus must be installed: ntio devcon install ToasterBus Root\\ToasterBus"})
final class ToasterCommand {

  /*
   * The codes and names are the bus's public contract (the WDK keeps them in a public.h the bus and
   * enum.exe share); the host does not link against driver images, so it spells them here, as
   * ntio.drivers.toaster.bus.ToasterBusIoctl does.
   */

  /** {@code FILE_DEVICE_BUS_EXTENDER}. */
  private static final int FILE_DEVICE_BUS_EXTENDER = 0x2A;
  /** {@code IOCTL_BUSENUM_PLUGIN_HARDWARE}, {@code 0x002A4000}. */
  static final int IOCTL_BUSENUM_PLUGIN_HARDWARE = busCode(0x0);
  /** {@code IOCTL_BUSENUM_UNPLUG_HARDWARE}, {@code 0x002A4004}. */
  static final int IOCTL_BUSENUM_UNPLUG_HARDWARE = busCode(0x1);
  /** {@code IOCTL_BUSENUM_EJECT_HARDWARE}, {@code 0x002A4008}. */
  static final int IOCTL_BUSENUM_EJECT_HARDWARE = busCode(0x2);

  /** Where the bus's FDO is found: its link first, as enum.exe opens a symbolic link. */
  private static final String[] BUS_NAMES = {"\\DosDevices\\ToasterBus", "\\Device\\ToasterBus"};

  @ParentCommand
  NtioCommand root;

  @Command(name = "plug", mixinStandardHelpOptions = true,
      description = "Plug in a toaster with serial number SERIAL (1 to 4294967295, not in use).")
  int plug(@Parameters(index = "0", paramLabel = "SERIAL") String serial) {
    return send(IOCTL_BUSENUM_PLUGIN_HARDWARE, serial, false, "plugged in", "plug in");
  }

  @Command(name = "unplug", mixinStandardHelpOptions = true,
      description = "Unplug the toaster with serial number SERIAL (0: every toaster), as if pulled out.")
  int unplug(@Parameters(index = "0", paramLabel = "SERIAL") String serial) {
    return send(IOCTL_BUSENUM_UNPLUG_HARDWARE, serial, true, "unplugged", "unplug");
  }

  @Command(name = "eject", mixinStandardHelpOptions = true,
      description = "Eject the toaster with serial number SERIAL (0: every toaster), as its eject button does.")
  int eject(@Parameters(index = "0", paramLabel = "SERIAL") String serial) {
    return send(IOCTL_BUSENUM_EJECT_HARDWARE, serial, true, "ejected", "eject");
  }

  private int send(int ioControlCode, String serialText, boolean zeroMeansAll, String done, String verb) {
    long serial = parseSerial(serialText);
    if (serial < 0 || serial == 0 && !zeroMeansAll) {
      root.err().println("ntio: toaster " + verb + ": SERIAL is a number from " + (zeroMeansAll ? 0 : 1)
          + " to 4294967295, not '" + serialText + "'");
      return ExitCodes.USAGE;
    }
    String which = serial == 0 ? "every toaster" : "toaster " + serial;
    try (Session session = root.session()) {
      NtApi nt = session.nt();
      OpenResult bus = openBus(nt);
      if (!bus.status().isSuccess()) {
        if (bus.status().equals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)
            || bus.status().equals(NtStatus.STATUS_OBJECT_PATH_NOT_FOUND)) {
          root.err().println("ntio: no toaster bus: \\Device\\ToasterBus does not exist (" + bus.status()
              + "); install it with: ntio devcon install ToasterBus Root\\ToasterBus");
          return ExitCodes.NT_FAILURE;
        }
        return Printer.failed(root.err(), "cannot open \\Device\\ToasterBus", bus.status());
      }
      byte[] input = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt((int) serial).array();
      IoResult result;
      try {
        result = nt.deviceIoControlFile(bus.handle(), ioControlCode, input, 0);
      } finally {
        nt.close(bus.handle());
      }
      if (!result.status().isSuccess()) {
        return Printer.failed(root.err(), "cannot " + verb + " " + which, result.status());
      }
      root.out().println(Character.toUpperCase(which.charAt(0)) + which.substring(1) + " " + done + ".");
      return ExitCodes.SUCCESS;
    }
  }

  private static OpenResult openBus(NtApi nt) {
    OpenResult opened = null;
    for (String name : BUS_NAMES) {
      opened = nt.createFile(AccessMask.FILE_READ_DATA | AccessMask.SYNCHRONIZE, ObjectAttributes.of(name), 0, 0);
      boolean notThere = opened.status().equals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)
          || opened.status().equals(NtStatus.STATUS_OBJECT_PATH_NOT_FOUND);
      if (!notThere) {
        return opened;
      }
    }
    return opened;
  }

  /** The serial number as an unsigned 32-bit value; -1 when {@code text} is not one. */
  static long parseSerial(String text) {
    if (text.isEmpty() || !text.chars().allMatch(Character::isDigit) || text.length() > 10) {
      return -1;
    }
    long value = Long.parseLong(text);
    return value <= 0xFFFF_FFFFL ? value : -1;
  }

  private static int busCode(int function) {
    return IoControlCodes.ctlCode(FILE_DEVICE_BUS_EXTENDER, function, IoControlCodes.METHOD_BUFFERED,
        IoControlCodes.FILE_READ_ACCESS);
  }
}
