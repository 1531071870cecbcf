package dev.athanor.error;

import org.jspecify.annotations.Nullable;

/**
 * Raised when the database could not do the work: a lost connection, a timeout, a deadlock, a
 * serialization failure.
 */
public class OperationalException extends DatabaseException {
  private static final long serialVersionUID = 1L;

  /** Creates the error; see {@link DatabaseException}. */
  public OperationalException(
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
