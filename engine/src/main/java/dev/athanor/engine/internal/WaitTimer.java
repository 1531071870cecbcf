package dev.athanor.engine.internal;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The timer of waits that usually end long before their limit (a checkout waiting for a pooled
 * connection): one daemon thread for the JVM, a wheel with 100 ms ticks. Arming and cancelling a
 * wait is one small object and a queue offer, where a scheduler's delayed task is several objects
 * and a locked heap; the limit fires up to one tick late. A task that fires should hand real work
 * to another thread: this one serves every wait.
 *
 * <p>The wheel wakes at every tick for as long as the JVM runs, waits or not: with 20 ms ticks its
 * thread took about 5 ms of CPU a second in an idle JVM here, with 100 ms about 2. A limit (the
 * pool's timeout, 30 s by default) is not a deadline to the millisecond.
 */
public final class WaitTimer {
  private static final HashedWheelTimer TIMER =
      new HashedWheelTimer(
          new DefaultThreadFactory("athanor-wait-timer", true), 100, TimeUnit.MILLISECONDS, 512);

  private WaitTimer() {}

  /** Runs {@code task} once {@code limit} has passed, unless the returned timeout is cancelled. */
  public static Timeout after(Duration limit, TimerTask task) {
    return TIMER.newTimeout(task, limit.toNanos(), TimeUnit.NANOSECONDS);
  }
}
