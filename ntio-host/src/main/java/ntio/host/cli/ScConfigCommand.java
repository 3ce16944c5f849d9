package ntio.host.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import ntio.api.DriverInfo;
import ntio.api.NtApi;
import ntio.api.OpenResult;
import ntio.api.SystemResult;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ntio sc config NAME --image FILE}: replaces a stopped service's image, as {@code sc.exe
 * config NAME binPath= …} does, without the stop, delete and create it took before. The image is
 * checked as {@code sc create} checks it ({@link ImageCheck}) and installed the same way (copied
 * into {@code SystemRoot\System32\drivers}, or with {@code --no-copy} written as given); only the
 * key's ImagePath changes.
 *
 * <p>A service whose driver is loaded (RUNNING, START_PENDING or STOP_PENDING) is refused with
 * {@code STATUS_INVALID_DEVICE_STATE}: its image is mapped, and a new ImagePath would not be the
 * image that runs. (The SCM applies a running service's new configuration at its next start;
 * without an SCM, ntio refuses rather than leave the two apart.)
 */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = {"Replace a stopped service's image (its ImagePath), as sc.exe config binPath= does.",
        "The image is checked and installed as sc create does it; refused while the driver is loaded."})
final class ScConfigCommand implements Callable<Integer> {

  @ParentCommand
  ScCommand sc;

  @Parameters(index = "0", paramLabel = "NAME", description = "The service's name, such as Echo.")
  String name;

  @Option(names = "--image", required = true, paramLabel = "PATH", description = "The driver's new JAR.")
  String image;

  @Option(names = "--no-copy", description = "Write the image's path as given; copy nothing.")
  boolean noCopy;

  @Option(names = "--no-check",
      description = "Write the path without checking that the image is a driver JAR the kernel would load.")
  boolean noCheck;

  @Override
  public Integer call() {
    NtioCommand root = sc.root;
    if (!sc.validName(name)) {
      return ExitCodes.USAGE;
    }
    String what = "cannot configure service " + name;
    Path source = noCopy ? ScCommand.hostFile(image) : Path.of(image);
    if (!noCopy && !Files.isRegularFile(source)) {
      root.err().println("ntio: no image file " + source);
      return ExitCodes.NT_FAILURE;
    }
    if (!noCheck && source != null && !ImageCheck.passes(root.err(), what, source)) {
      return ExitCodes.NT_FAILURE;
    }
    String imagePath = noCopy ? ScCommand.asGiven(image) : "System32\\drivers\\" + source.getFileName();
    try (Session session = root.session()) {
      NtApi nt = session.nt();
      OpenResult key = nt.openKey(AccessMask.KEY_READ | AccessMask.KEY_WRITE,
          ObjectAttributes.of(ScCommand.servicePath(name)));
      if (!key.status().isSuccess()) {
        return Printer.failed(root.err(), what + (key.status().equals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)
            ? " (there is no such service; 'ntio sc create' makes one)" : ""), key.status());
      }
      try {
        SystemResult<DriverInfo> drivers = nt.queryDrivers();
        if (!drivers.status().isSuccess()) {
          return Printer.failed(root.err(), "cannot query the loaded drivers", drivers.status());
        }
        ScCommand.State state = ScCommand.stateOf(Optional.ofNullable(ScCommand.byService(drivers.rows()).get(name)));
        if (state != ScCommand.State.STOPPED) {
          return Printer.failed(root.err(), what + ": its driver is loaded (" + state.name()
              + "); stop it first with 'ntio sc stop " + name + "'", NtStatus.STATUS_INVALID_DEVICE_STATE);
        }
        if (!noCopy) {
          Optional<String> copyFailure = ScCommand.install(source, nt.stateDirectory());
          if (copyFailure.isPresent()) {
            root.err().println("ntio: " + what + ": cannot install " + source + ": " + copyFailure.get()
                + "; the service is unchanged");
            return ExitCodes.NT_FAILURE;
          }
        }
        RegValue value = RegValue.expandString("ImagePath", imagePath);
        NtStatus set = nt.setValueKey(key.handle(), UnicodeString.of(value.name()), value.type(), value.data());
        if (!set.isSuccess()) {
          return Printer.failed(root.err(), what + ": cannot set ImagePath", set);
        }
        nt.flushKey(key.handle());
      } finally {
        nt.close(key.handle());
      }
    }
    root.out().println("[SC] ChangeServiceConfig SUCCESS");
    root.out().println("        ImagePath : " + imagePath);
    ScCommand.signer(source).ifPresent(signer -> root.out().println("        Signer    : " + signer));
    return ExitCodes.SUCCESS;
  }
}
