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

  @Override
  boolean nativeReturning() {
    return false;
  }

  @Override
  public String currentSchemaSql() {
    return "CURRENT_SCHEMA";
  }
}
