package ntio.host.wire;

import java.util.Optional;

/**
 * The calls of {@link ntio.api.NtApi}, one opcode each. Codes are part of the protocol: a code
 * is never reused for another call; a new call gets a new code and raises the protocol version.
 */
public enum Opcode {
  QUERY_TOKEN(0x01),
  ADJUST_PRIVILEGES(0x02),
  CLOSE(0x10),
  OPEN_DIRECTORY_OBJECT(0x11),
  QUERY_DIRECTORY_OBJECT(0x12),
  QUERY_DIRECTORY_ENTRY(0x13),
  QUERY_OBJECT(0x14),
  OPEN_SYMBOLIC_LINK_OBJECT(0x15),
  QUERY_SYMBOLIC_LINK_OBJECT(0x16),
  DUPLICATE_OBJECT(0x17),
  CREATE_DIRECTORY_OBJECT(0x18),
  CREATE_SYMBOLIC_LINK_OBJECT(0x19),
  MAKE_TEMPORARY_OBJECT(0x1A),
  MAKE_PERMANENT_OBJECT(0x1B),
  CREATE_KEY(0x20),
  OPEN_KEY(0x21),
  DELETE_KEY(0x22),
  SET_VALUE_KEY(0x23),
  QUERY_VALUE_KEY(0x24),
  DELETE_VALUE_KEY(0x25),
  ENUMERATE_KEY(0x26),
  ENUMERATE_VALUE_KEY(0x27),
  QUERY_KEY(0x28),
  FLUSH_KEY(0x29),
  EXPORT_KEY(0x2A),
  IMPORT_REG_FILE(0x2B),
  LOAD_DRIVER(0x30),
  UNLOAD_DRIVER(0x31),
  LOAD_DRIVER_DETAILED(0x32),
  CREATE_FILE(0x40),
  READ_FILE(0x41),
  WRITE_FILE(0x42),
  DEVICE_IO_CONTROL_FILE(0x43),
  READ_FILE_ASYNC(0x44, true),
  WRITE_FILE_ASYNC(0x45, true),
  DEVICE_IO_CONTROL_FILE_ASYNC(0x46, true),
  CANCEL_IO_FILE(0x47),
  CANCEL_IO_FILE_EX(0x48),
  FLUSH_BUFFERS_FILE(0x49),
  OPEN_FILE(0x4A),
  QUERY_INFORMATION_FILE(0x4B),
  SET_INFORMATION_FILE(0x4C),
  QUERY_VOLUME_INFORMATION_FILE(0x4D),
  QUERY_DRIVERS(0x50),
  QUERY_DEVICE(0x51),
  QUERY_POOL_TAGS(0x52),
  QUERY_POOL_OWNERS(0x53),
  QUERY_VERIFIER_SETTINGS(0x54),
  SET_VERIFIER_VOLATILE_SETTINGS(0x55),
  QUERY_VERIFIER_STATISTICS(0x56),
  QUERY_VERIFIER_FINDINGS(0x57),
  QUERY_DRIVER_HOLDERS(0x58),
  QUERY_HANDLES(0x59),
  CREATE_EVENT(0x60),
  OPEN_EVENT(0x61),
  SET_EVENT(0x62),
  RESET_EVENT(0x63),
  PULSE_EVENT(0x64),
  WAIT_FOR_SINGLE_OBJECT(0x65),
  // Plug and Play (protocol version 6; devcon): see PnpCalls and PnpCodec.
  QUERY_DEVICE_TREE(0x70),
  INSTALL_DEVICE(0x71),
  REMOVE_DEVICE(0x72),
  DISABLE_DEVICE(0x73),
  ENABLE_DEVICE(0x74),
  RESTART_DEVICE(0x75),
  UPDATE_DRIVER(0x76);

  private final int code;
  private final boolean overlapped;

  Opcode(int code) {
    this(code, false);
  }

  Opcode(int code, boolean overlapped) {
    this.code = code;
    this.overlapped = overlapped;
  }

  /** The 16-bit code on the wire. */
  public int code() {
    return code;
  }

  /**
   * Whether the call is overlapped: its REPLY says it was issued, and a COMPLETION frame with the
   * same request id carries the result.
   */
  public boolean isOverlapped() {
    return overlapped;
  }

  /** The call with this code, if there is one. */
  public static Optional<Opcode> of(int code) {
    for (Opcode op : values()) {
      if (op.code == code) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }
}
