/**
 * Rows and results: the buffered {@link dev.athanor.result.Result} with its filtered views, and the
 * streaming {@link dev.athanor.result.StreamingResult} whose fetches are reactive.
 */
@NullMarked
package dev.athanor.result;

import org.jspecify.annotations.NullMarked;
