package dev.athanor.engine.internal;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hands a stream's fetched rows to their reader after the driver's event loop has read the rest of
 * what arrived with them.
 *
 * <p>A fetch completes when its last row arrives, on the event loop that reads the connection. Run
 * there at once, the reader's work on the whole fetch (loading entities, the caller's loop) comes
 * before the driver sees the message that follows the rows (PostgreSQL's "portal suspended") and
 * asks the server for the next rows: the server waits for the reader, then the reader for the
 * server. Queued as a task of the same event loop, the reader's work runs right after the driver
 * has sent that request, while the server produces the next rows. Off an event loop (H2's threads,
 * a caller's thread), or on one that is shutting down, the task runs at once.
 */
public final class LoopHandoff implements Executor {
  /** The one instance; it holds no state. */
  public static final Executor INSTANCE = new LoopHandoff();

  private LoopHandoff() {}

  @Override
  public void execute(Runnable task) {
    EventExecutor loop = ThreadExecutorMap.currentExecutor();
    if (loop == null || !loop.inEventLoop() || loop.isShuttingDown()) {
      task.run();
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      task.run(); // the loop began shutting down since the check
    }
  }
}
