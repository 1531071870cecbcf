package dev.athanor.engine;

import dev.athanor.engine.internal.RowReader;
import dev.athanor.result.InvalidRequestException;
import dev.athanor.result.Result;
import dev.athanor.result.Row;
import dev.athanor.result.RowKeys;
import dev.athanor.result.StatementOutcome;
import dev.athanor.sql.BindSlot;
import dev.athanor.sql.Column;
import dev.athanor.sql.CompiledStatement;
import dev.athanor.sql.Executable;
import dev.athanor.sql.Expression;
import dev.athanor.sql.Insert;
import dev.athanor.sql.SqlType;
import dev.athanor.sql.StatementShape;
import dev.athanor.sql.TextClause;
import dev.athanor.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One execution planned in plain Java, with no IO: the compiled statement and its parameter sets
 * (merged, client defaults filled), how to bind them to a driver statement, and how to turn what
 * the driver returned into a {@link Result}. {@link Connection} runs it.
 *
 * @param statement the statement as the program gave it
 * @param compiled its compilation for the engine's dialect (shared by statements of its shape)
 * @param carried the values the statement carries, indexed by {@link BindSlot#valueIndex()}
 * @param sets the parameter sets, one per execution of an executemany
 */
record StatementPlan(
    Executable statement,
    CompiledStatement compiled,
    List<@Nullable Object> carried,
    List<Map<String, @Nullable Object>> sets) {

  static StatementPlan prepare(Engine engine, Executable statement, List<? extends Map<String, ?>> given) {
    List<Map<String, @Nullable Object>> sets = new ArrayList<>(Math.max(1, given.size()));
    Map<String, @Nullable Object> extra =
        statement instanceof TextClause tc ? tc.boundValues() : Map.of();
    if (given.isEmpty()) {
      sets.add(extra.isEmpty() ? Map.of() : new LinkedHashMap<>(extra));
    } else {
      for (Map<String, ?> m : given) {
        if (extra.isEmpty()) {
          @SuppressWarnings("unchecked")
          Map<String, @Nullable Object> cast = (Map<String, @Nullable Object>) m;
          sets.add(cast);
        } else {
          Map<String, @Nullable Object> merged = new LinkedHashMap<>(extra);
          merged.putAll(m);
          sets.add(merged);
        }
      }
    }
    if (statement.compilesPerParameters() && sets.size() > 1) {
      for (Map<String, ?> m : sets) {
        if (!m.keySet().equals(sets.get(0).keySet())) {
          throw new InvalidRequestException(
              "Every parameter set of an executemany must name the same columns; got "
                  + sets.get(0).keySet() + " and " + m.keySet() + ".");
        }
      }
    }
    StatementShape shape = statement.shape();
    CompiledStatement compiled = engine.compiled(statement, shape, sets.get(0).keySet());
    if (!compiled.clientDefaults().isEmpty()) {
      for (int i = 0; i < sets.size(); i++) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>(sets.get(i));
        for (Map.Entry<String, Supplier<?>> d : compiled.clientDefaults().entrySet()) {
          if (!m.containsKey(d.getKey())) {
            m.put(d.getKey(), d.getValue().get());
          }
        }
        sets.set(i, m);
      }
    }
    return new StatementPlan(statement, compiled, shape.values(), sets);
  }

  /** Creates the driver statement on {@code raw} and binds every parameter set. */
  io.r2dbc.spi.Statement bind(io.r2dbc.spi.Connection raw) {
    StatementPlan p = this;
    CompiledStatement c = p.compiled;
    io.r2dbc.spi.Statement st = raw.createStatement(c.sql());
    List<BindSlot> slots = c.slots();
    for (int s = 0; s < p.sets.size(); s++) {
      if (s > 0) {
        st.add();
      }
      Map<String, @Nullable Object> set = p.sets.get(s);
      for (int i = 0; i < slots.size(); i++) {
        BindSlot slot = slots.get(i);
        Object v;
        if (slot.name() == null) {
          v = slot.carriedValue(p.carried);
        } else {
          if (!set.containsKey(slot.name())) {
            throw new InvalidRequestException(
                "A value is required for bind parameter '" + slot.name() + "'"
                    + (p.sets.size() > 1 ? ", in parameter set " + s : "") + "; the parameters "
                    + "given were " + set.keySet() + ".");
          }
          v = set.get(slot.name());
          if (v instanceof Expression<?>) {
            throw new InvalidRequestException(
                "Parameter '" + slot.name() + "' was given an expression; parameters take "
                    + "values. Put expressions into the statement itself.");
          }
        }
        SqlType<?> type = slot.type();
        if (type == Types.NULLTYPE && v != null) {
          type = Types.forValue(v);
        }
        Object d = type.toDriver(v);
        if (d == null) {
          Class<?> nullType = type.driverType();
          st.bindNull(i, nullType == Object.class ? String.class : nullType);
        } else {
          st.bind(i, d);
        }
      }
    }
    if (!c.generatedKeys().isEmpty() && p.sets.size() == 1) {
      String[] names = new String[c.generatedKeys().size()];
      for (int i = 0; i < names.length; i++) {
        names[i] = c.generatedKeys().get(i).name();
      }
      st.returnGeneratedValues(names);
    }
    return st;
  }

  /** Builds the buffered result (and its outcome) from what the driver returned. */
  Result result(RowReader reader, List<Object> items) {
    StatementPlan p = this;
    CompiledStatement c = p.compiled;
    List<Row> rows = new ArrayList<>(items.size());
    long count = -1;
    for (Object o : items) {
      if (o instanceof Row r) {
        rows.add(r);
      } else {
        count = (count < 0 ? 0 : count) + ((Number) o).longValue();
      }
    }
    Row generated = null;
    if (!c.generatedKeys().isEmpty() && p.sets.size() == 1) {
      generated = rows.isEmpty() ? null : rows.get(0);
      if (count < 0) {
        // r2dbc-h2 reports generated keys instead of an update count.
        count = rows.size();
      }
      rows = List.of();
    }
    boolean returnsRows = c.returnsRows() || (c.kind() == CompiledStatement.Kind.TEXT && !rows.isEmpty());
    Row pk = null;
    List<Map<String, @Nullable Object>> inserted = List.of();
    if (c.kind() == CompiledStatement.Kind.INSERT && c.table() != null) {
      inserted = insertedParams(p);
      boolean single =
          p.sets.size() == 1 && (!(p.statement instanceof Insert ins) || ins.isSingleRow());
      if (single && !c.table().primaryKey().isEmpty()) {
        pk = primaryKey(p, generated, inserted.isEmpty() ? Map.of() : inserted.get(0));
      }
    }
    StatementOutcome outcome = new StatementOutcome(count, returnsRows, pk, inserted);
    if (!returnsRows) {
      return Result.ofOutcome(outcome);
    }
    RowKeys keys = reader.keys();
    return new Result(keys, rows, outcome);
  }

  private static List<Map<String, @Nullable Object>> insertedParams(StatementPlan p) {
    if (!(p.statement instanceof Insert ins) || p.sets.size() != 1) {
      return List.copyOf(p.sets);
    }
    // The values the statement carries, then those given at execution.
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    for (Column<?> col : ins.table().columns()) {
      Object v = ins.valueFor(col);
      if (v != null) {
        m.put(col.name(), v);
      }
    }
    m.putAll(p.sets.get(0));
    return List.of(m);
  }

  private static Row primaryKey(StatementPlan p, @Nullable Row generated, Map<String, @Nullable Object> given) {
    CompiledStatement c = p.compiled;
    List<Column<?>> pkCols = c.table().primaryKey();
    Object[] values = new Object[pkCols.size()];
    List<String> names = new ArrayList<>();
    for (int i = 0; i < pkCols.size(); i++) {
      Column<?> col = pkCols.get(i);
      names.add(col.name());
      int g = c.generatedKeys().indexOf(col);
      if (g >= 0 && generated != null) {
        values[i] = RowReader.coerce(generated.get(g), col.type());
      } else {
        values[i] = given.get(col.name());
      }
    }
    return new Row(RowKeys.of(names, pkCols), values);
  }
}
