package dev.athanor.result;

import java.util.List;
import java.util.function.Function;

/**
 * Turns the rows of a result into the rows it hands out, a batch at a time: the hook an ORM uses to
 * make entities of columns ({@code select(User)} gives rows whose one value is a {@code User}). A
 * buffered result passes all its remaining rows in one batch; a streaming result passes each batch
 * it fetches (its yield-per size), so a processor can look a batch up at once (an identity map, a
 * second query for related rows).
 *
 * <pre>{@code
 * RowKeys userKeys = RowKeys.of(List.of("User"));
 * Result users = result.process(RowProcessor.of(source -> userKeys,
 *     batch -> batch.stream().map(r -> new Row(userKeys, new Object[] {toUser(r)})).toList()));
 * }</pre>
 */
public interface RowProcessor {
  /** Returns the keys of the rows {@link #process} makes from rows with {@code source} keys. */
  RowKeys keys(RowKeys source);

  /**
   * Returns the rows to hand out for a batch of rows, in order: one for each, or fewer (rows that
   * make up one element, as a joined eager load does). Runs on the thread that fetched the batch;
   * must not block.
   */
  List<Row> process(List<Row> batch);

  /** Makes a processor from its two functions. */
  static RowProcessor of(Function<RowKeys, RowKeys> keys, Function<List<Row>, List<Row>> process) {
    return new RowProcessor() {
      @Override
      public RowKeys keys(RowKeys source) {
        return keys.apply(source);
      }

      @Override
      public List<Row> process(List<Row> batch) {
        return process.apply(batch);
      }
    };
  }
}
