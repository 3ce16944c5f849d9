package ntio.host.daemon;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import ntio.api.KeyCreateResult;
import ntio.api.KeyNameResult;
import ntio.api.NtApi;
import ntio.api.OpenResult;
import ntio.api.ValueResult;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;

/**
 * The host's part of {@code HKLM\SYSTEM\CurrentControlSet\Control\CrashControl}, read at each
 * boot of its kernel as NT reads it at boot: {@code AutoReboot} (REG_DWORD; nonzero: after a bug
 * check the host writes the report and reboots its kernel). A host writes {@code AutoReboot} = 1
 * when the value is absent, so the setting it runs with is always in the registry to read and
 * change ({@code ntio reg add ... /v AutoReboot /t REG_DWORD /d 0}). {@code LogEvent} and {@code
 * CrashDumpEnabled} are not modelled: the host always logs the bug check, and always writes the
 * report.
 *
 * <p>Also keeps the {@value #NOT_STARTED_VALUE} value of a service key: why an automatic reboot
 * left a start driver out ({@code sc query} prints it for a stopped service). A host clears every
 * such value when it starts, since a start by hand is a fresh boot that loads the driver again.
 *
 * <p>Every call is a system call of one administrator client of the kernel, made while it runs.
 */
public final class CrashControl {

  /** Where the settings live, as a client spells the key. */
  static final String KEY = "\\Registry\\Machine\\System\\CurrentControlSet\\Control\\CrashControl";

  /** Where the service keys live. */
  static final String SERVICES = "\\Registry\\Machine\\System\\CurrentControlSet\\Services";

  /** The REG_DWORD that turns the automatic reboot on (nonzero) or off (0). */
  static final String AUTO_REBOOT = "AutoReboot";

  /** The REG_SZ in a service key saying why the automatic reboot did not start the driver. */
  public static final String NOT_STARTED_VALUE = "NotStartedReason";

  private CrashControl() {}

  /**
   * Whether the kernel reboots after a bug check: {@code AutoReboot}, written as 1 first when it
   * is absent. A kernel whose registry cannot be read or written says yes (the host's default).
   */
  static boolean autoReboot(NtApi nt) {
    KeyCreateResult key = nt.createKey(AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(KEY), 0);
    if (!key.status().isSuccess()) {
      return true;
    }
    try {
      ValueResult value = nt.queryValueKey(key.handle(), UnicodeString.of(AUTO_REBOOT));
      if (value.status().isSuccess()) {
        OptionalInt dword = value.value().dwordValue();
        return dword.isEmpty() || dword.getAsInt() != 0;
      }
      RegValue on = RegValue.dword(AUTO_REBOOT, 1);
      if (nt.setValueKey(key.handle(), UnicodeString.of(AUTO_REBOOT), on.type(), on.data()).isSuccess()) {
        nt.flushKey(key.handle());
      }
      return true;
    } finally {
      nt.close(key.handle());
    }
  }

  /** Writes why each service of {@code reasons} (name, why) was not started. */
  static void recordNotStarted(NtApi nt, Map<String, String> reasons) {
    reasons.forEach((service, why) -> withServiceKey(nt, service, key -> {
      RegValue value = RegValue.string(NOT_STARTED_VALUE, why);
      nt.setValueKey(key, UnicodeString.of(NOT_STARTED_VALUE), value.type(), value.data());
      nt.flushKey(key);
    }));
  }

  /** Deletes every service's {@value #NOT_STARTED_VALUE}: a host started by hand starts them all. */
  static void clearNotStarted(NtApi nt) {
    OpenResult services = nt.openKey(AccessMask.KEY_READ, ObjectAttributes.of(SERVICES));
    if (!services.status().isSuccess()) {
      return;
    }
    List<String> names = new java.util.ArrayList<>();
    try {
      for (int i = 0; ; i++) {
        KeyNameResult child = nt.enumerateKey(services.handle(), i);
        if (!child.status().isSuccess()) {
          break;
        }
        names.add(child.name());
      }
    } finally {
      nt.close(services.handle());
    }
    for (String service : names) {
      withServiceKey(nt, service, key -> {
        if (nt.deleteValueKey(key, UnicodeString.of(NOT_STARTED_VALUE)).isSuccess()) {
          nt.flushKey(key);
        }
      });
    }
  }

  private static void withServiceKey(NtApi nt, String service, java.util.function.Consumer<Handle> use) {
    OpenResult key = nt.openKey(AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(SERVICES + "\\" + service));
    if (key.status().equals(NtStatus.STATUS_SUCCESS)) {
      try {
        use.accept(key.handle());
      } finally {
        nt.close(key.handle());
      }
    }
  }
}
