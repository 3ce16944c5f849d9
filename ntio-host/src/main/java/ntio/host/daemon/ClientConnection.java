package ntio.host.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import ntio.api.IoResult;
import ntio.api.KernelGoneException;
import ntio.api.PendingIo;
import ntio.ddk.NtStatus;
import ntio.host.wire.Codec;
import ntio.host.wire.Frame;
import ntio.host.wire.FrameCodec;
import ntio.host.wire.Handshake;
import ntio.host.wire.Opcode;
import ntio.host.wire.ServerCalls;
import ntio.host.wire.WireException;
import ntio.host.wire.WireWriter;
import ntio.kernel.Kernel;
import ntio.kernel.LocalNt;
import ntio.kernel.ProcessQuota;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of the daemon: one socket connection, one user-mode process of the kernel. Its own
 * reader thread reads frames; each request runs on the server's worker pool, so that a call that
 * blocks (a synchronous read of an empty device) does not stop this connection from reading the
 * next request — a cancel, or the write that satisfies the read. Its own writer thread writes the
 * replies, from a bounded {@link OutboundQueue}: whoever finishes a call — a worker, or a kernel
 * thread completing an overlapped request — only queues the reply, and never waits on the client.
 *
 * <p>Lifecycle: handshake (within {@link ServerLimits#handshakeTimeout()}, with frames of at most
 * {@link Handshake#MAX_HELLO_FRAME_BYTES}), then requests until end of stream, a read error, a
 * malformed frame, or replies the client does not read beyond its queue; then {@link #close()}
 * closes the socket and runs the process down, which cancels its pending requests and closes its
 * handles (and so lets a deferred unload it held up finish).
 *
 * <p>Quotas: a request counts against {@link ServerLimits#maxRequestsInFlight()} and charges its
 * payload plus the output it asks the kernel to allocate to the process's non-paged pool quota, as
 * NT charges an IRP and its system buffer, from its arrival until its final answer (the REPLY of a
 * synchronous call, the COMPLETION of an overlapped one, or its ERROR) leaves the outbound queue
 * to be written: a client that has read an answer may use its place at once. While the answer
 * waits in the queue, the charge covers as many of its bytes. A request beyond
 * either is refused with {@code STATUS_QUOTA_EXCEEDED}; the connection goes on.
 */
final class ClientConnection {

  /* Implementation notes: a request id stays in `running` from the moment it is read until its
   * reply is queued, and an overlapped request's id stays in `overlapped` from its issue to its
   * completion: a second request with an id in either is refused, which keeps the mapping from
   * wire ids to the process's own overlapped request ids one-to-one. Handshake frames are written
   * by the reader itself, before the writer exists: nothing else writes then. */

  /** Where the handshake deadline is: armed, beaten by a HELLO, or expired. */
  private enum Deadline { ARMED, MET, EXPIRED }

  private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

  private final SocketServer server;
  private final Kernel kernel;
  private final ClientPolicy policy;
  private final ServerLimits limits;
  private final SocketChannel channel;
  private final ExecutorService workers;
  private final OutboundQueue outbound;
  private final Semaphore callSlots;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Set<Long> running = ConcurrentHashMap.newKeySet();
  private final Map<Long, Long> overlapped = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicReference<Deadline> deadline =
      new java.util.concurrent.atomic.AtomicReference<>(Deadline.ARMED);
  private volatile ScheduledFuture<?> deadlineTimer;
  private volatile LocalNt api;
  private volatile ProcessQuota quota;
  private volatile Integer countedUid;
  private volatile String who = "an unidentified client";

  ClientConnection(SocketServer server, Kernel kernel, ClientPolicy policy, ServerLimits limits,
      SocketChannel channel, ExecutorService workers) {
    this.server = server;
    this.kernel = kernel;
    this.policy = policy;
    this.limits = limits;
    this.channel = channel;
    this.workers = workers;
    this.outbound = new OutboundQueue(limits.outboundBytes(), limits.outboundFrames());
    this.callSlots = new Semaphore(limits.callsPerConnection());
  }

  /** The connection's reader loop; returns when the connection is over, after {@link #close()}. */
  void run() {
    try {
      deadlineTimer = server.scheduleHandshakeDeadline(this::handshakeDeadline);
      if (closed.get()) {
        return;
      }
      if (handshake()) {
        server.newWriterThread(this::writeReplies).start();
        serve();
      }
    } catch (WireException e) {
      LOG.warn("closing the connection of {}: malformed frame: {}", who, e.getMessage());
    } catch (IOException e) {
      if (!closed.get()) {
        LOG.debug("the connection of {} failed: {}", who, e.getMessage());
      }
    } catch (RuntimeException | OutOfMemoryError e) {
      LOG.error("closing the connection of {} after an ntio bug or a lack of threads", who, e);
    } finally {
      close();
    }
  }

  /** On the server's timer: a connection still waiting for its HELLO is closed. */
  private void handshakeDeadline() {
    if (deadline.compareAndSet(Deadline.ARMED, Deadline.EXPIRED)) {
      LOG.debug("closing the connection of {}: no handshake within {} ms", who,
          limits.handshakeTimeout().toMillis());
      // Only the socket, which does not block: the reader, woken by it, runs the close.
      closeSocket();
    }
  }

  private boolean handshake() throws IOException {
    UnixDomainPrincipal principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
    ClientPolicy.Peer peer;
    try {
      peer = policy.identify(principal);
    } catch (IllegalArgumentException e) {
      LOG.warn("refusing a client whose credentials cannot be mapped: {}", e.getMessage());
      return false;
    }
    who = "uid " + peer.uid() + " (" + peer.userName() + ")";
    // Counted before the HELLO is read: idle connections count against their uid too.
    NtStatus admitted = server.enterUid(peer.uid());
    if (admitted.isSuccess()) {
      countedUid = peer.uid();
    }
    Frame first = FrameCodec.read(channel, Handshake.MAX_HELLO_FRAME_BYTES);
    if (first == null || !deadline.compareAndSet(Deadline.ARMED, Deadline.MET)) {
      return false;
    }
    cancelDeadline();
    Handshake.Hello hello = Handshake.Hello.from(first);
    if (hello.version() != Handshake.VERSION) {
      LOG.info("refusing {}: it speaks protocol version {}, the daemon {}", who, hello.version(), Handshake.VERSION);
      writeDirectly(new Handshake.Welcome(Handshake.VERSION, NtStatus.STATUS_REVISION_MISMATCH, 0, "").toFrame());
      return false;
    }
    if (!admitted.isSuccess()) {
      LOG.warn("refusing {} with {}: the uid has {} connections already", who, admitted,
          limits.maxConnectionsPerUid());
      writeDirectly(new Handshake.Welcome(Handshake.VERSION, admitted, 0, "").toFrame());
      return false;
    }
    if (!kernel.isRunning()) {
      // A halted kernel's refusal says why first (protocol version 4).
      java.util.Optional<ntio.api.KernelHalt> halt = kernel.haltReason();
      if (halt.isPresent()) {
        writeDirectly(ntio.host.wire.HaltFrame.of(halt.get()));
      }
      writeDirectly(new Handshake.Welcome(Handshake.VERSION, NtStatus.STATUS_SYSTEM_SHUTDOWN, 0, "").toFrame());
      return false;
    }
    String name = hello.processName().isBlank() ? "client" : hello.processName();
    LocalNt created = policy.createClient(kernel, peer, name);
    // Before the WELCOME: the client's first call already lists it with its Unix pid.
    ClaimedPids.Checked pid = new ClaimedPids().check(hello.unixPid(), peer.uid());
    if (!pid.refusal().isEmpty()) {
      LOG.info("{} stated Unix pid {}, which is not shown: {}", who, hello.unixPid(), pid.refusal());
    }
    created.recordUnixPid(pid.pid());
    quota = created.quota();
    api = created;
    who = "process " + created.processId() + " (" + name + ", uid " + peer.uid()
        + (pid.pid().isKnown() ? ", Unix pid " + pid.pid().pid() + " claimed" : ", Unix pid unknown") + ")";
    if (closed.get()) {
      // The server closed while the process was being made: run it down at once.
      api.close();
      return false;
    }
    LOG.debug("connected: {}, {} token", who, policy.isAdministrator(peer) ? "administrator" : "standard user");
    writeDirectly(new Handshake.Welcome(Handshake.VERSION, NtStatus.STATUS_SUCCESS, created.processId(),
        kernel.stateDirectory().toAbsolutePath().toString()).toFrame());
    return true;
  }

  /** How long a reply from a halted kernel waits for the crash report, to be preceded by the HALT. */
  private static final java.time.Duration HALT_REPORT_WAIT = java.time.Duration.ofSeconds(5);

  /** Whether this client was sent the HALT frame. */
  private final java.util.concurrent.atomic.AtomicBoolean haltTold = new java.util.concurrent.atomic.AtomicBoolean();

  private void cancelDeadline() {
    ScheduledFuture<?> timer = deadlineTimer;
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void serve() throws IOException {
    while (true) {
      Frame frame = FrameCodec.read(channel);
      if (frame == null) {
        LOG.debug("{} disconnected", who);
        return;
      }
      if (frame.kind() != Frame.Kind.REQUEST) {
        throw new WireException("a client does not send " + frame.kind());
      }
      accept(frame);
    }
  }

  /** Decodes one request, charges it and hands it to a worker, or refuses it with an ERROR frame. */
  private void accept(Frame frame) {
    long id = frame.requestId();
    Opcode op = Opcode.of(frame.opcode()).orElse(null);
    if (op == null) {
      queueError(id, frame.opcode(), NtStatus.STATUS_INVALID_SYSTEM_SERVICE, "unknown opcode " + frame.opcode(), null);
      return;
    }
    ServerCalls.Decoded decoded;
    try {
      decoded = ServerCalls.decode(op, frame.payload());
    } catch (WireException e) {
      queueError(id, op.code(), NtStatus.STATUS_INVALID_PARAMETER, "malformed " + op + " request: " + e.getMessage(), null);
      return;
    }
    if (overlapped.containsKey(id) || !running.add(id)) {
      queueError(id, op.code(), NtStatus.STATUS_INVALID_PARAMETER, "request id " + id + " is already in use", null);
      return;
    }
    RequestCharge charge = RequestCharge.take(quota, inFlight, limits.maxRequestsInFlight(),
        (long) frame.payload().length + decoded.outputBytes());
    if (!charge.status().isSuccess()) {
      running.remove(id);
      queueError(id, op.code(), charge.status(), charge.refusal(), null);
      return;
    }
    if (!callSlots.tryAcquire()) {
      running.remove(id);
      charge.release();
      queueError(id, op.code(), NtStatus.STATUS_INSUFFICIENT_RESOURCES,
          "more than " + limits.callsPerConnection() + " calls running", null);
      return;
    }
    try {
      workers.execute(() -> execute(id, op, decoded, charge));
    } catch (RejectedExecutionException e) {
      running.remove(id);
      callSlots.release();
      charge.release();
      queueError(id, op.code(), NtStatus.STATUS_SYSTEM_SHUTDOWN, "the daemon is stopping", null);
    }
  }

  /** On a worker: makes the call and queues its reply (and, for an overlapped call, arranges its completion). */
  private void execute(long id, Opcode op, ServerCalls.Decoded decoded, RequestCharge charge) {
    try {
      if (decoded instanceof ServerCalls.Sync sync) {
        WireWriter reply = new WireWriter();
        sync.call().invoke(api, this::localRequestId, reply);
        tellHaltBeforeReply();
        queueReply(Frame.Kind.REPLY, id, op, reply, charge);
      } else if (decoded instanceof ServerCalls.Overlapped call) {
        PendingIo pending = call.issue().apply(api);
        overlapped.put(id, pending.id());
        WireWriter returned = new WireWriter();
        Codec.writeStatus(returned, pending.status());
        queueReply(Frame.Kind.REPLY, id, op, returned, null);
        // Runs on whichever thread completes the request, often a kernel worker: it only queues.
        pending.completion().whenComplete((result, failure) -> complete(id, op, result, failure, charge));
      }
    } catch (KernelGoneException e) {
      queueError(id, op.code(), NtStatus.STATUS_SYSTEM_SHUTDOWN, e.getMessage(), charge);
    } catch (RuntimeException e) {
      LOG.error("{} of {} failed with an ntio bug", op, who, e);
      queueError(id, op.code(), NtStatus.STATUS_INTERNAL_ERROR, op + " failed inside the daemon", charge);
    } finally {
      running.remove(id);
      callSlots.release();
    }
  }

  private void complete(long id, Opcode op, IoResult result, Throwable failure, RequestCharge answered) {
    overlapped.remove(id);
    if (failure != null || result == null) {
      LOG.error("{} of {} completed with an ntio bug", op, who, failure);
      queueError(id, op.code(), NtStatus.STATUS_INTERNAL_ERROR, op + " failed inside the daemon", answered);
      return;
    }
    WireWriter out = new WireWriter();
    Codec.writeIoResult(out, result);
    queueReply(Frame.Kind.COMPLETION, id, op, out, answered);
  }

  /** The id the process gave the overlapped request that wire request {@code wireId} issued; 0 if none. */
  private long localRequestId(long wireId) {
    Long local = overlapped.get(wireId);
    return local == null ? 0 : local;
  }

  /**
   * Queues a reply. {@code answered}, when not null, is the charge of the request this is the final
   * answer to: it covers the reply's bytes in the queue, and is returned when the writer takes it.
   */
  private void queueReply(Frame.Kind kind, long id, Opcode op, WireWriter payload, RequestCharge answered) {
    if (payload.size() > FrameCodec.MAX_PAYLOAD_BYTES) {
      queueError(id, op.code(), NtStatus.STATUS_BUFFER_OVERFLOW,
          "the result of " + op + " (" + payload.size() + " bytes) does not fit in a frame", answered);
      return;
    }
    queue(new Frame(kind, id, op.code(), payload.toByteArray()), answered);
  }

  /** Tells the client its kernel halted: queues a HALT frame (request id 0) after what is queued; once. */
  void tellHalt(ntio.api.KernelHalt halt) {
    if (!closed.get() && haltTold.compareAndSet(false, true)) {
      queue(ntio.host.wire.HaltFrame.of(halt), null);
    }
  }

  /**
   * A call answered by a halted kernel (the bug check may have been raised on a System worker
   * while the call waited, and its crash handler may still be writing the report): the client is
   * told why before the reply, so that the reply's STATUS_SYSTEM_SHUTDOWN never comes unexplained.
   * Waits at most {@link #HALT_REPORT_WAIT} for the report, on this connection's worker.
   */
  private void tellHaltBeforeReply() {
    if (haltTold.get() || kernel.isRunning()) {
      return;
    }
    try {
      kernel.awaitHaltReason(HALT_REPORT_WAIT).ifPresent(this::tellHalt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Queues an ERROR; {@code answered} as for {@link #queueReply}. */
  private void queueError(long id, int opcode, NtStatus status, String message, RequestCharge answered) {
    WireWriter out = new WireWriter();
    Codec.writeStatus(out, status);
    out.string(message);
    queue(new Frame(Frame.Kind.ERROR, id, opcode, out.toByteArray()), answered);
  }

  /**
   * Queues a frame for the writer; never blocks, never writes. A client whose queue is full is
   * disconnected on another thread.
   */
  private void queue(Frame frame, RequestCharge answered) {
    OutboundQueue.Offer offer = answered == null
        ? outbound.offer(FrameCodec.encode(frame))
        : outbound.offer(FrameCodec.encode(frame), answered.bytes(), answered::release);
    if (offer == OutboundQueue.Offer.OVERFLOWED) {
      LOG.warn("disconnecting {}: it does not read its replies (more than {} bytes or {} frames waiting"
          + " beyond what its quota covers)", who, limits.outboundBytes(), limits.outboundFrames());
      server.disconnectLater(this);
    }
  }

  /** The writer thread: writes queued frames in order until the queue closes, then ends the connection. */
  private void writeReplies() {
    try {
      for (ByteBuffer bytes = outbound.take(); bytes != null; bytes = outbound.take()) {
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
      }
    } catch (IOException e) {
      if (!closed.get()) {
        LOG.debug("cannot answer {}: {}", who, e.getMessage());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      close();
    }
  }

  /** A handshake frame, written by the reader before the writer exists (small: it never blocks long). */
  private void writeDirectly(Frame frame) throws IOException {
    ByteBuffer bytes = FrameCodec.encode(frame);
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  /** Closes the socket only, which never blocks: the threads that use it see it and end the rest. */
  void closeSocket() {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing the socket of {}: {}", who, e.getMessage());
    }
  }

  /**
   * Ends the connection once: closes the socket, drops the replies not yet written (returning their
   * requests' charges), then runs the process down (its pending requests are cancelled, its handles closed).
   * Safe from any thread but a kernel worker's completion callback.
   */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    cancelDeadline();
    closeSocket();
    outbound.close();
    LocalNt nt = api;
    if (nt != null) {
      nt.close();
      LOG.debug("{} run down", who);
    }
    server.forget(this, countedUid);
  }

  /** Requests between arrival and final answer now (tests and diagnostics). */
  int requestsInFlight() {
    return inFlight.get();
  }
}
