package ntio.host.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import ntio.ddk.NtStatus;
import ntio.ddk.ProcessorMode;
import ntio.host.api.KernelGoneException;
import ntio.host.api.LocalNt;
import ntio.host.api.PendingIo;
import ntio.host.wire.Codec;
import ntio.host.wire.Frame;
import ntio.host.wire.FrameCodec;
import ntio.host.wire.Handshake;
import ntio.host.wire.Opcode;
import ntio.host.wire.ServerCalls;
import ntio.host.wire.WireException;
import ntio.host.wire.WireWriter;
import ntio.kernel.Kernel;
import ntio.kernel.io.Requests.IoResult;
import ntio.kernel.process.KProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of the daemon: one socket connection, one user-mode process of the kernel. Its own
 * thread reads frames; each request runs on the server's worker pool, so that a call that blocks
 * (a synchronous read of an empty device) does not stop this connection from reading the next
 * request — a cancel, or the write that satisfies the read.
 *
 * <p>Lifecycle: handshake, then requests until end of stream, a read error or a malformed frame;
 * then {@link #close()} closes the socket and runs the process down, which cancels its pending
 * requests and closes its handles (and so lets a deferred unload it held up finish).
 */
final class ClientConnection {

  /* Implementation notes: replies are written by whichever thread finishes a call, one whole
   * frame at a time under writeLock. A request id stays in `running` from the moment it is read
   * until its reply is sent, and an overlapped request's id stays in `overlapped` from its issue
   * to its completion: a second request with an id in either is refused, which keeps the mapping
   * from wire ids to the process's own overlapped request ids one-to-one. */

  /** How many of one connection's calls may run at once; beyond, a request is refused. */
  static final int MAX_CALLS_IN_FLIGHT = 64;

  private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

  private final SocketServer server;
  private final Kernel kernel;
  private final ClientPolicy policy;
  private final SocketChannel channel;
  private final ExecutorService workers;
  private final Object writeLock = new Object();
  private final Semaphore callSlots = new Semaphore(MAX_CALLS_IN_FLIGHT);
  private final Set<Long> running = ConcurrentHashMap.newKeySet();
  private final Map<Long, Long> overlapped = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile LocalNt api;
  private volatile String who = "an unidentified client";

  ClientConnection(SocketServer server, Kernel kernel, ClientPolicy policy, SocketChannel channel,
      ExecutorService workers) {
    this.server = server;
    this.kernel = kernel;
    this.policy = policy;
    this.channel = channel;
    this.workers = workers;
  }

  /** The connection's reader loop; returns when the connection is over, after {@link #close()}. */
  void run() {
    try {
      if (handshake()) {
        serve();
      }
    } catch (WireException e) {
      LOG.warn("closing the connection of {}: malformed frame: {}", who, e.getMessage());
    } catch (IOException e) {
      if (!closed.get()) {
        LOG.info("the connection of {} failed: {}", who, e.getMessage());
      }
    } catch (RuntimeException e) {
      LOG.error("closing the connection of {} after an ntio bug", who, e);
    } finally {
      close();
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
    Frame first = FrameCodec.read(channel);
    if (first == null) {
      return false;
    }
    Handshake.Hello hello = Handshake.Hello.from(first);
    if (hello.version() != Handshake.VERSION) {
      LOG.info("refusing {}: it speaks protocol version {}, the daemon {}", who, hello.version(), Handshake.VERSION);
      send(new Handshake.Welcome(Handshake.VERSION, NtStatus.STATUS_REVISION_MISMATCH, 0, "").toFrame());
      return false;
    }
    if (!kernel.isRunning()) {
      send(new Handshake.Welcome(Handshake.VERSION, NtStatus.STATUS_SYSTEM_SHUTDOWN, 0, "").toFrame());
      return false;
    }
    String name = hello.processName().isBlank() ? "client" : hello.processName();
    KProcess process = policy.createProcess(kernel, peer, name);
    api = new LocalNt(kernel, process.thread(ProcessorMode.USER));
    who = "process " + process.id() + " (" + name + ", uid " + peer.uid() + ")";
    if (closed.get()) {
      // The server closed while the process was being made: run it down at once.
      api.close();
      return false;
    }
    LOG.info("connected: {}, {} token", who, policy.isAdministrator(peer) ? "administrator" : "standard user");
    send(new Handshake.Welcome(Handshake.VERSION, NtStatus.STATUS_SUCCESS, process.id(),
        kernel.stateDirectory().toAbsolutePath().toString()).toFrame());
    return true;
  }

  private void serve() throws IOException {
    while (true) {
      Frame frame = FrameCodec.read(channel);
      if (frame == null) {
        LOG.info("{} disconnected", who);
        return;
      }
      if (frame.kind() != Frame.Kind.REQUEST) {
        throw new WireException("a client does not send " + frame.kind());
      }
      accept(frame);
    }
  }

  /** Decodes one request and hands it to a worker, or refuses it with an ERROR frame. */
  private void accept(Frame frame) throws IOException {
    long id = frame.requestId();
    Opcode op = Opcode.of(frame.opcode()).orElse(null);
    if (op == null) {
      sendError(id, frame.opcode(), NtStatus.STATUS_INVALID_SYSTEM_SERVICE, "unknown opcode " + frame.opcode());
      return;
    }
    ServerCalls.Decoded decoded;
    try {
      decoded = ServerCalls.decode(op, frame.payload());
    } catch (WireException e) {
      sendError(id, op.code(), NtStatus.STATUS_INVALID_PARAMETER, "malformed " + op + " request: " + e.getMessage());
      return;
    }
    if (overlapped.containsKey(id) || !running.add(id)) {
      sendError(id, op.code(), NtStatus.STATUS_INVALID_PARAMETER, "request id " + id + " is already in use");
      return;
    }
    if (!callSlots.tryAcquire()) {
      running.remove(id);
      sendError(id, op.code(), NtStatus.STATUS_INSUFFICIENT_RESOURCES,
          "more than " + MAX_CALLS_IN_FLIGHT + " calls in flight");
      return;
    }
    try {
      workers.execute(() -> execute(id, op, decoded));
    } catch (RejectedExecutionException e) {
      running.remove(id);
      callSlots.release();
      sendError(id, op.code(), NtStatus.STATUS_SYSTEM_SHUTDOWN, "the daemon is stopping");
    }
  }

  /** On a worker: makes the call and sends its reply (and, for an overlapped call, arranges its completion). */
  private void execute(long id, Opcode op, ServerCalls.Decoded decoded) {
    try {
      if (decoded instanceof ServerCalls.Sync sync) {
        WireWriter reply = new WireWriter();
        sync.call().invoke(api, this::localRequestId, reply);
        sendReply(Frame.Kind.REPLY, id, op, reply);
      } else if (decoded instanceof ServerCalls.Overlapped call) {
        PendingIo pending = call.issue().apply(api);
        overlapped.put(id, pending.id());
        sendReply(Frame.Kind.REPLY, id, op, new WireWriter());
        pending.completion().whenComplete((result, failure) -> complete(id, op, result, failure));
      }
    } catch (KernelGoneException e) {
      trySendError(id, op.code(), NtStatus.STATUS_SYSTEM_SHUTDOWN, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("{} of {} failed with an ntio bug", op, who, e);
      trySendError(id, op.code(), NtStatus.STATUS_INTERNAL_ERROR, op + " failed inside the daemon");
    } finally {
      running.remove(id);
      callSlots.release();
    }
  }

  private void complete(long id, Opcode op, IoResult result, Throwable failure) {
    overlapped.remove(id);
    if (failure != null || result == null) {
      LOG.error("{} of {} completed with an ntio bug", op, who, failure);
      trySendError(id, op.code(), NtStatus.STATUS_INTERNAL_ERROR, op + " failed inside the daemon");
      return;
    }
    WireWriter out = new WireWriter();
    Codec.writeIoResult(out, result);
    sendReply(Frame.Kind.COMPLETION, id, op, out);
  }

  /** The id the process gave the overlapped request that wire request {@code wireId} issued; 0 if none. */
  private long localRequestId(long wireId) {
    Long local = overlapped.get(wireId);
    return local == null ? 0 : local;
  }

  private void sendReply(Frame.Kind kind, long id, Opcode op, WireWriter payload) {
    if (payload.size() > FrameCodec.MAX_PAYLOAD_BYTES) {
      trySendError(id, op.code(), NtStatus.STATUS_BUFFER_OVERFLOW,
          "the result of " + op + " (" + payload.size() + " bytes) does not fit in a frame");
      return;
    }
    try {
      send(new Frame(kind, id, op.code(), payload.toByteArray()));
    } catch (IOException e) {
      onSendFailure(e);
    }
  }

  private void trySendError(long id, int opcode, NtStatus status, String message) {
    try {
      sendError(id, opcode, status, message);
    } catch (IOException e) {
      onSendFailure(e);
    }
  }

  private void sendError(long id, int opcode, NtStatus status, String message) throws IOException {
    WireWriter out = new WireWriter();
    Codec.writeStatus(out, status);
    out.string(message);
    send(new Frame(Frame.Kind.ERROR, id, opcode, out.toByteArray()));
  }

  private void send(Frame frame) throws IOException {
    ByteBuffer bytes = FrameCodec.encode(frame);
    synchronized (writeLock) {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }
  }

  /** A reply that cannot be written: the client is gone, and the reader will see it too. */
  private void onSendFailure(IOException e) {
    if (!closed.get()) {
      LOG.debug("cannot answer {}: {}", who, e.getMessage());
      close();
    }
  }

  /**
   * Ends the connection once: closes the socket, then runs the process down (its pending requests
   * are cancelled, its handles closed). Safe from any thread.
   */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing the socket of {}: {}", who, e.getMessage());
    }
    LocalNt process = api;
    if (process != null) {
      process.close();
      LOG.info("{} run down", who);
    }
    server.forget(this);
  }
}
