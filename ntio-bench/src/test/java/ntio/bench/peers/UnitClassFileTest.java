package ntio.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnitClassFileTest {

  /** Defines one class from bytes, as a peer's loader would from its JAR. */
  private static final class OneClassLoader extends ClassLoader {
    OneClassLoader() {
      super(UnitClassFileTest.class.getClassLoader());
    }

    Class<?> define(String name, byte[] bytes) {
      return defineClass(name, bytes, 0, bytes.length);
    }
  }

  @Test
  void theClassVerifiesConstructsAndItsMethodsReturn() throws Exception {
    byte[] bytes = UnitClassFile.of("ntio.bench.peers.unit.Probe", "java.lang.Object", List.of("java.lang.Runnable"),
        List.of(new UnitClassFile.EmptyMethod("run", "()V"),
            new UnitClassFile.EmptyMethod("wide", "(JLjava/lang/String;[D)V")));

    Class<?> probe = new OneClassLoader().define("ntio.bench.peers.unit.Probe", bytes);
    Object instance = probe.getConstructor().newInstance();
    ((Runnable) instance).run();
    probe.getMethod("wide", long.class, String.class, double[].class).invoke(instance, 1L, "x", new double[0]);

    assertThat(Modifier.isPublic(probe.getModifiers()) && Modifier.isFinal(probe.getModifiers())).isTrue();
    assertThat(probe.getInterfaces()).containsExactly(Runnable.class);
  }

  @Test
  void longAndDoubleArgumentsTakeTwoSlotsAndArraysOfThemOne() {
    assertThat(UnitClassFile.argumentSlots("()V")).isZero();
    assertThat(UnitClassFile.argumentSlots("(JD)V")).isEqualTo(4);
    assertThat(UnitClassFile.argumentSlots("([J[[DLjava/lang/Long;I)V")).isEqualTo(4);
  }

  @Test
  void onlyVoidMethodsCanBeEmpty() {
    assertThatThrownBy(() -> new UnitClassFile.EmptyMethod("size", "()I"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a void method descriptor: ()I");
  }
}
