package dev.athanor.engine.internal;

import dev.athanor.error.InvalidRequestException;
import java.util.concurrent.Executors;
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
   * Waits for a {@code Mono}, refusing on a thread that must not block.
   *
   * @throws InvalidRequestException on a Reactor or Netty event-loop thread
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
    return mono.block();
  }
}
