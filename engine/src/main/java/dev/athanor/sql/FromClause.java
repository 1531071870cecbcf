package dev.athanor.sql;

import java.util.List;

/**
 * Something a SELECT reads from: a {@link Table}, an alias, a join, a subquery, a CTE. Its columns
 * are reached with {@link #c(String)}.
 */
public abstract class FromClause extends SqlNode implements FromSource {
  FromClause() {}

  /** Returns this FROM item: it stands for itself. */
  @Override
  public FromClause toFromClause() {
    return this;
  }

  /** Returns the columns this FROM item offers. */
  public abstract List<? extends Expression<?>> columns();

  /**
   * Returns the column with this name.
   *
   * @throws dev.athanor.error.ArgumentException naming the columns that exist, if there is none
   */
  @SuppressWarnings("unchecked")
  public <T> Expression<T> c(String name) {
    for (Expression<?> e : columns()) {
      if (e.keyName().equals(name)) {
        return (Expression<T>) e;
      }
    }
    throw new dev.athanor.error.ArgumentException(
        "No column '"
            + name
            + "' in "
            + describe()
            + "; it has "
            + columns().stream().map(Expression::keyName).toList()
            + ".");
  }

  /** Returns how this item is named in messages. */
  abstract String describe();

  /** Returns the name columns are qualified with, or {@code null} for a join. */
  abstract String qualifier();

  /** Compiles the item as it appears in a FROM clause. */
  @Override
  abstract void compile(Compiler c);

  /** Returns the tables and aliases this item covers (a join covers both sides). */
  List<FromClause> covered() {
    return List.of(this);
  }

  /** {@code this JOIN target ON on}. */
  public Join join(FromSource target, ExpressionSource<Boolean> on) {
    return new Join(this, Coercions.from(target), Coercions.expression(on), false, false);
  }

  /** {@code this LEFT OUTER JOIN target ON on}. */
  public Join outerJoin(FromSource target, ExpressionSource<Boolean> on) {
    return new Join(this, Coercions.from(target), Coercions.expression(on), true, false);
  }

  /** {@code this FULL OUTER JOIN target ON on}. */
  public Join fullJoin(FromSource target, ExpressionSource<Boolean> on) {
    return new Join(this, Coercions.from(target), Coercions.expression(on), true, true);
  }
}
