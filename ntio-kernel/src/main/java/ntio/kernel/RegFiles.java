package ntio.kernel;

import ntio.kernel.registry.RegFile;

/**
 * The {@code .reg} file format as a tool writes it to disk: {@code reg export} turns the text
 * {@code NtApi.exportRegFile} returns into the bytes regedit writes.
 */
public final class RegFiles {

  private RegFiles() {}

  /**
   * The text as regedit writes a file: UTF-16LE after a byte order mark. Models regedit's file
   * encoding for version 5 files (full).
   */
  public static byte[] encode(String text) {
    return RegFile.encode(text);
  }
}
