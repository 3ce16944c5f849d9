package ntio.host.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import java.util.Optional;

/**
 * Fuzz tests of the decoders a client's bytes reach. The property: whatever the bytes, decoding
 * ends normally or with {@link WireException}, which the server turns into an error reply or a
 * closed connection; any other exception would escape into the daemon.
 *
 * <p>A normal build replays the corpus under {@code src/test/resources/ntio/host/wire/
 * WireFuzzTestInputs/} (regression mode). {@code JAZZER_FUZZ=1 mvn test -Dtest=WireFuzzTest}
 * fuzzes each target for its {@code maxDuration}; a crashing input is written into that directory
 * and becomes a regression test once committed.
 */
class WireFuzzTest {

  @FuzzTest(maxDuration = "20s")
  void frameDecoderRaisesOnlyWireException(byte[] stream) {
    ReadableByteChannel channel = Channels.newChannel(new ByteArrayInputStream(stream));
    try {
      for (Frame frame = FrameCodec.read(channel); frame != null; frame = FrameCodec.read(channel)) {
        byte[] payload = frame.payload();
        switch (frame.kind()) {
          case HELLO -> Handshake.Hello.from(frame);
          case WELCOME -> Handshake.Welcome.from(frame);
          default -> Opcode.of(frame.opcode()).ifPresent(op -> ServerCalls.decode(op, payload));
        }
      }
    } catch (WireException expected) {
      // Malformed: the server closes the connection.
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first two bytes are the opcode (little-endian), the rest the request's payload. */
  @FuzzTest(maxDuration = "20s")
  void requestDecoderRaisesOnlyWireException(byte[] request) {
    if (request.length < 2) {
      return;
    }
    Optional<Opcode> op = Opcode.of((request[0] & 0xFF) | (request[1] & 0xFF) << 8);
    if (op.isEmpty()) {
      return;
    }
    try {
      ServerCalls.decode(op.get(), Arrays.copyOfRange(request, 2, request.length));
    } catch (WireException expected) {
      // Malformed: the server answers STATUS_INVALID_PARAMETER.
    }
  }

  /** Replies, as a client decodes them, the same way: the opcode, then a REPLY payload. */
  @FuzzTest(maxDuration = "10s")
  void replyDecodersRaiseOnlyWireException(byte[] reply) {
    if (reply.length < 1) {
      return;
    }
    WireReader in = new WireReader(Arrays.copyOfRange(reply, 1, reply.length));
    try {
      switch ((reply[0] & 0xFF) % 17) {
        case 0 -> Codec.readTokenInfo(in);
        case 1 -> Codec.readListing(in);
        case 2 -> Codec.readEntryInfo(in);
        case 3 -> Codec.readValueResult(in);
        case 4 -> Codec.readKeyInfoResult(in);
        case 5 -> Codec.readExportResult(in);
        case 6 -> Codec.readIoResult(in);
        case 7 -> Codec.readSystemResult(in, 31, Codec::readDriverInfo);
        case 8 -> Codec.readSystemResult(in, 44, Codec::readDeviceInfo);
        case 9 -> Codec.readSystemResult(in, 40, Codec::readTagUsage);
        case 10 -> Codec.readSystemResult(in, 37, Codec::readVerifierSettings);
        case 11 -> Codec.readSystemResult(in, 61, Codec::readDriverStatistics);
        case 12 -> Codec.readAdjustPrivilegesResult(in);
        case 13 -> Codec.readStateResult(in);
        case 14 -> Codec.readOpenResult(in);
        case 15 -> Codec.readObjectQuery(in);
        default -> Codec.readSystemResult(in, 40, Codec::readOwnerUsage);
      }
    } catch (WireException expected) {
      // Malformed: the client drops the connection.
    } catch (IllegalArgumentException | NullPointerException | IllegalStateException refusedByARecord) {
      // RemoteNt turns these into a malformed-reply disconnect as well.
    }
  }
}
