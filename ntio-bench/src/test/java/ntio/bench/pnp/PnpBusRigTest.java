package ntio.bench.pnp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import ntio.api.DevNodeInfo;
import ntio.api.DeviceStackLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The PnP benchmark's rig builds the stack the benchmarks claim to time, and takes it down. */
@Timeout(60)
class PnpBusRigTest {

  @Test
  void aPluggedChildStartsWithBusPdoFunctionDriverAndUpperFilter() throws Exception {
    try (PnpBusRig rig = PnpBusRig.boot()) {
      assertThat(node(rig, rig.busInstance())).hasValueSatisfying(
          bus -> assertThat(bus.state()).isEqualTo("DeviceNodeStarted"));

      rig.plug(7);

      DevNodeInfo child = node(rig, PnpBusRig.childInstance(7)).orElseThrow();
      assertThat(child.state()).isEqualTo("DeviceNodeStarted");
      assertThat(child.problem()).isZero();
      assertThat(child.parentPath()).isEqualToIgnoringCase(rig.busInstance());
      List<DeviceStackLayer> stack = child.stack();
      assertThat(stack).extracting(DeviceStackLayer::role).containsExactly("UpperFilter", "FDO", "PDO");
      assertThat(stack).extracting(DeviceStackLayer::driverName).containsExactly(
          "\\Driver\\" + PnpBusRig.FILTER, "\\Driver\\" + PnpBusRig.FUNCTION, "\\Driver\\" + PnpBusRig.BUS);
    }
  }

  @Test
  void unplugRemovesTheDevnodeAndTheLastUnplugUnloadsFunctionDriverAndFilter() throws Exception {
    try (PnpBusRig rig = PnpBusRig.boot()) {
      rig.plug(1);
      rig.plug(2);

      rig.unplug(1);

      assertThat(node(rig, PnpBusRig.childInstance(1))).isEmpty();
      assertThat(rig.driverLoaded(PnpBusRig.FUNCTION)).isTrue();
      assertThat(rig.driverLoaded(PnpBusRig.FILTER)).isTrue();

      rig.unplug(2);

      assertThat(node(rig, PnpBusRig.childInstance(2))).isEmpty();
      // The PnP unload finishes on a kernel work queue, after the PnP worker is idle.
      awaitUnloaded(rig, PnpBusRig.FUNCTION);
      awaitUnloaded(rig, PnpBusRig.FILTER);
      assertThat(rig.driverLoaded(PnpBusRig.BUS)).isTrue();
      assertThat(rig.tree()).hasSize(2);

      rig.plug(1);

      assertThat(node(rig, PnpBusRig.childInstance(1))).hasValueSatisfying(
          again -> assertThat(again.state()).isEqualTo("DeviceNodeStarted"));
    }
  }

  @Test
  void theGrowthBenchmarksTreeHasOneDevnodePerChildPlugged() throws Exception {
    try (PnpBusRig rig = PnpBusRig.boot()) {
      for (int serial = 0; serial < 50; serial++) {
        rig.plug(serial);
      }

      assertThat(rig.tree()).hasSize(52)
          .filteredOn(n -> n.parentPath().equalsIgnoreCase(rig.busInstance()))
          .hasSize(50)
          .allSatisfy(n -> assertThat(n.state()).isEqualTo("DeviceNodeStarted"));
    }
  }

  private static void awaitUnloaded(PnpBusRig rig, String service) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (rig.driverLoaded(service) && System.nanoTime() - deadline < 0) {
      Thread.sleep(5);
    }
    assertThat(rig.driverLoaded(service)).as("%s loaded", service).isFalse();
  }

  private static Optional<DevNodeInfo> node(PnpBusRig rig, String instancePath) {
    return rig.tree().stream().filter(n -> n.instancePath().equalsIgnoreCase(instancePath)).findFirst();
  }
}
