/** Hooks between the SQL language and the engine. Not API: it may change in any release. */
@NullMarked
package dev.athanor.sql.internal;

import org.jspecify.annotations.NullMarked;
