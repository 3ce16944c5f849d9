package ntio.kernel.registry;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import ntio.api.KeyInfoResult;
import ntio.api.RegExportResult;
import ntio.api.RegImportResult;
import ntio.ddk.NtStatus;

/**
 * {@code .reg} files, "Windows Registry Editor Version 5.00": export a subtree, import a file.
 * Models what regedit's and {@code reg.exe}'s export and import do (partial: only {@code
 * HKEY_LOCAL_MACHINE} and {@code HKEY_USERS}, which map to {@code \REGISTRY\MACHINE} and {@code
 * \REGISTRY\USER}).
 *
 * <p>Round trips are exact: exporting, importing the text into a fresh hive and exporting again
 * gives the same text, and every value the same bytes.
 *
 * <p>An import is validated whole before anything is applied: a malformed file is refused with the
 * 1-based line of its first error and nothing changes. A valid file is applied as one atomic change
 * of the hive: if any step fails (a key that cannot be created, say), nothing is kept.
 */
public final class RegFile {

  private static final byte[] UTF16LE_BOM = {(byte) 0xFF, (byte) 0xFE};
  private static final byte[] UTF16BE_BOM = {(byte) 0xFE, (byte) 0xFF};
  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private RegFile() {}

  /**
   * The key and its subtree as {@code .reg} text. Values in each key's order, subkeys in
   * enumeration order. Models regedit's export (partial, see the note).
   *
   * @implNote A {@code .reg} file can express neither {@code REG_OPTION_CREATE_LINK} nor {@code
   *     REG_OPTION_VOLATILE}. So link keys below the exported key are left out (regedit would write
   *     their target's contents again under the link's name), and so are keys of the other storage
   *     class than the exported key's: exporting a stable key leaves out its volatile subkeys,
   *     which an import would make stable.
   */
  public static RegExportResult export(Hive hive, long keyId) {
    Objects.requireNonNull(hive, "hive");
    return hive.underRegistryLock(
        () -> {
          KeyInfoResult key = hive.info(keyId);
          if (!key.status().isSuccess()) {
            return new RegExportResult(key.status(), "", "the key cannot be read: " + key.status());
          }
          try {
            return new RegExportResult(
                NtStatus.STATUS_SUCCESS, RegFileWriter.write(hive, key.info()), "");
          } catch (RegFileWriter.Unwritable e) {
            return new RegExportResult(e.status(), "", e.getMessage());
          }
        });
  }

  /**
   * The text as regedit writes a file: UTF-16LE after a byte order mark. Models regedit's file
   * encoding for version 5 files (full).
   */
  public static byte[] encode(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(2 + 2 * text.length());
    bytes.writeBytes(UTF16LE_BOM);
    bytes.writeBytes(text.getBytes(StandardCharsets.UTF_16LE));
    return bytes.toByteArray();
  }

  /**
   * Imports a file's bytes: UTF-16LE after a byte order mark (as regedit writes), or UTF-8 with or
   * without one. Models regedit's import (partial, see {@link #importText}).
   *
   * @return as {@link #importText}; {@code STATUS_INVALID_PARAMETER} with the line of the first
   *     byte that is not valid in the file's encoding, or for a UTF-16BE file
   */
  public static RegImportResult importBytes(Hive hive, byte[] file) {
    Objects.requireNonNull(hive, "hive");
    Objects.requireNonNull(file, "file");
    if (startsWith(file, UTF16BE_BOM)) {
      return malformed(1, "UTF-16BE files are not supported; regedit writes UTF-16LE");
    }
    boolean utf16 = startsWith(file, UTF16LE_BOM);
    int offset = utf16 ? UTF16LE_BOM.length : startsWith(file, UTF8_BOM) ? UTF8_BOM.length : 0;
    Charset charset = utf16 ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_8;
    CharsetDecoder decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(file, offset, file.length - offset);
    CharBuffer out = CharBuffer.allocate(file.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int bad = in.position();
      return malformed(
          lineOfByte(file, offset, bad, utf16),
          "byte offset " + bad + " is not valid " + (utf16 ? "UTF-16LE" : "UTF-8"));
    }
    out.flip();
    return importText(hive, out.toString());
  }

  /**
   * Imports a file's text. The whole text is parsed first; then its steps are applied in order as
   * one atomic change: {@code [KEY]} opens the key, creating it and every missing parent (stable
   * keys; links on the way are followed, so {@code [HKLM\SYSTEM\CurrentControlSet\...]} writes to
   * {@code ControlSet001}); {@code [-KEY]} deletes the key with its subtree if it exists; a value
   * line sets or ({@code =-}) deletes a value of the current key, a missing one being no error.
   *
   * @return {@code STATUS_SUCCESS}; {@code STATUS_INVALID_PARAMETER} with line and message for a
   *     malformed file; or the status of the first step that failed, with its line
   * @implNote A {@code [-KEY]} whose last component is a link deletes the link key itself; regedit
   *     would open it and so delete the link's target.
   */
  public static RegImportResult importText(Hive hive, String text) {
    Objects.requireNonNull(hive, "hive");
    Objects.requireNonNull(text, "text");
    // A caller who decoded the file himself may have kept its byte order mark.
    RegFileParser.Parsed parsed =
        RegFileParser.parse(text.startsWith("\uFEFF") ? text.substring(1) : text);
    if (!parsed.ok()) {
      return malformed(parsed.errorLine(), parsed.error());
    }
    return apply(hive, parsed.ops());
  }

  private static RegImportResult apply(Hive hive, List<RegFileOp> ops) {
    RegImportResult failure = null;
    NtStatus outcome = NtStatus.STATUS_UNSUCCESSFUL;
    NtStatus ended;
    hive.beginBatch();
    try {
      long current = 0;
      for (RegFileOp op : ops) {
        if (op instanceof RegFileOp.OpenKey open) {
          CreateKeyResult key = hive.createPath(hive.rootId(), open.path(), 0);
          if (!key.status().isSuccess()) {
            failure = failed(op, key.status(), "cannot open or create " + display(open.path()));
            break;
          }
          current = key.keyId();
          continue;
        }
        failure = applyOne(hive, op, current);
        if (failure != null) {
          break;
        }
      }
      outcome = failure == null ? NtStatus.STATUS_SUCCESS : failure.status();
    } finally {
      ended = hive.endBatch(outcome);
    }
    if (failure != null) {
      return failure;
    }
    if (!ended.isSuccess()) {
      return new RegImportResult(ended, 0, "the import could not be committed: " + ended);
    }
    return RegImportResult.success();
  }

  /** Applies one step other than opening a key; the failure to report, or {@code null}. */
  private static RegImportResult applyOne(Hive hive, RegFileOp op, long current) {
    if (op instanceof RegFileOp.DeleteKey delete) {
      KeyResult key = hive.resolvePath(hive.rootId(), delete.path(), false);
      if (key.status().equals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)
          || key.status().equals(NtStatus.STATUS_OBJECT_PATH_NOT_FOUND)) {
        return null;
      }
      NtStatus status = key.status().isSuccess() ? hive.deleteTree(key.keyId()) : key.status();
      return status.isSuccess()
          ? null
          : failed(op, status, "cannot delete " + display(delete.path()));
    }
    if (op instanceof RegFileOp.SetValue set) {
      NtStatus status = hive.setValue(current, set.value());
      return status.isSuccess()
          ? null
          : failed(op, status, "cannot set value '" + set.value().name() + "'");
    }
    RegFileOp.DeleteValue delete = (RegFileOp.DeleteValue) op;
    NtStatus status = hive.deleteValue(current, delete.name());
    return status.isSuccess() || status.equals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)
        ? null
        : failed(op, status, "cannot delete value '" + delete.name() + "'");
  }

  private static RegImportResult failed(RegFileOp op, NtStatus status, String what) {
    return new RegImportResult(status, op.line(), what + ": " + status);
  }

  private static String display(List<String> path) {
    return "\\" + Hive.ROOT_NAME + "\\" + String.join("\\", path);
  }

  private static RegImportResult malformed(int line, String message) {
    return new RegImportResult(NtStatus.STATUS_INVALID_PARAMETER, line, message);
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** The 1-based line holding the byte at {@code position}: one more than the LFs before it. */
  private static int lineOfByte(byte[] file, int offset, int position, boolean utf16) {
    int line = 1;
    int step = utf16 ? 2 : 1;
    for (int i = offset; i + step <= position; i += step) {
      if (file[i] == '\n' && (!utf16 || file[i + 1] == 0)) {
        line++;
      }
    }
    return line;
  }
}
