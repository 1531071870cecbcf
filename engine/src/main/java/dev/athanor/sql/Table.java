package dev.athanor.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A database table: columns, constraints and indexes, registered in a {@link MetaData}. Made by
 * {@link MetaData#table}. Immutable once made.
 */
public final class Table extends FromClause {
  private final MetaData metadata;
  private final String name;
  private final @Nullable String schema;
  private final Map<String, Column<?>> columns = new LinkedHashMap<>();
  private final List<Constraint> constraints = new ArrayList<>();
  private volatile @Nullable List<Column<?>> primaryKey;

  Table(MetaData metadata, String name, @Nullable String schema, TableElement... elements) {
    this.metadata = metadata;
    this.name = name;
    this.schema = schema;
    List<String> pk = new ArrayList<>();
    for (TableElement e : elements) {
      if (e instanceof Column<?> col) {
        if (columns.putIfAbsent(col.name(), col) != null) {
          throw new dev.athanor.error.ArgumentException(
              "Table '" + name + "' has two columns named '" + col.name() + "'.");
        }
        if (col.isPrimaryKey()) {
          pk.add(col.name());
        }
      } else {
        constraints.add((Constraint) e);
      }
    }
    if (!pk.isEmpty()) {
      if (constraints.stream().anyMatch(c -> c instanceof Constraint.PrimaryKey)) {
        throw new dev.athanor.error.ArgumentException(
            "Table '" + name + "' declares its primary key both on columns and as a constraint.");
      }
      constraints.add(0, new Constraint.PrimaryKey(null, pk));
    }
    for (Column<?> col : columns.values()) {
      col.attach(this);
    }
    for (Column<?> col : columns.values()) {
      if (col.referencesTarget() != null) {
        String ref = col.referencesTarget();
        int dot = ref.lastIndexOf('.');
        constraints.add(
            new Constraint.ForeignKey(
                null,
                List.of(col.name()),
                ref.substring(0, dot),
                List.of(ref.substring(dot + 1)),
                col.onDelete()));
      }
      if (col.isUnique()) {
        constraints.add(new Constraint.Unique(null, List.of(col.name())));
      }
      if (col.hasIndex()) {
        constraints.add(
            new Constraint.Index("ix_" + name + "_" + col.name(), List.of(col.name()), false));
      }
      if (col.type().javaType().isEnum()) {
        // The stored form of each constant: its name, or what a decorated type stores (a code).
        StringBuilder check = new StringBuilder();
        boolean text = true;
        for (Object k : col.type().javaType().getEnumConstants()) {
          Object stored = col.type().toDriver(k);
          if (!(stored instanceof String str)) {
            text = false;
            break;
          }
          check
              .append(check.length() == 0 ? "" : ", ")
              .append("'")
              .append(str.replace("'", "''"))
              .append("'");
        }
        if (text) {
          constraints.add(
              new Constraint.Check(
                  "ck_" + name + "_" + col.name(),
                  Compiler.quoteAlways(col.name()) + " IN (" + check + ")"));
        }
      }
    }
    for (Constraint c : constraints) {
      List<String> cols =
          switch (c) {
            case Constraint.PrimaryKey p -> p.columns();
            case Constraint.Unique u -> u.columns();
            case Constraint.ForeignKey f -> f.columns();
            case Constraint.Index i -> i.columns();
            case Constraint.Check ch -> List.of();
          };
      for (String cn : cols) {
        if (!columns.containsKey(cn)) {
          throw new dev.athanor.error.ArgumentException(
              "Constraint "
                  + c
                  + " of table '"
                  + name
                  + "' names column '"
                  + cn
                  + "', which the table does not have; it has "
                  + columns.keySet()
                  + ".");
        }
      }
    }
  }

  /** Returns the table's name. */
  public String name() {
    return name;
  }

  /** Returns the schema, or {@code null} for the default one. */
  public @Nullable String schema() {
    return schema;
  }

  /** Returns the metadata this table is registered in. */
  public MetaData metadata() {
    return metadata;
  }

  @Override
  public List<Column<?>> columns() {
    return List.copyOf(columns.values());
  }

  /**
   * Returns the column with this name.
   *
   * @throws dev.athanor.error.ArgumentException naming the table's columns, if there is none
   */
  @Override
  @SuppressWarnings("unchecked")
  public <T> Column<T> c(String name) {
    Column<?> col = columns.get(name);
    if (col == null) {
      throw new dev.athanor.error.ArgumentException(
          "Table '"
              + this.name
              + "' has no column '"
              + name
              + "'; it has "
              + columns.keySet()
              + ".");
    }
    return (Column<T>) col;
  }

  /** Returns the primary key columns, in order. */
  public List<Column<?>> primaryKey() {
    // Constraints are fixed once the constructor ends; the key is read on every flushed row.
    List<Column<?>> known = primaryKey;
    if (known != null) {
      return known;
    }
    List<Column<?>> out = new ArrayList<>();
    for (Constraint c : constraints) {
      if (c instanceof Constraint.PrimaryKey p) {
        for (String n : p.columns()) {
          out.add(columns.get(n));
        }
        break;
      }
    }
    known = List.copyOf(out);
    primaryKey = known;
    return known;
  }

  /** Returns every constraint and index, the primary key first. */
  public List<Constraint> constraints() {
    return List.copyOf(constraints);
  }

  /** Returns the foreign keys. */
  public List<Constraint.ForeignKey> foreignKeys() {
    List<Constraint.ForeignKey> out = new ArrayList<>();
    for (Constraint c : constraints) {
      if (c instanceof Constraint.ForeignKey f) {
        out.add(f);
      }
    }
    return out;
  }

  /** Returns an alias of this table, for self-joins: {@code users AS u2}. */
  public TableAlias alias(String alias) {
    return new TableAlias(this, alias);
  }

  /** Returns {@code SELECT * FROM this} with every column listed. */
  public Select select() {
    return Sql.select(this);
  }

  /** Returns {@code INSERT INTO this}. */
  public Insert insert() {
    return Sql.insert(this);
  }

  /** Returns {@code UPDATE this}. */
  public Update update() {
    return Sql.update(this);
  }

  /** Returns {@code DELETE FROM this}. */
  public Delete delete() {
    return Sql.delete(this);
  }

  @Override
  String describe() {
    return "table '" + name + "'";
  }

  @Override
  String qualifier() {
    return name;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.token(this);
  }

  @Override
  void compile(Compiler c) {
    c.tableName(this);
  }

  @Override
  public String toString() {
    return "Table(" + name + ", " + columns.keySet() + ")";
  }
}
