package ntio.host.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import ntio.api.DevNodeInfo;
import ntio.api.DeviceInstall;
import ntio.api.DeviceInstallResult;
import ntio.api.DeviceStackLayer;
import ntio.api.PnpVetoResult;
import ntio.api.SystemResult;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.Test;

/**
 * The Plug and Play records on the wire (protocol version 6): each round-trips to an equal value,
 * a tree too large for one reply is cut and says so, and a request that is malformed, or asks past
 * a bound, is refused before any kernel sees it.
 */
class PnpCodecTest {

  static DevNodeInfo devnode(String path, String parent, List<String> children) {
    return new DevNodeInfo(path, parent, "DeviceNodeStarted", 0, "", NtStatus.STATUS_SUCCESS, false,
        List.of("Root\\Thing", "Thing"), "Thing", List.of("Lower"), List.of("Upper1", "Upper2"),
        List.of(new DeviceStackLayer("UpperFilter", "\\Driver\\Upper1", "Upper1", ""),
            new DeviceStackLayer("FDO", "\\Driver\\Thing", "Thing", "\\Device\\Thing0"),
            new DeviceStackLayer("PDO", "\\Driver\\PnpManager", "", "\\Device\\00000004")),
        children);
  }

  @Test
  void aDevnodeWithItsStackAndProblemRoundTrips() {
    DevNodeInfo started = devnode("ROOT\\THING\\0000", "HTREE\\ROOT\\0", List.of("THING\\CHILD\\1"));
    DevNodeInfo failed = new DevNodeInfo("ROOT\\BROKEN\\0000", "HTREE\\ROOT\\0", "DeviceNodeInitialized", 31,
        "CM_PROB_FAILED_ADD", NtStatus.STATUS_INSUFFICIENT_RESOURCES, true, List.of(), "", List.of(), List.of(),
        List.of(), List.of());
    SystemResult<DevNodeInfo> tree = new SystemResult<>(NtStatus.STATUS_SUCCESS, List.of(started, failed));
    WireWriter out = new WireWriter();
    PnpCodec.writeDeviceTree(out, tree);
    WireReader in = new WireReader(out.toByteArray());

    assertThat(PnpCodec.readDeviceTree(in)).isEqualTo(tree);
    in.expectEnd();
  }

  @Test
  void installsAndTheirAnswersRoundTrip() {
    DeviceInstall install = new DeviceInstall("Root\\ToasterBus", "ToasterBus", "System", List.of("L1", "L2"),
        List.of("U1"));
    DeviceInstallResult installed = new DeviceInstallResult(NtStatus.STATUS_SUCCESS, "ROOT\\SYSTEM\\0000");
    PnpVetoResult vetoed = new PnpVetoResult(NtStatus.of(0x80000288), 5,
        "\\Device\\Toaster0", "an open handle: close it and try again");
    WireWriter out = new WireWriter();
    PnpCodec.writeInstall(out, install);
    PnpCodec.writeInstallResult(out, installed);
    PnpCodec.writeVetoResult(out, vetoed);
    PnpCodec.writeVetoResult(out, PnpVetoResult.of(NtStatus.STATUS_SUCCESS));
    WireReader in = new WireReader(out.toByteArray());

    assertThat(PnpCodec.readInstall(in)).isEqualTo(install);
    assertThat(PnpCodec.readInstallResult(in)).isEqualTo(installed);
    assertThat(PnpCodec.readVetoResult(in)).isEqualTo(vetoed);
    assertThat(PnpCodec.readVetoResult(in)).isEqualTo(PnpVetoResult.of(NtStatus.STATUS_SUCCESS));
    in.expectEnd();
  }

  @Test
  void aTreeLargerThanOneReplyIsCutAfterTheLastWholeRowWithStatusBufferOverflow() {
    List<DevNodeInfo> rows = new ArrayList<>();
    String wide = "X".repeat(4000);
    for (int i = 0; i < 200; i++) {
      rows.add(devnode("ROOT\\WIDE\\" + i, "HTREE\\ROOT\\0", List.of(wide)));
    }
    WireWriter out = new WireWriter();
    PnpCodec.writeDeviceTree(out, new SystemResult<>(NtStatus.STATUS_SUCCESS, rows));

    assertThat(out.size()).isLessThanOrEqualTo(FrameCodec.MAX_PAYLOAD_BYTES);
    SystemResult<DevNodeInfo> read = PnpCodec.readDeviceTree(new WireReader(out.toByteArray()));
    assertThat(read.status()).isEqualTo(NtStatus.STATUS_BUFFER_OVERFLOW);
    assertThat(read.rows()).isNotEmpty().hasSizeLessThan(rows.size());
    assertThat(read.rows()).isEqualTo(rows.subList(0, read.rows().size()));
  }

  @Test
  void aMalformedPnpRequestIsAWireExceptionAndReachesNoKernel() {
    byte[] nullPath = new WireWriter().string(null).toByteArray();
    assertThatThrownBy(() -> ServerCalls.decode(Opcode.REMOVE_DEVICE, nullPath)).isInstanceOf(WireException.class);

    byte[] trailing = new WireWriter().string("ROOT\\X\\0000").u8(0).toByteArray();
    assertThatThrownBy(() -> ServerCalls.decode(Opcode.ENABLE_DEVICE, trailing)).isInstanceOf(WireException.class);

    byte[] forgedFilters = new WireWriter().string("Root\\X").string("X").string("").i32(Integer.MAX_VALUE)
        .toByteArray();
    assertThatThrownBy(() -> ServerCalls.decode(Opcode.INSTALL_DEVICE, forgedFilters))
        .isInstanceOf(WireException.class).hasMessageContaining("list of");

    byte[] treeWithArguments = new WireWriter().i32(1).toByteArray();
    assertThatThrownBy(() -> ServerCalls.decode(Opcode.QUERY_DEVICE_TREE, treeWithArguments))
        .isInstanceOf(WireException.class);
  }

  @Test
  void boundsAreAnsweredWithTheirPreciseStatus() {
    assertThat(PnpCodec.refusal("R".repeat(PnpCodec.MAX_DEVICE_ID_CHARS))).isNull();
    assertThat(PnpCodec.refusal("R".repeat(PnpCodec.MAX_DEVICE_ID_CHARS + 1)))
        .isEqualTo(NtStatus.STATUS_NAME_TOO_LONG);

    List<String> tooMany = Collections.nCopies(PnpCodec.MAX_FILTERS + 1, "F");
    assertThat(PnpCodec.refusal(new DeviceInstall("Root\\X", "X", "", tooMany, List.of())))
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(PnpCodec.refusal(new DeviceInstall("Root\\X", "X", "", List.of(), tooMany)))
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(PnpCodec.refusal(new DeviceInstall("Root\\X", "X", "C".repeat(PnpCodec.MAX_CLASS_NAME_CHARS + 1),
        List.of(), List.of()))).isEqualTo(NtStatus.STATUS_NAME_TOO_LONG);
    assertThat(PnpCodec.refusal(new DeviceInstall("Root\\X", "S".repeat(PnpCodec.MAX_SERVICE_NAME_CHARS + 1), "",
        List.of(), List.of()))).isEqualTo(NtStatus.STATUS_NAME_TOO_LONG);
    assertThat(PnpCodec.refusal(new DeviceInstall("Root\\X", "X", "", List.of(),
        List.of("U".repeat(PnpCodec.MAX_SERVICE_NAME_CHARS + 1))))).isEqualTo(NtStatus.STATUS_NAME_TOO_LONG);
    assertThat(PnpCodec.refusal(new DeviceInstall("H".repeat(PnpCodec.MAX_DEVICE_ID_CHARS + 1), "X", "",
        List.of(), List.of()))).isEqualTo(NtStatus.STATUS_NAME_TOO_LONG);
    assertThat(PnpCodec.refusal(new DeviceInstall("Root\\X", "X", "System",
        Collections.nCopies(PnpCodec.MAX_FILTERS, "F"), List.of()))).isNull();
  }
}
