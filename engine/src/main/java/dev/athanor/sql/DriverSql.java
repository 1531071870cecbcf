package dev.athanor.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * SQL in the driver's own form, with positional {@code $1, $2, ...} placeholders, run by {@code
 * execDriverSql}. The parameters are named {@code "1"}, {@code "2"}, ... for listeners.
 *
 * @param sql the SQL, sent as written
 * @param parameterCount how many positional parameters it takes
 */
public record DriverSql(String sql, int parameterCount) implements Executable {
  @Override
  public StatementShape shape() {
    return StatementShape.ofText(DriverSql.class, sql, parameterCount);
  }

  @Override
  public CompiledStatement compile(
      Dialect dialect, @Nullable Set<String> parameterNames, StatementShape shape) {
    return compile(dialect);
  }

  @Override
  public CompiledStatement compile(Dialect dialect) {
    List<BindSlot> slots = new ArrayList<>(parameterCount);
    for (int i = 1; i <= parameterCount; i++) {
      slots.add(new BindSlot(Integer.toString(i), -1, Types.NULLTYPE));
    }
    return new CompiledStatement(
        sql, slots, List.of(), CompiledStatement.Kind.TEXT, null, Map.of(), List.of());
  }
}
