package dev.athanor.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A collection of {@link Table}s, and the DDL that creates and drops them in dependency order
 * (tables before the tables whose foreign keys point at them).
 *
 * <pre>{@code
 * MetaData metadata = new MetaData();
 * Table users = metadata.table("users", column("id", Types.INTEGER).primaryKey(), ...);
 * metadata.createAll(conn).block();          // reactive
 * conn.runSync(sync -> { metadata.createAll(sync); return null; });   // blocking, in runSync
 * }</pre>
 */
public final class MetaData {
  private final Map<String, Table> tables = new LinkedHashMap<>();

  /** Creates an empty collection. */
  public MetaData() {}

  /**
   * Declares a table in the default schema.
   *
   * @throws dev.athanor.error.ArgumentException if a table of that name exists, or a constraint
   *     names a missing column
   */
  public Table table(String name, TableElement... elements) {
    return table(null, name, elements);
  }

  /** Declares a table in a schema ({@code null}: the default one). */
  public synchronized Table table(@Nullable String schema, String name, TableElement... elements) {
    String key = schema == null ? name : schema + "." + name;
    if (tables.containsKey(key)) {
      throw new dev.athanor.error.ArgumentException(
          "Table '" + key + "' is already defined in this MetaData.");
    }
    Table t = new Table(this, name, schema, elements);
    tables.put(key, t);
    return t;
  }

  /**
   * Returns a table by name.
   *
   * @throws dev.athanor.error.ArgumentException naming the tables there are, if there is none
   */
  public synchronized Table table(String name) {
    Table t = tables.get(name);
    if (t == null) {
      throw new dev.athanor.error.ArgumentException(
          "No table '" + name + "' in this MetaData; it has " + tables.keySet() + ".");
    }
    return t;
  }

  /** Returns whether a table of this name is defined. */
  public synchronized boolean hasTable(String name) {
    return tables.containsKey(name);
  }

  /** Returns the tables in dependency order: referenced tables first. */
  public synchronized List<Table> sortedTables() {
    List<Table> out = new ArrayList<>();
    Set<Table> done = new HashSet<>();
    Set<Table> visiting = new HashSet<>();
    for (Table t : tables.values()) {
      visit(t, out, done, visiting);
    }
    return out;
  }

  private void visit(Table t, List<Table> out, Set<Table> done, Set<Table> visiting) {
    if (done.contains(t)) {
      return;
    }
    if (!visiting.add(t)) {
      // A cycle of foreign keys: keep declaration order for the rest.
      return;
    }
    for (Constraint.ForeignKey fk : t.foreignKeys()) {
      Table target = tables.get(fk.targetTable());
      if (target != null && target != t) {
        visit(target, out, done, visiting);
      }
    }
    visiting.remove(t);
    done.add(t);
    out.add(t);
  }

  /** Creates every table (and index) that does not exist yet. */
  public Mono<Void> createAll(SchemaConnection conn) {
    return createAll(conn, true);
  }

  /**
   * Creates every table and index; with {@code checkFirst}, skips the tables that exist. Foreign
   * keys in a cycle (two tables that refer to each other) are added by {@code ALTER TABLE} once the
   * tables exist.
   */
  public Mono<Void> createAll(SchemaConnection conn, boolean checkFirst) {
    return Mono.defer(() -> {
      List<Table> order = sortedTables();
      Map<Table, Set<Constraint.ForeignKey>> later = keysToAddLater(order);
      return Flux.fromIterable(order)
          .concatMap(t ->
              (checkFirst ? exists(conn, t) : Mono.just(false))
                  .flatMap(exists ->
                      exists
                          ? Mono.<Table>empty()
                          : runAll(conn, createStatements(t, later)).thenReturn(t)))
          .collectList()
          .flatMap(created -> runAll(conn, addKeyStatements(created, later)));
    });
  }

  /** Drops every table that exists, dependents first. */
  public Mono<Void> dropAll(SchemaConnection conn) {
    return dropAll(conn, true);
  }

  /**
   * Drops every table; with {@code checkFirst}, skips the tables that do not exist. Foreign keys in
   * a cycle are dropped first, by the name {@link Ddl#foreignKeyName} gives them.
   */
  public Mono<Void> dropAll(SchemaConnection conn, boolean checkFirst) {
    return Mono.defer(() -> {
      List<Table> order = sortedTables();
      Map<Table, Set<Constraint.ForeignKey>> later = keysToAddLater(order);
      Mono<Void> keys =
          Flux.fromIterable(later.keySet())
              .concatMap(t ->
                  (checkFirst ? exists(conn, t) : Mono.just(true))
                      .flatMap(exists ->
                          exists ? runAll(conn, dropKeyStatements(t, later)) : Mono.empty()))
              .then();
      Collections.reverse(order);
      return keys.then(
          Flux.fromIterable(order)
              .concatMap(t ->
                  (checkFirst ? exists(conn, t) : Mono.just(true))
                      .flatMap(exists ->
                          exists ? runAll(conn, List.of(Ddl.dropTable(t))) : Mono.empty()))
              .then());
    });
  }

  /** Creates every missing table, blocking; for {@code runSync}. */
  public void createAll(SyncSchemaConnection conn) {
    createAll(conn, true);
  }

  /** Creates every table and index, blocking; with {@code checkFirst}, skips existing tables. */
  public void createAll(SyncSchemaConnection conn, boolean checkFirst) {
    List<Table> order = sortedTables();
    Map<Table, Set<Constraint.ForeignKey>> later = keysToAddLater(order);
    List<Table> created = new ArrayList<>();
    for (Table t : order) {
      if (!checkFirst || !exists(conn, t)) {
        for (Executable ddl : createStatements(t, later)) {
          conn.execute(ddl);
        }
        created.add(t);
      }
    }
    for (Executable ddl : addKeyStatements(created, later)) {
      conn.execute(ddl);
    }
  }

  /** Drops every existing table, blocking; for {@code runSync}. */
  public void dropAll(SyncSchemaConnection conn) {
    dropAll(conn, true);
  }

  /** Drops every table, blocking; with {@code checkFirst}, skips missing tables. */
  public void dropAll(SyncSchemaConnection conn, boolean checkFirst) {
    List<Table> order = sortedTables();
    Map<Table, Set<Constraint.ForeignKey>> later = keysToAddLater(order);
    for (Table t : later.keySet()) {
      if (!checkFirst || exists(conn, t)) {
        for (Executable ddl : dropKeyStatements(t, later)) {
          conn.execute(ddl);
        }
      }
    }
    Collections.reverse(order);
    for (Table t : order) {
      if (!checkFirst || exists(conn, t)) {
        conn.execute(Ddl.dropTable(t));
      }
    }
  }

  /**
   * The foreign keys that point at a table created after their own (tables that refer to each other
   * in a cycle): left out of CREATE TABLE and added once both tables exist.
   */
  private synchronized Map<Table, Set<Constraint.ForeignKey>> keysToAddLater(List<Table> order) {
    Map<Table, Set<Constraint.ForeignKey>> out = new LinkedHashMap<>();
    for (int i = 0; i < order.size(); i++) {
      Table t = order.get(i);
      for (Constraint.ForeignKey fk : t.foreignKeys()) {
        Table target = tables.get(fk.targetTable());
        if (target != null && target != t && order.indexOf(target) > i) {
          out.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(fk);
        }
      }
    }
    return out;
  }

  private static List<Executable> createStatements(
      Table t, Map<Table, Set<Constraint.ForeignKey>> later) {
    List<Executable> out = new ArrayList<>();
    out.add(Ddl.createTable(t, later.getOrDefault(t, Set.of())));
    for (Constraint c : t.constraints()) {
      if (c instanceof Constraint.Index ix) {
        out.add(Ddl.createIndex(t, ix));
      }
    }
    return out;
  }

  private static List<Executable> addKeyStatements(
      List<Table> created, Map<Table, Set<Constraint.ForeignKey>> later) {
    List<Executable> out = new ArrayList<>();
    for (Table t : created) {
      for (Constraint.ForeignKey fk : later.getOrDefault(t, Set.of())) {
        out.add(Ddl.addForeignKey(t, fk));
      }
    }
    return out;
  }

  private static List<Executable> dropKeyStatements(
      Table t, Map<Table, Set<Constraint.ForeignKey>> later) {
    List<Executable> out = new ArrayList<>();
    for (Constraint.ForeignKey fk : later.getOrDefault(t, Set.of())) {
      out.add(Ddl.dropForeignKey(t, fk));
    }
    return out;
  }

  private static Mono<Void> runAll(SchemaConnection conn, List<Executable> statements) {
    return Flux.fromIterable(statements).concatMap(conn::execute).then();
  }

  private static Mono<Boolean> exists(SchemaConnection conn, Table t) {
    return conn.execute(hasTableQuery(conn.dialect(), t)).map(r -> r.first() != null);
  }

  private static boolean exists(SyncSchemaConnection conn, Table t) {
    return conn.execute(hasTableQuery(conn.dialect(), t)).first() != null;
  }

  /**
   * Returns the query that finds a table in the information schema: one row if it exists. The
   * schema is the table's own, or the connection's current one.
   */
  public static TextClause hasTableQuery(Dialect dialect, Table table) {
    return hasTableQuery(dialect, table.schema(), table.name());
  }

  /** Returns the query that finds a table by schema ({@code null}: the current one) and name. */
  public static TextClause hasTableQuery(Dialect dialect, @Nullable String schema, String name) {
    TextClause q =
        Sql.text(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = "
                    + (schema == null ? dialect.currentSchemaSql() : ":schema")
                    + " AND table_name = :name")
            .bind("name", name);
    return schema == null ? q : q.bind("schema", schema);
  }
}
