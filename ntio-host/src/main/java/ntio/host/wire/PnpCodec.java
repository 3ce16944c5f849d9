package ntio.host.wire;

import java.util.List;
import ntio.api.DevNodeInfo;
import ntio.api.DeviceInstall;
import ntio.api.DeviceInstallResult;
import ntio.api.DeviceStackLayer;
import ntio.api.PnpVetoResult;
import ntio.api.SystemResult;
import ntio.ddk.NtStatus;

/**
 * The wire form of the Plug and Play calls' records (protocol version 6): {@link DevNodeInfo} and
 * its {@link DeviceStackLayer} rows, {@link DeviceInstall}, {@link DeviceInstallResult} and {@link
 * PnpVetoResult}; and the bounds a client's request must keep before the kernel sees it. Kept apart
 * from {@link Codec} so each file holds one concern; the layouts are in docs/protocol.md, "Plug and
 * Play".
 */
final class PnpCodec {

  /**
   * The longest device instance path or hardware ID, in characters: Windows' {@code
   * MAX_DEVICE_ID_LEN} (cfgmgr32.h), beyond which no device ID is valid.
   */
  static final int MAX_DEVICE_ID_CHARS = 200;

  /** The longest service name, in characters: the Service Control Manager's limit (256). */
  static final int MAX_SERVICE_NAME_CHARS = 256;

  /** The longest device class name, in characters: Windows' {@code MAX_CLASS_NAME_LEN} (32). */
  static final int MAX_CLASS_NAME_CHARS = 32;

  /** The most upper or lower filters one install may name. */
  static final int MAX_FILTERS = 32;

  /** The fewest bytes a {@link DeviceStackLayer} takes: four strings, each at least its count. */
  static final int MIN_LAYER_BYTES = 4 * 4;

  /** The fewest bytes a {@link DevNodeInfo} takes: five strings, five lists, i32, status, bool. */
  static final int MIN_DEVNODE_BYTES = 5 * 4 + 5 * 4 + 4 + 4 + 1;

  /**
   * The most bytes of devnode rows one {@code QUERY_DEVICE_TREE} reply carries: a frame's payload
   * less room for the status and count. A larger tree is cut after the last row that fits, and
   * answered with {@code STATUS_BUFFER_OVERFLOW}, NT's warning for data that did not all fit.
   */
  static final int MAX_TREE_ROW_BYTES = FrameCodec.MAX_PAYLOAD_BYTES - 64;

  private PnpCodec() {}

  // Devnodes -------------------------------------------------------------------------------------

  static void writeStackLayer(WireWriter out, DeviceStackLayer layer) {
    out.string(layer.role()).string(layer.driverName()).string(layer.service()).string(layer.deviceName());
  }

  static DeviceStackLayer readStackLayer(WireReader in) {
    return new DeviceStackLayer(in.string(), in.string(), in.string(), in.string());
  }

  static void writeDevNode(WireWriter out, DevNodeInfo node) {
    out.string(node.instancePath()).string(node.parentPath()).string(node.state()).i32(node.problem())
        .string(node.problemName());
    Codec.writeStatus(out, node.problemStatus());
    out.bool(node.disabled()).list(node.hardwareIds(), WireWriter::string).string(node.service())
        .list(node.lowerFilters(), WireWriter::string).list(node.upperFilters(), WireWriter::string)
        .list(node.stack(), PnpCodec::writeStackLayer).list(node.children(), WireWriter::string);
  }

  static DevNodeInfo readDevNode(WireReader in) {
    return new DevNodeInfo(in.string(), in.string(), in.string(), in.i32(), in.string(), Codec.readStatus(in),
        in.bool(), strings(in), in.string(), strings(in), strings(in),
        in.list(MIN_LAYER_BYTES, PnpCodec::readStackLayer), strings(in));
  }

  /**
   * The device tree's reply: its status and as many rows, in order, as fit in {@link
   * #MAX_TREE_ROW_BYTES}; when some did not, the status is {@code STATUS_BUFFER_OVERFLOW} and the
   * rows are the tree's first ones (each parent still before its children).
   */
  static void writeDeviceTree(WireWriter out, SystemResult<DevNodeInfo> tree) {
    WireWriter rows = new WireWriter();
    int written = 0;
    for (DevNodeInfo node : tree.rows()) {
      int before = rows.size();
      writeDevNode(rows, node);
      if (rows.size() > MAX_TREE_ROW_BYTES) {
        rows = cut(rows, before);
        break;
      }
      written++;
    }
    NtStatus status = written < tree.rows().size() && tree.status().isSuccess()
        ? NtStatus.STATUS_BUFFER_OVERFLOW : tree.status();
    Codec.writeStatus(out, status);
    out.i32(written).raw(rows.toByteArray());
  }

  static SystemResult<DevNodeInfo> readDeviceTree(WireReader in) {
    return Codec.readSystemResult(in, MIN_DEVNODE_BYTES, PnpCodec::readDevNode);
  }

  private static WireWriter cut(WireWriter rows, int size) {
    byte[] kept = java.util.Arrays.copyOf(rows.toByteArray(), size);
    return new WireWriter().raw(kept);
  }

  private static List<String> strings(WireReader in) {
    return in.list(4, WireReader::string);
  }

  // Requests and their answers -------------------------------------------------------------------

  /** {@code string hardwareId, string service, string className, list<string> lower, list<string> upper}. */
  static void writeInstall(WireWriter out, DeviceInstall install) {
    out.string(install.hardwareId()).string(install.service()).string(install.className())
        .list(install.lowerFilters(), WireWriter::string).list(install.upperFilters(), WireWriter::string);
  }

  static DeviceInstall readInstall(WireReader in) {
    return new DeviceInstall(in.string(), in.string(), in.string(), strings(in), strings(in));
  }

  static void writeInstallResult(WireWriter out, DeviceInstallResult result) {
    Codec.writeStatus(out, result.status());
    out.string(result.instancePath());
  }

  static DeviceInstallResult readInstallResult(WireReader in) {
    return new DeviceInstallResult(Codec.readStatus(in), in.string());
  }

  /** {@code devcon update}'s answer: the status and the instance paths the driver went to. */
  static void writeUpdated(WireWriter out, SystemResult<String> updated) {
    Codec.writeStatus(out, updated.status());
    out.list(updated.rows(), WireWriter::string);
  }

  static SystemResult<String> readUpdated(WireReader in) {
    return new SystemResult<>(Codec.readStatus(in), strings(in));
  }

  static void writeVetoResult(WireWriter out, PnpVetoResult result) {
    Codec.writeStatus(out, result.status());
    out.i32(result.vetoType()).string(result.vetoName()).string(result.vetoReason());
  }

  static PnpVetoResult readVetoResult(WireReader in) {
    return new PnpVetoResult(Codec.readStatus(in), in.i32(), in.string(), in.string());
  }

  // Bounds ---------------------------------------------------------------------------------------

  /**
   * Why the kernel is not asked about {@code instancePath}: {@code STATUS_NAME_TOO_LONG} when it is
   * longer than {@link #MAX_DEVICE_ID_CHARS}; null when it may be asked.
   */
  static NtStatus refusal(String instancePath) {
    return instancePath.length() > MAX_DEVICE_ID_CHARS ? NtStatus.STATUS_NAME_TOO_LONG : null;
  }

  /**
   * Why the kernel is not asked to install {@code install}: {@code STATUS_INVALID_PARAMETER} for
   * more than {@link #MAX_FILTERS} filters on either side, {@code STATUS_NAME_TOO_LONG} for a
   * hardware ID, service, class or filter name past its limit; null when it may be asked.
   */
  static NtStatus refusal(DeviceInstall install) {
    if (install.lowerFilters().size() > MAX_FILTERS || install.upperFilters().size() > MAX_FILTERS) {
      return NtStatus.STATUS_INVALID_PARAMETER;
    }
    boolean tooLong = install.hardwareId().length() > MAX_DEVICE_ID_CHARS
        || install.service().length() > MAX_SERVICE_NAME_CHARS
        || install.className().length() > MAX_CLASS_NAME_CHARS
        || install.lowerFilters().stream().anyMatch(s -> s.length() > MAX_SERVICE_NAME_CHARS)
        || install.upperFilters().stream().anyMatch(s -> s.length() > MAX_SERVICE_NAME_CHARS);
    return tooLong ? NtStatus.STATUS_NAME_TOO_LONG : null;
  }
}
