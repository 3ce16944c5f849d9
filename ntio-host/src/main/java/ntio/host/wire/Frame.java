package ntio.host.wire;

import java.util.Objects;

/**
 * One frame after its length prefix: what it is, the request it belongs to, the call, and the
 * payload. See {@code docs/protocol.md} for the layout.
 *
 * @param kind what the frame is
 * @param requestId the request it belongs to, chosen by the client; 0 in the handshake
 * @param opcode the call ({@link Opcode#code()}); 0 in the handshake
 * @param payload the fields that follow the header; not copied, do not change it
 */
// The payload is a view of the received bytes, handed from the codec to one decoder.
@SuppressWarnings("ArrayRecordComponent")
public record Frame(Kind kind, long requestId, int opcode, byte[] payload) {

  /** Bytes in a frame's header after the length prefix: kind (1), request id (8), opcode (2). */
  public static final int HEADER_BYTES = 11;

  /** Checks the parts. */
  public Frame {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(payload, "payload");
    if (opcode < 0 || opcode > 0xFFFF) {
      throw new IllegalArgumentException("opcode " + opcode + " does not fit in 16 bits");
    }
  }

  /** A reader over the payload. */
  public WireReader reader() {
    return new WireReader(payload);
  }

  /** The frame kinds: the first byte after the length prefix. */
  public enum Kind {
    /** Client to server, first frame: magic, version, process name. */
    HELLO(1),
    /** Server to client, answer to HELLO: magic, version, status, process id, state directory. */
    WELCOME(2),
    /** Client to server: a call. */
    REQUEST(3),
    /** Server to client: a call's result (for an overlapped call: that it was issued). */
    REPLY(4),
    /** Server to client: an overlapped call's final result. */
    COMPLETION(5),
    /** Server to client: the request could not be made; a status and a message. */
    ERROR(6),
    /**
     * Server to client, request id 0, unasked: the kernel halted; the bug check and its crash
     * report's id ({@link HaltFrame}). Sent once on each connection when the kernel halts, and
     * before the WELCOME that refuses a connection to a halted kernel. Protocol version 4.
     */
    HALT(7);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    /** The byte on the wire. */
    public int code() {
      return code;
    }

    /** The kind with this byte. */
    public static Kind of(int code) {
      for (Kind kind : values()) {
        if (kind.code == code) {
          return kind;
        }
      }
      throw new WireException("unknown frame kind " + code);
    }
  }
}
