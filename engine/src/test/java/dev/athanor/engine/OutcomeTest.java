package dev.athanor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;

/** The outcome handed to waiters by the queue, the checkout and the close, without a database. */
class OutcomeTest {
  /** An outcome that counts the waiters that left. */
  private static final class Counted extends Outcome<String> {
    final AtomicInteger left = new AtomicInteger();

    @Override
    void waiterLeft() {
      left.incrementAndGet();
    }
  }

  @Test
  void aValueSetBeforeOrAfterSubscribingReachesTheWaiter() {
    Counted late = new Counted();
    assertTrue(late.emitValue("v"));
    assertEquals("v", late.block(Duration.ofSeconds(1)));
    assertEquals("v", late.block(Duration.ofSeconds(1)), "kept for the next waiter");

    Counted early = new Counted();
    Mono<String> waiting = early.map(String::toUpperCase);
    new Thread(() -> early.emitValue("w")).start();
    assertEquals("W", waiting.block(Duration.ofSeconds(5)));
    assertEquals(0, early.left.get());
  }

  @Test
  void theFirstOutcomeWins() {
    Counted o = new Counted();
    assertTrue(o.emitError(new IllegalStateException("first")));
    assertFalse(o.emitValue("second"));
    assertFalse(o.emitEmpty());
    assertTrue(o.isSet());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> o.block(Duration.ofSeconds(1)));
    assertEquals("first", e.getMessage());
  }

  @Test
  void noValueCompletesEmpty() {
    Counted o = new Counted();
    o.emitEmpty();
    assertNull(o.block(Duration.ofSeconds(1)));
    assertTrue(o.hasElement().map(b -> !b).block(Duration.ofSeconds(1)));
  }

  @Test
  void everyWaiterGetsTheOutcomeAndACancelledOneIsToldApart() throws Exception {
    Counted o = new Counted();
    List<String> got = new CopyOnWriteArrayList<>();
    CountDownLatch two = new CountDownLatch(2);
    o.subscribe(v -> {
      got.add("a " + v);
      two.countDown();
    });
    var cancelled = o.subscribe(v -> got.add("cancelled " + v));
    o.subscribe(v -> {
      got.add("c " + v);
      two.countDown();
    });
    cancelled.dispose();
    assertEquals(1, o.left.get(), "the owner hears that a waiter left");
    o.emitValue("v");
    assertTrue(two.await(5, TimeUnit.SECONDS));
    assertEquals(List.of("a v", "c v"), got);
  }

  @Test
  void aValueWaitsForTheWaitersRequest() {
    Counted o = new Counted();
    List<String> got = new CopyOnWriteArrayList<>();
    Subscription[] sub = new Subscription[1];
    o.subscribe(
        new BaseSubscriber<String>() {
          @Override
          protected void hookOnSubscribe(Subscription s) {
            sub[0] = s; // no request yet
          }

          @Override
          protected void hookOnNext(String v) {
            got.add(v);
          }
        });
    o.emitValue("v");
    assertEquals(List.of(), got, "nothing before the request");
    sub[0].request(1);
    assertEquals(List.of("v"), got);
  }

  @Test
  void aWaiterThatCancelsWhileSubscribingIsNotKept() {
    Counted o = new Counted();
    o.subscribe(
        new BaseSubscriber<String>() {
          @Override
          protected void hookOnSubscribe(Subscription s) {
            s.cancel();
          }

          @Override
          protected void hookOnNext(String v) {
            throw new AssertionError("a cancelled waiter got " + v);
          }
        });
    assertEquals(1, o.left.get());
    o.emitValue("v");
    assertSame("v", o.block(Duration.ofSeconds(1)));
  }
}
