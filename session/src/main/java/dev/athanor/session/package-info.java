/**
 * The ORM: classes mapped to tables ({@link dev.athanor.session.Entity}, {@link
 * dev.athanor.session.Registry}, {@link dev.athanor.session.Mapper}) and the {@link
 * dev.athanor.session.Session}, with its identity map, change tracking and flush plans. The Kotlin
 * and Java faces wrap the session ({@code AsyncSession}).
 */
@NullMarked
package dev.athanor.session;

import org.jspecify.annotations.NullMarked;
