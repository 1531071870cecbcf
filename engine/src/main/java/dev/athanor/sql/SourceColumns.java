package dev.athanor.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@link FromSource} selected as a whole ({@code select(User)}): stands in the SELECT for the
 * columns the source selects, and brings its FROM item.
 */
final class SourceColumns extends SqlNode {
  final FromSource source;
  final FromClause from;
  final List<Expression<?>> columns;

  SourceColumns(FromSource source) {
    this.source = source;
    this.from = Coercions.from(source);
    List<Expression<?>> cols = new ArrayList<>();
    for (Expression<?> e : source.selectedColumns()) {
      cols.add(Coercions.expression(e));
    }
    if (cols.isEmpty()) {
      throw new dev.athanor.error.ArgumentException(
          "select(" + source + "): it selects no columns.");
    }
    this.columns = List.copyOf(cols);
  }

  @Override
  void compile(Compiler c) {
    throw new IllegalStateException("a selected source compiles as its columns");
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.shared(from).nodes(columns);
  }

  @Override
  void collectFroms(Set<FromClause> into) {
    into.add(from);
  }
}
