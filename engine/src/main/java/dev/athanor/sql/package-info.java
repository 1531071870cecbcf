/**
 * The SQL expression language: {@link dev.athanor.sql.MetaData}, {@link dev.athanor.sql.Table},
 * typed {@link dev.athanor.sql.Column}s, and statements built with {@link dev.athanor.sql.Sql}
 * ({@code select}, {@code insert}, {@code update}, {@code delete}, {@code text}), compiled per
 * {@link dev.athanor.sql.Dialect}. Statements are immutable: every builder call returns a new one.
 * Values are always bound as parameters, never spliced into SQL.
 */
@NullMarked
package dev.athanor.sql;

import org.jspecify.annotations.NullMarked;
