/**
 * The metamodel annotation processor: for each class annotated {@code @dev.athanor.session.Entity}
 * it writes a class of typed attributes ({@code User_} for {@code User}) beside it.
 */
package dev.athanor.metamodel;
