package dev.athanor.sql;

import java.util.Set;

/**
 * A column as seen through an alias, subquery or CTE: {@code alias.name}.
 *
 * @param <T> the Java type of its values
 */
public final class ColumnRef<T> extends Expression<T> {
  private final FromClause from;
  private final String name;
  private final SqlType<T> type;

  ColumnRef(FromClause from, String name, SqlType<T> type) {
    this.from = from;
    this.name = name;
    this.type = type;
  }

  @Override
  public SqlType<T> type() {
    return type;
  }

  @Override
  public String keyName() {
    return name;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.shared(from).token(name);
  }

  @Override
  void compile(Compiler c) {
    c.ident(from.qualifier()).append(".").ident(name);
  }

  @Override
  void collectFroms(Set<FromClause> into) {
    into.add(from);
  }
}
