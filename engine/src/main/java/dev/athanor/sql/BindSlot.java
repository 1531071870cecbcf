package dev.athanor.sql;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One placeholder of a compiled statement: either a value carried by the statement, or a named
 * parameter supplied at execution time. A compiled statement is shared by every statement of the
 * same {@link StatementShape}, so a carried value is found by position in the executing statement's
 * {@link StatementShape#values()}.
 *
 * @param name the parameter name, or {@code null} for a value carried by the statement
 * @param valueIndex for a carried value, its position in {@link StatementShape#values()}; -1 for a
 *     named parameter
 * @param type the SQL type that converts and binds the value
 */
public record BindSlot(@Nullable String name, int valueIndex, SqlType<?> type) {

  /** Returns the carried value of this slot among a statement's {@code values}. */
  public @Nullable Object carriedValue(List<?> values) {
    if (valueIndex < 0) {
      throw new IllegalStateException("Slot " + this + " does not hold a carried value");
    }
    return values.get(valueIndex);
  }
}
