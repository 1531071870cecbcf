package dev.athanor.sql;

import java.util.Set;

/** Any part of a statement. Compiled to SQL text and bound values by a {@link Compiler}. */
public abstract class SqlNode {
  SqlNode() {}

  abstract void compile(Compiler c);

  /** Adds this node's structure (and carried values) to a statement shape. */
  abstract void shape(StatementShape.Builder k);

  /** Adds the FROM items this node refers to (tables of its columns), for FROM inference. */
  void collectFroms(Set<FromClause> into) {}

  /** Returns the SQL this node compiles to on PostgreSQL, for debugging and logs. */
  @Override
  public String toString() {
    return Compiler.preview(this);
  }
}
