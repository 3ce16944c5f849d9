package ntio.drivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class ClassFileReferencesTest {

  /** Kept in the class file but never loaded by the JVM, like Error Prone's annotations. */
  @Retention(RetentionPolicy.CLASS)
  @interface Invisible {}

  /** What {@link ClassFileReferences} reads; never run. */
  @SuppressWarnings("unused")
  static final class Fixture {
    static final String CONSTANT = "Lfake/Constant;";

    List<TestInfo> infos;

    @Invisible
    Object make() {
      return new StringBuilder("Lfake/Literal;");
    }

    <Lock> Lock same(Lock lock) {
      return lock;
    }
  }

  @Test
  void classesNamedInSignaturesInstructionsAndInvisibleAnnotationsAreReferences()
      throws IOException {
    Set<String> refs = ClassFileReferences.of(fixture());

    assertThat(refs)
        .contains(
            "org/junit/jupiter/api/TestInfo",
            "java/util/List",
            "java/lang/StringBuilder",
            "ntio/drivers/ClassFileReferencesTest$Invisible");
  }

  @Test
  void stringLiteralsAndTypeVariablesAreNotReferences() throws IOException {
    Set<String> refs = ClassFileReferences.of(fixture());

    assertThat(refs).doesNotContain("fake/Constant", "fake/Literal", "ock");
  }

  @Test
  void bytesThatAreNotAClassFileAreRefused() {
    assertThatThrownBy(() -> ClassFileReferences.of(new byte[] {1, 2, 3, 4, 0, 0, 0, 0}))
        .isInstanceOf(IOException.class)
        .hasMessage("not a class file: bad magic");
  }

  private static byte[] fixture() throws IOException {
    String name = "ClassFileReferencesTest$Fixture.class";
    try (InputStream in = ClassFileReferencesTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }
}
