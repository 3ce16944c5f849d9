package ntio.host.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import ntio.api.DriverStatistics;
import ntio.api.EventStateResult;
import ntio.api.EventType;
import ntio.api.FaultSettings;
import ntio.api.IoResult;
import ntio.api.SystemResult;
import ntio.api.TagUsage;
import ntio.api.VerifierFinding;
import ntio.api.VerifierSettings;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.PoolType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import org.junit.jupiter.api.Test;

class CodecTest {

  @Test
  void aUnicodeStringTravelsExactlyAsItWasLaidOut() {
    char[] abc = {'a', 'b', 'c'};
    for (UnicodeString s : Arrays.asList(null, UnicodeString.of("\\Registry\\Machine"), UnicodeString.empty(),
        UnicodeString.raw(0, 0, null), UnicodeString.raw(6, 6, null), UnicodeString.raw(3, 0xFFFF, abc),
        UnicodeString.raw(0xFFFF, 2, abc), UnicodeString.raw(2, 2, new char[] {'\uD800', 'x'}))) {
      UnicodeString back = roundTrip(s, Codec::writeUnicodeString, Codec::readUnicodeString);
      if (s == null) {
        assertThat(back).isNull();
        continue;
      }
      assertThat(back.length()).isEqualTo(s.length());
      assertThat(back.maximumLength()).isEqualTo(s.maximumLength());
      assertThat(back.hasNullBuffer()).isEqualTo(s.hasNullBuffer());
      assertThat(back.buffer()).isEqualTo(s.buffer());
    }
  }

  @Test
  void aBufferBeyondWhatALengthCanAddressIsCut() {
    UnicodeString huge = UnicodeString.raw(0xFFFE, 0xFFFE, new char[0x9000]);
    UnicodeString back = roundTrip(huge, Codec::writeUnicodeString, Codec::readUnicodeString);
    assertThat(back.bufferCharacters()).isEqualTo(Codec.MAX_UNICODE_BUFFER_BYTES / 2);
    assertThat(back.isReadable()).isTrue();
  }

  @Test
  void objectAttributesKeepTheirRootNameAndFlags() {
    ObjectAttributes oa = new ObjectAttributes(new Handle(8), UnicodeString.raw(1, 4, new char[] {'x'}), 0x240);
    ObjectAttributes back = roundTrip(oa, Codec::writeObjectAttributes, Codec::readObjectAttributes);
    assertThat(back.rootDirectory()).isEqualTo(new Handle(8));
    assertThat(back.objectName()).isEqualTo(oa.objectName());
    assertThat(back.attributes()).isEqualTo(0x240);
    assertThat(roundTrip(null, Codec::writeObjectAttributes, Codec::readObjectAttributes)).isNull();
  }

  @Test
  void anIoResultKeepsItsStatusBlockOnTheWire() {
    IoResult unwritten = new IoResult(NtStatus.STATUS_SUCCESS, 0, new byte[0], false,
        NtStatus.STATUS_NOT_IMPLEMENTED);
    IoResult back = roundTrip(unwritten, Codec::writeIoResult, Codec::readIoResult);
    assertThat(back.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(back.ioStatusWritten()).isFalse();
    assertThat(back.ioStatus()).isEqualTo(NtStatus.STATUS_NOT_IMPLEMENTED);
    IoResult written = new IoResult(NtStatus.STATUS_TIMEOUT, 3, new byte[] {1, 2, 3}, true,
        NtStatus.of(0x4eadbeef));
    IoResult again = roundTrip(written, Codec::writeIoResult, Codec::readIoResult);
    assertThat(again.ioStatusWritten()).isTrue();
    assertThat(again.ioStatus()).isEqualTo(NtStatus.of(0x4eadbeef));
    assertThat(again.information()).isEqualTo(3);
  }

  @Test
  void recordsRoundTripToEqualValues() {
    IoResult io = new IoResult(NtStatus.STATUS_SUCCESS, 3, new byte[] {1, 2, 3});
    IoResult ioBack = roundTrip(io, Codec::writeIoResult, Codec::readIoResult);
    assertThat(ioBack.status()).isEqualTo(io.status());
    assertThat(ioBack.data()).isEqualTo(io.data());
    VerifierSettings settings = new VerifierSettings(Set.of("A.JAR", "B.JAR"), false, 0x209BB,
        new FaultSettings(600, List.of("Ab*", "?x"), Duration.ofMillis(1500), -5));
    assertThat(roundTrip(settings, Codec::writeVerifierSettings, Codec::readVerifierSettings)).isEqualTo(settings);
    VerifierFinding finding = new VerifierFinding("Leaky.jar", "DV4", "left 1 allocation", Instant.ofEpochSecond(5, 7));
    DriverStatistics stats = new DriverStatistics("Leaky.jar", true, 8, 1, 2, 3, 4, 5, 6, List.of(finding));
    assertThat(roundTrip(stats, Codec::writeDriverStatistics, Codec::readDriverStatistics)).isEqualTo(stats);
    SystemResult<TagUsage> tags = new SystemResult<>(NtStatus.STATUS_SUCCESS,
        List.of(new TagUsage(0x6B61654C, PoolType.NON_PAGED_NX, 9, 8, 1, 64)));
    assertThat(roundTrip(tags, (w, r) -> Codec.writeSystemResult(w, r, Codec::writeTagUsage),
        in -> Codec.readSystemResult(in, 40, Codec::readTagUsage))).isEqualTo(tags);
    var value = new ntio.api.ValueResult(NtStatus.STATUS_SUCCESS, RegValue.qword("Q", -1));
    assertThat(roundTrip(value, Codec::writeValueResult, Codec::readValueResult)).isEqualTo(value);
    var missing = new ntio.api.ValueResult(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, null);
    assertThat(roundTrip(missing, Codec::writeValueResult, Codec::readValueResult)).isEqualTo(missing);
  }

  @Test
  void aWaitTimeoutTravelsAsNullOrItsExactDuration() {
    for (Duration timeout : Arrays.asList(null, Duration.ZERO, Duration.ofNanos(1), Duration.ofNanos(-1),
        Duration.ofMillis(1500), Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), Duration.ofSeconds(Long.MIN_VALUE))) {
      assertThat(roundTrip(timeout, Codec::writeTimeout, Codec::readTimeout)).isEqualTo(timeout);
    }
    byte[] badNanos = new WireWriter().u8(1).i64(0).i32(1_000_000_000).toByteArray();
    assertThatThrownBy(() -> Codec.readTimeout(new WireReader(badNanos)))
        .isInstanceOf(WireException.class).hasMessageContaining("nanoseconds");
    assertThatThrownBy(() -> Codec.readTimeout(new WireReader(new byte[] {2})))
        .isInstanceOf(WireException.class).hasMessageContaining("pointer byte");
  }

  @Test
  void anEventTypeTravelsAsNtsNumberAndAnyOtherNumberReadsAsNull() {
    for (EventType type : Arrays.asList(EventType.NOTIFICATION, EventType.SYNCHRONIZATION, null)) {
      assertThat(roundTrip(type, Codec::writeEventType, Codec::readEventType)).isEqualTo(type);
    }
    WireWriter synchronization = new WireWriter();
    Codec.writeEventType(synchronization, EventType.SYNCHRONIZATION);
    assertThat(synchronization.toByteArray()).containsExactly(1, 0, 0, 0);
    assertThat(Codec.readEventType(new WireReader(new WireWriter().i32(2).toByteArray()))).isNull();
  }

  @Test
  void anEventStateResultRoundTrips() {
    for (EventStateResult r : List.of(new EventStateResult(NtStatus.STATUS_SUCCESS, true),
        new EventStateResult(NtStatus.STATUS_ACCESS_DENIED, false))) {
      assertThat(roundTrip(r, Codec::writeStateResult, Codec::readStateResult)).isEqualTo(r);
    }
  }

  @Test
  void aVolumeQueryRequestIsChargedItsLengthAndAnOversizedOneIsRefused() {
    byte[] query = new WireWriter().i32(4).i32(1).i32(64).toByteArray();
    assertThat(ServerCalls.decode(Opcode.QUERY_VOLUME_INFORMATION_FILE, query).outputBytes())
        .isEqualTo(64);
    byte[] negative = new WireWriter().i32(4).i32(1).i32(-1).toByteArray();
    assertThat(ServerCalls.decode(Opcode.QUERY_VOLUME_INFORMATION_FILE, negative).outputBytes())
        .isZero();
    byte[] tooLong = new WireWriter().i32(4).i32(1).i32(Codec.MAX_IO_BYTES + 1).toByteArray();
    assertThatThrownBy(() -> ServerCalls.decode(Opcode.QUERY_VOLUME_INFORMATION_FILE, tooLong))
        .isInstanceOf(WireException.class);
    assertThat(Opcode.of(0x4D)).contains(Opcode.QUERY_VOLUME_INFORMATION_FILE);
  }

  @Test
  void theNewCallsRequestsDecodeAndOversizedOnesAreRefused() {
    byte[] duplicate = new WireWriter().i32(4).i32(0).i32(0).i32(2).toByteArray();
    assertThat(ServerCalls.decode(Opcode.DUPLICATE_OBJECT, duplicate)).isInstanceOf(ServerCalls.Sync.class);
    byte[] query = new WireWriter().i32(4).i32(5).i32(24).toByteArray();
    assertThat(ServerCalls.decode(Opcode.QUERY_INFORMATION_FILE, query).outputBytes()).isEqualTo(24);
    byte[] negative = new WireWriter().i32(4).i32(5).i32(-1).toByteArray();
    assertThat(ServerCalls.decode(Opcode.QUERY_INFORMATION_FILE, negative).outputBytes()).isZero();
    byte[] tooLong = new WireWriter().i32(4).i32(5).i32(Codec.MAX_IO_BYTES + 1).toByteArray();
    assertThatThrownBy(() -> ServerCalls.decode(Opcode.QUERY_INFORMATION_FILE, tooLong))
        .isInstanceOf(WireException.class);
    byte[] bigSet = new WireWriter().i32(4).i32(14).i32(Codec.MAX_IO_BYTES + 1).toByteArray();
    assertThatThrownBy(() -> ServerCalls.decode(Opcode.SET_INFORMATION_FILE, bigSet))
        .isInstanceOf(WireException.class);
    byte[] trailing = new WireWriter().i32(4).u8(0).u8(7).toByteArray();
    assertThatThrownBy(() -> ServerCalls.decode(Opcode.WAIT_FOR_SINGLE_OBJECT, trailing))
        .isInstanceOf(WireException.class);
  }

  @Test
  void aFieldRunningPastItsFrameIsAWireException() {
    WireReader in = new WireReader(new byte[] {5, 0, 0, 0, 'a', 0});
    assertThatThrownBy(in::string).isInstanceOf(WireException.class);
    assertThatThrownBy(() -> new WireReader(new byte[3]).i32()).isInstanceOf(WireException.class);
    assertThatThrownBy(() -> new WireReader(new byte[] {2}).bool()).isInstanceOf(WireException.class);
  }

  @Test
  void aForgedListCountIsRefusedBeforeAnythingIsAllocated() {
    byte[] forged = new WireWriter().i32(Integer.MAX_VALUE).toByteArray();
    assertThatThrownBy(() -> new WireReader(forged).list(12, Codec::readLuidAndAttributes))
        .isInstanceOf(WireException.class).hasMessageContaining("2147483647 elements");
  }

  @Test
  void valuesARecordRefusesAreAWireException() {
    byte[] badFaults = new WireWriter().list(List.of(), WireWriter::string).bool(false).i32(0).i32(99_999)
        .list(List.of(), WireWriter::string).i64(0).i32(0).i64(0).toByteArray();
    byte[] request = Arrays.copyOf(badFaults, badFaults.length);
    assertThatThrownBy(() -> ServerCalls.decode(Opcode.SET_VERIFIER_VOLATILE_SETTINGS, request))
        .isInstanceOf(WireException.class).hasMessageContaining("probability");
  }

  @Test
  void aReadLongerThanAFrameCanCarryBackIsRefused() {
    byte[] read = new WireWriter().i32(4).i32(Codec.MAX_IO_BYTES + 1).i64(0).toByteArray();
    assertThatThrownBy(() -> ServerCalls.decode(Opcode.READ_FILE, read)).isInstanceOf(WireException.class);
  }

  @Test
  void everyOpcodeHasItsOwnCode() {
    assertThat(Arrays.stream(Opcode.values()).map(Opcode::code).distinct()).hasSize(Opcode.values().length);
    for (Opcode op : Opcode.values()) {
      assertThat(Opcode.of(op.code())).hasValue(op);
    }
    assertThat(Opcode.of(0x7777)).isEmpty();
  }

  @Test
  void framesRoundTripAndOutOfBoundsLengthsAreRefused() throws Exception {
    Frame frame = new Frame(Frame.Kind.REQUEST, Long.MIN_VALUE, 0xFFFF, new byte[] {9, 8});
    ByteBuffer bytes = FrameCodec.encode(frame);
    Frame back = FrameCodec.read(Channels.newChannel(new ByteArrayInputStream(bytes.array())));
    assertThat(back.kind()).isEqualTo(Frame.Kind.REQUEST);
    assertThat(back.requestId()).isEqualTo(Long.MIN_VALUE);
    assertThat(back.opcode()).isEqualTo(0xFFFF);
    assertThat(back.payload()).containsExactly(9, 8);
    for (int length : new int[] {0, Frame.HEADER_BYTES - 1, FrameCodec.MAX_FRAME_BYTES + 1, -1}) {
      byte[] prefix = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(length).array();
      assertThatThrownBy(() -> FrameCodec.read(Channels.newChannel(new ByteArrayInputStream(prefix))))
          .isInstanceOf(WireException.class).hasMessageContaining("frame length");
    }
    assertThatThrownBy(() -> FrameCodec.encode(new Frame(Frame.Kind.REPLY, 1, 1,
        new byte[FrameCodec.MAX_PAYLOAD_BYTES + 1]))).isInstanceOf(WireException.class);
  }

  private static <T> T roundTrip(T value, BiConsumer<WireWriter, T> write, Function<WireReader, T> read) {
    WireWriter out = new WireWriter();
    write.accept(out, value);
    WireReader in = new WireReader(out.toByteArray());
    T back = read.apply(in);
    in.expectEnd();
    return back;
  }
}
