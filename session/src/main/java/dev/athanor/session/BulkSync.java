package dev.athanor.session;

import dev.athanor.result.Result;
import dev.athanor.result.Row;
import dev.athanor.sql.Column;
import dev.athanor.sql.Delete;
import dev.athanor.sql.Evaluator;
import dev.athanor.sql.Expression;
import dev.athanor.sql.Select;
import dev.athanor.sql.Sql;
import dev.athanor.sql.Statement;
import dev.athanor.sql.Update;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * How an ORM bulk UPDATE or DELETE brings the session's objects of its class in line, in plain Java
 * (DESIGN.md, decision 2): {@link #plan} decides, before anything is sent, what can be evaluated in
 * memory and which way to synchronize; {@link #apply} changes the objects once the statement ran.
 * The session runs the statements between the two.
 */
final class BulkSync {
  final SynchronizeSession mode;
  private final Statement statement;
  private final Mapper<Object> mapper;
  private final List<Expression<Boolean>> where;
  private final @Nullable Predicate<Evaluator.RowValues> match;
  private final Map<Attribute<Object, ?>, Function<Evaluator.RowValues, @Nullable Object>> values;
  private final List<String> expiring;

  /**
   * The identity token the statement runs with: only objects loaded with it are synchronized (all
   * objects when it is null, as in SQLAlchemy).
   */
  private final @Nullable Object token;

  private BulkSync(
      SynchronizeSession mode,
      Statement statement,
      Mapper<Object> mapper,
      List<Expression<Boolean>> where,
      @Nullable Predicate<Evaluator.RowValues> match,
      Map<Attribute<Object, ?>, Function<Evaluator.RowValues, @Nullable Object>> values,
      List<String> expiring,
      @Nullable Object token) {
    this.mode = mode;
    this.token = token;
    this.statement = statement;
    this.mapper = mapper;
    this.where = where;
    this.match = match;
    this.values = values;
    this.expiring = expiring;
  }

  /**
   * Plans the synchronization of a bulk UPDATE or DELETE of {@code mapper}'s table.
   *
   * @throws Evaluator.Unevaluable with {@link SynchronizeSession#EVALUATE}, for criteria or values
   *     the evaluator does not understand
   */
  static BulkSync plan(
      Statement statement,
      Mapper<Object> mapper,
      SynchronizeSession asked,
      @Nullable Object token) {
    SynchronizeSession mode = asked;
    List<Expression<Boolean>> where =
        statement instanceof Update u ? u.whereClauses() : ((Delete) statement).whereClauses();
    Map<Column<?>, Object> sets = statement instanceof Update u ? u.assignments() : Map.of();
    Predicate<Column<?>> known = c -> attributeOf(mapper, c) != null;
    Predicate<Evaluator.RowValues> match = null;
    if (mode == SynchronizeSession.AUTO || mode == SynchronizeSession.EVALUATE) {
      try {
        match = Evaluator.condition(where, known);
      } catch (Evaluator.Unevaluable e) {
        if (mode == SynchronizeSession.EVALUATE) {
          throw e;
        }
        mode = SynchronizeSession.FETCH;
      }
    }
    Map<Attribute<Object, ?>, Function<Evaluator.RowValues, @Nullable Object>> values =
        new LinkedHashMap<>();
    List<String> expiring = new ArrayList<>();
    for (Map.Entry<Column<?>, Object> e : sets.entrySet()) {
      Attribute<Object, ?> a = attributeOf(mapper, e.getKey());
      if (a == null) {
        continue;
      }
      try {
        values.put(a, Evaluator.value(e.getValue(), known));
      } catch (Evaluator.Unevaluable x) {
        if (mode == SynchronizeSession.EVALUATE) {
          throw x;
        }
        expiring.add(a.name()); // an SQL expression: the objects reload it when next reached
      }
    }
    return new BulkSync(mode, statement, mapper, where, match, values, expiring, token);
  }

  /** The SELECT of the keys of the rows the statement will touch (synchronizing by fetch). */
  Select keysQuery() {
    Select q =
        Sql.select(mapper.primaryKey().stream().map(Attribute::column).toArray(Column[]::new));
    for (Expression<Boolean> w : where) {
      q = q.where(w);
    }
    return q;
  }

  /**
   * Reads the keys {@link #keysQuery()} selected, as identity keys with this statement's token (so
   * that a binary key compares by content).
   */
  Set<IdentityKey> keys(Result r) {
    int width = mapper.primaryKey().size();
    Set<IdentityKey> keys = new HashSet<>();
    for (Row row : r) {
      List<Object> v = new ArrayList<>(width);
      for (int i = 0; i < width; i++) {
        v.add(row.get(i));
      }
      keys.add(UnitOfWork.keyOf(mapper, v, token));
    }
    return keys;
  }

  /**
   * The statement ran: matching objects (by the fetched keys, or by evaluating the criteria) get
   * the new values, or leave the session as deleted.
   */
  void apply(UnitOfWork work, Set<IdentityKey> fetched) {
    if (mode == SynchronizeSession.NONE) {
      return;
    }
    for (InstanceState st : work.persistentOf(mapper)) {
      if (token != null && !token.equals(st.token)) {
        continue; // loaded from another database than the one the statement ran on
      }
      Evaluator.RowValues row = rowOf(st);
      boolean hit;
      Map<Attribute<Object, ?>, @Nullable Object> now = Map.of();
      try {
        hit =
            mode == SynchronizeSession.FETCH
                ? st.key != null && fetched.contains(withToken(st.key))
                : Objects.requireNonNull(match).test(row);
        if (hit && statement instanceof Update) {
          now = new LinkedHashMap<>();
          for (Map.Entry<Attribute<Object, ?>, Function<Evaluator.RowValues, @Nullable Object>> v :
              values.entrySet()) {
            now.put(v.getKey(), v.getKey().column().type().fromDriver(v.getValue().apply(row)));
          }
        }
      } catch (Evaluator.Unevaluable e) {
        // A value of this object the evaluator cannot compare (the statement already ran): the
        // object is reloaded when next reached instead of guessed at.
        st.expire();
        continue;
      }
      if (!hit) {
        continue;
      }
      if (statement instanceof Delete) {
        work.bulkDeleted(st);
        continue;
      }
      work.bulkUpdated(st, now);
      if (!expiring.isEmpty()) {
        st.expire(expiring);
      }
    }
  }

  /** The key as the fetched keys carry it: with this statement's token. */
  private IdentityKey withToken(IdentityKey key) {
    return Objects.equals(key.token(), token) ? key : new IdentityKey(mapper, key.values(), token);
  }

  private static @Nullable Attribute<Object, ?> attributeOf(Mapper<Object> mapper, Column<?> c) {
    for (Attribute<Object, ?> a : mapper.attributes()) {
      if (a.column() == c) {
        return a;
      }
    }
    return null;
  }

  /** A persistent object's current values, by column, for the evaluator. */
  private static Evaluator.RowValues rowOf(InstanceState st) {
    return column -> {
      for (Attribute<Object, ?> a : st.attributes()) {
        if (a.column() == column) {
          return a.read(st.object);
        }
      }
      throw new IllegalStateException("the evaluator asked for " + column + ", not mapped here");
    };
  }
}
