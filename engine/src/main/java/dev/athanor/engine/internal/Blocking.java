package dev.athanor.engine.internal;

import dev.athanor.error.InvalidRequestException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** The virtual-thread scheduler of {@code runSync}, and the guard of the blocking views. */
public final class Blocking {
  private static final Scheduler VIRTUAL =
      Schedulers.fromExecutorService(
          Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("athanor-sync-", 0).factory()),
          "athanor-sync");

  private Blocking() {}

  /** Returns the scheduler that runs {@code runSync} functions, one virtual thread each. */
  public static Scheduler scheduler() {
    return VIRTUAL;
  }

  /**
   * Waits for a {@code Mono}, refusing on a thread that must not block. An interrupt (the {@code
   * runSync} caller was cancelled, or {@link Thread#interrupt()}) stops the wait; the thread stays
   * interrupted. On a thread already interrupted the call does not start, so nothing is sent, even
   * when the work would have completed without waiting.
   *
   * @throws InvalidRequestException on a Reactor or Netty event-loop thread
   * @throws CancellationException when the thread is interrupted while it waits (or was already)
   */
  public static <T> T await(Mono<T> mono, String what) {
    if (Schedulers.isInNonBlockingThread()) {
      throw new InvalidRequestException(
          "The blocking call "
              + what
              + " was made on the non-blocking thread '"
              + Thread.currentThread().getName()
              + "', which would stall every connection on it. "
              + "Use the async API here, or move this code into runSync { } or onto a virtual "
              + "thread.");
    }
    if (Thread.currentThread().isInterrupted()) {
      throw notStarted(what);
    }
    try {
      return mono.block();
    } catch (RuntimeException e) {
      if (Exceptions.unwrap(e) instanceof InterruptedException interrupt) {
        throw interrupted(what, interrupt);
      }
      throw e;
    }
  }

  private static CancellationException notStarted(String what) {
    CancellationException e =
        new CancellationException(
            "The blocking call "
                + what
                + " was made on an interrupted thread (the runSync caller was cancelled, or the "
                + "thread was interrupted) and did not start: nothing was sent to the database. "
                + "The thread stays interrupted: let the blocking function return, or clear the "
                + "status with Thread.interrupted() to go on.");
    e.initCause(new InterruptedException("interrupted before " + what));
    return e;
  }

  private static CancellationException interrupted(String what, InterruptedException cause) {
    // Reactor has set the interrupt status again; it stays set for the code that called us.
    CancellationException e =
        new CancellationException(
            "The blocking call "
                + what
                + " was interrupted (the runSync caller was cancelled, or the thread was "
                + "interrupted) and stopped waiting. What it had sent to the database is not cut "
                + "short, and a commit or rollback that had begun still ends. The thread stays "
                + "interrupted: let the blocking function return.");
    e.initCause(cause);
    return e;
  }
}
