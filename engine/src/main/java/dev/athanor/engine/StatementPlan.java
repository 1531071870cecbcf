package dev.athanor.engine;

import dev.athanor.engine.internal.CompiledCache;
import dev.athanor.engine.internal.DriverValues;
import dev.athanor.engine.internal.RowReader;
import dev.athanor.error.ArgumentException;
import dev.athanor.error.DataException;
import dev.athanor.error.InvalidRequestException;
import dev.athanor.result.Result;
import dev.athanor.result.Row;
import dev.athanor.result.RowKeys;
import dev.athanor.result.StatementOutcome;
import dev.athanor.sql.BindSlot;
import dev.athanor.sql.Column;
import dev.athanor.sql.CompiledStatement;
import dev.athanor.sql.Executable;
import dev.athanor.sql.ExecutionOptions;
import dev.athanor.sql.Expression;
import dev.athanor.sql.Insert;
import dev.athanor.sql.SqlType;
import dev.athanor.sql.StatementShape;
import dev.athanor.sql.TextClause;
import dev.athanor.sql.Types;
import dev.athanor.sql.Update;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One execution planned in plain Java, with no IO: the compiled statement and its parameter sets
 * (merged, client defaults filled), how to bind them to a driver statement, and how to turn what
 * the driver returned into a {@link Result}. {@link Connection} runs it.
 *
 * @param statement the statement as the program gave it
 * @param cached its compilation for the engine's dialect (shared by statements of its shape), with
 *     what the executions of that compilation share
 * @param carried the values the statement carries, indexed by {@link BindSlot#valueIndex()}
 * @param sets the parameter sets, one per execution of an executemany
 * @param manyValues for an executemany INSERT, the multi-row statements that send the sets
 */
record StatementPlan(
    Executable statement,
    CompiledCache.Entry cached,
    List<@Nullable Object> carried,
    List<Map<String, @Nullable Object>> sets,
    @Nullable ManyValues manyValues) {

  /**
   * Rows per multi-row INSERT: SQLAlchemy's default page size, kept under PostgreSQL's 32,767 bind
   * parameters per statement for wide tables.
   */
  static final int MANY_VALUES_PAGE = 1000;

  private static final int MAX_PARAMETERS = 32_767;

  /** The most bind parameters one PostgreSQL statement can carry (a 16-bit count). */
  static final int POSTGRES_MAX_PARAMETERS = 65_535;

  /**
   * An executemany INSERT sent as {@code INSERT ... VALUES (...), (...), ...} statements of {@code
   * pageRows} rows each (SQLAlchemy's "insertmanyvalues"): one statement per page instead of one
   * execution per parameter set.
   *
   * @param pageRows rows per full page
   * @param fullPage the statement for a full page
   * @param lastPage the statement for the last, shorter page, or {@code null} if there is none
   */
  record ManyValues(
      int pageRows, CompiledStatement fullPage, @Nullable CompiledStatement lastPage) {}

  /** Returns the compiled statement. */
  CompiledStatement compiled() {
    return cached.compiled();
  }

  static StatementPlan prepare(
      Engine engine, Executable statement, List<? extends Map<String, ?>> given) {
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
      // Compared by size and lookups: a LinkedHashMap's keySet() is a new view at each call.
      String[] first = sets.get(0).keySet().toArray(new String[0]);
      for (Map<String, ?> m : sets) {
        if (!sameKeys(m, first)) {
          throw new InvalidRequestException(
              "Every parameter set of an executemany must name the same columns; got "
                  + sets.get(0).keySet()
                  + " and "
                  + m.keySet()
                  + ".");
        }
      }
    }
    StatementShape shape = statement.shape();
    CompiledCache.Entry cached = engine.compiled(statement, shape, sets.get(0).keySet());
    CompiledStatement compiled = cached.compiled();
    if (engine.dialect().isPostgres() && compiled.slots().size() > POSTGRES_MAX_PARAMETERS) {
      throw new ArgumentException(
          "This statement has "
              + compiled.slots().size()
              + " bound parameters; PostgreSQL takes at most "
              + POSTGRES_MAX_PARAMETERS
              + " in one statement (its protocol counts them in 16 bits), so nothing was sent. "
              + "For many rows, pass them as a list of parameter sets to execute() (executemany "
              + "sends them in pages); for a long IN list, split it into chunks or join against "
              + "a table of the values.");
    }
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
    ManyValues many = null;
    // With RETURNING too: PostgreSQL's executor inserts the VALUES rows in their order and
    // RETURNING emits each row as it is inserted; H2's FINAL TABLE gives them in insert order.
    // The rows come back in the order of the parameter sets (tested on both with several pages).
    if (statement instanceof Insert ins && sets.size() > 1 && ins.compilesPerParameters()) {
      Set<String> names = sets.get(0).keySet();
      many =
          pages(
              sets.size(),
              compiled.slots().size(),
              rows -> engine.compiledManyValues(ins, shape, names, rows));
    }
    if (statement instanceof Update upd
        && sets.size() > 1
        && engine.dialect().isPostgres()
        && Boolean.TRUE.equals(
            upd.getExecutionOptions().get(ExecutionOptions.UPDATE_MANY_VALUES))) {
      List<String> keys = dev.athanor.sql.internal.ManyValues.updateKeys(upd);
      if (keys != null && distinctKeys(sets, keys)) {
        Set<String> names = sets.get(0).keySet();
        many =
            pages(
                sets.size(),
                names.size(),
                rows -> engine.compiledUpdateManyValues(upd, shape, names, rows));
      }
    }
    return new StatementPlan(statement, cached, shape.values(), sets, many);
  }

  private static boolean sameKeys(Map<String, ?> m, String[] names) {
    if (m.size() != names.length) {
      return false;
    }
    for (String n : names) {
      if (!m.containsKey(n)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Splits {@code sets} parameter sets of {@code perRow} parameters each into pages of rows of
   * VALUES (at most {@link #MANY_VALUES_PAGE} rows, and within the driver's parameter limit), each
   * page's statement compiled by {@code compile} for its row count.
   */
  private static ManyValues pages(
      int sets, int perRow, java.util.function.IntFunction<CompiledStatement> compile) {
    int page = Math.max(1, Math.min(MANY_VALUES_PAGE, MAX_PARAMETERS / Math.max(1, perRow)));
    int full = Math.min(page, sets);
    int rest = sets % full;
    return new ManyValues(full, compile.apply(full), rest == 0 ? null : compile.apply(rest));
  }

  /** Whether no two parameter sets name the same row (the same values for the key names). */
  private static boolean distinctKeys(List<Map<String, @Nullable Object>> sets, List<String> keys) {
    Set<List<@Nullable Object>> seen = new java.util.HashSet<>(sets.size() * 2);
    for (Map<String, @Nullable Object> set : sets) {
      List<@Nullable Object> key = new ArrayList<>(keys.size());
      for (String k : keys) {
        key.add(set.get(k));
      }
      if (!seen.add(key)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The driver statements of one run on {@code raw}: every value converted for the driver now, so
   * that a bad value stops the run before anything is sent; the statements made as the run reaches
   * them.
   */
  RunStatements statements(io.r2dbc.spi.Connection raw) {
    ManyValues many = manyValues;
    if (many == null) {
      return RunStatements.single(bind(raw));
    }
    CompiledStatement full = many.fullPage();
    int perRow = full.slots().size() / many.pageRows();
    @Nullable Object[] values = new Object[sets.size() * perRow];
    for (int r = 0; r < sets.size(); r++) {
      Map<String, @Nullable Object> set = sets.get(r);
      int base = r * perRow;
      for (int i = 0; i < perRow; i++) {
        values[base + i] = driverValue(full.slots().get(i), set, i, r);
      }
    }
    return RunStatements.paged(raw, many, sets.size(), perRow, values);
  }

  /** Creates the driver statement on {@code raw} and binds every parameter set. */
  io.r2dbc.spi.Statement bind(io.r2dbc.spi.Connection raw) {
    CompiledStatement c = compiled();
    io.r2dbc.spi.Statement st = raw.createStatement(c.sql());
    List<BindSlot> slots = c.slots();
    for (int s = 0; s < sets.size(); s++) {
      if (s > 0) {
        st.add();
      }
      Map<String, @Nullable Object> set = sets.get(s);
      for (int i = 0; i < slots.size(); i++) {
        bindSlot(st, i, slots.get(i), set, s);
      }
    }
    if (!c.generatedKeys().isEmpty() && sets.size() == 1) {
      String[] names = new String[c.generatedKeys().size()];
      for (int i = 0; i < names.length; i++) {
        names[i] = c.generatedKeys().get(i).name();
      }
      st.returnGeneratedValues(names);
    }
    return st;
  }

  private void bindSlot(
      io.r2dbc.spi.Statement st,
      int index,
      BindSlot slot,
      Map<String, @Nullable Object> set,
      int setIndex) {
    bindValue(st, index, driverValue(slot, set, index, setIndex));
  }

  /** Binds a value from {@link #driverValue}. */
  static void bindValue(io.r2dbc.spi.Statement st, int index, @Nullable Object value) {
    if (value instanceof NullOf n) {
      st.bindNull(index, n.type());
    } else {
      st.bind(index, java.util.Objects.requireNonNull(value));
    }
  }

  /** A SQL NULL for a bind parameter, with the Java type the driver sends it as. */
  record NullOf(Class<?> type) {}

  /**
   * The value of {@code slot} in parameter set {@code setIndex}, converted for the driver; a {@link
   * NullOf} for NULL. Throws, naming the parameter, for a missing or unusable value.
   */
  private Object driverValue(
      BindSlot slot, Map<String, @Nullable Object> set, int index, int setIndex) {
    Object v;
    if (slot.name() == null) {
      v = slot.carriedValue(carried);
    } else {
      v = set.get(slot.name());
      if (v == null && !set.containsKey(slot.name())) {
        throw new InvalidRequestException(
            "A value is required for bind parameter '"
                + slot.name()
                + "'"
                + (sets.size() > 1 ? ", in parameter set " + setIndex : "")
                + "; the parameters "
                + "given were "
                + set.keySet()
                + ".");
      }
      if (v instanceof Expression<?>) {
        throw new InvalidRequestException(
            "Parameter '"
                + slot.name()
                + "' was given an expression; parameters take "
                + "values. Put expressions into the statement itself.");
      }
    }
    SqlType<?> type = slot.type();
    if (type == Types.NULLTYPE && v != null) {
      type = Types.forValue(v);
    }
    Object d = DriverValues.toDriver(type, v);
    if (d instanceof String text && hasLoneSurrogate(text)) {
      String what =
          slot.name() != null ? "parameter '" + slot.name() + "'" : "bound value " + (index + 1);
      throw new DataException(
          "The string for "
              + what
              + (sets.size() > 1 ? " in parameter set " + setIndex : "")
              + " holds a lone UTF-16 surrogate (half of a character), which no database "
              + "encoding can store; the database would keep a '?' in its place. Fix the string "
              + "where it was made (a substring that split a character pair, often).",
          new IllegalArgumentException("unpaired surrogate in a string value"),
          compiled().sql(),
          null,
          null,
          null,
          false);
    }
    return d == null ? new NullOf(DriverValues.nullType(type)) : d;
  }

  /** Returns whether a string holds a high surrogate without its low one, or the reverse. */
  static boolean hasLoneSurrogate(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      }
    }
    return false;
  }

  /** Builds the buffered result (and its outcome) from what the driver returned. */
  Result result(RowReader reader, List<Object> items) {
    StatementPlan p = this;
    CompiledStatement c = p.compiled();
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
    boolean returnsRows =
        c.returnsRows() || (c.kind() == CompiledStatement.Kind.TEXT && !rows.isEmpty());
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

  private static Row primaryKey(
      StatementPlan p, @Nullable Row generated, Map<String, @Nullable Object> given) {
    CompiledStatement c = p.compiled();
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
