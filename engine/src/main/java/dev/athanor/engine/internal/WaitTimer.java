package dev.athanor.engine.internal;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The timer of waits that usually end long before their limit (a checkout waiting for a pooled
 * connection): one daemon thread for the JVM, a wheel with 20 ms ticks. Arming and cancelling a
 * wait is one small object and a queue offer, where a scheduler's delayed task is several objects
 * and a locked heap; the limit fires up to one tick late. A task that fires should hand real work
 * to another thread: this one serves every wait.
 */
public final class WaitTimer {
  private static final HashedWheelTimer TIMER =
      new HashedWheelTimer(
          new DefaultThreadFactory("athanor-wait-timer", true), 20, TimeUnit.MILLISECONDS, 512);

  private WaitTimer() {}

  /** Runs {@code task} once {@code limit} has passed, unless the returned timeout is cancelled. */
  public static Timeout after(Duration limit, TimerTask task) {
    return TIMER.newTimeout(task, limit.toNanos(), TimeUnit.NANOSECONDS);
  }
}
