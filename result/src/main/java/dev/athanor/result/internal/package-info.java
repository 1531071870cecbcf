/** Internals of the result module; not API, may change without notice. */
@NullMarked
package dev.athanor.result.internal;

import org.jspecify.annotations.NullMarked;
