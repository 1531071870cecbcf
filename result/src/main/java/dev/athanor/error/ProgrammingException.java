package dev.athanor.error;

import org.jspecify.annotations.Nullable;

/**
 * Raised when the SQL is wrong: a syntax error, an unknown table or column, a missing privilege.
 */
public class ProgrammingException extends DatabaseException {
  private static final long serialVersionUID = 1L;

  /** Creates the error; see {@link DatabaseException}. */
  public ProgrammingException(
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
