package dev.athanor.session;

import dev.athanor.engine.Connection;
import dev.athanor.engine.Engine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The connections of a session's transaction, one per engine in the order they joined, and the ones
 * still being checked out for it. A connection is the session's from before its checkout's IO, so
 * whatever moment a cancelled caller stops at, ending the transaction returns it. Checkouts finish
 * on driver threads while the session's caller may be ending the transaction: every change is under
 * one lock.
 */
final class SessionConnections {
  private final Map<Engine, Connection> joined = new LinkedHashMap<>();
  private final List<Connection> starting = new ArrayList<>();

  synchronized @Nullable Connection get(Engine engine) {
    return joined.get(engine);
  }

  /** The one connection, when exactly one has joined; else {@code null}. */
  synchronized @Nullable Connection only() {
    return joined.size() == 1 ? joined.values().iterator().next() : null;
  }

  synchronized boolean isEmpty() {
    return joined.isEmpty();
  }

  /** The joined connections, in the order they joined. */
  synchronized List<Connection> all() {
    return List.copyOf(joined.values());
  }

  /** A connection whose checkout begins now. */
  synchronized void starting(Connection c) {
    starting.add(c);
  }

  /**
   * Its caller left before it joined: the session forgets it and returns {@code true} (the caller
   * closes it); {@code false} if it joined already, or left the session otherwise.
   */
  synchronized boolean forgetStarting(Connection c) {
    return starting.remove(c);
  }

  /**
   * Its checkout ended: it joins, unless the transaction ended meanwhile (then it was already
   * closed with the others, and this returns {@code false}).
   */
  synchronized boolean started(Engine engine, Connection c) {
    if (!starting.remove(c)) {
      return false;
    }
    joined.put(engine, c);
    return true;
  }

  /** Its checkout failed, or it could not join: the session forgets it. */
  synchronized void forget(Engine engine, Connection c) {
    starting.remove(c);
    joined.remove(engine, c);
  }

  /** Takes every connection, joined or starting, out of the session (the transaction ended). */
  synchronized List<Connection> takeAll() {
    List<Connection> all = new ArrayList<>(joined.values());
    all.addAll(starting);
    joined.clear();
    starting.clear();
    return all;
  }

  /**
   * Closes every connection, starting each close now rather than when the returned {@code Mono} is
   * subscribed: the connections have already left the session, so a close that a cancelled caller
   * never subscribed would keep its connection out of the pool for good. The returned {@code Mono}
   * completes when all have finished and reports the first failure.
   */
  static Mono<Void> closeAll(List<Connection> all, Function<Connection, Mono<Void>> close) {
    List<Mono<Void>> running = new ArrayList<>(all.size());
    for (Connection c : all) {
      Mono<Void> m = close.apply(c).cache();
      m.subscribe(v -> {}, e -> {});
      running.add(m);
    }
    if (running.size() == 1) {
      return running.get(0);
    }
    return Mono.whenDelayError(running)
        .onErrorMap(e ->
            reactor.core.Exceptions.isMultiple(e)
                ? reactor.core.Exceptions.unwrapMultiple(e).get(0)
                : e);
  }
}
