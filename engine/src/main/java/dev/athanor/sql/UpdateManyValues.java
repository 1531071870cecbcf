package dev.athanor.sql;

import dev.athanor.error.CompileException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An executemany UPDATE by primary key written as one {@code UPDATE ... FROM (VALUES ...)}
 * statement for a page of parameter sets (PostgreSQL), for {@link
 * ExecutionOptions#UPDATE_MANY_VALUES}: which statements qualify, and their SQL.
 */
final class UpdateManyValues {
  private UpdateManyValues() {}

  /**
   * The parameter names of an UPDATE that can be sent as {@code UPDATE ... FROM (VALUES ...)}: its
   * WHERE is {@code column = :name} for each column of the table's primary key (and other columns,
   * a version counter), ANDed; it sets columns from parameters alone and returns nothing. Returns
   * the WHERE's names in order, or {@code null} when the statement has another shape.
   */
  static @Nullable List<String> keys(Update s) {
    if (!s.values.isEmpty() || !s.returning.isEmpty() || s.where.isEmpty()) {
      return null;
    }
    List<String> names = new ArrayList<>();
    Set<Column<?>> matched = new HashSet<>();
    for (Expression<Boolean> w : s.where) {
      if (!(w instanceof BinaryExpression<?> b)
          || !b.op.equals("=")
          || !(b.left instanceof Column<?> c)
          || c.table() != s.table
          || !(b.right instanceof BindParam<?> p)) {
        return null;
      }
      names.add(p.name);
      matched.add(c);
    }
    if (!matched.containsAll(s.table.primaryKey())) {
      return null; // a set could match several rows: not one row per set
    }
    return names;
  }

  /**
   * Compiles an UPDATE of {@link #keys} shape for {@code rows} parameter sets as one statement
   * (PostgreSQL): {@code UPDATE t SET c = v.c FROM (VALUES ($1::type, ...), ...) AS v(...) WHERE
   * t.k = v.k}, each row's slots in the order of {@code setNames} then the keys.
   */
  static CompiledStatement compile(
      Update s, Dialect dialect, Set<String> parameterNames, StatementShape shape, int rows) {
    List<String> keys = keys(s);
    if (keys == null) {
      throw new CompileException("this UPDATE cannot be sent with rows of VALUES");
    }
    Compiler c = new Compiler(dialect, parameterNames, shape.bindIndex());
    Set<String> setNames = new java.util.LinkedHashSet<>(parameterNames);
    keys.forEach(setNames::remove);
    List<Column<?>> setCols = Compiler.inTableOrder(s.table, setNames);
    if (setCols.isEmpty()) {
      throw new CompileException(
          "UPDATE of '" + s.table.name() + "' has nothing to SET from its parameters.");
    }
    List<String> names = new ArrayList<>();
    List<SqlType<?>> types = new ArrayList<>();
    for (Column<?> col : setCols) {
      names.add(col.name());
      types.add(col.type());
    }
    for (Expression<Boolean> w : s.where) {
      BinaryExpression<?> b = (BinaryExpression<?>) w;
      names.add(((BindParam<?>) b.right).name);
      types.add(((Column<?>) b.left).type());
    }
    String alias = "_v";
    c.append("UPDATE ");
    c.tableName(s.table);
    c.append(" SET ");
    for (int i = 0; i < setCols.size(); i++) {
      if (i > 0) {
        c.append(", ");
      }
      c.ident(setCols.get(i).name()).append(" = ").append(alias).append(".");
      c.ident("p" + i);
    }
    c.append(" FROM (VALUES ");
    for (int r = 0; r < rows; r++) {
      c.append(r > 0 ? ", (" : "(");
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          c.append(", ");
        }
        c.bindNamed(names.get(i), types.get(i));
        c.append("::").append(valuesType(types.get(i).ddl(dialect)));
      }
      c.append(")");
    }
    c.append(") AS ").append(alias).append(" (");
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        c.append(", ");
      }
      c.ident("p" + i);
    }
    c.append(") WHERE ");
    for (int i = 0; i < s.where.size(); i++) {
      if (i > 0) {
        c.append(" AND ");
      }
      Column<?> col = (Column<?>) ((BinaryExpression<?>) s.where.get(i)).left;
      c.tableName(s.table);
      c.append(".").ident(col.name()).append(" = ").append(alias).append(".");
      c.ident("p" + (setCols.size() + i));
    }
    return c.result(s);
  }

  /**
   * The type a VALUES parameter is cast to: the column's, without its type modifier (a length,
   * precision or scale). A plain UPDATE binds its values and keys unconstrained and lets the column
   * decide, and an explicit cast with a modifier would not do the same: a cast to {@code
   * VARCHAR(n)}, {@code CHAR(n)} or {@code BIT(n)} cuts a longer value to fit where the assignment
   * refuses it ("value too long"), and a key cast to {@code NUMERIC(p, s)} or {@code TIMESTAMP(p)}
   * is rounded, so a key of {@code 1.001} would match the row {@code 1.00} that the plain UPDATE
   * leaves alone. Without the modifier, a value rounds only where the column assigns it, as in the
   * plain UPDATE. A sized character or bit type becomes its unbounded form ({@code BPCHAR}, {@code
   * VARBIT}; a bare {@code CHAR} or {@code BIT} means length 1); an array loses the modifier of its
   * elements; {@code FLOAT(p)} is kept (its precision picks {@code REAL} or {@code DOUBLE}).
   */
  static String valuesType(String ddl) {
    java.util.regex.Matcher m = MODIFIED.matcher(ddl.strip());
    if (!m.matches()) {
      return ddl;
    }
    String base = m.group(1).strip().toUpperCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
    if (base.equals("FLOAT")) {
      return ddl;
    }
    String unmodified =
        switch (base) {
          case "BIT", "BIT VARYING", "VARBIT" -> "VARBIT";
          case "CHAR", "CHARACTER", "NCHAR", "BPCHAR" -> "BPCHAR";
          case "VARCHAR", "CHARACTER VARYING", "NATIONAL CHARACTER VARYING", "NVARCHAR" ->
              "VARCHAR";
          default -> m.group(1).strip();
        };
    // What follows the modifier ("WITH TIME ZONE", "TO SECOND(3)", an array's brackets), with
    // any modifier of its own dropped too.
    String rest = valuesType(m.group(2).replaceAll("\\s*\\[\\s*(\\d*)\\s*\\]", "[$1]").strip());
    return rest.isEmpty() ? unmodified : unmodified + (rest.startsWith("[") ? "" : " ") + rest;
  }

  /** A type name, one parenthesised modifier, and what follows it. */
  private static final java.util.regex.Pattern MODIFIED =
      java.util.regex.Pattern.compile("([^()]+?)\\s*\\([^()]*\\)(.*)");
}
