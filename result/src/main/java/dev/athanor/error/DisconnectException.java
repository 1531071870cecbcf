package dev.athanor.error;

import org.jspecify.annotations.Nullable;

/**
 * Raised when the connection was lost (the server closed it or the network failed); the connection
 * was invalidated and the pool will open a fresh one.
 */
public class DisconnectException extends OperationalException {
  private static final long serialVersionUID = 1L;

  /** Creates the error; see {@link DatabaseException}. */
  public DisconnectException(
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
