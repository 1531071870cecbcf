package dev.athanor.sql;

/**
 * Transaction isolation levels. {@link #AUTOCOMMIT} runs without a transaction: every statement
 * commits on its own, and {@code begin()} / {@code commit()} are not used.
 */
public enum IsolationLevel {
  /** READ UNCOMMITTED. */
  READ_UNCOMMITTED,
  /** READ COMMITTED (the PostgreSQL and H2 default). */
  READ_COMMITTED,
  /** REPEATABLE READ. */
  REPEATABLE_READ,
  /** SERIALIZABLE. */
  SERIALIZABLE,
  /** No transaction: the driver's autocommit mode. */
  AUTOCOMMIT;

  /** Parses a level as SQLAlchemy writes it ({@code "REPEATABLE READ"}, {@code "AUTOCOMMIT"}). */
  public static IsolationLevel parse(String text) {
    String t = text.trim().toUpperCase(java.util.Locale.ROOT).replace(' ', '_');
    try {
      return valueOf(t);
    } catch (IllegalArgumentException e) {
      throw new dev.athanor.error.ArgumentException(
          "Unknown isolation level '"
              + text
              + "'; use one of READ UNCOMMITTED, READ COMMITTED, "
              + "REPEATABLE READ, SERIALIZABLE, AUTOCOMMIT.");
    }
  }
}
