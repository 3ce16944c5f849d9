package ntio.host.cli;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import ntio.api.CodeIntegrityMode;
import ntio.api.KeyCreateResult;
import ntio.api.NtApi;
import ntio.api.OpenResult;
import ntio.api.ValueResult;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.CodeIntegrityRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ntio bcdedit}: the two boot options of driver signature enforcement, as {@code
 * bcdedit.exe} sets them: {@code /set testsigning on|off} and {@code /set nointegritychecks
 * on|off}. They are the REG_DWORD values {@code TestSigning} and {@code NoIntegrityChecks} of
 * {@code HKLM\SYSTEM\CurrentControlSet\Control\CI} ({@link CodeIntegrityRegistry}); the kernel
 * reads them at every driver load, so a change applies to the next load (where Windows needs a
 * reboot).
 */
@Command(name = "bcdedit", mixinStandardHelpOptions = true,
    description = {"Driver signature enforcement's boot options (bcdedit.exe).",
        "  ntio bcdedit /set testsigning on|off",
        "  ntio bcdedit /set nointegritychecks on|off",
        "  ntio bcdedit /enum [--json]"})
final class BcdeditCommand {

  /** The key as reg.exe spells it. */
  static final String CI_DISPLAY = "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\CI";

  /** The options by the names bcdedit gives them. */
  static final Map<String, String> OPTIONS = Map.of(
      "testsigning", CodeIntegrityRegistry.TEST_SIGNING,
      "nointegritychecks", CodeIntegrityRegistry.NO_INTEGRITY_CHECKS);

  @ParentCommand
  NtioCommand root;

  @Command(name = "/set", aliases = {"set"}, mixinStandardHelpOptions = true,
      description = "Set testsigning or nointegritychecks to on or off; applies at each driver's next load.")
  int set(
      @Parameters(index = "0", paramLabel = "testsigning|nointegritychecks") String option,
      @Parameters(index = "1", paramLabel = "on|off") String value) {
    String valueName = OPTIONS.get(option.toLowerCase(Locale.ROOT));
    if (valueName == null) {
      root.err().println("ntio: bcdedit: unknown option " + option
          + "; give testsigning or nointegritychecks");
      return ExitCodes.USAGE;
    }
    boolean on;
    switch (value.toLowerCase(Locale.ROOT)) {
      case "on", "yes", "true" -> on = true;
      case "off", "no", "false" -> on = false;
      default -> {
        root.err().println("ntio: bcdedit: " + option + " takes on or off, not " + value);
        return ExitCodes.USAGE;
      }
    }
    try (Session session = root.session()) {
      NtApi nt = session.nt();
      KeyCreateResult key = nt.createKey(AccessMask.KEY_READ | AccessMask.KEY_WRITE,
          ObjectAttributes.of(CodeIntegrityRegistry.CI_KEY), 0);
      if (!key.status().isSuccess()) {
        return Printer.failed(root.err(), "cannot open " + CI_DISPLAY, key.status());
      }
      try {
        RegValue setting = RegValue.dword(valueName, on ? 1 : 0);
        NtStatus status = nt.setValueKey(key.handle(), UnicodeString.of(setting.name()),
            setting.type(), setting.data());
        if (!status.isSuccess()) {
          return Printer.failed(root.err(), "cannot set " + valueName, status);
        }
        nt.flushKey(key.handle());
        root.out().println("The operation completed successfully.");
        root.out().println("Code integrity: " + describe(mode(nt, key.handle()))
            + " (from each driver's next load).");
        return ExitCodes.SUCCESS;
      } finally {
        nt.close(key.handle());
      }
    }
  }

  @Command(name = "/enum", aliases = {"enum"}, mixinStandardHelpOptions = true,
      description = "Show the two options and the code-integrity mode they make.")
  int enumerate(@Option(names = "--json", description = "Print one JSON document.") boolean json) {
    try (Session session = root.session()) {
      NtApi nt = session.nt();
      OpenResult key = nt.openKey(AccessMask.KEY_READ, ObjectAttributes.of(CodeIntegrityRegistry.CI_KEY));
      OptionalInt testSigning = OptionalInt.empty();
      OptionalInt noIntegrityChecks = OptionalInt.empty();
      CodeIntegrityMode mode = CodeIntegrityMode.AUDIT;
      if (key.status().isSuccess()) {
        try {
          testSigning = dword(nt, key.handle(), CodeIntegrityRegistry.TEST_SIGNING);
          noIntegrityChecks = dword(nt, key.handle(), CodeIntegrityRegistry.NO_INTEGRITY_CHECKS);
          mode = mode(nt, key.handle());
        } finally {
          nt.close(key.handle());
        }
      } else if (!key.status().equals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)) {
        return Printer.failed(root.err(), "cannot open " + CI_DISPLAY, key.status());
      }
      if (json) {
        Printer.json(root.out(), Printer.fields(
            "testsigning", onOff(testSigning),
            "nointegritychecks", onOff(noIntegrityChecks),
            "mode", mode.name()));
        return ExitCodes.SUCCESS;
      }
      root.out().println("testsigning             " + onOff(testSigning));
      root.out().println("nointegritychecks       " + onOff(noIntegrityChecks));
      root.out().println("code integrity          " + describe(mode));
      return ExitCodes.SUCCESS;
    }
  }

  /** The mode the two values make, by {@link CodeIntegrityRegistry#modeOf}'s rule. */
  static CodeIntegrityMode mode(NtApi nt, ntio.ddk.Handle key) {
    return CodeIntegrityRegistry.modeOf(dword(nt, key, CodeIntegrityRegistry.NO_INTEGRITY_CHECKS),
        dword(nt, key, CodeIntegrityRegistry.TEST_SIGNING));
  }

  static String describe(CodeIntegrityMode mode) {
    return switch (mode) {
      case OFF -> "off (nointegritychecks on: signatures are not checked)";
      case AUDIT -> "audit (never configured: every image loads; unsigned or untrusted ones are logged)";
      case TEST_SIGNING -> "test signing (any valid signature loads; untrusted signers are logged)";
      case ENFORCED -> "enforced (only images signed by a trusted publisher load)";
    };
  }

  private static String onOff(OptionalInt value) {
    return value.isEmpty() ? "(not set)" : value.getAsInt() != 0 ? "Yes" : "No";
  }

  private static OptionalInt dword(NtApi nt, ntio.ddk.Handle key, String name) {
    ValueResult value = nt.queryValueKey(key, UnicodeString.of(name));
    if (!value.status().isSuccess()) {
      return OptionalInt.empty();
    }
    return value.value().type() == RegType.REG_DWORD ? value.value().dwordValue() : OptionalInt.of(0);
  }
}
