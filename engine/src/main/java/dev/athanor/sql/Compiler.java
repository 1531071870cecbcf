package dev.athanor.sql;

import dev.athanor.error.CompileException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Turns a statement tree into SQL text and bind slots for one dialect. Every value becomes a
 * placeholder; identifiers go through {@link Dialect#quote}. Not thread-safe; one per compile.
 */
final class Compiler {
  enum Clause {
    COLUMNS,
    ORDER_BY,
    OTHER
  }

  private final Dialect dialect;
  private final StringBuilder sql = new StringBuilder(128);
  private final List<BindSlot> slots = new ArrayList<>();
  private final Deque<Set<FromClause>> enclosing = new ArrayDeque<>();
  private final LinkedHashMap<String, Subquery> ctes = new LinkedHashMap<>();
  private final Map<String, Supplier<?>> clientDefaults = new LinkedHashMap<>();
  private final @Nullable Set<String> paramKeys;
  private final Map<BindValue<?>, Integer> bindIndex;

  /** Rows of named parameters an INSERT without values renders (several: insertmanyvalues). */
  private int valuesRows = 1;

  private Clause clause = Clause.OTHER;
  private boolean qualify = true;
  private boolean ddl;

  Compiler(Dialect dialect, @Nullable Set<String> paramKeys, Map<BindValue<?>, Integer> bindIndex) {
    this.dialect = dialect;
    this.paramKeys = paramKeys;
    this.bindIndex = bindIndex;
  }

  /**
   * Compiles a statement; {@code paramKeys} are the parameter names of the execution, which an
   * INSERT or UPDATE without explicit values turns into its column list. Each carried value becomes
   * a slot that points into {@code shape.values()}.
   */
  static CompiledStatement compile(
      Statement stmt, Dialect dialect, @Nullable Set<String> paramKeys, StatementShape shape) {
    return compile(stmt, dialect, paramKeys, shape, 1);
  }

  /**
   * Compiles a statement; an INSERT without values of its own renders {@code valuesRows} rows of
   * named parameters ({@code VALUES ($1, $2), ($3, $4), ...}), each row naming the same parameters.
   */
  static CompiledStatement compile(
      Statement stmt,
      Dialect dialect,
      @Nullable Set<String> paramKeys,
      StatementShape shape,
      int valuesRows) {
    Map<BindValue<?>, Integer> index = shape.bindIndex();
    Compiler first = new Compiler(dialect, paramKeys, index);
    first.valuesRows = valuesRows;
    stmt.compile(first);
    Compiler c = first;
    if (!first.ctes.isEmpty()) {
      c = new Compiler(dialect, paramKeys, index);
      c.append("WITH ");
      int i = 0;
      for (Subquery cte : first.ctes.values()) {
        if (i++ > 0) {
          c.append(", ");
        }
        c.ident(cte.name).append(" AS (");
        c.nested(cte.select);
        c.append(")");
      }
      c.append(" ");
      stmt.compile(c);
    }
    return c.result(stmt);
  }

  CompiledStatement result(Statement stmt) {
    List<Expression<?>> cols = List.of();
    CompiledStatement.Kind kind;
    Table table = null;
    List<Column<?>> generated = List.of();
    switch (stmt) {
      case Select s -> {
        cols = s.resultColumns();
        kind = CompiledStatement.Kind.SELECT;
      }
      case CompoundSelect s -> {
        cols = s.resultColumns();
        kind = CompiledStatement.Kind.SELECT;
      }
      case Insert s -> {
        cols = s.returning;
        kind = CompiledStatement.Kind.INSERT;
        table = s.table;
        if (s.returning.isEmpty() && s.fromSelect == null && s.rows.size() <= 1) {
          generated = generatedKeys(s);
        }
      }
      case Update s -> {
        cols = s.returning;
        kind = CompiledStatement.Kind.UPDATE;
        table = s.table;
      }
      case Delete s -> {
        cols = s.returning;
        kind = CompiledStatement.Kind.DELETE;
        table = s.table;
      }
      case Ddl d -> kind = CompiledStatement.Kind.DDL;
    }
    return new CompiledStatement(
        sql.toString(),
        List.copyOf(slots),
        List.copyOf(cols),
        kind,
        table,
        Map.copyOf(clientDefaults),
        generated);
  }

  private List<Column<?>> generatedKeys(Insert s) {
    Set<String> given = new HashSet<>();
    if (!s.rows.isEmpty()) {
      for (Column<?> c : s.rows.get(0).keySet()) {
        given.add(c.name());
      }
    } else if (paramKeys != null) {
      given.addAll(paramKeys);
    }
    List<Column<?>> out = new ArrayList<>();
    for (Column<?> pk : s.table.primaryKey()) {
      if (!given.contains(pk.name()) && pk.isAutoincrement()) {
        out.add(pk);
      }
    }
    return out;
  }

  static CompiledStatement compileText(String text, Dialect dialect) {
    Compiler c = new Compiler(dialect, null, Map.of());
    int n = text.length();
    char quote = 0;
    for (int i = 0; i < n; i++) {
      char ch = text.charAt(i);
      if (quote != 0) {
        c.sql.append(ch);
        if (ch == quote) {
          quote = 0;
        }
      } else if (ch == '\'' || ch == '"') {
        quote = ch;
        c.sql.append(ch);
      } else if (ch == '\\' && i + 1 < n && text.charAt(i + 1) == ':') {
        c.sql.append(':');
        i++;
      } else if (ch == ':' && i + 1 < n && text.charAt(i + 1) == ':') {
        c.sql.append("::");
        i++;
      } else if (ch == ':'
          && i + 1 < n
          && Character.isJavaIdentifierStart(text.charAt(i + 1))
          && (i == 0 || text.charAt(i - 1) != ':')) {
        int j = i + 1;
        while (j < n && Character.isJavaIdentifierPart(text.charAt(j))) {
          j++;
        }
        c.bindNamed(text.substring(i + 1, j), Types.NULLTYPE);
        i = j - 1;
      } else {
        c.sql.append(ch);
      }
    }
    return new CompiledStatement(
        c.sql.toString(),
        List.copyOf(c.slots),
        List.of(),
        CompiledStatement.Kind.TEXT,
        null,
        Map.of(),
        List.of());
  }

  static String preview(SqlNode node) {
    try {
      if (node instanceof Statement s) {
        return compile(s, Dialect.POSTGRESQL, null, StatementShape.of(s)).sql();
      }
      Compiler c = new Compiler(Dialect.POSTGRESQL, null, Map.of());
      node.compile(c);
      return c.sql.toString();
    } catch (RuntimeException e) {
      return node.getClass().getSimpleName() + "(uncompilable: " + e.getMessage() + ")";
    }
  }

  static String quoteAlways(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  // ---- the pieces nodes call ----

  Dialect dialect() {
    return dialect;
  }

  Clause clause() {
    return clause;
  }

  boolean qualifyColumns() {
    return qualify;
  }

  Compiler append(String s) {
    sql.append(s);
    return this;
  }

  Compiler ident(String name) {
    sql.append(dialect.quote(name));
    return this;
  }

  void tableName(Table t) {
    if (t.schema() != null) {
      ident(t.schema()).append(".");
    }
    ident(t.name());
  }

  void expr(SqlNode node) {
    node.compile(this);
  }

  /** Compiles an operand, in parentheses when it binds more loosely than its operator. */
  void operand(Expression<?> e, int outerPrecedence) {
    if (e.precedence() < outerPrecedence) {
      sql.append('(');
      e.compile(this);
      sql.append(')');
    } else {
      e.compile(this);
    }
  }

  void bindValue(BindValue<?> b) {
    if (ddl) {
      sql.append(literal(b.value));
      return;
    }
    // Nodes compiled on their own (previews) have no shape; their slots point nowhere.
    Integer at = bindIndex.get(b);
    slots.add(new BindSlot(null, at == null ? -1 : at, b.type));
    sql.append(dialect.placeholder(slots.size()));
  }

  void bindNamed(String name, SqlType<?> type) {
    if (ddl) {
      throw new CompileException(
          "DDL cannot take bound parameters (':" + name + "'); write the default as SQL.");
    }
    slots.add(new BindSlot(name, -1, type));
    sql.append(dialect.placeholder(slots.size()));
  }

  private static String literal(Object v) {
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    if (v instanceof Enum<?> e) {
      v = e.name();
    }
    if (v instanceof CharSequence s) {
      return "'" + s.toString().replace("'", "''") + "'";
    }
    throw new CompileException(
        "A server default of type "
            + v.getClass().getName()
            + " cannot be written into DDL; "
            + "use Sql.literalSql(\"...\") with the SQL for it.");
  }

  void registerCte(Subquery cte) {
    Subquery prev = ctes.putIfAbsent(cte.name, cte);
    if (prev != null && prev != cte) {
      throw new CompileException("Two different CTEs are named '" + cte.name + "'.");
    }
  }

  /** Compiles a SELECT nested in another statement, keeping the outer state. */
  void nested(Select s) {
    Clause saved = clause;
    boolean savedQualify = qualify;
    clause = Clause.OTHER;
    qualify = true;
    select(s);
    clause = saved;
    qualify = savedQualify;
  }

  // ---- statements ----

  void select(Select s) {
    Set<FromClause> outer = new HashSet<>();
    for (Set<FromClause> e : enclosing) {
      outer.addAll(e);
    }
    List<FromClause> froms = s.effectiveFroms(outer);
    Set<FromClause> mine = new LinkedHashSet<>();
    for (FromClause f : froms) {
      mine.addAll(f.covered());
    }
    enclosing.push(mine);
    sql.append(s.distinct ? "SELECT DISTINCT " : "SELECT ");
    Clause saved = clause;
    clause = Clause.COLUMNS;
    List<Expression<?>> cols = s.resultColumns();
    if (cols.isEmpty()) {
      throw new CompileException("A SELECT needs at least one column.");
    }
    for (int i = 0; i < cols.size(); i++) {
      if (i > 0) {
        sql.append(", ");
      }
      cols.get(i).compile(this);
    }
    clause = Clause.OTHER;
    if (!froms.isEmpty()) {
      sql.append(" FROM ");
      for (int i = 0; i < froms.size(); i++) {
        if (i > 0) {
          sql.append(", ");
        }
        froms.get(i).compile(this);
      }
    }
    where(s.where);
    if (!s.groupBy.isEmpty()) {
      sql.append(" GROUP BY ");
      list(s.groupBy);
    }
    if (!s.having.isEmpty()) {
      sql.append(" HAVING ");
      new BooleanList("AND", s.having).compile(this);
    }
    orderLimit(s.orderBy, s.limit, s.offset);
    clause = saved;
    enclosing.pop();
  }

  private void where(List<Expression<Boolean>> where) {
    if (!where.isEmpty()) {
      sql.append(" WHERE ");
      if (where.size() == 1) {
        where.get(0).compile(this);
      } else {
        new BooleanList("AND", where).compile(this);
      }
    }
  }

  private void list(List<? extends SqlNode> nodes) {
    for (int i = 0; i < nodes.size(); i++) {
      if (i > 0) {
        sql.append(", ");
      }
      nodes.get(i).compile(this);
    }
  }

  private void orderLimit(
      List<OrderBy> orderBy, @Nullable BindValue<Long> limit, @Nullable BindValue<Long> offset) {
    if (!orderBy.isEmpty()) {
      sql.append(" ORDER BY ");
      Clause saved = clause;
      clause = Clause.ORDER_BY;
      list(orderBy);
      clause = saved;
    }
    if (limit != null) {
      sql.append(" LIMIT ");
      bindValue(limit);
    }
    if (offset != null) {
      sql.append(" OFFSET ");
      bindValue(offset);
    }
  }

  void compound(CompoundSelect s) {
    for (int i = 0; i < s.selects.size(); i++) {
      if (i > 0) {
        sql.append(' ').append(s.op).append(' ');
      }
      boolean wrap = !s.selects.get(i).orderBy.isEmpty() || s.selects.get(i).limit != null;
      if (wrap) {
        sql.append('(');
      }
      nested(s.selects.get(i));
      if (wrap) {
        sql.append(')');
      }
    }
    if (!s.orderBy.isEmpty()) {
      // ORDER BY over a compound names result columns, never table-qualified ones.
      boolean saved = qualify;
      qualify = false;
      orderLimit(s.orderBy, s.limit, null);
      qualify = saved;
    } else {
      orderLimit(List.of(), s.limit, null);
    }
  }

  private void returningOpen(List<Expression<?>> returning, String delta) {
    if (!returning.isEmpty() && !dialect.nativeReturning()) {
      sql.append("SELECT ");
      boolean saved = qualify;
      qualify = false;
      Clause c = clause;
      clause = Clause.COLUMNS;
      list(returning);
      clause = c;
      qualify = saved;
      sql.append(" FROM ").append(delta).append(" TABLE (");
    }
  }

  private void returningClose(List<Expression<?>> returning) {
    if (returning.isEmpty()) {
      return;
    }
    if (dialect.nativeReturning()) {
      sql.append(" RETURNING ");
      boolean saved = qualify;
      qualify = false;
      Clause c = clause;
      clause = Clause.COLUMNS;
      list(returning);
      clause = c;
      qualify = saved;
    } else {
      sql.append(")");
    }
  }

  void insert(Insert s) {
    returningOpen(s.returning, "FINAL");
    sql.append("INSERT INTO ");
    tableName(s.table);
    if (s.fromSelect != null) {
      sql.append(" (");
      for (int i = 0; i < s.fromSelectColumns.size(); i++) {
        if (i > 0) {
          sql.append(", ");
        }
        ident(s.fromSelectColumns.get(i).name());
      }
      sql.append(") ");
      nested(s.fromSelect);
      returningClose(s.returning);
      return;
    }
    List<Column<?>> cols = new ArrayList<>();
    if (!s.rows.isEmpty()) {
      cols.addAll(s.rows.get(0).keySet());
    } else if (paramKeys != null) {
      cols.addAll(inTableOrder(s.table, paramKeys));
    }
    List<Column<?>> defaulted = new ArrayList<>();
    for (Column<?> c : s.table.columns()) {
      if (!cols.contains(c) && c.clientDefault() != null) {
        defaulted.add(c);
        clientDefaults.put(c.name(), c.clientDefault());
      }
    }
    List<Column<?>> all = new ArrayList<>(cols);
    all.addAll(defaulted);
    if (all.isEmpty()) {
      sql.append(" DEFAULT VALUES");
      returningClose(s.returning);
      return;
    }
    sql.append(" (");
    for (int i = 0; i < all.size(); i++) {
      if (i > 0) {
        sql.append(", ");
      }
      ident(all.get(i).name());
    }
    sql.append(") VALUES ");
    boolean saved = qualify;
    qualify = false;
    int rowCount = s.rows.isEmpty() ? valuesRows : s.rows.size();
    for (int r = 0; r < rowCount; r++) {
      sql.append(r > 0 ? ", (" : "(");
      for (int i = 0; i < all.size(); i++) {
        if (i > 0) {
          sql.append(", ");
        }
        Column<?> col = all.get(i);
        if (!s.rows.isEmpty() && i < cols.size()) {
          value(s.rows.get(r).get(col));
        } else {
          bindNamed(col.name(), col.type());
        }
      }
      sql.append(")");
    }
    qualify = saved;
    returningClose(s.returning);
  }

  /**
   * Returns the columns named by {@code names} in the table's column order, so that the SQL is the
   * same whatever order the names come in (they are a set).
   *
   * @throws dev.athanor.error.ArgumentException for a name that is no column of the table
   */
  static List<Column<?>> inTableOrder(Table table, Set<String> names) {
    for (String n : names) {
      table.c(n);
    }
    List<Column<?>> out = new ArrayList<>(names.size());
    for (Column<?> c : table.columns()) {
      if (names.contains(c.name())) {
        out.add(c);
      }
    }
    return out;
  }

  private void value(Object v) {
    // Insert and Update wrap every value in a node when they are built.
    ((SqlNode) v).compile(this);
  }

  void update(Update s) {
    returningOpen(s.returning, "FINAL");
    sql.append("UPDATE ");
    tableName(s.table);
    sql.append(" SET ");
    Map<Column<?>, Object> values = s.values;
    List<Column<?>> fromParams = new ArrayList<>();
    if (values.isEmpty() && paramKeys != null) {
      Set<String> whereNames = new HashSet<>();
      Compiler probe = new Compiler(dialect, null, bindIndex);
      probe.where(s.where);
      for (BindSlot b : probe.slots) {
        if (b.name() != null) {
          whereNames.add(b.name());
        }
      }
      Set<String> setNames = new HashSet<>(paramKeys);
      setNames.removeAll(whereNames);
      fromParams.addAll(inTableOrder(s.table, setNames));
    }
    if (values.isEmpty() && fromParams.isEmpty()) {
      throw new CompileException(
          "UPDATE of '"
              + s.table.name()
              + "' has nothing to SET; call values(...) or pass "
              + "parameters named after columns.");
    }
    boolean saved = qualify;
    qualify = false;
    int i = 0;
    for (Map.Entry<Column<?>, Object> e : values.entrySet()) {
      if (i++ > 0) {
        sql.append(", ");
      }
      ident(e.getKey().name()).append(" = ");
      value(e.getValue());
    }
    for (Column<?> c : fromParams) {
      if (i++ > 0) {
        sql.append(", ");
      }
      ident(c.name()).append(" = ");
      bindNamed(c.name(), c.type());
    }
    qualify = saved;
    enclosing.push(Set.of(s.table));
    where(s.where);
    enclosing.pop();
    returningClose(s.returning);
  }

  void delete(Delete s) {
    returningOpen(s.returning, "OLD");
    sql.append("DELETE FROM ");
    tableName(s.table);
    enclosing.push(Set.of(s.table));
    where(s.where);
    enclosing.pop();
    returningClose(s.returning);
  }

  void ddl(Ddl d) {
    ddl = true;
    qualify = false;
    switch (d.kind) {
      case DROP_TABLE -> {
        sql.append("DROP TABLE ");
        tableName(d.table);
      }
      case CREATE_INDEX -> {
        Constraint.Index ix = d.index;
        if (ix == null) {
          throw new IllegalStateException("CREATE INDEX without an index");
        }
        sql.append(ix.unique() ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
        ident(ix.name()).append(" ON ");
        tableName(d.table);
        sql.append(" (");
        identList(ix.columns());
        sql.append(")");
      }
      case CREATE_TABLE -> createTable(d.table, d.omitted);
      case ADD_FOREIGN_KEY -> {
        Constraint.ForeignKey f = java.util.Objects.requireNonNull(d.foreignKey);
        sql.append("ALTER TABLE ");
        tableName(d.table);
        sql.append(" ADD CONSTRAINT ");
        ident(Ddl.foreignKeyName(d.table, f)).append(" ");
        foreignKey(f);
      }
      case DROP_FOREIGN_KEY -> {
        Constraint.ForeignKey f = java.util.Objects.requireNonNull(d.foreignKey);
        sql.append("ALTER TABLE ");
        tableName(d.table);
        sql.append(" DROP CONSTRAINT IF EXISTS ");
        ident(Ddl.foreignKeyName(d.table, f));
      }
    }
  }

  private void foreignKey(Constraint.ForeignKey f) {
    sql.append("FOREIGN KEY (");
    identList(f.columns());
    sql.append(") REFERENCES ");
    ident(f.targetTable()).append(" (");
    identList(f.targetColumns());
    sql.append(")");
    if (f.onDelete() != null) {
      sql.append(" ON DELETE ").append(f.onDelete().toUpperCase(java.util.Locale.ROOT));
    }
  }

  private void identList(List<String> names) {
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        sql.append(", ");
      }
      ident(names.get(i));
    }
  }

  private void createTable(Table t, java.util.Set<Constraint.ForeignKey> omitted) {
    sql.append("CREATE TABLE ");
    tableName(t);
    sql.append(" (");
    int i = 0;
    for (Column<?> col : t.columns()) {
      if (i++ > 0) {
        sql.append(", ");
      }
      ident(col.name()).append(" ").append(col.type().ddl(dialect));
      if (col.isAutoincrement()) {
        sql.append(" GENERATED BY DEFAULT AS IDENTITY");
      }
      if (col.serverDefault() != null) {
        sql.append(" DEFAULT ");
        col.serverDefault().compile(this);
      }
      if (!col.isNullable()) {
        sql.append(" NOT NULL");
      }
    }
    for (Constraint c : t.constraints()) {
      if (c instanceof Constraint.Index || omitted.contains(c)) {
        continue;
      }
      sql.append(", ");
      if (c.name() != null) {
        sql.append("CONSTRAINT ");
        ident(c.name()).append(" ");
      }
      switch (c) {
        case Constraint.PrimaryKey p -> {
          sql.append("PRIMARY KEY (");
          identList(p.columns());
          sql.append(")");
        }
        case Constraint.Unique u -> {
          sql.append("UNIQUE (");
          identList(u.columns());
          sql.append(")");
        }
        case Constraint.Check ch -> sql.append("CHECK (").append(ch.condition()).append(")");
        case Constraint.ForeignKey f -> foreignKey(f);
        case Constraint.Index ix -> {}
      }
    }
    sql.append(")");
  }
}
