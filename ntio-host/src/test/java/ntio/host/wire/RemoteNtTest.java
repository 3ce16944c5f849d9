package ntio.host.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import ntio.api.FaultSettings;
import ntio.api.IoResult;
import ntio.api.KernelGoneException;
import ntio.api.KeyCreateResult;
import ntio.api.KeyNameResult;
import ntio.api.Listing;
import ntio.api.NtApi;
import ntio.api.OpenResult;
import ntio.api.PendingIo;
import ntio.api.Privilege;
import ntio.api.RegExportResult;
import ntio.api.TokenInfo;
import ntio.api.ValueResult;
import ntio.api.VerifierSettings;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.drivers.echo.EchoIoctl;
import ntio.kernel.LocalNt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteNtTest {

  private static final String TEST_KEY = "\\Registry\\Machine\\Software\\WireTest";

  @TempDir Path directory;
  private Parity parity;
  private TestDaemon daemon;
  private RemoteNt remote;
  private LocalNt local;

  @BeforeEach
  void start() throws IOException {
    parity = Parity.start(directory);
    daemon = parity.daemon;
    remote = parity.remote;
    local = parity.local;
  }

  @AfterEach
  void stop() {
    parity.close();
  }

  @Test
  void stateDirectoryAndProcessAreTheDaemonsKernels() {
    assertThat(remote.stateDirectory()).isEqualTo(daemon.kernel().stateDirectory().toAbsolutePath());
    TokenInfo token = remote.queryToken();
    assertThat(token.processId()).isEqualTo(remote.processId());
    assertThat(token.processName()).isEqualTo("test");
    assertThat(token.userSid()).isEqualTo("S-1-22-1-0");
    assertThat(token.elevated()).isTrue();
    assertThat(token.privileges()).isEqualTo(local.queryToken().privileges());
  }

  @Test
  void privilegesAreAdjustedInTheClientsOwnToken() {
    var adjusted = remote.adjustPrivileges(
        List.of(ntio.api.LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE)));
    assertThat(adjusted).isEqualTo(local.adjustPrivileges(
        List.of(ntio.api.LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE))));
    assertThat(remote.queryToken().privileges()).filteredOn(p -> p.name().equals("SeLoadDriverPrivilege"))
        .singleElement().matches(TokenInfo.Privilege::enabled);
  }

  @Test
  void anExportLargerThanOneReplyIsBufferTooSmallAndTheConnectionGoesOn() {
    KeyCreateResult created = local.createKey(AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(TEST_KEY), 0);
    assertThat(created.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    // 400 KB of data is 1.2 million characters of hex: more than one reply carries.
    assertThat(local.setValueKey(created.handle(), UnicodeString.of("Big"), RegType.REG_BINARY,
        new byte[400_000])).isEqualTo(NtStatus.STATUS_SUCCESS);

    RegExportResult exported = remote.exportKey(TEST_KEY);

    assertThat(exported.status()).isEqualTo(NtStatus.STATUS_BUFFER_TOO_SMALL);
    assertThat(exported.message()).contains("more than the " + Codec.MAX_EXPORT_CHARS);
    assertThat(local.exportKey(TEST_KEY).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(remote.openKey(AccessMask.KEY_READ, ObjectAttributes.of(TEST_KEY)).status())
        .isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void registryCallsGiveTheSameResultsRemoteAsLocal() {
    KeyCreateResult created = remote.createKey(AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(TEST_KEY), 0);
    assertThat(created.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    Handle key = created.handle();
    RegValue dword = RegValue.dword("Answer", 42);
    RegValue multi = RegValue.multiString("Names", List.of("a", "b"));
    for (RegValue v : List.of(dword, multi)) {
      assertThat(remote.setValueKey(key, UnicodeString.of(v.name()), v.type(), v.data()))
          .isEqualTo(NtStatus.STATUS_SUCCESS);
    }
    assertThat(remote.createKey(AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(TEST_KEY + "\\Sub"), 0).status())
        .isEqualTo(NtStatus.STATUS_SUCCESS);

    OpenResult opened = local.openKey(AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(TEST_KEY));
    Handle localKey = opened.handle();
    assertThat(remote.queryValueKey(key, UnicodeString.of("Answer")))
        .isEqualTo(local.queryValueKey(localKey, UnicodeString.of("Answer")))
        .isEqualTo(new ValueResult(NtStatus.STATUS_SUCCESS, dword));
    assertThat(remote.queryValueKey(key, UnicodeString.of("Missing")))
        .isEqualTo(local.queryValueKey(localKey, UnicodeString.of("Missing")));
    assertThat(remote.enumerateValueKey(key, 1)).isEqualTo(local.enumerateValueKey(localKey, 1));
    assertThat(remote.enumerateValueKey(key, 9)).isEqualTo(local.enumerateValueKey(localKey, 9));
    assertThat(remote.enumerateKey(key, 0)).isEqualTo(local.enumerateKey(localKey, 0))
        .isEqualTo(new KeyNameResult(NtStatus.STATUS_SUCCESS, "Sub"));
    assertThat(remote.enumerateKey(key, 1)).isEqualTo(local.enumerateKey(localKey, 1));
    assertThat(remote.queryKey(key)).isEqualTo(local.queryKey(localKey));
    assertThat(remote.flushKey(key)).isEqualTo(local.flushKey(localKey));
    assertThat(remote.exportKey(TEST_KEY)).isEqualTo(local.exportKey(TEST_KEY));
    assertThat(remote.exportKey("\\Registry\\Nowhere")).isEqualTo(local.exportKey("\\Registry\\Nowhere"));
    assertThat(remote.deleteValueKey(key, UnicodeString.of("Answer"))).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(remote.deleteValueKey(key, UnicodeString.of("Answer")))
        .isEqualTo(local.deleteValueKey(localKey, UnicodeString.of("Answer")));

    String reg = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\Software\\WireTest\\Imported]\r\n"
        + "\"Text\"=\"hello\"\r\n";
    assertThat(remote.importRegFile(reg.getBytes(StandardCharsets.UTF_16LE)))
        .isEqualTo(local.importRegFile(reg.getBytes(StandardCharsets.UTF_16LE)));
    assertThat(remote.importRegFile("garbage".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(local.importRegFile("garbage".getBytes(StandardCharsets.UTF_8)));

    OpenResult sub = remote.openKey(AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(TEST_KEY + "\\Sub"));
    assertThat(remote.deleteKey(sub.handle())).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(remote.close(sub.handle())).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(remote.close(sub.handle())).isEqualTo(local.close(sub.handle())).isEqualTo(NtStatus.STATUS_INVALID_HANDLE);
    assertThat(remote.close(key)).isEqualTo(NtStatus.STATUS_SUCCESS);
    local.close(localKey);
  }

  @Test
  void directoryListingAndSymbolicLinksAreTheSameRemoteAsLocal() {
    OpenResult remoteRoot = remote.openDirectoryObject(AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\"));
    OpenResult localRoot = local.openDirectoryObject(AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\"));
    assertThat(remoteRoot.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    Listing listing = remote.queryDirectoryObject(remoteRoot.handle());
    assertThat(listing).isEqualTo(local.queryDirectoryObject(localRoot.handle()));
    assertThat(listing.entries()).extracting(e -> e.name()).contains("Device", "Driver");
    assertThat(remote.queryDirectoryEntry(remoteRoot.handle(), "Device"))
        .isEqualTo(local.queryDirectoryEntry(localRoot.handle(), "Device"));
    assertThat(remote.queryDirectoryEntry(remoteRoot.handle(), "NoSuch"))
        .isEqualTo(local.queryDirectoryEntry(localRoot.handle(), "NoSuch"));
    assertThat(remote.queryObject(remoteRoot.handle()).info().typeName()).isEqualTo("Directory");
    assertThat(remote.queryObject(new Handle(0x7FF0))).isEqualTo(local.queryObject(new Handle(0x7FF0)));
    assertThat(remote.queryDirectoryObject(new Handle(0x7FF0))).isEqualTo(local.queryDirectoryObject(new Handle(0x7FF0)));

    OpenResult remoteLinks = remote.openDirectoryObject(AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\??"));
    Listing links = remote.queryDirectoryObject(remoteLinks.handle());
    assertThat(links.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    var link = links.entries().stream().filter(e -> e.linkTarget() != null && !e.linkTarget().isEmpty()).findFirst();
    if (link.isPresent()) {
      OpenResult r = remote.openSymbolicLinkObject(AccessMask.GENERIC_READ, ObjectAttributes.of("\\??\\" + link.get().name()));
      OpenResult l = local.openSymbolicLinkObject(AccessMask.GENERIC_READ, ObjectAttributes.of("\\??\\" + link.get().name()));
      assertThat(r.status()).isEqualTo(l.status());
      assertThat(remote.querySymbolicLinkObject(r.handle())).isEqualTo(local.querySymbolicLinkObject(l.handle()));
    }
    assertThat(remote.openSymbolicLinkObject(AccessMask.GENERIC_READ, ObjectAttributes.of("\\??\\NoSuchLink")))
        .isEqualTo(local.openSymbolicLinkObject(AccessMask.GENERIC_READ, ObjectAttributes.of("\\??\\NoSuchLink")));
    assertThat(remote.querySymbolicLinkObject(new Handle(0x7FF0)))
        .isEqualTo(local.querySymbolicLinkObject(new Handle(0x7FF0)));
  }

  @Test
  void aSampleDriverLoadsAndUnloadsThroughTheSocket() {
    daemon.loadSample(remote, "Echo");
    assertThat(remote.queryDrivers()).isEqualTo(local.queryDrivers());
    assertThat(remote.queryDrivers().rows()).extracting(d -> d.name()).contains("\\Driver\\Echo");
    assertThat(remote.queryDevice("\\Device\\Echo")).isEqualTo(local.queryDevice("\\Device\\Echo"));
    assertThat(remote.queryDevice("\\Device\\Nothing")).isEqualTo(local.queryDevice("\\Device\\Nothing"));
    UnicodeString service = UnicodeString.of(TestDaemon.SERVICES + "Echo");
    assertThat(remote.loadDriver(service)).isEqualTo(NtStatus.STATUS_IMAGE_ALREADY_LOADED);
    assertThat(remote.unloadDriver(service)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(remote.queryDrivers().rows()).extracting(d -> d.name()).doesNotContain("\\Driver\\Echo");
  }

  @Test
  void deviceReadWriteAndControlRoundTrip() {
    daemon.loadSample(remote, "Echo");
    Handle echo = TestDaemon.openEcho(remote);
    byte[] hello = "hello, wire".getBytes(StandardCharsets.US_ASCII);
    IoResult written = remote.writeFile(echo, hello, 0);
    assertThat(written.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(written.information()).isEqualTo(hello.length);
    IoResult available = remote.deviceIoControlFile(echo, EchoIoctl.IOCTL_ECHO_QUERY_AVAILABLE, new byte[0], 4);
    assertThat(available.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(available.data()).containsExactly(hello.length, 0, 0, 0);
    IoResult read = remote.readFile(echo, 64, 0);
    assertThat(read.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(read.data()).isEqualTo(hello);
    assertThat(remote.deviceIoControlFile(echo, EchoIoctl.IOCTL_ECHO_QUERY_AVAILABLE, new byte[0], 2).status())
        .isEqualTo(NtStatus.STATUS_BUFFER_TOO_SMALL);
    assertThat(remote.flushBuffersFile(echo)).isEqualTo(local.flushBuffersFile(TestDaemon.openEcho(local)));
    assertThat(remote.readFile(new Handle(0x7FF0), 1, 0).status()).isEqualTo(NtStatus.STATUS_INVALID_HANDLE);
    assertThat(remote.close(echo)).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void overlappedIoCompletesWithACompletionFrame() {
    daemon.loadSample(remote, "Echo");
    Handle echo = TestDaemon.openEcho(remote);
    PendingIo read = remote.readFileAsync(echo, 5, 0);
    PendingIo write = remote.writeFileAsync(echo, "12345".getBytes(StandardCharsets.US_ASCII), 0);
    assertThat(write.completion().join().status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    IoResult done = read.completion().join();
    assertThat(done.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(new String(done.data(), StandardCharsets.US_ASCII)).isEqualTo("12345");
    PendingIo control = remote.deviceIoControlFileAsync(echo, EchoIoctl.IOCTL_ECHO_QUERY_AVAILABLE, new byte[0], 4);
    assertThat(control.completion().join().data()).containsExactly(0, 0, 0, 0);
    PendingIo refused = remote.readFileAsync(new Handle(0x7FF0), 1, 0);
    assertThat(refused.completion().join().status()).isEqualTo(NtStatus.STATUS_INVALID_HANDLE);
  }

  /**
   * Wine {@code dlls/ntoskrnl.exe/tests/ntoskrnl.c}, {@code do_return_status}, on Windows: an
   * overlapped call returns the dispatch routine's status at once (STATUS_PENDING when it pended),
   * and an error completed without pending writes no status block and delivers no completion. The
   * same remote as embedded.
   */
  @Test
  void overlappedCallsReportTheirImmediateStatusAndWhetherACompletionIsDeliveredAsLocally() {
    daemon.loadSample(remote, "Echo");
    for (NtApi api : List.of(remote, local)) {
      Handle echo = TestDaemon.openEcho(api);
      PendingIo tooSmall = api.deviceIoControlFileAsync(echo, EchoIoctl.IOCTL_ECHO_QUERY_AVAILABLE,
          new byte[0], 2);
      assertThat(tooSmall.status()).isEqualTo(NtStatus.STATUS_BUFFER_TOO_SMALL);
      assertThat(tooSmall.completion().join().ioStatusWritten()).isFalse();
      PendingIo available = api.deviceIoControlFileAsync(echo,
          EchoIoctl.IOCTL_ECHO_QUERY_AVAILABLE, new byte[0], 4);
      assertThat(available.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(available.completion().join().ioStatusWritten()).isTrue();
      PendingIo read = api.readFileAsync(echo, 4, 0);
      assertThat(read.status()).isEqualTo(NtStatus.STATUS_PENDING);
      assertThat(api.cancelIoFile(echo)).isEqualTo(NtStatus.STATUS_SUCCESS);
      IoResult cancelled = read.completion().join();
      assertThat(cancelled.status()).isEqualTo(NtStatus.STATUS_CANCELLED);
      assertThat(cancelled.ioStatusWritten()).as("an error, but pended").isTrue();
      IoResult sync = api.deviceIoControlFile(echo, EchoIoctl.IOCTL_ECHO_QUERY_AVAILABLE,
          new byte[0], 2);
      assertThat(sync.ioStatusWritten()).isFalse();
      assertThat(api.close(echo)).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
  }

  @Test
  void anOverlappedReadStaysPendingUntilCancelledByItsRequestId() {
    daemon.loadSample(remote, "Echo");
    Handle echo = TestDaemon.openEcho(remote);
    PendingIo first = remote.readFileAsync(echo, 8, 0);
    PendingIo second = remote.readFileAsync(echo, 8, 0);
    assertThat(first.id()).isNotEqualTo(second.id());
    assertThat(first.completion()).isNotDone();

    assertThat(remote.cancelIoFileEx(echo, second.id())).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(second.completion().join().status()).isEqualTo(NtStatus.STATUS_CANCELLED);
    assertThat(first.completion()).isNotDone();
    assertThat(remote.cancelIoFileEx(echo, second.id())).isEqualTo(NtStatus.STATUS_NOT_FOUND);
    assertThat(remote.cancelIoFileEx(echo, 999_999)).isEqualTo(NtStatus.STATUS_NOT_FOUND);

    assertThat(remote.cancelIoFile(echo)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(first.completion().join().status()).isEqualTo(NtStatus.STATUS_CANCELLED);
  }

  @Test
  void aBlockedSynchronousReadDoesNotStopTheConnection() {
    daemon.loadSample(remote, "Echo");
    Handle echo = TestDaemon.openEcho(remote);
    CompletableFuture<IoResult> blocked = CompletableFuture.supplyAsync(() -> remote.readFile(echo, 3, 0));
    List<CompletableFuture<NtStatus>> others = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      others.add(CompletableFuture.supplyAsync(() -> remote.queryDrivers().status()));
    }
    others.forEach(f -> assertThat(f.join()).isEqualTo(NtStatus.STATUS_SUCCESS));
    assertThat(remote.writeFile(echo, new byte[] {1, 2, 3}, 0).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(blocked.join().data()).containsExactly(1, 2, 3);
  }

  @Test
  void poolAndVerifierQueriesMatchLocal() {
    daemon.loadSample(remote, "Echo");
    assertThat(remote.queryPoolTags().status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(remote.queryPoolOwners().status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(remote.queryVerifierSettings()).isEqualTo(local.queryVerifierSettings());
    VerifierSettings settings = new VerifierSettings(Set.of("Echo.jar"), false, VerifierSettings.STANDARD_FLAGS,
        new FaultSettings(100, List.of("Ec*"), java.time.Duration.ofSeconds(3), 7));
    assertThat(remote.setVerifierVolatileSettings(settings)).isEqualTo(NtStatus.STATUS_PRIVILEGE_NOT_HELD);
    TestDaemon.enable(remote, Privilege.SE_DEBUG_PRIVILEGE);
    assertThat(remote.setVerifierVolatileSettings(settings)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(remote.queryVerifierSettings().rows()).containsExactly(settings);
    assertThat(remote.queryVerifierStatistics()).isEqualTo(local.queryVerifierStatistics());
    assertThat(remote.queryVerifierFindings()).isEqualTo(local.queryVerifierFindings());
  }

  // T18–T22 of the spec, from a client: the names reach the kernel exactly as laid out. ----------

  @Test
  void unloadOfANullNameWithoutThePrivilegeIsPrivilegeNotHeld() {
    assertThat(remote.unloadDriver(null)).isEqualTo(NtStatus.STATUS_PRIVILEGE_NOT_HELD);
  }

  @Test
  void unloadOfANullNameWithThePrivilegeIsAccessViolation() {
    TestDaemon.enable(remote, Privilege.SE_LOAD_DRIVER_PRIVILEGE);
    assertThat(remote.unloadDriver(null)).isEqualTo(NtStatus.STATUS_ACCESS_VIOLATION);
  }

  @Test
  void unloadOfAnEmptyNameWithANullBufferIsInvalidParameter() {
    TestDaemon.enable(remote, Privilege.SE_LOAD_DRIVER_PRIVILEGE);
    assertThat(remote.unloadDriver(UnicodeString.raw(0, 0, null))).isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
  }

  @Test
  void unloadOfOddOrOversizedLengthsIsObjectNameInvalid() {
    TestDaemon.enable(remote, Privilege.SE_LOAD_DRIVER_PRIVILEGE);
    char[] as = "A".repeat(0x8000).toCharArray();
    for (int length : new int[] {0xFFFF, 0xFFFE, 0xFFFD, 1}) {
      assertThat(remote.unloadDriver(UnicodeString.raw(length, 0xFFFF, as)))
          .as("Length 0x%X", length).isEqualTo(NtStatus.STATUS_OBJECT_NAME_INVALID);
    }
  }

  @Test
  void unloadOfANameWithoutABackslashIsPathSyntaxBad() {
    TestDaemon.enable(remote, Privilege.SE_LOAD_DRIVER_PRIVILEGE);
    char[] as = "A".repeat(0x8000).toCharArray();
    char[] slashPastEnd = as.clone();
    slashPastEnd[0xFFFC / 2] = '\\';
    char[] slashLast = as.clone();
    slashLast[0xFFFC / 2 - 1] = '\\';
    assertThat(remote.unloadDriver(UnicodeString.raw(0xFFFC, 0xFFFF, as))).isEqualTo(NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD);
    assertThat(remote.unloadDriver(UnicodeString.raw(0x1000, 0xFFFF, as))).isEqualTo(NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD);
    assertThat(remote.unloadDriver(UnicodeString.raw(0xFFFC, 0xFFFF, slashPastEnd)))
        .isEqualTo(NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD);
    assertThat(remote.unloadDriver(UnicodeString.raw(0xFFFC, 0xFFFF, slashLast)))
        .isEqualTo(NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD);
    TestDaemon.enable(local, Privilege.SE_LOAD_DRIVER_PRIVILEGE);
    for (UnicodeString name : List.of(UnicodeString.raw(0x1000, 0xFFFF, as), UnicodeString.raw(1, 0xFFFF, as),
        UnicodeString.raw(8, 8, new char[] {'\\'}))) {
      assertThat(remote.unloadDriver(name)).as("%s", name).isEqualTo(local.unloadDriver(name));
    }
  }

  @Test
  void aValueNameWithANullBufferReachesTheKernelAsNtWouldSeeIt() {
    Handle key = remote.createKey(AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(TEST_KEY), 0).handle();
    Handle localKey = local.openKey(AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(TEST_KEY)).handle();
    for (UnicodeString name : java.util.Arrays.asList(null, UnicodeString.raw(4, 4, null),
        UnicodeString.raw(3, 4, new char[] {'a', 'b'}))) {
      assertThat(remote.setValueKey(key, name, RegType.REG_DWORD, new byte[4]))
          .as("%s", name).isEqualTo(local.setValueKey(localKey, name, RegType.REG_DWORD, new byte[4]));
    }
    assertThat(remote.createKey(AccessMask.KEY_ALL_ACCESS, null, 0).status())
        .isEqualTo(local.createKey(AccessMask.KEY_ALL_ACCESS, null, 0).status());
  }

  // The connection --------------------------------------------------------------------------------

  @Test
  void connectingWhereNothingListensIsAConnectException() {
    assertThatThrownBy(() -> RemoteNt.connect(directory.resolve("nothing.sock")))
        .isInstanceOf(ConnectException.class).hasMessageContaining("no ntio daemon listens on");
  }

  @Test
  void callsAfterTheDaemonStopsThrowKernelGone() {
    daemon.loadSample(remote, "Echo");
    Handle echo = TestDaemon.openEcho(remote);
    PendingIo pending = remote.readFileAsync(echo, 1, 0);
    daemon.server().close();
    assertThatThrownBy(() -> pending.completion().join())
        .isInstanceOf(CompletionException.class).hasCauseInstanceOf(KernelGoneException.class);
    assertThatThrownBy(remote::queryDrivers).isInstanceOf(KernelGoneException.class);
    assertThat(remote.isConnected()).isFalse();
  }

  @Test
  void aPeerThatAcceptsButNeverAnswersFailsTheHandshake() throws IOException {
    Path mute = directory.resolve("mute.sock");
    try (var listener = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      listener.bind(java.net.UnixDomainSocketAddress.of(mute));
      assertThatThrownBy(() -> RemoteNt.connect(mute, "test", java.time.Duration.ofMillis(200)))
          .isInstanceOf(IOException.class).hasMessageContaining("did not answer the handshake");
    }
  }

  @Test
  void callsAfterCloseThrowKernelGone() {
    remote.close();
    assertThatThrownBy(remote::queryToken).isInstanceOf(KernelGoneException.class);
  }
}
