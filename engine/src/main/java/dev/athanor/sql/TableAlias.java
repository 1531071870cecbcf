package dev.athanor.sql;

import java.util.ArrayList;
import java.util.List;

/** A table under another name, {@code users AS u}; its columns are {@link ColumnRef}s. */
public final class TableAlias extends FromClause {
  private final Table table;
  private final String alias;
  private final List<ColumnRef<?>> columns = new ArrayList<>();

  TableAlias(Table table, String alias) {
    this.table = table;
    this.alias = alias;
    for (Column<?> col : table.columns()) {
      columns.add(ref(col));
    }
  }

  private <T> ColumnRef<T> ref(Column<T> col) {
    return new ColumnRef<>(this, col.name(), col.type());
  }

  /** Returns the aliased table. */
  public Table table() {
    return table;
  }

  @Override
  public List<ColumnRef<?>> columns() {
    return List.copyOf(columns);
  }

  @Override
  String describe() {
    return "alias '" + alias + "' of table '" + table.name() + "'";
  }

  @Override
  String qualifier() {
    return alias;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.token(table).token(alias);
  }

  @Override
  void compile(Compiler c) {
    c.tableName(table);
    c.append(" AS ").ident(alias);
  }
}
