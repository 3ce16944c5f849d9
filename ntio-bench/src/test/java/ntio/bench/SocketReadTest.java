package ntio.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import ntio.api.IoResult;
import ntio.ddk.NtStatus;
import ntio.host.wire.Codec;
import ntio.host.wire.Frame;
import ntio.host.wire.FrameCodec;
import ntio.host.wire.Opcode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SocketReadTest {

  @Test
  void aZeroLengthReadOverTheSocketEndsWithEndOfFileAndNoBytes() throws Exception {
    SocketRead.Remote state = new SocketRead.Remote();
    state.connect();
    try {
      for (int i = 0; i < 3; i++) {
        IoResult read = new SocketRead().ntio(state);

        assertThat(read.status()).isEqualTo(NtStatus.STATUS_END_OF_FILE);
        assertThat(read.data()).isEmpty();
      }
      assertThat(state.daemon.connections()).isEqualTo(1);
    } finally {
      state.close();
    }
  }

  @Test
  void theFloorMovesAReadFileRequestAndItsReplyWithTheirLengthPrefixes() {
    Frame request = FrameCodec.decodeBody(Arrays.copyOfRange(SocketEcho.REQUEST, 4, SocketEcho.REQUEST_BYTES));
    Frame reply = FrameCodec.decodeBody(Arrays.copyOfRange(SocketEcho.REPLY, 4, SocketEcho.REPLY_BYTES));

    assertThat(request.kind()).isEqualTo(Frame.Kind.REQUEST);
    assertThat(request.opcode()).isEqualTo(Opcode.READ_FILE.code());
    assertThat(reply.kind()).isEqualTo(Frame.Kind.REPLY);
    assertThat(Codec.readIoResult(reply.reader()).status()).isEqualTo(NtStatus.STATUS_END_OF_FILE);
  }

  @Test
  void bothFloorsAnswerEachRequestWithItsOwnId() throws Exception {
    SocketRead.Echo direct = new SocketRead.Echo();
    direct.start();
    try {
      assertThat(new SocketRead().floor(direct)).isEqualTo(1);
      assertThat(new SocketRead().floor(direct)).isEqualTo(2);
    } finally {
      direct.close();
    }
    SocketRead.Echo handedOff = new SocketRead.Echo();
    handedOff.start();
    try {
      assertThat(new SocketRead().floorHandOff(handedOff)).isEqualTo(1);
      assertThat(new SocketRead().floorHandOff(handedOff)).isEqualTo(2);
    } finally {
      handedOff.close();
    }
  }

  @Test
  void aFewClientsReadConcurrentlyWithoutErrors() throws Exception {
    ManyClients.Result result = ManyClients.run(4, 0, 0.3);

    assertThat(result.errors()).isZero();
    assertThat(result.idleClients()).isZero();
    assertThat(result.minReads()).isPositive();
    assertThat(result.passed()).isTrue();
  }
}
