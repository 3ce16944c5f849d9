package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ntio.ddk.DeviceFlags;
import ntio.ddk.DriverFlags;
import org.junit.jupiter.api.Test;

/**
 * The two state machines of the unload protocol, {@link DriverState} and {@link DeviceState}, and
 * the {@link Lifecycle} that keeps an object's place in one: the transitions their Javadoc draws
 * are the only ones allowed, the DRVO_/DOE_ bits derive from the state, and the history is kept.
 */
class UnloadStateMachinesTest {

  @Test
  void aDriversLegalLivesAreTheDrawnOnes() {
    assertThat(DriverState.LOADING.canBecome(DriverState.STARTED)).isTrue();
    assertThat(DriverState.LOADING.canBecome(DriverState.ENTRY_FAILED)).isTrue();
    assertThat(DriverState.STARTED.canBecome(DriverState.UNLOAD_PENDING)).isTrue();
    assertThat(DriverState.STARTED.canBecome(DriverState.UNLOADING)).isTrue();
    assertThat(DriverState.UNLOAD_PENDING.canBecome(DriverState.UNLOADING)).isTrue();
    assertThat(DriverState.UNLOADING.canBecome(DriverState.UNLOADED)).isTrue();
    assertThat(DriverState.UNLOADED.canBecome(DriverState.DELETED)).isTrue();
    assertThat(DriverState.ENTRY_FAILED.canBecome(DriverState.DELETED)).isTrue();
  }

  @Test
  void driverUnloadIsDecidedOnceAndADeletedDriverStaysDeleted() {
    for (DriverState from : DriverState.values()) {
      assertThat(DriverState.DELETED.canBecome(from)).isFalse();
    }
    assertThat(DriverState.UNLOADING.canBecome(DriverState.UNLOADING)).isFalse();
    assertThat(DriverState.UNLOADED.canBecome(DriverState.UNLOADING)).isFalse();
    assertThat(DriverState.UNLOADING.canBecome(DriverState.UNLOAD_PENDING)).isFalse();
    assertThat(DriverState.ENTRY_FAILED.canBecome(DriverState.UNLOADING)).isFalse();
    assertThat(DriverState.STARTED.canBecome(DriverState.UNLOADED)).isFalse();
  }

  @Test
  void drvoBitsDeriveFromTheDriversState() {
    assertThat(DriverState.LOADING.flags(DriverState.LOADING)).isZero();
    assertThat(DriverState.STARTED.flags(DriverState.LOADING)).isEqualTo(DriverFlags.DRVO_INITIALIZED);
    assertThat(DriverState.UNLOAD_PENDING.flags(DriverState.STARTED)).isEqualTo(DriverFlags.DRVO_INITIALIZED);
    assertThat(DriverState.UNLOADING.flags(DriverState.STARTED))
        .isEqualTo(DriverFlags.DRVO_INITIALIZED | DriverFlags.DRVO_UNLOAD_INVOKED);
    assertThat(DriverState.ENTRY_FAILED.flags(DriverState.LOADING)).isZero();
    // A deleted driver keeps the bits of the state it was deleted from.
    assertThat(DriverState.DELETED.flags(DriverState.UNLOADED))
        .isEqualTo(DriverFlags.DRVO_INITIALIZED | DriverFlags.DRVO_UNLOAD_INVOKED);
    assertThat(DriverState.DELETED.unloadInvoked(DriverState.UNLOADED)).isTrue();
    assertThat(DriverState.DELETED.unloadInvoked(DriverState.ENTRY_FAILED)).isFalse();
  }

  @Test
  void aDeviceIsMarkedForUnloadAndForDeleteInEitherOrder() {
    assertThat(DeviceState.ACTIVE.markedForUnload()).isEqualTo(DeviceState.UNLOAD_PENDING);
    assertThat(DeviceState.UNLOAD_PENDING.markedForDelete()).isEqualTo(DeviceState.UNLOAD_DELETE_PENDING);
    assertThat(DeviceState.ACTIVE.markedForDelete()).isEqualTo(DeviceState.DELETE_PENDING);
    assertThat(DeviceState.DELETE_PENDING.markedForUnload()).isEqualTo(DeviceState.UNLOAD_DELETE_PENDING);
    // Marked twice is marked once; a deleted device is not marked again.
    assertThat(DeviceState.UNLOAD_PENDING.markedForUnload()).isEqualTo(DeviceState.UNLOAD_PENDING);
    assertThat(DeviceState.DELETED.markedForDelete()).isEqualTo(DeviceState.DELETED);
    assertThat(DeviceState.DELETED.markedForUnload()).isEqualTo(DeviceState.DELETED);
  }

  @Test
  void doeBitsAndGoingAwayDeriveFromTheDevicesState() {
    assertThat(DeviceState.ACTIVE.extensionFlags(DeviceState.NEW)).isZero();
    assertThat(DeviceState.UNLOAD_DELETE_PENDING.extensionFlags(DeviceState.DELETE_PENDING))
        .isEqualTo(DeviceFlags.DOE_UNLOAD_PENDING | DeviceFlags.DOE_DELETE_PENDING);
    assertThat(DeviceState.DELETED.extensionFlags(DeviceState.DELETE_PENDING)).isEqualTo(DeviceFlags.DOE_DELETE_PENDING);
    assertThat(DeviceState.ACTIVE.goingAway()).isFalse();
    assertThat(DeviceState.UNLOAD_PENDING.goingAway()).isTrue();
    assertThat(DeviceState.DELETED.goingAway()).isTrue();
    assertThat(DeviceState.NEW.linked()).isFalse();
    assertThat(DeviceState.DELETED.linked()).isTrue();
  }

  @Test
  void anUndrawnTransitionIsAnNtioBugThatNamesTheObjectAndItsHistory() {
    Lifecycle<DeviceState> device = new Lifecycle<>("Device \\Device\\X", DeviceState.NEW);
    device.moveTo(DeviceState.ACTIVE, "IoCreateDevice");
    assertThatThrownBy(() -> device.moveTo(DeviceState.DELETED, "final delete"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Device \\Device\\X: ACTIVE cannot become DELETED (final delete)")
        .hasMessageContaining("ACTIVE (IoCreateDevice)");
    assertThat(device.state()).isEqualTo(DeviceState.ACTIVE);
  }

  @Test
  void theHistoryKeepsTheLastTransitionsWithTheirCauses() {
    Lifecycle<DriverState> driver = new Lifecycle<>("Driver \\Driver\\X", DriverState.LOADING);
    driver.moveTo(DriverState.STARTED, "DriverEntry succeeded");
    driver.moveTo(DriverState.UNLOAD_PENDING, "NtUnloadDriver");
    for (int i = 0; i < Lifecycle.HISTORY; i++) {
      driver.moveTo(DriverState.UNLOAD_PENDING, "NtUnloadDriver again");
    }
    assertThat(driver.history()).hasSize(Lifecycle.HISTORY).last().isEqualTo("UNLOAD_PENDING (NtUnloadDriver again)");
    assertThat(driver.previous()).isEqualTo(DriverState.UNLOAD_PENDING);
    driver.moveTo(DriverState.UNLOADING, "last close");
    assertThat(driver.history()).last().isEqualTo("UNLOADING (last close)");
  }
}
