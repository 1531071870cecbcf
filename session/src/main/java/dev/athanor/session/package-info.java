/**
 * The ORM: classes mapped to tables ({@link dev.athanor.session.Entity}, {@link
 * dev.athanor.session.Registry}, {@link dev.athanor.session.Mapper}) and the {@link
 * dev.athanor.session.Session}, with its identity map, change tracking and flush plans. The Kotlin
 * and Java faces wrap the session ({@code AsyncSession}).
 *
 * <p>Relationships plug into three package-private seams, each proved by a stand-in test ({@code
 * PartTwoSeamsTest}, {@code MapperGraphTest}): a {@code LoaderStrategy} per mapper, run after a
 * buffered load with the objects it populated, with statements of its own on the session's
 * transaction; a {@code Cascade} per mapper, asked by {@code add}, {@code delete}, {@code merge}
 * and {@code expunge}; and dependency edges between mappers ({@code Mapper.dependsOn}), which
 * {@code MapperGraph} orders the flush by, beside the tables' foreign keys.
 */
@NullMarked
package dev.athanor.session;

import org.jspecify.annotations.NullMarked;
