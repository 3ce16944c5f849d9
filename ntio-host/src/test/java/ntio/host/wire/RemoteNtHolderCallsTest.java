package ntio.host.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ntio.api.DriverHolders;
import ntio.api.HandleEntry;
import ntio.api.Holder;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code QUERY_DRIVER_HOLDERS} and {@code QUERY_HANDLES} over the socket answer what the same calls
 * answer in-process: a client of the daemon holding Echo open is named, with the process id its
 * handshake gave it, as what keeps Echo's deferred unload; and every holder kind survives the wire.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteNtHolderCallsTest {

  @TempDir Path directory;
  private Parity parity;

  @BeforeEach
  void start() throws IOException {
    parity = Parity.start(directory).withEcho();
  }

  @AfterEach
  void stop() {
    parity.close();
  }

  @Test
  void aDaemonClientsHandleIsNamedAsWhatHoldsEchoAndTheAnswerIsTheInProcessOne() {
    NtStatus unloaded = parity.remote.unloadDriver(UnicodeString.of(TestDaemon.SERVICES + "Echo"));
    assertThat(unloaded).isEqualTo(NtStatus.STATUS_SUCCESS);

    DriverHolders remote = parity.remote.queryDriverHolders("Echo");
    DriverHolders local = parity.local.queryDriverHolders("Echo");

    assertThat(remote).isEqualTo(local);
    assertThat(remote.unloadPending()).isTrue();
    assertThat(remote.holders()).filteredOn(h -> h.kind() == Holder.Kind.OPEN_HANDLE)
        .extracting(Holder::processId, Holder::handle)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(parity.remote.processId(), parity.remoteEcho().value()),
            org.assertj.core.groups.Tuple.tuple(parity.local.processId(), parity.localEcho().value()));
    assertThat(parity.remote.queryDriverHolders("NoSuchService").status())
        .isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
  }

  @Test
  void theHandleListingOverTheSocketIsTheInProcessOne() {
    List<HandleEntry> remote = parity.remote.queryHandles().rows();

    assertThat(remote).isEqualTo(parity.local.queryHandles().rows());
    assertThat(remote).anySatisfy(e -> {
      assertThat(e.processId()).isEqualTo(parity.remote.processId());
      assertThat(e.processName()).isEqualTo("test");
      assertThat(e.objectType()).isEqualTo("File");
      assertThat(e.objectName()).isEqualTo("\\Device\\Echo");
    });
  }

  @Test
  void everyHolderKindTravelsAndAnUnknownKindIsAMalformedReply() {
    List<Holder> all = java.util.Arrays.stream(Holder.Kind.values())
        .map(kind -> new Holder(kind, "\\Device\\X", kind.ordinal() % 2 == 0, 8 + kind.ordinal(), "p", "Unix User\\7",
            kind.ordinal() - 1, 4 * kind.ordinal(), "detail " + kind))
        .toList();
    DriverHolders sent = new DriverHolders(NtStatus.STATUS_SUCCESS, "X", "\\Driver\\X", true, all);
    WireWriter out = new WireWriter();
    HolderCodec.writeDriverHolders(out, sent);

    assertThat(HolderCodec.readDriverHolders(new WireReader(out.toByteArray()))).isEqualTo(sent);

    WireWriter bad = new WireWriter();
    HolderCodec.writeHolder(bad, all.get(0));
    byte[] bytes = bad.toByteArray();
    bytes[0] = (byte) Holder.Kind.values().length;
    assertThatThrownBy(() -> HolderCodec.readHolder(new WireReader(bytes)))
        .isInstanceOf(WireException.class).hasMessageContaining("unknown holder kind");
  }

  @Test
  void aUnixPidTravelsWithItsTrustAndAPidThatDoesNotFitItsTrustIsAMalformedReply() {
    Holder holder = new Holder(Holder.Kind.OPEN_HANDLE, "\\Device\\X", true, 8, "p", "Unix User\\7", 7, 4, "",
        ntio.api.UnixPid.claimed(4321));
    HandleEntry entry = new HandleEntry(8, "p", "Unix User\\7", 7, 4, "File", "\\Device\\X", 0x12019F,
        ntio.api.UnixPid.claimed(4321));
    WireWriter out = new WireWriter();
    HolderCodec.writeHolder(out, holder);
    HolderCodec.writeHandleEntry(out, entry);
    WireReader in = new WireReader(out.toByteArray());

    assertThat(HolderCodec.readHolder(in)).isEqualTo(holder);
    assertThat(HolderCodec.readHandleEntry(in)).isEqualTo(entry);
    in.expectEnd();

    WireWriter unknownWithPid = new WireWriter().i64(4321).u8(ntio.api.UnixPid.Trust.UNKNOWN.ordinal());
    assertThatThrownBy(() -> HolderCodec.readUnixPid(new WireReader(unknownWithPid.toByteArray())))
        .isInstanceOf(WireException.class);
    WireWriter badTrust = new WireWriter().i64(4321).u8(9);
    assertThatThrownBy(() -> HolderCodec.readUnixPid(new WireReader(badTrust.toByteArray())))
        .isInstanceOf(WireException.class).hasMessageContaining("unknown Unix pid trust");
  }
}
