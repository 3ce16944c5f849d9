package ntio.host.wire;

import ntio.ddk.NtStatus;

/**
 * The first two frames of a connection. The client sends {@link Hello}; the server answers with
 * {@link Welcome}, whose status says whether it speaks the client's version. Anything else as a
 * first frame, or a wrong magic, and the server closes the connection without an answer: the peer
 * does not speak this protocol.
 */
public final class Handshake {

  /** {@code "NTIO"} as a little-endian 32-bit number: the bytes 'N' 'T' 'I' 'O' on the wire. */
  public static final int MAGIC = 0x4F49544E;

  /** The protocol version this build speaks. */
  public static final int VERSION = 6;

  /** The first version whose HELLO states the client's Unix pid. */
  public static final int UNIX_PID_VERSION = 5;

  /** The longest process name a client may ask for, in characters. */
  public static final int MAX_PROCESS_NAME = 64;

  /**
   * The largest frame the server reads before the handshake is complete: 4 KiB, far more than a
   * HELLO needs (a process name of {@value #MAX_PROCESS_NAME} characters), and all an
   * unauthenticated peer may make the server buffer.
   */
  public static final int MAX_HELLO_FRAME_BYTES = 4096;

  private Handshake() {}

  /**
   * What the client says first.
   *
   * @param version the protocol version the client speaks
   * @param processName the name its process should have in listings ({@code ntio}, {@code shell})
   * @param unixPid the client's own Unix process id, which the server checks and shows next to the
   *     kernel's process id; 0 when it states none. On the wire from version 5 only: a HELLO of an
   *     older version has none, and is still read, so that it can be answered with {@code
   *     STATUS_REVISION_MISMATCH}
   */
  public record Hello(int version, String processName, long unixPid) {

    /** A HELLO that states no Unix pid. */
    public Hello(int version, String processName) {
      this(version, processName, 0);
    }

    /** The HELLO frame. */
    public Frame toFrame() {
      WireWriter out = new WireWriter().i32(MAGIC).u16(version).string(processName);
      if (version >= UNIX_PID_VERSION) {
        out.i64(unixPid);
      }
      return new Frame(Frame.Kind.HELLO, 0, 0, out.toByteArray());
    }

    /**
     * Reads a HELLO frame.
     *
     * @throws WireException if it is not one, the magic is wrong, or the name is malformed or too
     *     long
     */
    public static Hello from(Frame frame) {
      if (frame.kind() != Frame.Kind.HELLO) {
        throw new WireException("expected HELLO, got " + frame.kind());
      }
      WireReader in = frame.reader();
      int magic = in.i32();
      if (magic != MAGIC) {
        throw new WireException(String.format("bad magic 0x%08X", magic));
      }
      int version = in.u16();
      String name = in.string();
      long pid = version >= UNIX_PID_VERSION ? in.i64() : 0;
      in.expectEnd();
      if (name.length() > MAX_PROCESS_NAME) {
        throw new WireException("process name of " + name.length() + " characters");
      }
      if (pid < 0) {
        throw new WireException("negative Unix pid " + pid);
      }
      return new Hello(version, name, pid);
    }
  }

  /**
   * The server's answer.
   *
   * @param version the protocol version the server speaks
   * @param status {@code STATUS_SUCCESS}; {@code STATUS_REVISION_MISMATCH} when it does not
   *     speak the client's version; {@code STATUS_TOO_MANY_SESSIONS} when the host serves as many
   *     connections as it allows, {@code STATUS_QUOTA_EXCEEDED} when the client's uid does (see
   *     docs/protocol.md); {@code STATUS_SYSTEM_SHUTDOWN} when the kernel is stopping or halted (a halted kernel's
   *     WELCOME follows a {@link Frame.Kind#HALT} frame saying why). On any
   *     failure the server closes the connection
   * @param processId the id of the client's kernel process (0 on failure)
   * @param stateDirectory the kernel's state directory as the server sees it ("" on failure)
   */
  public record Welcome(int version, NtStatus status, int processId, String stateDirectory) {

    /** The WELCOME frame. */
    public Frame toFrame() {
      WireWriter out = new WireWriter().i32(MAGIC).u16(version).i32(status.code()).i32(processId)
          .string(stateDirectory);
      return new Frame(Frame.Kind.WELCOME, 0, 0, out.toByteArray());
    }

    /**
     * Reads a WELCOME frame.
     *
     * @throws WireException if it is not one or the magic is wrong
     */
    public static Welcome from(Frame frame) {
      if (frame.kind() != Frame.Kind.WELCOME) {
        throw new WireException("expected WELCOME, got " + frame.kind());
      }
      WireReader in = frame.reader();
      int magic = in.i32();
      if (magic != MAGIC) {
        throw new WireException(String.format("bad magic 0x%08X", magic));
      }
      Welcome welcome = new Welcome(in.u16(), NtStatus.of(in.i32()), in.i32(), in.string());
      in.expectEnd();
      return welcome;
    }
  }
}
