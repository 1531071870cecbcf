package dev.athanor.error;

import org.jspecify.annotations.Nullable;

/** Raised when a value does not fit: too long, out of range, not convertible. */
public class DataException extends DatabaseException {
  private static final long serialVersionUID = 1L;

  /** Creates the error; see {@link DatabaseException}. */
  public DataException(
      String message,
      Throwable cause,
      @Nullable String sql,
      @Nullable String parameters,
      @Nullable String sqlState,
      @Nullable String constraintName,
      boolean connectionInvalidated) {
    super(message, cause, sql, parameters, sqlState, constraintName, connectionInvalidated);
  }
}
