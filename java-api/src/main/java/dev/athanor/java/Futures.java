package dev.athanor.java;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/** Bridges from the reactive core to {@link CompletableFuture}s, for values that must be owned. */
final class Futures {
  private Futures() {}

  /**
   * Returns a future of a value that holds a resource (a connection, an open stream). Cancelling
   * the future completes it at once; the operation runs to its end, and a value that arrives for a
   * cancelled future is handed to {@code release} instead of being dropped. The subscription is not
   * cancelled: a value already on its way to a cancelled subscriber would be dropped by Reactor
   * without anyone releasing it (a connection left checked out for good).
   */
  static <T> CompletableFuture<T> owned(Mono<T> mono, Consumer<? super T> release) {
    CompletableFuture<T> f = new CompletableFuture<>();
    mono.subscribe(
        v -> {
          if (!f.complete(v)) {
            release.accept(v);
          }
        },
        f::completeExceptionally,
        () -> f.complete(null));
    return f;
  }
}
