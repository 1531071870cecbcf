package dev.athanor.result;

import dev.athanor.error.InvalidRequestException;
import dev.athanor.error.MultipleResultsFoundException;
import dev.athanor.error.NoResultFoundException;
import dev.athanor.error.ResourceClosedException;
import dev.athanor.result.internal.RowBuffer;
import dev.athanor.result.internal.RowPipeline;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * The fetch methods shared by a buffered {@link Result} and its filtered views ({@link
 * ScalarResult}, {@link MappingResult}). All views of one result read from the same rows: what one
 * view fetched, the others will not see again.
 *
 * <p>Filters ({@code unique()}, {@code columns()}, {@code scalars()}, {@code mappings()}) are plain
 * calls that return new views; fetches consume rows.
 *
 * @param <E> what a fetch hands out: a {@link Row}, a scalar, a {@link RowMapping}
 */
public abstract sealed class ResultView<E> implements Iterable<E>
    permits Result, ScalarResult, MappingResult {
  final RowBuffer buffer;
  final RowPipeline<E> pipeline;

  ResultView(RowBuffer buffer, RowPipeline<E> pipeline) {
    this.buffer = buffer;
    this.pipeline = pipeline;
  }

  private @Nullable Object nextAccepted() {
    Row r;
    while ((r = buffer.next()) != null) {
      Object a = pipeline.accept(r);
      if (a != RowPipeline.SKIP) {
        return a;
      }
    }
    return null;
  }

  /** Returns every remaining element; the result is then exhausted. */
  public List<@Nullable E> all() {
    List<@Nullable E> out = new ArrayList<>();
    for (Row r : buffer.drain()) {
      Object a = pipeline.accept(r);
      if (a != RowPipeline.SKIP) {
        out.add(pipeline.unwrap(a));
      }
    }
    return out;
  }

  /** Same as {@link #all()}. */
  public List<@Nullable E> fetchall() {
    return all();
  }

  /** Returns the next element, or {@code null} when no rows are left. */
  public @Nullable E fetchone() {
    Object a = nextAccepted();
    return a == null ? null : pipeline.unwrap(a);
  }

  /** Returns up to {@code size} next elements; an empty list when no rows are left. */
  public List<@Nullable E> fetchmany(int size) {
    if (size < 1) {
      throw new InvalidRequestException("fetchmany size must be at least 1, not " + size + ".");
    }
    List<@Nullable E> out = new ArrayList<>(Math.min(size, 64));
    Object a;
    while (out.size() < size && (a = nextAccepted()) != null) {
      out.add(pipeline.unwrap(a));
    }
    return out;
  }

  /**
   * Returns the first element, or {@code null} if there is none, and closes the result. Note that a
   * {@code null} column value and "no row" look alike here for scalar views.
   */
  public @Nullable E first() {
    try {
      return fetchone();
    } finally {
      buffer.close();
    }
  }

  /**
   * Returns the only element and closes the result.
   *
   * @throws NoResultFoundException if there is no row
   * @throws MultipleResultsFoundException if there is more than one
   */
  public @Nullable E one() {
    try {
      Object a = nextAccepted();
      if (a == null) {
        throw new NoResultFoundException(
            "No row was found when one was required. Use oneOrNone() or first() if the row may "
                + "be absent.");
      }
      if (nextAccepted() != null) {
        throw new MultipleResultsFoundException(
            "Multiple rows were found when exactly one was required. Narrow the statement's "
                + "WHERE clause, or use first() to take the first row.");
      }
      return pipeline.unwrap(a);
    } finally {
      buffer.close();
    }
  }

  /**
   * Returns the only element, or {@code null} if there is none, and closes the result.
   *
   * @throws MultipleResultsFoundException if there is more than one row
   */
  public @Nullable E oneOrNone() {
    try {
      Object a = nextAccepted();
      if (a == null) {
        return null;
      }
      if (nextAccepted() != null) {
        throw new MultipleResultsFoundException(
            "Multiple rows were found when one or none was required. Narrow the statement's "
                + "WHERE clause, or use first() to take the first row.");
      }
      return pipeline.unwrap(a);
    } finally {
      buffer.close();
    }
  }

  /**
   * Iterates over the remaining rows in lists of the size set by {@code yieldPer(n)} on this result
   * or any view of it (default {@value RowBuffer#DEFAULT_PARTITION}).
   */
  public Iterable<List<@Nullable E>> partitions() {
    return partitions(buffer.yieldPer());
  }

  /** Sets the partition size of {@link #partitions()} for this result and its views. */
  void setYieldPer(int n) {
    if (n < 1) {
      throw new InvalidRequestException("yieldPer must be at least 1, not " + n + ".");
    }
    buffer.yieldPer(n);
  }

  /**
   * Iterates over the remaining rows in lists of up to {@code size} elements. Each list is fetched
   * when the iterator reaches it.
   */
  public Iterable<List<@Nullable E>> partitions(int size) {
    if (size < 1) {
      throw new InvalidRequestException("partition size must be at least 1, not " + size + ".");
    }
    return () ->
        new Iterator<>() {
          @Nullable List<@Nullable E> next;

          @Override
          public boolean hasNext() {
            if (next == null) {
              next = fetchmany(size);
            }
            return !next.isEmpty();
          }

          @Override
          public List<@Nullable E> next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            List<@Nullable E> out = next;
            next = null;
            return out;
          }
        };
  }

  /** Iterates over the remaining elements, fetching one at a time. */
  @Override
  public Iterator<E> iterator() {
    return new Iterator<>() {
      @Nullable Object pending;

      @Override
      public boolean hasNext() {
        if (pending == null) {
          pending = nextAccepted();
        }
        return pending != null;
      }

      @Override
      @SuppressWarnings("NullAway")
      public E next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Object a = pending;
        pending = null;
        return pipeline.unwrap(a);
      }
    };
  }

  /** Returns the names of the columns this view hands out. */
  public List<String> keys() {
    return pipeline.keys().names();
  }

  /** Closes the result: later fetches raise {@link ResourceClosedException}. */
  public void close() {
    buffer.close();
  }

  /**
   * Returns whether the result was closed (by {@link #close()}, {@code first()}, {@code one()}).
   */
  public boolean isClosed() {
    return buffer.isClosed();
  }
}
