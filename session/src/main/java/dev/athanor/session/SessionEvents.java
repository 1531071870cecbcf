package dev.athanor.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The listeners of one session (or of one factory, for every session it makes), plus the global
 * ones every session calls. Listeners fire global first, then the factory's, then the session's
 * own, each in the order added. Adding and removing are safe at any time.
 */
public final class SessionEvents {
  private static final List<SessionListener> GLOBAL = new CopyOnWriteArrayList<>();

  private final List<SessionListener> local = new CopyOnWriteArrayList<>();
  private final @Nullable SessionEvents parent;

  SessionEvents(@Nullable SessionEvents parent) {
    this.parent = parent;
  }

  /** Adds a listener; the returned registration removes it. */
  public Registration add(SessionListener listener) {
    local.add(listener);
    return () -> local.remove(listener);
  }

  /** Adds a listener for every session; the returned registration removes it. */
  public static Registration addGlobal(SessionListener listener) {
    GLOBAL.add(listener);
    return () -> GLOBAL.remove(listener);
  }

  /**
   * Returns a listener that runs blocking code: each event runs {@code listener}'s method on a
   * virtual thread with a {@link SyncSession} over the session that fired it (same transaction,
   * same identity map), and the session waits for it.
   */
  public static SessionListener blocking(BlockingSessionListener listener) {
    return new BlockingAdapter(listener);
  }

  boolean isEmpty() {
    return local.isEmpty() && GLOBAL.isEmpty() && (parent == null || parent.isEmpty());
  }

  private List<SessionListener> all() {
    List<SessionListener> out = new ArrayList<>(GLOBAL);
    if (parent != null) {
      out.addAll(parent.local);
    }
    out.addAll(local);
    return out;
  }

  /** Fires an event that may do IO: listener after listener, each awaited. */
  Mono<Void> fire(Function<SessionListener, Mono<Void>> event) {
    if (isEmpty()) {
      return Mono.empty();
    }
    return Flux.fromIterable(all()).concatMap(event).then();
  }

  /** Fires an object event: plain calls, no IO. */
  void fireSync(Consumer<SessionListener> event) {
    if (!isEmpty()) {
      for (SessionListener l : all()) {
        event.accept(l);
      }
    }
  }

  /** Runs a {@link BlockingSessionListener} on a virtual thread per event. */
  private record BlockingAdapter(BlockingSessionListener listener) implements SessionListener {
    @Override
    public Mono<Void> afterBegin(Session session, dev.athanor.engine.Connection connection) {
      return SessionRunSync.listener(session, listener::afterBegin);
    }

    @Override
    public Mono<Void> beforeFlush(Session session) {
      return SessionRunSync.listener(session, listener::beforeFlush);
    }

    @Override
    public Mono<Void> afterFlush(Session session) {
      return SessionRunSync.listener(session, listener::afterFlush);
    }

    @Override
    public Mono<Void> afterFlushPostexec(Session session) {
      return SessionRunSync.listener(session, listener::afterFlushPostexec);
    }

    @Override
    public Mono<Void> beforeCommit(Session session) {
      return SessionRunSync.listener(session, listener::beforeCommit);
    }

    @Override
    public Mono<Void> afterCommit(Session session) {
      return SessionRunSync.listener(session, listener::afterCommit);
    }

    @Override
    public Mono<Void> afterRollback(Session session) {
      return SessionRunSync.listener(session, listener::afterRollback);
    }
  }
}
