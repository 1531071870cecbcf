package dev.athanor.session;

import dev.athanor.error.MappingException;
import dev.athanor.sql.ExecutionOptions;
import dev.athanor.sql.StatementOption;

/**
 * Loader options: how a query loads the relationships of the objects it loads. Give them to a
 * SELECT with {@code select(mapper).options(...)}, or to {@code get} with {@link #options}.
 *
 * <pre>{@code
 * Select q = Sql.select(Registry.mapperOf(Parent.class))
 *     .options(Loaders.selectinload(Parent.class, "children"));
 * }</pre>
 */
public final class Loaders {
  private Loaders() {}

  /**
   * Loads relationship {@code field} of the {@code type} objects a query loads, with one more
   * SELECT of the related class for up to {@value SelectInLoader#CHUNK} of them (SQLAlchemy's
   * {@code selectinload}). An object whose collection the session loaded keeps it, unless the query
   * repopulates it ({@code populateExisting}) or it was expired; a list the program gave a new
   * object is replaced with the database's.
   *
   * @throws MappingException if {@code type} is not mapped or has no relationship {@code field}
   */
  public static SelectInLoad selectinload(Class<?> type, String field) {
    return new SelectInLoad(Registry.mapperOf(type).relationship(field), java.util.List.of());
  }

  /** Returns execution options holding {@code options}, for {@code get} and {@code execute}. */
  public static ExecutionOptions options(StatementOption... options) {
    ExecutionOptions out = ExecutionOptions.DEFAULTS;
    for (StatementOption o : options) {
      out = o.addTo(out);
    }
    return out;
  }
}
