package ntio.kernel.executive;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A crash handler for tests: remembers each bug check it was handed and the thread it ran on. */
final class RecordingHandler implements CrashHandler {

  final List<BugCheck> handled = new CopyOnWriteArrayList<>();
  final List<Thread> threads = new CopyOnWriteArrayList<>();

  @Override
  public void onBugCheck(BugCheck bugCheck) {
    handled.add(bugCheck);
    threads.add(Thread.currentThread());
  }

  BugCheck only() {
    if (handled.size() != 1) {
      throw new AssertionError("expected exactly one handled bug check, got " + handled);
    }
    return handled.get(0);
  }
}
