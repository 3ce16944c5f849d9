package ntio.host.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import ntio.api.EventStateResult;
import ntio.api.EventType;
import ntio.api.NtApi;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.kernel.LocalNt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event calls a client makes over the socket ({@code NtCreateEvent}, {@code NtOpenEvent},
 * {@code NtSetEvent}, {@code NtResetEvent}, {@code NtPulseEvent}, {@code NtWaitForSingleObject})
 * answer what the same calls answer in-process, and a wait, however long, holds no server thread
 * past {@link ServerCalls#MAX_WAIT} and never stops the connection.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteNtEventCallsTest {

  @TempDir Path directory;
  private Parity parity;
  private RemoteNt remote;
  private LocalNt local;

  @BeforeEach
  void start() throws IOException {
    parity = Parity.start(directory);
    remote = parity.remote;
    local = parity.local;
  }

  @AfterEach
  void stop() {
    parity.close();
  }

  private static Handle event(NtApi nt, EventType type, boolean signalled) {
    OpenResult created = nt.createEvent(AccessMask.EVENT_ALL_ACCESS, null, type, signalled);
    assertThat(created.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return created.handle();
  }

  /** Every state call and zero-timeout wait, in one sequence, with what each answered. */
  private static List<Object> stateSequence(NtApi nt, EventType type) {
    Handle event = event(nt, type, false);
    return List.of(
        nt.waitForSingleObject(event, Duration.ZERO),
        nt.setEvent(event),
        nt.setEvent(event),
        nt.waitForSingleObject(event, Duration.ZERO),
        nt.waitForSingleObject(event, Duration.ZERO),
        nt.resetEvent(event),
        nt.resetEvent(event),
        nt.pulseEvent(event),
        nt.waitForSingleObject(event, Duration.ZERO),
        nt.setEvent(event),
        nt.pulseEvent(event),
        nt.close(event));
  }

  @Test
  void stateCallsAndPollsAnswerTheSameRemoteAsLocal() {
    for (EventType type : EventType.values()) {
      assertThat(stateSequence(remote, type)).as("%s", type).isEqualTo(stateSequence(local, type));
    }
    // A synchronization event is consumed by the wait it satisfies; a notification event is not.
    assertThat(stateSequence(remote, EventType.SYNCHRONIZATION).subList(3, 5))
        .containsExactly(NtStatus.STATUS_SUCCESS, NtStatus.STATUS_TIMEOUT);
    assertThat(stateSequence(remote, EventType.NOTIFICATION).subList(0, 5)).containsExactly(
        NtStatus.STATUS_TIMEOUT, new EventStateResult(NtStatus.STATUS_SUCCESS, false),
        new EventStateResult(NtStatus.STATUS_SUCCESS, true), NtStatus.STATUS_SUCCESS, NtStatus.STATUS_SUCCESS);
  }

  @Test
  void aNamedEventCreatedRemotelyIsOpenedAndSetInProcess() {
    OpenResult created = remote.createEvent(AccessMask.EVENT_ALL_ACCESS, ObjectAttributes.of("\\WireEvent"),
        EventType.NOTIFICATION, false);
    assertThat(created.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    OpenResult opened = local.openEvent(AccessMask.EVENT_MODIFY_STATE, ObjectAttributes.of("\\WireEvent"));
    assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(local.setEvent(opened.handle()).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(remote.waitForSingleObject(created.handle(), Duration.ZERO)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(remote.openEvent(AccessMask.EVENT_ALL_ACCESS, ObjectAttributes.of("\\WireEvent")).status())
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(remote.createEvent(AccessMask.EVENT_ALL_ACCESS, ObjectAttributes.of("\\WireEvent"),
        EventType.NOTIFICATION, false))
        .isEqualTo(local.createEvent(AccessMask.EVENT_ALL_ACCESS, ObjectAttributes.of("\\WireEvent"),
            EventType.NOTIFICATION, false))
        .isEqualTo(new OpenResult(NtStatus.STATUS_OBJECT_NAME_COLLISION, Handle.NULL));
    assertThat(remote.openEvent(AccessMask.EVENT_ALL_ACCESS, ObjectAttributes.of("\\NoSuchEvent")))
        .isEqualTo(local.openEvent(AccessMask.EVENT_ALL_ACCESS, ObjectAttributes.of("\\NoSuchEvent")));
  }

  @Test
  void badArgumentsGetTheSameStatusRemoteAsLocal() {
    assertThat(remote.createEvent(AccessMask.EVENT_ALL_ACCESS, null, null, false))
        .isEqualTo(local.createEvent(AccessMask.EVENT_ALL_ACCESS, null, null, false))
        .isEqualTo(new OpenResult(NtStatus.STATUS_INVALID_PARAMETER, Handle.NULL));
    Handle bogus = new Handle(0x7FF0);
    assertThat(remote.setEvent(bogus)).isEqualTo(local.setEvent(bogus))
        .isEqualTo(new EventStateResult(NtStatus.STATUS_INVALID_HANDLE, false));
    assertThat(remote.resetEvent(bogus)).isEqualTo(local.resetEvent(bogus));
    assertThat(remote.pulseEvent(bogus)).isEqualTo(local.pulseEvent(bogus));
    assertThat(remote.waitForSingleObject(bogus, null)).isEqualTo(local.waitForSingleObject(bogus, null))
        .isEqualTo(NtStatus.STATUS_INVALID_HANDLE);

    Handle remoteEvent = event(remote, EventType.NOTIFICATION, true);
    Handle localEvent = event(local, EventType.NOTIFICATION, true);
    assertThat(remote.waitForSingleObject(remoteEvent, Duration.ofNanos(-1)))
        .isEqualTo(local.waitForSingleObject(localEvent, Duration.ofNanos(-1)))
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);

    Handle remoteDir = remote.openDirectoryObject(AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\")).handle();
    Handle localDir = local.openDirectoryObject(AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\")).handle();
    assertThat(remote.setEvent(remoteDir)).isEqualTo(local.setEvent(localDir));
    assertThat(remote.waitForSingleObject(remoteDir, Duration.ZERO))
        .isEqualTo(local.waitForSingleObject(localDir, Duration.ZERO))
        .isEqualTo(NtStatus.STATUS_OBJECT_TYPE_MISMATCH);

    Handle remoteQueryOnly = remote.duplicateObject(remoteEvent, AccessMask.EVENT_QUERY_STATE, 0, 0).handle();
    Handle localQueryOnly = local.duplicateObject(localEvent, AccessMask.EVENT_QUERY_STATE, 0, 0).handle();
    assertThat(remote.setEvent(remoteQueryOnly)).isEqualTo(local.setEvent(localQueryOnly))
        .isEqualTo(new EventStateResult(NtStatus.STATUS_ACCESS_DENIED, false));
    assertThat(remote.waitForSingleObject(remoteQueryOnly, Duration.ZERO))
        .isEqualTo(local.waitForSingleObject(localQueryOnly, Duration.ZERO))
        .isEqualTo(NtStatus.STATUS_ACCESS_DENIED);
  }

  @Test
  void anEndlessWaitOutlivesTheServersSliceWithoutStoppingTheConnection() throws Exception {
    Handle event = event(remote, EventType.SYNCHRONIZATION, false);
    CompletableFuture<NtStatus> waiting = CompletableFuture.supplyAsync(() -> remote.waitForSingleObject(event, null));
    // Longer than one server-side wait: the client has asked again at least once.
    Thread.sleep(ServerCalls.MAX_WAIT.toMillis() + 300);
    assertThat(waiting).isNotDone();

    // The same connection goes on serving calls meanwhile, among them the one that ends the wait.
    assertThat(remote.queryDrivers().status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(remote.setEvent(event).status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(remote.waitForSingleObject(event, Duration.ZERO))
        .as("the synchronization event was consumed by the wait").isEqualTo(NtStatus.STATUS_TIMEOUT);
  }

  @Test
  void aTimedWaitLongerThanTheServersSliceTimesOutOnlyAtItsEnd() {
    Handle event = event(remote, EventType.NOTIFICATION, false);
    Duration timeout = ServerCalls.MAX_WAIT.plusMillis(200);
    long started = System.nanoTime();
    assertThat(remote.waitForSingleObject(event, timeout)).isEqualTo(NtStatus.STATUS_TIMEOUT);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(timeout);
  }

  /** The bound is the server's own: a request that asks to wait forever is answered after the slice. */
  @Test
  void theServerAnswersAnEndlessWaitRequestWithTimeoutAfterItsSlice() {
    Handle event = event(local, EventType.NOTIFICATION, false);
    byte[] forever = Codec.writeHandle(new WireWriter(), event).u8(0).toByteArray();
    ServerCalls.Sync call = (ServerCalls.Sync) ServerCalls.decode(Opcode.WAIT_FOR_SINGLE_OBJECT, forever);
    WireWriter reply = new WireWriter();

    call.call().invoke(local, id -> id, reply);

    assertThat(Codec.readStatus(new WireReader(reply.toByteArray()))).isEqualTo(NtStatus.STATUS_TIMEOUT);
  }
}
