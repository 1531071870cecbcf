package dev.athanor.error;

import org.jspecify.annotations.Nullable;

/** Raised when a constraint was violated (unique, foreign key, not null, check). */
public class IntegrityException extends DatabaseException {
  private static final long serialVersionUID = 1L;

  /** Creates the error; see {@link DatabaseException}. */
  public IntegrityException(
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
