/**
 * The errors the engine raises. Driver errors are wrapped in a {@link
 * dev.athanor.engine.error.DatabaseException} subclass chosen by the SQLSTATE class and the
 * driver's exception type; the driver's exception stays available as the cause.
 */
@NullMarked
package dev.athanor.engine.error;

import org.jspecify.annotations.NullMarked;
