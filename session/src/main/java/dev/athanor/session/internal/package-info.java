/** What the faces need from the ORM core that is not API. */
@NullMarked
package dev.athanor.session.internal;

import org.jspecify.annotations.NullMarked;
