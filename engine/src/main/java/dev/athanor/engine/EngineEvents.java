package dev.athanor.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The listeners of one engine, plus the global ones that every engine calls (or of one connection:
 * {@code connection.events()}). Adding and removing are safe at any time; a listener added while a
 * statement runs sees the next one.
 */
public final class EngineEvents {
  private static final List<EngineListener> GLOBAL = new CopyOnWriteArrayList<>();

  private final List<EngineListener> local = new CopyOnWriteArrayList<>();

  private final boolean withGlobal;

  EngineEvents() {
    this(true);
  }

  private EngineEvents(boolean withGlobal) {
    this.withGlobal = withGlobal;
  }

  /** The listeners of one connection: only its own (the engine's are fired beside them). */
  /** No listeners; never handed out, so none can be added. */
  static final EngineEvents NONE = new EngineEvents(false);

  static EngineEvents forConnection() {
    return new EngineEvents(false);
  }

  void clear() {
    local.clear();
  }

  /** Adds a listener for every engine. */
  public static void addGlobal(EngineListener listener) {
    GLOBAL.add(listener);
  }

  /** Removes a listener added with {@link #addGlobal}. */
  public static void removeGlobal(EngineListener listener) {
    GLOBAL.remove(listener);
  }

  /** Adds a listener for this engine (and the engines derived from it). */
  public void add(EngineListener listener) {
    local.add(listener);
  }

  /** Removes a listener. */
  public void remove(EngineListener listener) {
    local.remove(listener);
  }

  /** Fires an event to the engine's (and the global) listeners, then to a connection's own. */
  static void fire(EngineEvents engine, EngineEvents own, Consumer<EngineListener> event) {
    if (!engine.isEmpty()) {
      engine.fire(event);
    }
    if (!own.isEmpty()) {
      own.fire(event);
    }
  }

  /** Fires a one-argument event; allocates nothing when no listener is registered. */
  static <A> void fire(
      EngineEvents engine,
      EngineEvents own,
      java.util.function.BiConsumer<EngineListener, A> event,
      A arg) {
    if (!engine.isEmpty() || !own.isEmpty()) {
      fire(engine, own, l -> event.accept(l, arg));
    }
  }

  /**
   * Fires an event whose listeners may do IO: each publisher subscribed in turn, after the one
   * before completed. Returns {@code null} when every listener answered the empty default, so that
   * listeners without IO cost nothing more than a call on the checkout path.
   */
  reactor.core.publisher.@org.jspecify.annotations.Nullable Mono<Void> fireAsync(
      java.util.function.Function<EngineListener, org.reactivestreams.Publisher<Void>> event) {
    List<org.reactivestreams.Publisher<Void>> work = null;
    List<EngineListener> all = withGlobal && !GLOBAL.isEmpty() ? concat(GLOBAL, local) : local;
    for (EngineListener l : all) {
      org.reactivestreams.Publisher<Void> p = event.apply(l);
      if (p != reactor.core.publisher.Mono.<Void>empty()) {
        if (work == null) {
          work = new java.util.ArrayList<>(2);
        }
        work.add(p); // cold: nothing runs before its turn
      }
    }
    return work == null
        ? null
        : reactor.core.publisher.Flux.fromIterable(work).concatMap(p -> p).then();
  }

  private static List<EngineListener> concat(List<EngineListener> a, List<EngineListener> b) {
    List<EngineListener> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  boolean isEmpty() {
    return local.isEmpty() && (!withGlobal || GLOBAL.isEmpty());
  }

  void fire(Consumer<EngineListener> event) {
    if (withGlobal && !GLOBAL.isEmpty()) {
      for (EngineListener l : GLOBAL) {
        event.accept(l);
      }
    }
    if (!local.isEmpty()) {
      for (EngineListener l : local) {
        event.accept(l);
      }
    }
  }
}
