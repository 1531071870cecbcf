package dev.athanor.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The caller's context that crosses into {@code runSync}'s virtual thread: SLF4J's MDC always (so a
 * request id logged inside {@code runSync} is the caller's), and any {@link ThreadLocal} the
 * program names with {@link #propagate}. The Kotlin face also applies the calling coroutine's
 * {@code ThreadContextElement}s.
 *
 * <pre>{@code
 * static final ThreadLocal<String> TENANT = new ThreadLocal<>();
 * RunSyncContext.propagate(TENANT);   // once, at start-up
 * }</pre>
 */
public final class RunSyncContext {
  private static final List<ThreadLocal<?>> PROPAGATED = new CopyOnWriteArrayList<>();

  private RunSyncContext() {}

  /** Carries {@code local}'s value from the caller into every {@code runSync} from now on. */
  public static void propagate(ThreadLocal<?> local) {
    if (!PROPAGATED.contains(local)) {
      PROPAGATED.add(local);
    }
  }

  /** Stops carrying {@code local}. */
  public static void stopPropagating(ThreadLocal<?> local) {
    PROPAGATED.remove(local);
  }

  /** Captures the calling thread's context; {@link Captured#call} runs work inside it. */
  static Captured capture() {
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    List<Object> values = new ArrayList<>(PROPAGATED.size());
    List<ThreadLocal<?>> locals = List.copyOf(PROPAGATED);
    for (ThreadLocal<?> l : locals) {
      values.add(l.get());
    }
    return new Captured(mdc, locals, values);
  }

  /** A caller's context, to be installed on another thread for the length of one call. */
  record Captured(
      @Nullable Map<String, String> mdc,
      List<ThreadLocal<?>> locals,
      List<@Nullable Object> values) {

    @SuppressWarnings("unchecked")
    <T> T call(Callable<T> work) throws Exception {
      Map<String, String> oldMdc = MDC.getCopyOfContextMap();
      List<Object> old = new ArrayList<>(locals.size());
      for (int i = 0; i < locals.size(); i++) {
        ThreadLocal<Object> l = (ThreadLocal<Object>) locals.get(i);
        old.add(l.get());
        set(l, values.get(i));
      }
      if (mdc != null) {
        MDC.setContextMap(mdc);
      } else {
        MDC.clear();
      }
      try {
        return work.call();
      } finally {
        for (int i = 0; i < locals.size(); i++) {
          set((ThreadLocal<Object>) locals.get(i), old.get(i));
        }
        if (oldMdc != null) {
          MDC.setContextMap(oldMdc);
        } else {
          MDC.clear();
        }
      }
    }

    private static void set(ThreadLocal<Object> l, @Nullable Object v) {
      if (v == null) {
        l.remove();
      } else {
        l.set(v);
      }
    }
  }
}
