package dev.athanor.engine;

import dev.athanor.engine.internal.Blocking;
import dev.athanor.result.Row;
import dev.athanor.sql.Column;
import dev.athanor.sql.Constraint;
import dev.athanor.sql.MetaData;
import dev.athanor.sql.Sql;
import dev.athanor.sql.SqlType;
import dev.athanor.sql.Table;
import dev.athanor.sql.TableElement;
import dev.athanor.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuples;

/**
 * Reads the schema of the database a connection is on: table names, columns, keys, indexes, and
 * whole {@link Table}s loaded into a {@link MetaData}. Covers the current schema.
 *
 * <pre>{@code
 * Inspector.of(conn).tableNames().block();
 * conn.runSync(sync -> sync.inspector().columns("users"));
 * }</pre>
 */
public final class Inspector {
  /**
   * A column as the database describes it.
   *
   * @param name the column's name
   * @param typeName the database's name for its type
   * @param type the closest {@link SqlType}
   * @param nullable whether it accepts NULL
   * @param defaultSql the DDL default, or {@code null}
   * @param autoincrement whether the database generates its values
   */
  public record ColumnInfo(
      String name,
      String typeName,
      SqlType<?> type,
      boolean nullable,
      @Nullable String defaultSql,
      boolean autoincrement) {}

  /**
   * A foreign key as the database describes it.
   *
   * @param name the constraint name
   * @param columns the referencing columns
   * @param targetTable the referenced table
   * @param targetColumns the referenced columns
   */
  public record ForeignKeyInfo(
      String name, List<String> columns, String targetTable, List<String> targetColumns) {}

  /**
   * An index (other than those behind primary key, unique and foreign key constraints).
   *
   * @param name the index name
   * @param columns the indexed columns, in order
   * @param unique whether it is unique
   */
  public record IndexInfo(String name, List<String> columns, boolean unique) {}

  private final Connection conn;

  private Inspector(Connection conn) {
    this.conn = conn;
  }

  /** Returns an inspector over a connection. */
  public static Inspector of(Connection conn) {
    return new Inspector(conn);
  }

  /** Returns a blocking view of this inspector, for {@code runSync}. */
  public Sync blocking() {
    return new Sync(this);
  }

  private String schema() {
    return conn.engine().dialect().currentSchemaSql();
  }

  private Mono<List<Row>> rows(String sql, Object... params) {
    return conn.execDriverSql(sql, params)
        .map(r -> {
          List<Row> out = new ArrayList<>();
          for (Row row : r) {
            out.add(row);
          }
          return out;
        });
  }

  private static String str(Row r, int i) {
    Object v = r.get(i);
    return v == null ? "" : v.toString();
  }

  /** Returns the names of the tables in the current schema, sorted. */
  public Mono<List<String>> tableNames() {
    return rows("SELECT table_name FROM information_schema.tables WHERE table_schema = "
            + schema()
            + " AND table_type IN ('BASE TABLE', 'TABLE') ORDER BY table_name")
        .map(rs -> rs.stream().map(r -> str(r, 0)).toList());
  }

  /** Returns whether a table exists in the current schema. */
  public Mono<Boolean> hasTable(String name) {
    return conn.execute(MetaData.hasTableQuery(conn.dialect(), null, name))
        .map(r -> r.first() != null);
  }

  /** Returns a table's columns, in order; empty if there is no such table. */
  public Mono<List<ColumnInfo>> columns(String table) {
    return rows(
            "SELECT column_name, data_type, is_nullable, column_default, "
                + "character_maximum_length, numeric_precision, numeric_scale, is_identity "
                + "FROM information_schema.columns WHERE table_schema = "
                + schema()
                + " AND table_name = $1 ORDER BY ordinal_position",
            table)
        .map(rs -> {
          List<ColumnInfo> out = new ArrayList<>();
          for (Row r : rs) {
            String typeName = str(r, 1);
            String dflt = r.get(3) == null ? null : str(r, 3);
            boolean identity = "YES".equalsIgnoreCase(str(r, 7));
            boolean serial = dflt != null && dflt.startsWith("nextval(");
            out.add(
                new ColumnInfo(
                    str(r, 0),
                    typeName,
                    typeOf(typeName, (Number) r.get(4), (Number) r.get(5), (Number) r.get(6)),
                    "YES".equalsIgnoreCase(str(r, 2)),
                    identity || serial ? null : dflt,
                    identity || serial));
          }
          return out;
        });
  }

  /** Returns the primary key's columns, in order; empty if there is none. */
  public Mono<List<String>> primaryKey(String table) {
    return rows(
            "SELECT kcu.column_name FROM information_schema.table_constraints tc "
                + "JOIN information_schema.key_column_usage kcu "
                + "ON kcu.constraint_name = tc.constraint_name "
                + "AND kcu.constraint_schema = tc.constraint_schema "
                + "AND kcu.table_name = tc.table_name "
                + "WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = "
                + schema()
                + " AND tc.table_name = $1 ORDER BY kcu.ordinal_position",
            table)
        .map(rs -> rs.stream().map(r -> str(r, 0)).toList());
  }

  /** Returns the table's foreign keys. */
  public Mono<List<ForeignKeyInfo>> foreignKeys(String table) {
    return rows(
            "SELECT rc.constraint_name, kcu.column_name, kcu2.table_name, kcu2.column_name "
                + "FROM information_schema.referential_constraints rc "
                + "JOIN information_schema.key_column_usage kcu "
                + "ON kcu.constraint_name = rc.constraint_name "
                + "AND kcu.constraint_schema = rc.constraint_schema "
                + "JOIN information_schema.key_column_usage kcu2 "
                + "ON kcu2.constraint_name = rc.unique_constraint_name "
                + "AND kcu2.constraint_schema = rc.unique_constraint_schema "
                + "AND kcu2.ordinal_position = kcu.position_in_unique_constraint "
                + "WHERE kcu.table_schema = "
                + schema()
                + " AND kcu.table_name = $1 "
                + "ORDER BY rc.constraint_name, kcu.ordinal_position",
            table)
        .map(rs -> {
          Map<String, ForeignKeyInfo> byName = new LinkedHashMap<>();
          for (Row r : rs) {
            String name = str(r, 0);
            ForeignKeyInfo fk =
                byName.computeIfAbsent(
                    name,
                    n -> new ForeignKeyInfo(n, new ArrayList<>(), str(r, 2), new ArrayList<>()));
            fk.columns().add(str(r, 1));
            fk.targetColumns().add(str(r, 3));
          }
          return byName.values().stream()
              .map(f ->
                  new ForeignKeyInfo(
                      f.name(),
                      List.copyOf(f.columns()),
                      f.targetTable(),
                      List.copyOf(f.targetColumns())))
              .toList();
        });
  }

  /** Returns the table's indexes, other than those behind constraints. */
  public Mono<List<IndexInfo>> indexes(String table) {
    String sql =
        conn.engine().dialect().isPostgres()
            ? "SELECT i.relname, a.attname, ix.indisunique FROM pg_class t "
                + "JOIN pg_namespace n ON n.oid = t.relnamespace "
                + "JOIN pg_index ix ON ix.indrelid = t.oid "
                + "JOIN pg_class i ON i.oid = ix.indexrelid "
                + "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(ix.indkey) "
                + "WHERE t.relname = $1 AND n.nspname = current_schema() AND NOT ix.indisprimary "
                + "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid) "
                + "ORDER BY i.relname, array_position(ix.indkey::int2[], a.attnum)"
            : "SELECT ic.index_name, ic.column_name, "
                + "CASE WHEN i.index_type_name = 'UNIQUE INDEX' THEN TRUE ELSE FALSE END "
                + "FROM information_schema.index_columns ic "
                + "JOIN information_schema.indexes i ON i.index_name = ic.index_name "
                + "AND i.index_schema = ic.index_schema "
                + "WHERE ic.table_schema = CURRENT_SCHEMA AND ic.table_name = $1 "
                + "AND i.index_type_name <> 'PRIMARY KEY' "
                + "AND ic.index_name NOT IN (SELECT tc.index_name FROM "
                + "information_schema.table_constraints tc WHERE tc.index_name IS NOT NULL "
                + "AND tc.table_schema = CURRENT_SCHEMA) "
                + "ORDER BY ic.index_name, ic.ordinal_position";
    return rows(sql, table)
        .map(rs -> {
          Map<String, List<String>> cols = new LinkedHashMap<>();
          Map<String, Boolean> unique = new LinkedHashMap<>();
          for (Row r : rs) {
            cols.computeIfAbsent(str(r, 0), n -> new ArrayList<>()).add(str(r, 1));
            unique.put(str(r, 0), Boolean.TRUE.equals(r.get(2)));
          }
          List<IndexInfo> out = new ArrayList<>();
          cols.forEach((n, c) -> out.add(new IndexInfo(n, List.copyOf(c), unique.get(n))));
          return out;
        });
  }

  /**
   * Loads a table's definition from the database into {@code metadata} (columns, primary key,
   * foreign keys, indexes) and returns it.
   *
   * @throws dev.athanor.error.ArgumentException (in the {@code Mono}) if the table does not exist
   */
  public Mono<Table> loadTable(MetaData metadata, String name) {
    // One query after the other: a connection serves one caller at a time.
    return columns(name)
        .zipWhen(c -> primaryKey(name))
        .zipWhen(t -> foreignKeys(name))
        .zipWhen(t -> indexes(name))
        .map(t ->
            Tuples.of(
                t.getT1().getT1().getT1(), t.getT1().getT1().getT2(), t.getT1().getT2(), t.getT2()))
        .map(z -> {
          if (z.getT1().isEmpty()) {
            throw new dev.athanor.error.ArgumentException(
                "No table '" + name + "' in the database's current schema.");
          }
          List<TableElement> elements = new ArrayList<>();
          for (ColumnInfo ci : z.getT1()) {
            Column<?> col = Sql.column(ci.name(), ci.type());
            if (!ci.nullable()) {
              col.notNull();
            }
            if (ci.defaultSql() != null) {
              col.serverDefault(Sql.literalSql(ci.defaultSql()));
            }
            col.autoincrement(ci.autoincrement());
            elements.add(col);
          }
          if (!z.getT2().isEmpty()) {
            elements.add(new Constraint.PrimaryKey(null, z.getT2()));
          }
          for (ForeignKeyInfo fk : z.getT3()) {
            elements.add(
                new Constraint.ForeignKey(
                    fk.name(), fk.columns(), fk.targetTable(), fk.targetColumns(), null));
          }
          for (IndexInfo ix : z.getT4()) {
            elements.add(new Constraint.Index(ix.name(), ix.columns(), ix.unique()));
          }
          return metadata.table(name, elements.toArray(TableElement[]::new));
        });
  }

  static SqlType<?> typeOf(
      String typeName,
      @Nullable Number length,
      @Nullable Number precision,
      @Nullable Number scale) {
    String t = typeName.toLowerCase(Locale.ROOT);
    return switch (t) {
      case "integer", "int", "int4" -> Types.INTEGER;
      case "bigint", "int8" -> Types.BIGINT;
      case "smallint", "int2" -> Types.SMALLINT;
      case "boolean", "bool" -> Types.BOOLEAN;
      case "text", "character large object" -> Types.TEXT;
      case "character varying", "varchar" ->
          length != null && length.longValue() < Integer.MAX_VALUE && length.intValue() < 1_000_000
              ? Types.string(length.intValue())
              : Types.TEXT;
      case "numeric", "decimal" ->
          Types.numeric(
              precision == null ? 38 : precision.intValue(), scale == null ? 0 : scale.intValue());
      case "double precision", "double", "float8" -> Types.DOUBLE;
      case "real", "float4" -> Types.REAL;
      case "date" -> Types.DATE;
      case "time", "time without time zone" -> Types.TIME;
      case "timestamp", "timestamp without time zone" -> Types.TIMESTAMP;
      case "timestamp with time zone" -> Types.TIMESTAMPTZ;
      case "uuid" -> Types.UUID_TYPE;
      case "bytea", "binary varying", "varbinary" -> Types.BYTES;
      case "json", "jsonb" -> Types.JSON;
      default ->
          SqlType.of(
              typeName.toUpperCase(Locale.ROOT), Object.class, typeName.toUpperCase(Locale.ROOT));
    };
  }

  /** The blocking view of an {@link Inspector}; every call waits. */
  public static final class Sync {
    private final Inspector inspector;

    Sync(Inspector inspector) {
      this.inspector = inspector;
    }

    /** See {@link Inspector#tableNames()}. */
    public List<String> tableNames() {
      return Blocking.await(inspector.tableNames(), "tableNames()");
    }

    /** See {@link Inspector#hasTable(String)}. */
    public boolean hasTable(String name) {
      return Blocking.await(inspector.hasTable(name), "hasTable()");
    }

    /** See {@link Inspector#columns(String)}. */
    public List<ColumnInfo> columns(String table) {
      return Blocking.await(inspector.columns(table), "columns()");
    }

    /** See {@link Inspector#primaryKey(String)}. */
    public List<String> primaryKey(String table) {
      return Blocking.await(inspector.primaryKey(table), "primaryKey()");
    }

    /** See {@link Inspector#foreignKeys(String)}. */
    public List<ForeignKeyInfo> foreignKeys(String table) {
      return Blocking.await(inspector.foreignKeys(table), "foreignKeys()");
    }

    /** See {@link Inspector#indexes(String)}. */
    public List<IndexInfo> indexes(String table) {
      return Blocking.await(inspector.indexes(table), "indexes()");
    }

    /** See {@link Inspector#loadTable(MetaData, String)}. */
    public Table loadTable(MetaData metadata, String name) {
      return Blocking.await(inspector.loadTable(metadata, name), "loadTable()");
    }
  }
}
