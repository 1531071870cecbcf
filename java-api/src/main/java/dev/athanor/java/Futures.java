package dev.athanor.java;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/** Bridges from the reactive core to {@link CompletableFuture}s, for values that must be owned. */
final class Futures {
  private Futures() {}

  /**
   * Returns a future of a value that holds a resource (a connection, an open stream): cancelling
   * the future cancels the operation, and a value that arrives for a cancelled future is handed to
   * {@code release} instead of being dropped.
   */
  static <T> CompletableFuture<T> owned(Mono<T> mono, Consumer<? super T> release) {
    CompletableFuture<T> f = new CompletableFuture<>();
    Disposable d =
        mono.subscribe(
            v -> {
              if (!f.complete(v)) {
                release.accept(v);
              }
            },
            f::completeExceptionally,
            () -> f.complete(null));
    f.whenComplete((v, e) -> {
      if (f.isCancelled()) {
        d.dispose();
      }
    });
    return f;
  }
}
