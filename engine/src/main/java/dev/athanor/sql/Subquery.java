package dev.athanor.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * A SELECT used as a FROM item, {@code (SELECT ...) AS name}, or as a common table expression
 * ({@code WITH name AS (SELECT ...)}) when made by {@link Select#cte(String)}.
 */
public final class Subquery extends FromClause {
  final Select select;
  final String name;
  final boolean cte;
  private final List<ColumnRef<?>> columns = new ArrayList<>();

  Subquery(Select select, String name, boolean cte) {
    this.select = select;
    this.name = name;
    this.cte = cte;
    for (Expression<?> e : select.resultColumns()) {
      columns.add(ref(e));
    }
  }

  private <T> ColumnRef<T> ref(Expression<T> e) {
    return new ColumnRef<>(this, e.keyName(), e.type());
  }

  /** Returns the subquery's name. */
  public String name() {
    return name;
  }

  /** Returns whether this is a common table expression. */
  public boolean isCte() {
    return cte;
  }

  @Override
  public List<ColumnRef<?>> columns() {
    return List.copyOf(columns);
  }

  @Override
  String describe() {
    return (cte ? "CTE '" : "subquery '") + name + "'";
  }

  @Override
  String qualifier() {
    return name;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.token(name).token(cte).node(select);
  }

  @Override
  void compile(Compiler c) {
    if (cte) {
      c.registerCte(this);
      c.ident(name);
      return;
    }
    c.append("(");
    c.nested(select);
    c.append(") AS ").ident(name);
  }
}
