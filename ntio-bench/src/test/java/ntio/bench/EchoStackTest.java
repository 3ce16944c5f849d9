package ntio.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import ntio.api.IoResult;
import ntio.ddk.DeviceObject;
import ntio.ddk.NtStatus;
import ntio.kernel.Kernel;
import ntio.kernel.objects.KernelObject;
import ntio.kernel.objects.ObjectManager.Referenced;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class EchoStackTest {

  @ParameterizedTest(name = "depth {0}")
  @ValueSource(ints = {1, 2, 4})
  void eachRoundTripGivesBackTheBytesWrittenThroughAStackOfTheAskedDepth(int depth) throws Exception {
    try (EchoStack stack = EchoStack.open(depth)) {
      for (int i = 0; i < 3; i++) {
        IoResult read = stack.writeThenRead();

        assertThat(read.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
        assertThat(read.information()).isEqualTo(EchoStack.TRANSFER);
        assertThat(read.data()).isEqualTo(EchoStack.pattern());
      }

      List<String> drivers = driversBottomUp(stack.kernel());
      List<String> expected = new ArrayList<>(List.of("\\Driver\\Echo"));
      for (int n = 1; n < depth; n++) {
        expected.add("\\Driver\\" + EchoStack.filterService(n));
      }
      assertThat(drivers).containsExactlyElementsOf(expected);
    }
  }

  /** The drivers of the device objects in Echo's stack, from Echo up to the top. */
  private static List<String> driversBottomUp(Kernel kernel) {
    Referenced<KernelObject> echo =
        kernel.objects().referenceByName(EchoStack.DEVICE_NAME, kernel.io().deviceType());
    assertThat(echo.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    try {
      List<String> drivers = new ArrayList<>();
      for (DeviceObject device = (DeviceObject) echo.object(); device != null;
          device = device.attachedDevice()) {
        drivers.add(device.driverObject().driverName().text());
      }
      return drivers;
    } finally {
      echo.object().dereference();
    }
  }
}
