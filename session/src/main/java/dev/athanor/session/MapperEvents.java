package dev.athanor.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The listeners of one mapper, plus the global ones every mapper calls (global first). Adding and
 * removing are safe at any time.
 */
public final class MapperEvents {
  private static final List<MapperListener> GLOBAL = new CopyOnWriteArrayList<>();

  private final List<MapperListener> local = new CopyOnWriteArrayList<>();

  MapperEvents() {}

  /** Adds a listener; the returned registration removes it. */
  public Registration add(MapperListener listener) {
    local.add(listener);
    return () -> local.remove(listener);
  }

  /** Adds a listener for every mapper; the returned registration removes it. */
  public static Registration addGlobal(MapperListener listener) {
    GLOBAL.add(listener);
    return () -> GLOBAL.remove(listener);
  }

  boolean isEmpty() {
    return local.isEmpty() && GLOBAL.isEmpty();
  }

  /** Fires an event for each object: object after object, listener after listener. */
  Mono<Void> fire(List<Object> targets, Function<MapperListener, Function<Object, Mono<Void>>> ev) {
    if (isEmpty() || targets.isEmpty()) {
      return Mono.empty();
    }
    List<MapperListener> all = new ArrayList<>(GLOBAL);
    all.addAll(local);
    return Flux.fromIterable(targets)
        .concatMap(t -> Flux.fromIterable(all).concatMap(l -> ev.apply(l).apply(t)))
        .then();
  }
}
