package dev.athanor.sql;

import java.util.Set;

/**
 * An expression with a name in the result: {@code expr AS name}. Rows can be read by the label
 * object or its name.
 *
 * @param <T> the Java type of the expression's values
 */
public final class Label<T> extends Expression<T> {
  final Expression<T> inner;
  final String name;

  Label(Expression<T> inner, String name) {
    this.inner = inner;
    this.name = name;
  }

  /** Returns the label. */
  public String name() {
    return name;
  }

  @Override
  public SqlType<T> type() {
    return inner.type();
  }

  @Override
  public String keyName() {
    return name;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.token(name).node(inner);
  }

  @Override
  void compile(Compiler c) {
    switch (c.clause()) {
      case COLUMNS -> {
        c.expr(inner);
        c.append(" AS ").ident(name);
      }
      case ORDER_BY -> c.ident(name);
      default -> c.expr(inner);
    }
  }

  @Override
  void collectFroms(Set<FromClause> into) {
    inner.collectFroms(into);
  }
}
