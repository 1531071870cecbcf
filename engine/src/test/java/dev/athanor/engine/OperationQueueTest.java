package dev.athanor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.athanor.engine.internal.CallerFlow;
import dev.athanor.error.InvalidRequestException;
import dev.athanor.error.ResourceClosedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** The per-connection operation queue, without a database: order, refusal, abandonment, close. */
class OperationQueueTest {
  private final OperationQueue queue = new OperationQueue(null);
  private final List<String> log = new CopyOnWriteArrayList<>();

  /** An operation that logs its start and ends when the returned sink is emitted. */
  private Mono<String> op(String name, Sinks.Empty<Void> end) {
    return Mono.defer(() -> {
      log.add("start " + name);
      return end.asMono()
          .then(
              Mono.fromCallable(() -> {
                log.add("end " + name);
                return name;
              }));
    });
  }

  private Mono<String> run(String name, Mono<String> body) {
    return run(name, body, null);
  }

  private Mono<String> run(String name, Mono<String> body, @Nullable CallerFlow flow) {
    return Mono.defer(
        () -> queue.runNow(name, op -> new ResourceClosedException("closed"), body, flow));
  }

  /** A flow whose caller is gone once {@link #leave} was called. */
  private static final class Flow implements CallerFlow {
    private volatile boolean gone;

    void leave() {
      gone = true;
    }

    @Override
    public boolean gone() {
      return gone;
    }
  }

  /** An operation that logs its start and gives its name at once. */
  private Mono<String> quick(String name) {
    return Mono.fromCallable(() -> {
      log.add("start " + name);
      return name;
    });
  }

  @Test
  void aWaiterWhoseFlowHasGoneLetsAnotherFlowQueueBehindIt() {
    // A cancellation still on its way to the waiter (an operator hands it over on another thread)
    // while the cancelled flow's caller has gone on: the next flow's operation is not refused, and
    // it runs after the abandoned one.
    Flow a = new Flow();
    Sinks.Empty<Void> endA = Sinks.empty();
    Sinks.One<String> aHeard = Sinks.one();
    Disposable waiting = run("a", op("a", endA), a).subscribe(aHeard::tryEmitValue);
    a.leave();
    Sinks.One<String> b = Sinks.one();
    run("b", quick("b"), new Flow()).subscribe(b::tryEmitValue, b::tryEmitError);
    assertEquals(List.of("start a"), log, "b waits behind a");
    endA.tryEmitEmpty();
    assertEquals("b", b.asMono().block(Duration.ofSeconds(5)));
    assertEquals("a", aHeard.asMono().block(Duration.ofSeconds(5)), "a's waiter still hears");
    assertEquals(List.of("start a", "end a", "start b"), log);
    waiting.dispose();
  }

  @Test
  void aCallerWithoutAFlowQueuesBehindAGoneFlowToo() {
    // The rollback a cancelled flush sends from its clean-up carries no flow of its own.
    Flow a = new Flow();
    Sinks.Empty<Void> endA = Sinks.empty();
    Disposable waiting = run("a", op("a", endA), a).subscribe();
    a.leave();
    Sinks.One<String> b = Sinks.one();
    run("b", quick("b")).subscribe(b::tryEmitValue, b::tryEmitError);
    endA.tryEmitEmpty();
    assertEquals("b", b.asMono().block(Duration.ofSeconds(5)));
    assertEquals(List.of("start a", "end a", "start b"), log);
    waiting.dispose();
  }

  @Test
  void theGoneFlowsOwnNextCallIsStillRefusedWhileItsWaiterStays() {
    // A call in the same flow (a listener of the cancelled operation) overlapping its own waited
    // operation is a concurrent use, not a cancellation on its way.
    Flow a = new Flow();
    Sinks.Empty<Void> endA = Sinks.empty();
    Disposable waiting = run("a", op("a", endA), a).subscribe();
    a.leave();
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> run("b", quick("b"), a).block());
    assertTrue(e.getMessage().contains("already running a()"), e.getMessage());
    endA.tryEmitEmpty();
    waiting.dispose();
  }

  @Test
  void aFlowThatHasNotGoneStillRefusesAnotherFlow() {
    Flow a = new Flow();
    Sinks.Empty<Void> endA = Sinks.empty();
    Disposable waiting = run("a", op("a", endA), a).subscribe();
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> run("b", quick("b"), new Flow()).block());
    assertTrue(e.getMessage().contains("already running a()"), e.getMessage());
    endA.tryEmitEmpty();
    waiting.dispose();
    assertEquals(List.of("start a", "end a"), log);
  }

  @Test
  void theOperationQueuedBehindAGoneFlowIsTheCallerFromThenOn() {
    // The gone flow's waiter leaving late does not free the connection for a third caller while
    // the second one waits.
    Flow a = new Flow();
    Sinks.Empty<Void> endA = Sinks.empty();
    Disposable waitingA = run("a", op("a", endA), a).subscribe();
    a.leave();
    Sinks.Empty<Void> endB = Sinks.empty();
    Disposable waitingB = run("b", op("b", endB), new Flow()).subscribe();
    waitingA.dispose(); // the cancellation reaches a's waiter at last
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> run("c", quick("c")).block());
    assertTrue(e.getMessage().contains("already running b()"), e.getMessage());
    endA.tryEmitEmpty();
    endB.tryEmitEmpty();
    waitingB.dispose();
    assertEquals(List.of("start a", "end a", "start b", "end b"), log);
  }

  @Test
  void aSecondCallerIsRefusedWhileTheFirstWaits() {
    Sinks.Empty<Void> end = Sinks.empty();
    Disposable first = run("a", op("a", end)).subscribe();
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> run("b", Mono.just("b")).block());
    assertTrue(e.getMessage().contains("already running a()"), e.getMessage());
    end.tryEmitEmpty();
    first.dispose();
  }

  /** A subscriber already cancelled when it subscribes (its cancellation came first). */
  private static <T> reactor.core.publisher.BaseSubscriber<T> cancelledOnArrival() {
    return new reactor.core.publisher.BaseSubscriber<>() {
      @Override
      protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
        s.cancel();
      }
    };
  }

  @Test
  void anOperationWhoseWaiterArrivesCancelledQueuesTheCallersNextOne() {
    // A cancellation that arrives on another thread while an operation starts: the operation is
    // in the queue, its waiter (cancelled on its way) not subscribed yet, and the cancelled caller
    // already asks for its next operation.
    Sinks.Empty<Void> endA = Sinks.empty();
    Mono<String> a =
        queue.runNow("a", op -> new ResourceClosedException("closed"), op("a", endA), null);
    Sinks.One<String> b = Sinks.one();
    run("b", quick("b")).subscribe(b::tryEmitValue, b::tryEmitError);
    assertEquals(List.of("start a"), log, "b waits behind a");
    a.subscribe(cancelledOnArrival()); // a's waiter comes, already cancelled
    endA.tryEmitEmpty();
    assertEquals("b", b.asMono().block(Duration.ofSeconds(5)));
    assertEquals(List.of("start a", "end a", "start b"), log);
  }

  @Test
  void aSecondCallerBeforeTheFirstsWaiterCameIsRefusedOnceItStays() {
    Sinks.Empty<Void> endA = Sinks.empty();
    Mono<String> a =
        queue.runNow("a", op -> new ResourceClosedException("closed"), op("a", endA), null);
    Sinks.One<String> b = Sinks.one();
    run("b", Mono.just("b")).subscribe(b::tryEmitValue, b::tryEmitError);
    Disposable first = a.subscribe(); // a's caller waits for it: b was a concurrent caller
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> b.asMono().block(Duration.ofSeconds(5)));
    assertTrue(e.getMessage().contains("already running a()"), e.getMessage());
    endA.tryEmitEmpty();
    first.dispose();
    assertEquals(List.of("start a", "end a"), log);
  }

  @Test
  void anAbandonedOperationRunsToItsEndAndTheNextWaitsBehindIt() {
    Sinks.Empty<Void> endA = Sinks.empty();
    Disposable a = run("a", op("a", endA)).subscribe();
    a.dispose(); // the caller gives up: the operation goes on
    assertEquals(List.of("start a"), log);
    Sinks.One<String> b = Sinks.one();
    run("b", quick("b")).subscribe(b::tryEmitValue);
    // b may be asked for at once, but starts only after a has ended.
    assertEquals(List.of("start a"), log);
    endA.tryEmitEmpty();
    assertEquals("b", b.asMono().block(Duration.ofSeconds(5)));
    assertEquals(List.of("start a", "end a", "start b"), log);
  }

  @Test
  void aFailedOperationDoesNotBlockTheNext() {
    assertThrows(
        IllegalStateException.class,
        () -> run("a", Mono.error(new IllegalStateException("boom"))).block());
    assertEquals("b", run("b", Mono.just("b")).block());
  }

  @Test
  void closeWaitsForOperationsInFlightAndRefusesNewOnes() {
    Sinks.Empty<Void> end = Sinks.empty();
    run("a", op("a", end)).subscribe().dispose();
    Sinks.One<Boolean> closed = Sinks.one();
    queue.close(Duration.ofSeconds(5)).subscribe(closed::tryEmitValue);
    assertThrows(ResourceClosedException.class, () -> run("b", Mono.just("b")).block());
    assertEquals(Sinks.EmitResult.OK, end.tryEmitEmpty());
    assertTrue(closed.asMono().block(Duration.ofSeconds(5)));
    assertEquals(List.of("start a", "end a"), log);
  }

  @Test
  void closeGivesUpAfterItsLimitSoTheConnectionIsDiscarded() {
    Sinks.Empty<Void> never = Sinks.empty();
    run("a", op("a", never)).subscribe().dispose();
    assertFalse(queue.close(Duration.ofMillis(50)).block(Duration.ofSeconds(5)));
  }

  @Test
  void closeWithNothingInFlightNeedsNoWait() {
    assertEquals("a", run("a", Mono.just("a")).block());
    assertEquals(null, queue.close(Duration.ofSeconds(5)));
    assertThrows(ResourceClosedException.class, () -> run("b", Mono.just("b")).block());
  }

  @Test
  void theOutcomeReachesEveryWaiterAndIsKeptForLateOnes() {
    Sinks.Empty<Void> end = Sinks.empty();
    Mono<String> a = run("a", op("a", end));
    Sinks.One<String> first = Sinks.one();
    // A Mono from run() is cold: each subscription asks for one run of the operation.
    a.subscribe(first::tryEmitValue);
    end.tryEmitEmpty();
    assertEquals("a", first.asMono().block(Duration.ofSeconds(5)));
    assertEquals(List.of("start a", "end a"), log);
  }
}
