package dev.athanor.result.internal;

import dev.athanor.error.ResourceClosedException;
import dev.athanor.result.Row;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The rows of a buffered result and how far they were read. Every view of one result reads from the
 * same buffer, so fetching through {@code scalars()} advances the result too.
 */
public final class RowBuffer {
  private final List<Row> rows;
  private int position;
  private boolean hardClosed;

  /** The partition size of {@code partitions()} without one; set by {@code yieldPer(n)}. */
  private volatile int yieldPer = DEFAULT_PARTITION;

  /** The partition size when none was set: the engine's default yield-per. */
  public static final int DEFAULT_PARTITION = 1000;

  /** Wraps rows that were read in full from the driver. */
  public RowBuffer(List<Row> rows) {
    this.rows = rows;
  }

  /** Returns the partition size set by {@code yieldPer}. */
  public int yieldPer() {
    return yieldPer;
  }

  /** Sets the partition size for every view of these rows. */
  public void yieldPer(int n) {
    yieldPer = n;
  }

  /** Returns the next row, or {@code null} at the end. */
  public @Nullable Row next() {
    checkOpen();
    return position < rows.size() ? rows.get(position++) : null;
  }

  /** Returns the rows not read yet, and marks them read. */
  public List<Row> drain() {
    checkOpen();
    List<Row> rest = rows.subList(position, rows.size());
    position = rows.size();
    return rest;
  }

  /** Closes the buffer; later fetches raise {@link ResourceClosedException}. */
  public void close() {
    hardClosed = true;
    position = rows.size();
  }

  /** Returns whether {@link #close()} was called. */
  public boolean isClosed() {
    return hardClosed;
  }

  private void checkOpen() {
    if (hardClosed) {
      throw new ResourceClosedException(
          "This result object is closed: first(), one(), scalar() and close() consume it. "
              + "Call all() or freeze() if you need the rows more than once.");
    }
  }
}
