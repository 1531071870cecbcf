package dev.athanor.sql;

import org.jspecify.annotations.Nullable;

/**
 * One placeholder of a compiled statement: either a value carried by the statement, or a named
 * parameter supplied at execution time.
 *
 * @param name the parameter name, or {@code null} for a value carried by the statement
 * @param value the carried value (ignored for named parameters)
 * @param type the SQL type that converts and binds the value
 */
public record BindSlot(@Nullable String name, @Nullable Object value, SqlType<?> type) {}
