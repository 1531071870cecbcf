package dev.athanor.sql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A statement with its values taken out: the {@link #key() key} is equal for every statement that
 * compiles to the same SQL and bind slots, whatever values it carries, and {@link #values()} are
 * the values this statement carries, in the order its {@link BindSlot}s refer to them ({@link
 * BindSlot#valueIndex()}).
 *
 * <p>The engine caches compiled statements by this key, so {@code select(users).where(
 * users.c("id").eq(id))} built anew for every request compiles once. Tables and columns take part
 * by identity, names and operators by value; a type made per statement (say {@code
 * Types.string(30)} in a cast) takes part by identity too and only costs a cache miss.
 */
public final class StatementShape {
  private final Key key;
  private final List<@Nullable Object> values;
  private final List<BindValue<?>> binds;

  private StatementShape(Key key, List<@Nullable Object> values, List<BindValue<?>> binds) {
    this.key = key;
    this.values = values;
    this.binds = binds;
  }

  /** Takes the shape of a statement. */
  public static StatementShape of(Statement statement) {
    Builder b = new Builder();
    b.node(statement);
    java.util.Map<String, Object> annotations = statement.annotations();
    if (!annotations.isEmpty()) {
      b.token(annotations);
    }
    return b.build();
  }

  /** The shape of textual SQL: the text is the key; it carries no values. */
  static StatementShape ofText(Class<?> kind, String sql, int parameterCount) {
    return new StatementShape(
        new Key(new Object[] {kind, sql, parameterCount}), List.of(), List.of());
  }

  /** Returns the cache key: equal for statements that compile alike. */
  public Object key() {
    return key;
  }

  /** Returns the values this statement carries, indexed by {@link BindSlot#valueIndex()}. */
  public List<@Nullable Object> values() {
    return values;
  }

  /** Returns, for a compile, where each carried value's node sits in {@link #values()}. */
  Map<BindValue<?>, Integer> bindIndex() {
    Map<BindValue<?>, Integer> index = new IdentityHashMap<>(binds.size() * 2);
    for (int i = 0; i < binds.size(); i++) {
      index.putIfAbsent(binds.get(i), i);
    }
    return index;
  }

  /** The structure of a statement as a flat token array; tokens compare with equals. */
  private static final class Key {
    private final Object[] tokens;
    private final int hash;

    Key(Object[] tokens) {
      this.tokens = tokens;
      this.hash = Arrays.hashCode(tokens);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.hash == hash && Arrays.equals(k.tokens, tokens);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return "StatementShape" + Arrays.toString(tokens);
    }
  }

  /**
   * Walks a statement tree: each node adds tokens that, read in order, describe it exactly (its
   * class first, list sizes before lists). A node met a second time (a shared value, a FROM item
   * referred to by several columns) adds a back-reference instead, so that sharing is part of the
   * shape.
   */
  static final class Builder {
    private final ArrayList<Object> tokens = new ArrayList<>(32);
    private final ArrayList<@Nullable Object> values = new ArrayList<>(4);
    private final ArrayList<BindValue<?>> binds = new ArrayList<>(4);
    private final ArrayList<SqlNode> froms = new ArrayList<>(4);

    /** Adds one token (a class, a name, an operator, a table, a column, a type, a flag). */
    Builder token(@Nullable Object t) {
      tokens.add(t == null ? Nil.NIL : t);
      return this;
    }

    /** Adds a node: its class, then what the node itself adds. */
    Builder node(@Nullable SqlNode n) {
      if (n == null) {
        tokens.add(Nil.NIL);
        return this;
      }
      tokens.add(n.getClass());
      n.shape(this);
      return this;
    }

    /** Adds a list of nodes, size first. */
    Builder nodes(List<? extends SqlNode> list) {
      tokens.add(list.size());
      for (SqlNode n : list) {
        node(n);
      }
      return this;
    }

    /**
     * Adds a FROM item (or a node many columns refer to) the first time, and a back-reference to
     * its position among those met so far after that.
     */
    Builder shared(SqlNode n) {
      for (int i = 0; i < froms.size(); i++) {
        if (froms.get(i) == n) {
          tokens.add(Ref.SHARED);
          tokens.add(i);
          return this;
        }
      }
      froms.add(n);
      return node(n);
    }

    /** Adds a carried value: its type goes into the key, its value into {@link #values()}. */
    Builder bind(BindValue<?> b) {
      for (int i = 0; i < binds.size(); i++) {
        if (binds.get(i) == b) {
          tokens.add(Ref.VALUE);
          tokens.add(i);
          return this;
        }
      }
      binds.add(b);
      values.add(b.value);
      tokens.add(b.type);
      return this;
    }

    StatementShape build() {
      return new StatementShape(
          new Key(tokens.toArray()), Collections.unmodifiableList(values), binds);
    }
  }

  /** Marks a back-reference in the token stream. */
  private enum Ref {
    SHARED,
    VALUE
  }

  /** Stands for an absent optional part. */
  private enum Nil {
    NIL
  }
}
