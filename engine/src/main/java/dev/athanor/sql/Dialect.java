package dev.athanor.sql;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What differs between databases in the SQL Athanor writes: placeholders, identifier quoting,
 * function spellings, RETURNING, savepoints. {@link #POSTGRESQL} and {@link #H2} are built in.
 */
public abstract class Dialect {
  private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Set<String> RESERVED =
      Set.of(
          "all",
          "and",
          "any",
          "array",
          "as",
          "asc",
          "between",
          "both",
          "by",
          "case",
          "cast",
          "check",
          "column",
          "constraint",
          "create",
          "cross",
          "current_date",
          "current_time",
          "current_timestamp",
          "current_user",
          "default",
          "delete",
          "desc",
          "distinct",
          "do",
          "else",
          "end",
          "except",
          "exists",
          "false",
          "fetch",
          "for",
          "foreign",
          "from",
          "full",
          "group",
          "having",
          "if",
          "in",
          "index",
          "inner",
          "insert",
          "intersect",
          "interval",
          "into",
          "is",
          "join",
          "key",
          "leading",
          "left",
          "like",
          "limit",
          "minus",
          "natural",
          "not",
          "null",
          "offset",
          "on",
          "or",
          "order",
          "outer",
          "primary",
          "qualify",
          "references",
          "right",
          "row",
          "rownum",
          "rows",
          "select",
          "set",
          "some",
          "table",
          "then",
          "to",
          "top",
          "trailing",
          "true",
          "union",
          "unique",
          "unknown",
          "update",
          "user",
          "using",
          "value",
          "values",
          "when",
          "where",
          "window",
          "with",
          "year",
          "month",
          "day",
          "hour",
          "minute",
          "second",
          "_rowid_",
          "regexp",
          "sysdate",
          "systime",
          "systimestamp",
          "today");

  /** PostgreSQL. */
  public static final Dialect POSTGRESQL = new PostgresDialect();

  /** H2 2.x (run with {@code DATABASE_TO_LOWER=TRUE}, which the engine sets). */
  public static final Dialect H2 = new H2Dialect();

  Dialect() {}

  /** Returns the dialect's name: {@code postgresql} or {@code h2}. */
  public abstract String name();

  /** Returns whether this is H2. */
  public boolean isH2() {
    return false;
  }

  /** Returns whether this is PostgreSQL. */
  public boolean isPostgres() {
    return false;
  }

  /** Returns the placeholder for the n-th (1-based) parameter. */
  public String placeholder(int n) {
    return "$" + n;
  }

  /** Quotes an identifier if it is not a plain lowercase name or is a reserved word. */
  public String quote(String identifier) {
    if (PLAIN.matcher(identifier).matches() && !RESERVED.contains(identifier)) {
      return identifier;
    }
    return Compiler.quoteAlways(identifier);
  }

  /** Returns special SQL for a function call with no arguments, or {@code null}. */
  @Nullable String functionSql(String name, int argCount) {
    return null;
  }

  boolean supportsIlike() {
    return true;
  }

  /** Returns whether INSERT/UPDATE/DELETE take a RETURNING clause directly. */
  boolean nativeReturning() {
    return true;
  }

  /** Returns the SQL that creates a savepoint. */
  public String savepointSql(String name) {
    return "SAVEPOINT " + quote(name);
  }

  /** Returns the SQL that rolls back to a savepoint. */
  public String rollbackToSavepointSql(String name) {
    return "ROLLBACK TO SAVEPOINT " + quote(name);
  }

  /** Returns the SQL that releases a savepoint. */
  public String releaseSavepointSql(String name) {
    return "RELEASE SAVEPOINT " + quote(name);
  }

  /** Returns the SQL that names the current schema. */
  public abstract String currentSchemaSql();

  /** Folds an unquoted identifier the way the database does (both fold to lowercase here). */
  public String fold(String identifier) {
    return identifier.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return name();
  }
}
