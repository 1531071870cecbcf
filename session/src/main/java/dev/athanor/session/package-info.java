/**
 * The ORM session: mapping, identity map, unit of work, relationships, loaders. Not built yet; this
 * module holds its place in the build so that the faces already depend on it.
 */
@NullMarked
package dev.athanor.session;

import org.jspecify.annotations.NullMarked;
