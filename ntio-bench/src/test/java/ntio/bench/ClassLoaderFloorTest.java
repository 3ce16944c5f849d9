package ntio.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClassLoaderFloorTest {

  @Test
  void eachCycleDefinesTheEntryClassAfreshAndCallsIt() throws Exception {
    try (ClassLoaderFloor floor = ClassLoaderFloor.create()) {
      Object first = floor.run();
      Object second = floor.run();

      assertThat(first).asString().startsWith("ntio.drivers.nul.NullDriver@");
      assertThat(second).asString().startsWith("ntio.drivers.nul.NullDriver@");
    }
  }
}
