package ntio.host.wire;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import ntio.api.AdjustPrivilegesResult;
import ntio.api.DeviceInfo;
import ntio.api.DriverInfo;
import ntio.api.DriverStatistics;
import ntio.api.EntryInfo;
import ntio.api.IoResult;
import ntio.api.KernelGoneException;
import ntio.api.KeyCreateResult;
import ntio.api.KeyInfoResult;
import ntio.api.KeyNameResult;
import ntio.api.LinkTarget;
import ntio.api.Listing;
import ntio.api.LuidAndAttributes;
import ntio.api.NtApi;
import ntio.api.ObjectQuery;
import ntio.api.OpenResult;
import ntio.api.OwnerUsage;
import ntio.api.PendingIo;
import ntio.api.RegExportResult;
import ntio.api.RegImportResult;
import ntio.api.SystemResult;
import ntio.api.TagUsage;
import ntio.api.TokenInfo;
import ntio.api.ValueResult;
import ntio.api.VerifierFinding;
import ntio.api.VerifierSettings;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;

/**
 * {@link NtApi} on a daemon, over its Unix domain socket: each call is one REQUEST frame, answered
 * by a REPLY (or an ERROR carrying a status). The connection is one user-mode process of the
 * daemon's kernel, with the token the daemon gave this client's uid; closing it runs that process
 * down.
 *
 * <p>Thread-safe: any number of threads may call at once, and each waits only for its own reply.
 * An overlapped call returns once the daemon has issued it; its {@link PendingIo#id()} is the wire
 * request id, which {@link #cancelIoFileEx} names it by. When the connection ends (the daemon
 * closed it, or {@link #close()}), every waiting call and every pending completion fails with
 * {@link KernelGoneException}, and so does every later call. A wait ({@link #waitForSingleObject})
 * longer than the daemon's cut ({@link ServerCalls#MAX_WAIT}) is a series of requests, each
 * waiting at most that long.
 */
public final class RemoteNt extends AbstractRemoteNt {

  /* Implementation notes: one reader thread owns the channel's input and completes the future of
   * the request each frame names; writers share the output under writeLock, a whole frame at a
   * time. A call registers its future before it sends and checks `gone` after registering, and
   * the reader sets `gone` before failing what is registered, so no waiter is left behind. The
   * object, event and file-information calls are in AbstractRemoteNt, the handshake in
   * RemoteHandshake, each file holding one concern. */

  /** How long {@link #connect(Path, String)} waits for the daemon's WELCOME. */
  public static final int HANDSHAKE_TIMEOUT_SECONDS = 10;

  private final Path socket;
  private final SocketChannel channel;
  private final Handshake.Welcome welcome;
  private final Object writeLock = new Object();
  private final AtomicLong nextRequestId = new AtomicLong(1);
  private final Map<Long, Waiter<?>> replies = new ConcurrentHashMap<>();
  private final Map<Long, CompletableFuture<IoResult>> completions = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile KernelGoneException gone;

  private RemoteNt(Path socket, SocketChannel channel, Handshake.Welcome welcome) {
    this.socket = socket;
    this.channel = channel;
    this.welcome = welcome;
  }

  /** Connects as a process named {@code ntio}. See {@link #connect(Path, String)}. */
  public static RemoteNt connect(Path socket) throws IOException {
    return connect(socket, "ntio");
  }

  /**
   * Connects to the daemon listening on {@code socket} and makes the handshake.
   *
   * @param processName the name the client's process gets in the kernel (at most {@value
   *     Handshake#MAX_PROCESS_NAME} characters)
   * @throws ConnectException if nothing listens there (no socket file, or a stale one)
   * @throws IOException if the handshake fails: the peer is not an ntio daemon, or speaks another
   *     protocol version
   */
  public static RemoteNt connect(Path socket, String processName) throws IOException {
    return connect(socket, processName, java.time.Duration.ofSeconds(HANDSHAKE_TIMEOUT_SECONDS));
  }

  /**
   * As {@link #connect(Path, String)}, waiting at most {@code handshakeTimeout} for the daemon's
   * answer to the handshake.
   */
  public static RemoteNt connect(Path socket, String processName, java.time.Duration handshakeTimeout)
      throws IOException {
    SocketChannel channel;
    try {
      channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      ConnectException refused = new ConnectException(
          "no ntio daemon listens on " + socket + " (" + e.getMessage() + ")");
      refused.initCause(e);
      throw refused;
    }
    Handshake.Welcome welcome = RemoteHandshake.perform(socket, channel, processName, handshakeTimeout);
    RemoteNt nt = new RemoteNt(socket, channel, welcome);
    Thread reader = new Thread(nt::readReplies, "ntio-remote-" + welcome.processId());
    reader.setDaemon(true);
    reader.start();
    return nt;
  }

  /** The socket this client is connected to. */
  public Path socket() {
    return socket;
  }

  /** The id of this client's process in the daemon's kernel. */
  public int processId() {
    return welcome.processId();
  }

  /** The protocol version the daemon speaks. */
  public int serverVersion() {
    return welcome.version();
  }

  /** Whether the connection is still up. */
  public boolean isConnected() {
    return gone == null;
  }

  // The calls ------------------------------------------------------------------------------------

  @Override
  public Path stateDirectory() {
    return Path.of(welcome.stateDirectory());
  }

  @Override
  public TokenInfo queryToken() {
    return call(Opcode.QUERY_TOKEN, out -> {}, Codec::readTokenInfo, status -> {
      throw new IllegalStateException("the daemon refused NtQueryInformationToken: " + status);
    });
  }

  @Override
  public AdjustPrivilegesResult adjustPrivileges(List<LuidAndAttributes> newState) {
    return call(Opcode.ADJUST_PRIVILEGES, out -> out.list(newState, Codec::writeLuidAndAttributes),
        Codec::readAdjustPrivilegesResult, status -> new AdjustPrivilegesResult(status, List.of()));
  }

  @Override
  public NtStatus close(Handle handle) {
    return call(Opcode.CLOSE, out -> Codec.writeHandle(out, handle), Codec::readStatus, status -> status);
  }

  @Override
  public OpenResult openDirectoryObject(int desiredAccess, ObjectAttributes attributes) {
    return open(Opcode.OPEN_DIRECTORY_OBJECT, desiredAccess, attributes);
  }

  @Override
  public Listing queryDirectoryObject(Handle directory) {
    return call(Opcode.QUERY_DIRECTORY_OBJECT, out -> Codec.writeHandle(out, directory), Codec::readListing,
        status -> new Listing(status, List.of()));
  }

  @Override
  public EntryInfo queryDirectoryEntry(Handle directory, String name) {
    return call(Opcode.QUERY_DIRECTORY_ENTRY, out -> {
      Codec.writeHandle(out, directory);
      out.string(name);
    }, Codec::readEntryInfo, status -> new EntryInfo(status, null));
  }

  @Override
  public ObjectQuery queryObject(Handle handle) {
    return call(Opcode.QUERY_OBJECT, out -> Codec.writeHandle(out, handle), Codec::readObjectQuery,
        ObjectQuery::failed);
  }

  @Override
  public OpenResult openSymbolicLinkObject(int desiredAccess, ObjectAttributes attributes) {
    return open(Opcode.OPEN_SYMBOLIC_LINK_OBJECT, desiredAccess, attributes);
  }

  @Override
  public LinkTarget querySymbolicLinkObject(Handle link) {
    return call(Opcode.QUERY_SYMBOLIC_LINK_OBJECT, out -> Codec.writeHandle(out, link), Codec::readLinkTarget,
        status -> new LinkTarget(status, null));
  }

  @Override
  public KeyCreateResult createKey(int desiredAccess, ObjectAttributes attributes, int createOptions) {
    return call(Opcode.CREATE_KEY, out -> {
      out.i32(desiredAccess);
      Codec.writeObjectAttributes(out, attributes);
      out.i32(createOptions);
    }, Codec::readCreateResult, status -> new KeyCreateResult(status, Handle.NULL, 0));
  }

  @Override
  public OpenResult openKey(int desiredAccess, ObjectAttributes attributes) {
    return open(Opcode.OPEN_KEY, desiredAccess, attributes);
  }

  @Override
  public NtStatus deleteKey(Handle key) {
    return status(Opcode.DELETE_KEY, out -> Codec.writeHandle(out, key));
  }

  @Override
  public NtStatus setValueKey(Handle key, UnicodeString valueName, int type, byte[] data) {
    return status(Opcode.SET_VALUE_KEY, out -> {
      Codec.writeHandle(out, key);
      Codec.writeUnicodeString(out, valueName);
      out.i32(type).bytes(data);
    });
  }

  @Override
  public ValueResult queryValueKey(Handle key, UnicodeString valueName) {
    return call(Opcode.QUERY_VALUE_KEY, out -> {
      Codec.writeHandle(out, key);
      Codec.writeUnicodeString(out, valueName);
    }, Codec::readValueResult, status -> new ValueResult(status, null));
  }

  @Override
  public NtStatus deleteValueKey(Handle key, UnicodeString valueName) {
    return status(Opcode.DELETE_VALUE_KEY, out -> {
      Codec.writeHandle(out, key);
      Codec.writeUnicodeString(out, valueName);
    });
  }

  @Override
  public KeyNameResult enumerateKey(Handle key, int index) {
    return call(Opcode.ENUMERATE_KEY, out -> Codec.writeHandle(out, key).i32(index), Codec::readNameResult,
        status -> new KeyNameResult(status, null));
  }

  @Override
  public ValueResult enumerateValueKey(Handle key, int index) {
    return call(Opcode.ENUMERATE_VALUE_KEY, out -> Codec.writeHandle(out, key).i32(index),
        Codec::readValueResult, status -> new ValueResult(status, null));
  }

  @Override
  public KeyInfoResult queryKey(Handle key) {
    return call(Opcode.QUERY_KEY, out -> Codec.writeHandle(out, key), Codec::readKeyInfoResult,
        status -> new KeyInfoResult(status, null));
  }

  @Override
  public NtStatus flushKey(Handle key) {
    return status(Opcode.FLUSH_KEY, out -> Codec.writeHandle(out, key));
  }

  @Override
  public RegExportResult exportKey(String keyPath) {
    return call(Opcode.EXPORT_KEY, out -> out.string(keyPath), Codec::readExportResult,
        status -> new RegExportResult(status, "", "the daemon refused the request: " + status));
  }

  @Override
  public RegImportResult importRegFile(byte[] file) {
    return call(Opcode.IMPORT_REG_FILE, out -> out.bytes(file), Codec::readImportResult,
        status -> new RegImportResult(status, 0, "the daemon refused the request: " + status));
  }

  @Override
  public NtStatus loadDriver(UnicodeString serviceKey) {
    return status(Opcode.LOAD_DRIVER, out -> Codec.writeUnicodeString(out, serviceKey));
  }

  @Override
  public NtStatus unloadDriver(UnicodeString serviceKey) {
    return status(Opcode.UNLOAD_DRIVER, out -> Codec.writeUnicodeString(out, serviceKey));
  }

  @Override
  public OpenResult createFile(int desiredAccess, ObjectAttributes attributes, int shareAccess, int createOptions) {
    return call(Opcode.CREATE_FILE, out -> {
      out.i32(desiredAccess);
      Codec.writeObjectAttributes(out, attributes);
      out.i32(shareAccess).i32(createOptions);
    }, Codec::readOpenResult, status -> new OpenResult(status, Handle.NULL));
  }

  @Override
  public IoResult readFile(Handle file, int length, long byteOffset) {
    return call(Opcode.READ_FILE, out -> Codec.writeHandle(out, file).i32(length).i64(byteOffset),
        Codec::readIoResult, RemoteNt::failedIo);
  }

  @Override
  public IoResult writeFile(Handle file, byte[] data, long byteOffset) {
    return call(Opcode.WRITE_FILE, out -> Codec.writeHandle(out, file).bytes(data).i64(byteOffset),
        Codec::readIoResult, RemoteNt::failedIo);
  }

  @Override
  public IoResult deviceIoControlFile(Handle file, int ioControlCode, byte[] input, int outputLength) {
    return call(Opcode.DEVICE_IO_CONTROL_FILE,
        out -> Codec.writeHandle(out, file).i32(ioControlCode).bytes(input).i32(outputLength),
        Codec::readIoResult, RemoteNt::failedIo);
  }

  @Override
  public PendingIo readFileAsync(Handle file, int length, long byteOffset) {
    return overlapped(Opcode.READ_FILE_ASYNC, out -> Codec.writeHandle(out, file).i32(length).i64(byteOffset));
  }

  @Override
  public PendingIo writeFileAsync(Handle file, byte[] data, long byteOffset) {
    return overlapped(Opcode.WRITE_FILE_ASYNC, out -> Codec.writeHandle(out, file).bytes(data).i64(byteOffset));
  }

  @Override
  public PendingIo deviceIoControlFileAsync(Handle file, int ioControlCode, byte[] input, int outputLength) {
    return overlapped(Opcode.DEVICE_IO_CONTROL_FILE_ASYNC,
        out -> Codec.writeHandle(out, file).i32(ioControlCode).bytes(input).i32(outputLength));
  }

  @Override
  public NtStatus cancelIoFile(Handle file) {
    return status(Opcode.CANCEL_IO_FILE, out -> Codec.writeHandle(out, file));
  }

  @Override
  public NtStatus cancelIoFileEx(Handle file, long requestId) {
    return status(Opcode.CANCEL_IO_FILE_EX, out -> Codec.writeHandle(out, file).i64(requestId));
  }

  @Override
  public NtStatus flushBuffersFile(Handle file) {
    return status(Opcode.FLUSH_BUFFERS_FILE, out -> Codec.writeHandle(out, file));
  }

  @Override
  public SystemResult<DriverInfo> queryDrivers() {
    return system(Opcode.QUERY_DRIVERS, out -> {}, 31, Codec::readDriverInfo);
  }

  @Override
  public SystemResult<DeviceInfo> queryDevice(String devicePath) {
    return system(Opcode.QUERY_DEVICE, out -> out.string(devicePath), 44, Codec::readDeviceInfo);
  }

  @Override
  public SystemResult<TagUsage> queryPoolTags() {
    return system(Opcode.QUERY_POOL_TAGS, out -> {}, 40, Codec::readTagUsage);
  }

  @Override
  public SystemResult<OwnerUsage> queryPoolOwners() {
    return system(Opcode.QUERY_POOL_OWNERS, out -> {}, 40, Codec::readOwnerUsage);
  }

  @Override
  public SystemResult<VerifierSettings> queryVerifierSettings() {
    return system(Opcode.QUERY_VERIFIER_SETTINGS, out -> {}, 37, Codec::readVerifierSettings);
  }

  @Override
  public NtStatus setVerifierVolatileSettings(VerifierSettings settings) {
    return status(Opcode.SET_VERIFIER_VOLATILE_SETTINGS, out -> Codec.writeVerifierSettings(out, settings));
  }

  @Override
  public SystemResult<DriverStatistics> queryVerifierStatistics() {
    return system(Opcode.QUERY_VERIFIER_STATISTICS, out -> {}, 61, Codec::readDriverStatistics);
  }

  @Override
  public SystemResult<VerifierFinding> queryVerifierFindings() {
    return system(Opcode.QUERY_VERIFIER_FINDINGS, out -> {}, 24, Codec::readVerifierFinding);
  }

  /**
   * Closes the connection: the daemon runs this client's process down (its pending requests are
   * cancelled, its handles closed). Calls still waiting, and pending completions, fail with
   * {@link KernelGoneException}. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      disconnect(new KernelGoneException("this client closed its connection to " + socket));
    }
  }

  // The machinery --------------------------------------------------------------------------------

  /** One request waiting for its reply: how to read the reply, and what a refusal means. */
  private record Waiter<R>(CompletableFuture<R> future, Function<WireReader, R> decode,
      Function<NtStatus, R> failed) {

    void reply(byte[] payload) {
      WireReader in = new WireReader(payload);
      R result = decode.apply(in);
      in.expectEnd();
      future.complete(result);
    }

    void refuse(NtStatus status) {
      try {
        future.complete(failed.apply(status));
      } catch (RuntimeException e) {
        future.completeExceptionally(e);
      }
    }
  }

  private <T> SystemResult<T> system(Opcode op, Consumer<WireWriter> arguments, int minRowBytes,
      Function<WireReader, T> row) {
    return call(op, arguments, in -> Codec.readSystemResult(in, minRowBytes, row), SystemResult::failed);
  }

  @Override
  <R> R call(Opcode op, Consumer<WireWriter> arguments, Function<WireReader, R> decode,
      Function<NtStatus, R> failed) {
    return send(nextRequestId.getAndIncrement(), op, arguments, decode, failed);
  }

  private <R> R send(long id, Opcode op, Consumer<WireWriter> arguments, Function<WireReader, R> decode,
      Function<NtStatus, R> failed) {
    WireWriter payload = new WireWriter();
    arguments.accept(payload);
    if (payload.size() > FrameCodec.MAX_PAYLOAD_BYTES) {
      // The request cannot travel: it is refused here as the daemon would refuse it.
      return failed.apply(NtStatus.STATUS_INVALID_PARAMETER);
    }
    Waiter<R> waiter = new Waiter<>(new CompletableFuture<>(), decode, failed);
    replies.put(id, waiter);
    KernelGoneException ended = gone;
    if (ended != null) {
      replies.remove(id);
      throw new KernelGoneException(ended.getMessage(), ended);
    }
    try {
      synchronized (writeLock) {
        write(channel, new Frame(Frame.Kind.REQUEST, id, op.code(), payload.toByteArray()));
      }
    } catch (IOException e) {
      disconnect(new KernelGoneException("the connection to " + socket + " failed: " + e.getMessage(), e));
    }
    try {
      return waiter.future().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof KernelGoneException g) {
        throw new KernelGoneException(g.getMessage(), g);
      }
      throw e;
    }
  }

  private PendingIo overlapped(Opcode op, Consumer<WireWriter> arguments) {
    long id = nextRequestId.getAndIncrement();
    CompletableFuture<IoResult> completion = new CompletableFuture<>();
    completions.put(id, completion);
    // The REPLY carries what the system service returned. A refusal of the request (an ERROR
    // frame, or one too large to send) is its completion, and what the call returned.
    NtStatus returned = send(id, op, arguments, Codec::readStatus, status -> {
      completions.remove(id);
      completion.complete(failedIo(status));
      return status;
    });
    return new PendingIo(id, returned, completion);
  }

  /** Writes a whole frame. */
  static void write(SocketChannel channel, Frame frame) throws IOException {
    ByteBuffer bytes = FrameCodec.encode(frame);
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  /** The reader thread: completes the request each frame names, until the connection ends. */
  private void readReplies() {
    KernelGoneException ending;
    try {
      while (true) {
        Frame frame = FrameCodec.read(channel);
        if (frame == null) {
          ending = new KernelGoneException("the ntio daemon at " + socket + " closed the connection");
          break;
        }
        dispatch(frame);
      }
    } catch (WireException e) {
      ending = new KernelGoneException("the ntio daemon at " + socket + " sent a malformed frame: "
          + e.getMessage(), e);
    } catch (IOException e) {
      ending = new KernelGoneException("the connection to the ntio daemon at " + socket + " ended: "
          + e.getMessage(), e);
    }
    disconnect(ending);
  }

  private void dispatch(Frame frame) {
    switch (frame.kind()) {
      case REPLY -> {
        Waiter<?> waiter = replies.remove(frame.requestId());
        if (waiter != null) {
          try {
            waiter.reply(frame.payload());
          } catch (RuntimeException e) {
            WireException malformed = new WireException("reply to " + Opcode.of(frame.opcode())
                .map(Opcode::name).orElse("opcode " + frame.opcode()) + ": " + e.getMessage(), e);
            waiter.future().completeExceptionally(
                new KernelGoneException("the ntio daemon sent a malformed reply", malformed));
            throw malformed;
          }
        }
      }
      case ERROR -> {
        WireReader in = frame.reader();
        NtStatus status = Codec.readStatus(in);
        Waiter<?> waiter = replies.remove(frame.requestId());
        if (waiter != null) {
          waiter.refuse(status);
        } else {
          CompletableFuture<IoResult> completion = completions.remove(frame.requestId());
          if (completion != null) {
            completion.complete(failedIo(status));
          }
        }
      }
      case COMPLETION -> {
        WireReader in = frame.reader();
        IoResult result = Codec.readIoResult(in);
        in.expectEnd();
        CompletableFuture<IoResult> completion = completions.remove(frame.requestId());
        if (completion != null) {
          completion.complete(result);
        }
      }
      case HALT -> noteHalt(HaltFrame.read(frame));
      case HELLO, WELCOME, REQUEST -> throw new WireException("a daemon does not send " + frame.kind());
    }
  }

  /** Ends the connection once: later calls and everything waiting fail with {@code reason}. */
  private void disconnect(KernelGoneException ending) {
    // After a HALT the kernel's bug check is why the daemon closed: say it first.
    KernelGoneException reason = kernelHalt().filter(halt -> !closed.get())
        .map(halt -> new KernelGoneException(halt.line() + " (" + ending.getMessage() + ")", ending))
        .orElse(ending);
    synchronized (this) {
      if (gone != null) {
        return;
      }
      gone = reason;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // Closing is all that is left to do; the reason already says why.
    }
    for (Long id : new ArrayList<>(replies.keySet())) {
      Waiter<?> waiter = replies.remove(id);
      if (waiter != null) {
        waiter.future().completeExceptionally(reason);
      }
    }
    for (Long id : new ArrayList<>(completions.keySet())) {
      CompletableFuture<IoResult> completion = completions.remove(id);
      if (completion != null) {
        completion.completeExceptionally(reason);
      }
    }
  }
}
