package dev.athanor.sql;

import dev.athanor.engine.Connection;
import dev.athanor.engine.SyncConnection;
import dev.athanor.engine.internal.Blocking;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
   * @throws IllegalArgumentException if a table of that name exists, or a constraint names a
   *     missing column
   */
  public Table table(String name, TableElement... elements) {
    return table(null, name, elements);
  }

  /** Declares a table in a schema ({@code null}: the default one). */
  public synchronized Table table(@Nullable String schema, String name, TableElement... elements) {
    String key = schema == null ? name : schema + "." + name;
    if (tables.containsKey(key)) {
      throw new IllegalArgumentException(
          "Table '" + key + "' is already defined in this MetaData.");
    }
    Table t = new Table(this, name, schema, elements);
    tables.put(key, t);
    return t;
  }

  /**
   * Returns a table by name.
   *
   * @throws IllegalArgumentException naming the tables there are, if there is none
   */
  public synchronized Table table(String name) {
    Table t = tables.get(name);
    if (t == null) {
      throw new IllegalArgumentException(
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
  public Mono<Void> createAll(Connection conn) {
    return createAll(conn, true);
  }

  /** Creates every table and index; with {@code checkFirst}, skips the tables that exist. */
  public Mono<Void> createAll(Connection conn, boolean checkFirst) {
    Inspector inspector = Inspector.of(conn);
    return Flux.fromIterable(sortedTables())
        .concatMap(t ->
            (checkFirst ? inspector.hasTable(t.name()) : Mono.just(false))
                .flatMap(exists -> exists ? Mono.empty() : create(conn, t)))
        .then();
  }

  private static Mono<Void> create(Connection conn, Table t) {
    Mono<Void> m = conn.execute(Ddl.createTable(t)).then();
    for (Constraint c : t.constraints()) {
      if (c instanceof Constraint.Index ix) {
        m = m.then(conn.execute(Ddl.createIndex(t, ix)).then());
      }
    }
    return m;
  }

  /** Drops every table that exists, dependents first. */
  public Mono<Void> dropAll(Connection conn) {
    return dropAll(conn, true);
  }

  /** Drops every table; with {@code checkFirst}, skips the tables that do not exist. */
  public Mono<Void> dropAll(Connection conn, boolean checkFirst) {
    List<Table> order = sortedTables();
    Collections.reverse(order);
    Inspector inspector = Inspector.of(conn);
    return Flux.fromIterable(order)
        .concatMap(t ->
            (checkFirst ? inspector.hasTable(t.name()) : Mono.just(true))
                .flatMap(exists -> exists ? conn.execute(Ddl.dropTable(t)).then() : Mono.empty()))
        .then();
  }

  /** Creates every missing table, blocking; for {@code runSync}. */
  public void createAll(SyncConnection conn) {
    Blocking.await(createAll(conn.async()), "createAll()");
  }

  /** Drops every existing table, blocking; for {@code runSync}. */
  public void dropAll(SyncConnection conn) {
    Blocking.await(dropAll(conn.async()), "dropAll()");
  }
}
