package ntio.kernel.objects;

import ntio.ddk.ProcessorMode;
import ntio.kernel.security.Token;

/**
 * Who is calling: the calling thread's process (its handle table and token) and the previous
 * mode. Every object-manager call takes one explicitly, as NT reads it from the current thread.
 */
public interface Caller {

  /** The handle table of the calling thread's process. */
  HandleTable handleTable();

  /** The token access checks and privilege checks use. */
  Token token();

  /** The mode the request came from: user-mode requests are captured and checked. */
  ProcessorMode previousMode();

  /** Whether the request came from user mode. */
  default boolean isUserMode() {
    return previousMode() == ProcessorMode.USER;
  }
}
