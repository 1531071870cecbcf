package dev.athanor.result.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * A flux of fetched lists in which each fetch starts only once the subscriber has asked for a list
 * it has not had: at most one fetch runs, and none runs ahead of demand. (Repeating a fetch, or
 * {@code concatMap} over one, subscribes to the next fetch as soon as the last ends, which starts
 * its work before anyone asked for its list.) An empty list ends the flux.
 */
public final class OnDemand<T> {
  private final FluxSink<List<T>> sink;
  private final Supplier<Mono<List<T>>> fetch;
  private final AtomicInteger wip = new AtomicInteger();
  private volatile boolean busy;
  private volatile boolean done;
  private volatile @Nullable Disposable current;

  private OnDemand(FluxSink<List<T>> sink, Supplier<Mono<List<T>>> fetch) {
    this.sink = sink;
    this.fetch = fetch;
  }

  /**
   * The lists {@code fetch} gives, one fetch per list asked for, until one is empty; {@code
   * onCancel} runs when the subscriber cancels.
   */
  public static <T> Flux<List<T>> lists(Supplier<Mono<List<T>>> fetch, Runnable onCancel) {
    return Flux.create(
        sink -> {
          OnDemand<T> pump = new OnDemand<>(sink, fetch);
          sink.onCancel(() -> {
            Disposable d = pump.current;
            if (d != null) {
              d.dispose();
            }
            onCancel.run();
          });
          sink.onRequest(n -> pump.drain());
        },
        FluxSink.OverflowStrategy.ERROR);
  }

  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    do {
      if (!busy && !done && !sink.isCancelled() && sink.requestedFromDownstream() > 0) {
        busy = true;
        current =
            fetch
                .get()
                .contextWrite(sink.contextView())
                .subscribe(this::got, this::failed, this::fetched);
      }
    } while (wip.decrementAndGet() != 0);
  }

  private void got(List<T> list) {
    if (list.isEmpty()) {
      done = true;
      sink.complete();
    } else {
      sink.next(list);
    }
  }

  private void failed(Throwable e) {
    done = true;
    sink.error(e);
  }

  private void fetched() {
    busy = false;
    drain();
  }
}
