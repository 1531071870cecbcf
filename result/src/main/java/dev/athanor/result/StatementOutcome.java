package dev.athanor.result;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the database said about a statement besides its rows.
 *
 * @param rowcount rows matched by an UPDATE or DELETE, or inserted by an INSERT (summed over an
 *     executemany); {@code -1} when the driver did not say
 * @param returnsRows whether the statement produced rows (a SELECT, or a DML with RETURNING)
 * @param insertedPrimaryKey for a single-row INSERT, the primary key of the new row (from generated
 *     values or the values given); otherwise {@code null}
 * @param lastInsertedParams for an INSERT, the parameter sets it was run with; otherwise empty
 */
public record StatementOutcome(
    long rowcount,
    boolean returnsRows,
    @Nullable Row insertedPrimaryKey,
    List<Map<String, @Nullable Object>> lastInsertedParams) {

  /** The outcome of a statement that returned rows and said nothing else. */
  public static StatementOutcome rows() {
    return new StatementOutcome(-1, true, null, List.of());
  }
}
