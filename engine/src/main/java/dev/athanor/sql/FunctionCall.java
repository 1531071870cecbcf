package dev.athanor.sql;

import java.util.List;
import java.util.Set;

/** A SQL function call, {@code name(args...)}; made by {@link Func}. */
final class FunctionCall<T> extends Expression<T> {
  final String name;
  private final List<Expression<?>> args;
  private final SqlType<T> type;

  FunctionCall(String name, List<Expression<?>> args, SqlType<T> type) {
    this.name = name;
    this.args = List.copyOf(args);
    this.type = type;
  }

  @Override
  public SqlType<T> type() {
    return type;
  }

  @Override
  public String keyName() {
    return name.toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.token(name).nodes(args);
  }

  @Override
  void compile(Compiler c) {
    String special = c.dialect().functionSql(name, args.size());
    if (special != null) {
      c.append(special);
      return;
    }
    c.append(name).append("(");
    if (name.equalsIgnoreCase("count") && args.isEmpty()) {
      c.append("*");
    }
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) {
        c.append(", ");
      }
      c.expr(args.get(i));
    }
    c.append(")");
  }

  @Override
  void collectFroms(Set<FromClause> into) {
    for (Expression<?> a : args) {
      a.collectFroms(into);
    }
  }
}
