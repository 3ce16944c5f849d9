package ntio.kernel.executive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Test helper: runs code that must raise a bug check and returns what unwound it. */
final class Raised {

  private Raised() {}

  static BugCheckException by(ThrowingCallable code) {
    BugCheckException thrown = catchThrowableOfType(BugCheckException.class, code);
    assertThat(thrown).as("a BugCheckException").isNotNull();
    return thrown;
  }
}
