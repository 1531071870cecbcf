package dev.athanor.sql;

/** What a {@link Table} is made of: {@link Column}s and {@link Constraint}s. */
public sealed interface TableElement permits Column, Constraint {}
