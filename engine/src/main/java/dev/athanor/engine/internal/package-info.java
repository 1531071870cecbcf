/** Engine internals: driver set-up, statement running, error translation. Not API. */
@NullMarked
package dev.athanor.engine.internal;

import org.jspecify.annotations.NullMarked;
