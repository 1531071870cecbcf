package dev.athanor.sql;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A statement compiled for one dialect: its SQL with numbered placeholders, what to bind to each,
 * and what the engine needs to know to run it and read its rows.
 *
 * @param sql the SQL text
 * @param slots one entry per placeholder, in order
 * @param resultColumns the selected (or RETURNING) expressions, position by position; empty when
 *     unknown (textual SQL)
 * @param kind what sort of statement this is
 * @param table the target table of an INSERT, UPDATE or DELETE
 * @param clientDefaults named parameters filled by a column's client-side default when the
 *     execution gives no value
 * @param generatedKeys for an INSERT without RETURNING, the columns whose generated values make up
 *     {@code insertedPrimaryKey}
 */
public record CompiledStatement(
    String sql,
    List<BindSlot> slots,
    List<Expression<?>> resultColumns,
    Kind kind,
    @Nullable Table table,
    Map<String, Supplier<?>> clientDefaults,
    List<Column<?>> generatedKeys) {

  /** What sort of statement was compiled. */
  public enum Kind {
    /** A query. */
    SELECT,
    /** An INSERT. */
    INSERT,
    /** An UPDATE. */
    UPDATE,
    /** A DELETE. */
    DELETE,
    /** DDL. */
    DDL,
    /** Textual SQL; the kind is not known. */
    TEXT
  }

  /** Returns whether the statement returns rows (a query, or DML with RETURNING). */
  public boolean returnsRows() {
    return kind == Kind.SELECT || !resultColumns.isEmpty();
  }

  @Override
  public String toString() {
    return sql;
  }
}
