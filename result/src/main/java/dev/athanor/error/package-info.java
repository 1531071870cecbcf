/**
 * Every error Athanor raises, in one place. {@link dev.athanor.error.AthanorException} is the root.
 * Misuse of the API raises {@link dev.athanor.error.InvalidRequestException} (or its subclasses), a
 * bad argument {@link dev.athanor.error.ArgumentException}, a statement that cannot be compiled
 * {@link dev.athanor.error.CompileException}. Driver errors are wrapped in a {@link
 * dev.athanor.error.DatabaseException} subclass chosen by the SQLSTATE class and the driver's
 * exception type; the driver's exception stays available as the cause.
 */
@NullMarked
package dev.athanor.error;

import org.jspecify.annotations.NullMarked;
