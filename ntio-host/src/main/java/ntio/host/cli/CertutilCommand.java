package ntio.host.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntio.api.KeyCreateResult;
import ntio.api.KeyNameResult;
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
 * {@code ntio certutil}: the {@code TrustedPublisher} certificate store, as {@code certutil.exe}
 * manages a store: {@code -addstore TrustedPublisher FILE.cer}, {@code -delstore TrustedPublisher
 * THUMBPRINT}, {@code -store TrustedPublisher}. The store is the registry key {@link
 * CodeIntegrityRegistry#TRUSTED_PUBLISHERS_KEY}, one subkey per certificate named by its SHA-1
 * thumbprint, holding the DER in {@code Blob}; code integrity reads it at every driver load.
 */
@Command(name = "certutil", mixinStandardHelpOptions = true,
    description = {"The TrustedPublisher store whose certificates code integrity trusts (certutil.exe).",
        "  ntio certutil -addstore TrustedPublisher ntio-test.cer",
        "  ntio certutil -delstore TrustedPublisher THUMBPRINT",
        "  ntio certutil -store TrustedPublisher [--json]"})
final class CertutilCommand {

  /** The one store ntio keeps, by the name certutil gives it. */
  static final String STORE = "TrustedPublisher";

  @ParentCommand
  NtioCommand root;

  @Command(name = "-addstore", aliases = {"/addstore", "addstore"}, mixinStandardHelpOptions = true,
      description = "Add a certificate (DER or PEM .cer) to the store.")
  int addStore(
      @Parameters(index = "0", paramLabel = "TrustedPublisher") String store,
      @Parameters(index = "1", paramLabel = "FILE") Path file) {
    if (!knownStore(store)) {
      return ExitCodes.USAGE;
    }
    X509Certificate certificate;
    try {
      certificate = CodeIntegrityRegistry.parse(Files.readAllBytes(file));
    } catch (IOException e) {
      root.err().println("ntio: certutil: cannot read " + file + ": " + e.getMessage());
      return ExitCodes.NT_FAILURE;
    } catch (CertificateException e) {
      root.err().println("ntio: certutil: " + file + " is not a certificate: " + e.getMessage());
      return ExitCodes.NT_FAILURE;
    }
    String thumbprint = CodeIntegrityRegistry.thumbprint(certificate);
    try (Session session = root.session()) {
      NtApi nt = session.nt();
      KeyCreateResult key = RegCommand.createPath(nt,
          CodeIntegrityRegistry.TRUSTED_PUBLISHERS_KEY + "\\" + thumbprint, false);
      if (!key.status().isSuccess()) {
        return Printer.failed(root.err(), "cannot add to the " + STORE + " store", key.status());
      }
      try {
        byte[] der = certificate.getEncoded();
        NtStatus set = nt.setValueKey(key.handle(), UnicodeString.of(CodeIntegrityRegistry.BLOB),
            RegType.REG_BINARY, der);
        if (!set.isSuccess()) {
          return Printer.failed(root.err(), "cannot add to the " + STORE + " store", set);
        }
        nt.flushKey(key.handle());
      } catch (CertificateException e) {
        throw new IllegalStateException("a parsed certificate has an encoding", e);
      } finally {
        nt.close(key.handle());
      }
    }
    root.out().println(STORE + " \"Trusted Publishers\"");
    root.out().println("Certificate \"" + subject(certificate) + "\" added to store.");
    root.out().println("Cert Hash(sha1): " + thumbprint);
    root.out().println("CertUtil: -addstore command completed successfully.");
    return ExitCodes.SUCCESS;
  }

  @Command(name = "-delstore", aliases = {"/delstore", "delstore"}, mixinStandardHelpOptions = true,
      description = "Remove the certificate with this SHA-1 thumbprint from the store.")
  int delStore(
      @Parameters(index = "0", paramLabel = "TrustedPublisher") String store,
      @Parameters(index = "1", paramLabel = "THUMBPRINT") String thumbprint) {
    if (!knownStore(store)) {
      return ExitCodes.USAGE;
    }
    String name = thumbprint.replace(" ", "").replace(":", "").toUpperCase(Locale.ROOT);
    if (!name.matches("[0-9A-F]{40}")) {
      root.err().println("ntio: certutil: " + thumbprint + " is not a SHA-1 thumbprint (40 hex digits)");
      return ExitCodes.USAGE;
    }
    try (Session session = root.session()) {
      NtStatus deleted = RegCommand.deleteTree(session.nt(),
          CodeIntegrityRegistry.TRUSTED_PUBLISHERS_KEY + "\\" + name);
      if (!deleted.isSuccess()) {
        return Printer.failed(root.err(), "cannot delete " + name + " from the " + STORE + " store", deleted);
      }
    }
    root.out().println("Deleting Certificate " + name);
    root.out().println("CertUtil: -delstore command completed successfully.");
    return ExitCodes.SUCCESS;
  }

  @Command(name = "-store", aliases = {"/store", "store"}, mixinStandardHelpOptions = true,
      description = "List the certificates in the store.")
  int listStore(
      @Parameters(index = "0", paramLabel = "TrustedPublisher") String store,
      @Option(names = "--json", description = "Print one JSON document.") boolean json) {
    if (!knownStore(store)) {
      return ExitCodes.USAGE;
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Session session = root.session()) {
      NtApi nt = session.nt();
      OpenResult opened = nt.openKey(AccessMask.KEY_READ,
          ObjectAttributes.of(CodeIntegrityRegistry.TRUSTED_PUBLISHERS_KEY));
      if (opened.status().isSuccess()) {
        try {
          for (int i = 0; ; i++) {
            KeyNameResult child = nt.enumerateKey(opened.handle(), i);
            if (child.status().equals(NtStatus.STATUS_NO_MORE_ENTRIES)) {
              break;
            }
            if (!child.status().isSuccess()) {
              return Printer.failed(root.err(), "cannot list the " + STORE + " store", child.status());
            }
            rows.add(describe(nt, child.name()));
          }
        } finally {
          nt.close(opened.handle());
        }
      } else if (!opened.status().equals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)) {
        return Printer.failed(root.err(), "cannot open the " + STORE + " store", opened.status());
      }
    }
    if (json) {
      Printer.json(root.out(), Printer.fields("store", STORE, "certificates", rows));
      return ExitCodes.SUCCESS;
    }
    root.out().println(STORE + " \"Trusted Publishers\"");
    int index = 0;
    for (Map<String, Object> row : rows) {
      root.out().println("================ Certificate " + index++ + " ================");
      root.out().println("Subject: " + row.get("subject"));
      root.out().println("Issuer: " + row.get("issuer"));
      root.out().println(" NotAfter: " + row.get("notAfter"));
      root.out().println("Cert Hash(sha1): " + row.get("thumbprint"));
    }
    root.out().println("CertUtil: -store command completed successfully.");
    return ExitCodes.SUCCESS;
  }

  /** One entry of the store; a damaged one says so (code integrity ignores it). */
  private static Map<String, Object> describe(NtApi nt, String thumbprint) {
    OpenResult key = nt.openKey(AccessMask.KEY_READ,
        ObjectAttributes.of(CodeIntegrityRegistry.TRUSTED_PUBLISHERS_KEY + "\\" + thumbprint));
    if (!key.status().isSuccess()) {
      return damaged(thumbprint, key.status().toString());
    }
    try {
      ValueResult blob = nt.queryValueKey(key.handle(), UnicodeString.of(CodeIntegrityRegistry.BLOB));
      if (!blob.status().isSuccess() || blob.value().type() != RegType.REG_BINARY) {
        return damaged(thumbprint, "no REG_BINARY " + CodeIntegrityRegistry.BLOB);
      }
      RegValue value = blob.value();
      X509Certificate certificate = CodeIntegrityRegistry.parse(value.data());
      return Printer.fields(
          "thumbprint", thumbprint,
          "subject", certificate.getSubjectX500Principal().getName(),
          "issuer", certificate.getIssuerX500Principal().getName(),
          "notAfter", certificate.getNotAfter().toInstant().toString());
    } catch (CertificateException e) {
      return damaged(thumbprint, "not a certificate: " + e.getMessage());
    } finally {
      nt.close(key.handle());
    }
  }

  private static Map<String, Object> damaged(String thumbprint, String why) {
    return Printer.fields("thumbprint", thumbprint, "subject", "(ignored: " + why + ")",
        "issuer", "", "notAfter", "");
  }

  private static String subject(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName();
  }

  private boolean knownStore(String store) {
    if (store.equalsIgnoreCase(STORE)) {
      return true;
    }
    root.err().println("ntio: certutil: ntio keeps one store, " + STORE + "; not " + store);
    return false;
  }
}
