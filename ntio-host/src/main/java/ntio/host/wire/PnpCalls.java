package ntio.host.wire;

import java.util.function.BiFunction;
import ntio.api.DeviceInstall;
import ntio.api.DeviceInstallResult;
import ntio.api.NtApi;
import ntio.api.PnpVetoResult;
import ntio.api.SystemResult;
import ntio.ddk.NtStatus;

/**
 * The server's half of the Plug and Play calls ({@code devcon}; protocol version 6): decodes a
 * request and checks its bounds ({@link PnpCodec}) before the kernel is asked. A request whose
 * bytes are malformed raises {@link WireException} (an ERROR {@code STATUS_INVALID_PARAMETER}, as
 * for every call); a well-formed one that asks past a bound is answered with its precise status in
 * an ordinary REPLY, and reaches no kernel. The caller's token travels as for every call: the calls
 * are made on the connection's own {@link NtApi}, whose process holds the token the daemon gave the
 * client, and the kernel checks {@code SeLoadDriverPrivilege} in it.
 */
final class PnpCalls {

  private PnpCalls() {}

  /** Decodes one of the PnP opcodes' requests. */
  static ServerCalls.Decoded decode(Opcode op, WireReader in) {
    return switch (op) {
      case QUERY_DEVICE_TREE -> sync((api, out) -> PnpCodec.writeDeviceTree(out, api.queryDeviceTree()));
      case INSTALL_DEVICE -> {
        DeviceInstall install = PnpCodec.readInstall(in);
        NtStatus refused = PnpCodec.refusal(install);
        yield sync((api, out) -> PnpCodec.writeInstallResult(out,
            refused != null ? DeviceInstallResult.failed(refused) : api.installDevice(install)));
      }
      case UPDATE_DRIVER -> {
        DeviceInstall driver = PnpCodec.readInstall(in);
        NtStatus refused = PnpCodec.refusal(driver);
        yield sync((api, out) -> PnpCodec.writeUpdated(out,
            refused != null ? SystemResult.failed(refused) : api.updateDriver(driver)));
      }
      case REMOVE_DEVICE -> vetoable(in, NtApi::removeDevice);
      case DISABLE_DEVICE -> vetoable(in, NtApi::disableDevice);
      case RESTART_DEVICE -> vetoable(in, NtApi::restartDevice);
      case ENABLE_DEVICE -> {
        String path = in.string();
        NtStatus refused = PnpCodec.refusal(path);
        yield sync((api, out) -> Codec.writeStatus(out, refused != null ? refused : api.enableDevice(path)));
      }
      default -> throw new IllegalArgumentException(op + " is not a Plug and Play call");
    };
  }

  /** A call on one instance path that a query-remove can veto. */
  private static ServerCalls.Decoded vetoable(WireReader in, BiFunction<NtApi, String, PnpVetoResult> call) {
    String path = in.string();
    NtStatus refused = PnpCodec.refusal(path);
    return sync((api, out) -> PnpCodec.writeVetoResult(out,
        refused != null ? PnpVetoResult.of(refused) : call.apply(api, path)));
  }

  private static ServerCalls.Sync sync(java.util.function.BiConsumer<NtApi, WireWriter> call) {
    return new ServerCalls.Sync((api, ids, out) -> call.accept(api, out));
  }
}
