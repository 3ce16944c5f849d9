package ntio.kernel.verifier;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Names what keeps an unmapped image's class loader reachable, where the JVM lets us see it: a live
 * thread whose class, context class loader or running frames are the image's; a shutdown hook of
 * the image's, when the JVM's hook list is readable; otherwise an unknown strong reference, with
 * how to find it in a heap dump. No NT counterpart (Driver Verifier names the leaked timer or
 * thread object in its bug check parameters).
 *
 * <p>A snapshot: the threads and hooks are read once, when it is made, so that one batch of
 * probes looks at the JVM once. Not thread-safe; used by one probe worker.
 */
final class LoaderHolders {

  /*
   * Implementation notes:
   *
   * Threads: Thread.getAllStackTraces() lists live threads only. A frame names its class and its
   * loader's name ("image:Foo.jar"), not the loader itself; two mappings of the same image have the
   * same name, so each candidate frame's class is looked up through the loader (loadClass on a
   * closed image loader finds only classes it already defined, and defines nothing) and compared
   * by identity.
   *
   * Shutdown hooks: the JVM keeps them in java.lang.ApplicationShutdownHooks.hooks, private to
   * java.base. Reading it needs --add-opens java.base/java.lang=<the kernel's module, or
   * ALL-UNNAMED>; without it there is no supported way to list hooks, and a registered hook is an
   * unstarted Thread that no thread enumeration shows. The message then says that a hook cannot
   * be ruled out. A hook's Runnable is Thread.target, private too, read under the same opening.
   */

  /** What a finding says when nothing it can see holds the loader. */
  static final String UNKNOWN = "held by an unknown strong reference";

  private final Map<Thread, StackTraceElement[]> threads;
  private final Optional<List<Thread>> hooks;
  private final Thread self;

  private LoaderHolders(Map<Thread, StackTraceElement[]> threads, Optional<List<Thread>> hooks) {
    this.threads = threads;
    this.hooks = hooks;
    this.self = Thread.currentThread();
  }

  /** Reads the live threads, their stacks and, if the JVM lets it, the shutdown hooks. */
  static LoaderHolders snapshot() {
    return new LoaderHolders(Thread.getAllStackTraces(), shutdownHooks());
  }

  /** A snapshot over given threads and hooks; an empty {@code hooks} means they are unreadable. */
  static LoaderHolders of(Map<Thread, StackTraceElement[]> threads, Optional<List<Thread>> hooks) {
    return new LoaderHolders(threads, hooks);
  }

  /**
   * What holds {@code loader}, for a finding: each thread and hook found, or {@link #UNKNOWN} and
   * the heap-dump hint. Never calls code of the image: only looks classes up in its (closed)
   * loader.
   */
  String describe(ClassLoader loader) {
    List<String> holders = new ArrayList<>();
    threads.forEach((thread, stack) -> {
      if (thread != self) {
        threadHold(thread, stack, loader).ifPresent(holders::add);
      }
    });
    hooks.ifPresent(registered -> {
      for (Thread hook : registered) {
        hookHold(hook, loader).ifPresent(holders::add);
      }
    });
    if (!holders.isEmpty()) {
      return "held by " + String.join("; and by ", holders);
    }
    StringBuilder text = new StringBuilder(UNKNOWN).append(" (no live thread of the image");
    text.append(hooks.isPresent()
        ? " and no shutdown hook of it)"
        : "; a shutdown hook cannot be ruled out: the JVM's hook list is readable only with"
            + " --add-opens java.base/java.lang=ALL-UNNAMED)");
    text.append(". To find it, take a heap dump (jcmd ").append(ProcessHandle.current().pid())
        .append(" GC.heap_dump <file>.hprof) and ask for the paths from GC roots to the ")
        .append(loader.getClass().getName()).append(" named \"").append(loader.getName())
        .append("\" (Eclipse MAT: Path To GC Roots, excluding weak references)");
    return text.toString();
  }

  private static Optional<String> threadHold(Thread thread, StackTraceElement[] stack,
      ClassLoader loader) {
    List<String> why = new ArrayList<>();
    Class<?> imageClass = imageSuperclass(thread.getClass(), loader);
    if (imageClass != null) {
      why.add("it is a " + imageClass.getName() + ", a class of the image");
    }
    if (thread.getContextClassLoader() == loader) {
      why.add("its context class loader is the image's");
    }
    for (StackTraceElement frame : stack) {
      if (isImageFrame(frame, loader)) {
        why.add("it is running " + frame.getClassName() + "." + frame.getMethodName() + "("
            + (frame.getFileName() == null ? "Unknown Source" : frame.getFileName())
            + (frame.getLineNumber() >= 0 ? ":" + frame.getLineNumber() : "") + ")");
        break;
      }
    }
    if (why.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("thread \"" + thread.getName() + "\" (id " + thread.getId() + ", "
        + thread.getState() + "): " + String.join(", ", why));
  }

  private static Optional<String> hookHold(Thread hook, ClassLoader loader) {
    List<String> why = new ArrayList<>();
    Class<?> imageClass = imageSuperclass(hook.getClass(), loader);
    if (imageClass != null) {
      why.add("it is a " + imageClass.getName() + ", a class of the image");
    }
    if (hook.getContextClassLoader() == loader) {
      why.add("its context class loader is the image's");
    }
    Object target = threadTarget(hook);
    if (target != null && imageSuperclass(target.getClass(), loader) != null) {
      why.add("it runs a " + target.getClass().getName() + ", a class of the image");
    }
    if (why.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("shutdown hook \"" + hook.getName()
        + "\" (registered with Runtime.addShutdownHook and never removed): " + String.join(", ", why));
  }

  /** The first class from {@code type} up that {@code loader} defined, or null. */
  private static Class<?> imageSuperclass(Class<?> type, ClassLoader loader) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getClassLoader() == loader) {
        return c;
      }
    }
    return null;
  }

  private static boolean isImageFrame(StackTraceElement frame, ClassLoader loader) {
    if (loader.getName() == null || !loader.getName().equals(frame.getClassLoaderName())) {
      return false;
    }
    try {
      return loader.loadClass(frame.getClassName()).getClassLoader() == loader;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The JVM's registered shutdown hooks, or empty when java.lang is not opened to us. */
  static Optional<List<Thread>> shutdownHooks() {
    try {
      Class<?> hooks = Class.forName("java.lang.ApplicationShutdownHooks");
      Field field = hooks.getDeclaredField("hooks");
      field.setAccessible(true);
      // Its methods are static synchronized: the class is the lock that guards the map.
      synchronized (hooks) {
        Object map = field.get(null);
        if (!(map instanceof Map<?, ?> registered)) {
          return Optional.of(List.of()); // the JVM is running the hooks already
        }
        List<Thread> threads = new ArrayList<>();
        for (Object key : registered.keySet()) {
          threads.add((Thread) key);
        }
        return Optional.of(threads);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // InaccessibleObjectException without --add-opens; anything else: a JDK that differs.
      return Optional.empty();
    }
  }

  private static Object threadTarget(Thread thread) {
    try {
      Field target = Thread.class.getDeclaredField("target");
      target.setAccessible(true);
      return target.get(thread);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
