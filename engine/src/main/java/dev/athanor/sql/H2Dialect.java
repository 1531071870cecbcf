package dev.athanor.sql;

import org.jspecify.annotations.Nullable;

/**
 * The H2 dialect. RETURNING is written as H2's data-change delta table, {@code SELECT ... FROM
 * FINAL TABLE (INSERT ...)}, which gives the same rows.
 */
final class H2Dialect extends Dialect {
  @Override
  public String name() {
    return "h2";
  }

  @Override
  public boolean isH2() {
    return true;
  }

  @Override
  @Nullable String functionSql(String name, int argCount) {
    return name.equalsIgnoreCase("now") && argCount == 0 ? "CURRENT_TIMESTAMP" : null;
  }

  /**
   * Refuses identifiers with a semicolon: r2dbc-h2 splits statement text at every {@code ;}, even
   * inside quotes, so such a name would cut the statement in two.
   */
  @Override
  public String quote(String identifier) {
    if (identifier.indexOf(';') >= 0) {
      throw new dev.athanor.error.CompileException(
          "The identifier '"
              + identifier
              + "' contains ';', which H2's R2DBC driver treats as a "
              + "statement separator even inside quotes; rename it.");
    }
    return super.quote(identifier);
  }

  @Override
  boolean nativeReturning() {
    return false;
  }

  @Override
  public String currentSchemaSql() {
    return "CURRENT_SCHEMA";
  }
}
