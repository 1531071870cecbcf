package dev.athanor.error;

import org.jspecify.annotations.Nullable;

/**
 * An error reported by the database or its driver, with the statement that caused it. The driver's
 * exception is the {@linkplain #getCause() cause}. Subclasses say what kind of error it was: {@link
 * IntegrityException}, {@link ProgrammingException}, {@link DataException}, {@link
 * OperationalException} (and its {@link DisconnectException}).
 */
public class DatabaseException extends AthanorException {
  private static final long serialVersionUID = 1L;

  private final @Nullable String sql;
  private final @Nullable String parameters;
  private final @Nullable String sqlState;
  private final @Nullable String constraintName;
  private final boolean connectionInvalidated;

  /**
   * Creates the error.
   *
   * @param parameters a rendering of the bound values, or {@code null} when hidden
   */
  public DatabaseException(
      String message,
      Throwable cause,
      @Nullable String sql,
      @Nullable String parameters,
      @Nullable String sqlState,
      @Nullable String constraintName,
      boolean connectionInvalidated) {
    super(message, cause);
    this.sql = sql;
    this.parameters = parameters;
    this.sqlState = sqlState;
    this.constraintName = constraintName;
    this.connectionInvalidated = connectionInvalidated;
  }

  /** Returns the SQL that failed, if the error came from a statement. */
  public @Nullable String sql() {
    return sql;
  }

  /** Returns the bound values as text, or {@code null} if the engine hides parameters. */
  public @Nullable String parameters() {
    return parameters;
  }

  /** Returns the SQLSTATE code, if the driver gave one. */
  public @Nullable String sqlState() {
    return sqlState;
  }

  /** Returns the name of the violated constraint, if the database named one. */
  public @Nullable String constraintName() {
    return constraintName;
  }

  /** Returns whether the connection was found broken and discarded from the pool. */
  public boolean connectionInvalidated() {
    return connectionInvalidated;
  }
}
