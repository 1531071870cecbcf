package dev.athanor.testkit;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the first thread that {@link #pass passes} it after {@link #arm} until {@link #open}, so
 * that a test can act (cancel a caller, start the next call) at one exact point of an operation
 * every time: inside a constructor a load calls, a listener, a loader strategy. Other passes, and
 * every pass while it is not armed, go straight through.
 */
public final class Gate {
  private volatile CountDownLatch entered = new CountDownLatch(0);
  private volatile CountDownLatch opened = new CountDownLatch(0);

  /** Makes the next {@link #pass} wait. */
  public void arm() {
    opened = new CountDownLatch(1);
    entered = new CountDownLatch(1);
  }

  /**
   * Waits here, if this is the first pass since {@link #arm}, until {@link #open} (20 s at most).
   * The wait is not interruptible, since cancelling an operation may interrupt the thread it runs
   * on and the test wants the operation held all the same; an interrupt is kept for later.
   *
   * @throws AssertionError if the gate was not opened within 20 s
   */
  public void pass() {
    CountDownLatch e = entered;
    if (e.getCount() == 0) {
      return;
    }
    e.countDown();
    boolean interrupted = false;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (opened.getCount() > 0 && System.nanoTime() < deadline) {
      try {
        opened.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException ex) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (opened.getCount() > 0) {
      throw new AssertionError("the gate was never opened");
    }
  }

  /**
   * Waits until a thread is held at the gate (20 s at most).
   *
   * @throws AssertionError if none arrived
   */
  public void awaitEntered() throws InterruptedException {
    if (!entered.await(20, TimeUnit.SECONDS)) {
      throw new AssertionError("nothing reached the gate");
    }
  }

  /** Lets the held thread (and any later pass) go. */
  public void open() {
    opened.countDown();
  }
}
