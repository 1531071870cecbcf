package dev.athanor.sql;

/** The PostgreSQL dialect. */
final class PostgresDialect extends Dialect {
  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public boolean isPostgres() {
    return true;
  }

  @Override
  public String currentSchemaSql() {
    return "current_schema()";
  }
}
