package dev.athanor.session;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an integer field as the version counter (optimistic locking): every UPDATE and DELETE of
 * the row checks it and an UPDATE increments it; when the row was changed or deleted by someone
 * else meanwhile, the flush fails with {@link dev.athanor.error.StaleDataException}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Version {}
