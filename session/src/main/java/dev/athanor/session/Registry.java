package dev.athanor.session;

import dev.athanor.error.MappingException;
import dev.athanor.sql.MetaData;
import dev.athanor.sql.Sql;
import dev.athanor.sql.SqlType;
import dev.athanor.sql.Table;
import dev.athanor.sql.TableElement;
import dev.athanor.sql.Types;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Holds the mappings of classes to tables, and the {@link MetaData} their tables are in (so Core
 * and ORM share one, and {@code metadata().createAll(conn)} creates the mapped tables). A class is
 * checked when it is mapped: an error names the class, the field and the fix, before any query.
 *
 * <pre>{@code
 * Registry registry = new Registry();
 * Mapper<User> users = registry.map(User.class);                  // declarative (@Entity)
 * Mapper<Item> items = registry.mapImperatively(Item.class, itemsTable); // onto a Core Table
 * }</pre>
 *
 * <p>A class is mapped once, by one registry ({@link #mapperOf(Class)} finds it).
 */
public final class Registry {
  private static final Map<Class<?>, Mapper<?>> ALL = new ConcurrentHashMap<>();

  static {
    // select(User.class), update(User.class): a mapped class stands for its mapper.
    dev.athanor.sql.internal.ClassSources.install(ALL::get);
  }

  private final MetaData metadata;
  private final Map<Class<?>, Mapper<?>> mappers = new LinkedHashMap<>();
  private final Map<Class<?>, SqlType<?>> types = new ConcurrentHashMap<>();

  /** Creates a registry with a new {@link MetaData}. */
  public Registry() {
    this(new MetaData());
  }

  /** Creates a registry whose mapped tables go into {@code metadata}. */
  public Registry(MetaData metadata) {
    this.metadata = metadata;
  }

  /** Returns the metadata of the mapped tables. */
  public MetaData metadata() {
    return metadata;
  }

  /**
   * Maps fields of {@code javaType} to columns of {@code type} in the classes mapped from now on (a
   * value class, JSON read into a class, an enum by code); returns this.
   */
  public <T> Registry type(Class<T> javaType, SqlType<T> type) {
    types.put(javaType, type);
    return this;
  }

  /** Returns the mappers of this registry, in the order they were made. */
  public synchronized List<Mapper<?>> mappers() {
    return List.copyOf(mappers.values());
  }

  /**
   * Returns the mapper of a class mapped by any registry.
   *
   * @throws MappingException if the class is not mapped
   */
  @SuppressWarnings("unchecked")
  public static <E> Mapper<E> mapperOf(Class<E> type) {
    Mapper<?> m = ALL.get(type);
    if (m == null) {
      throw new MappingException(
          type.getName()
              + " is not mapped; map it with registry.map("
              + type.getSimpleName()
              + ".class) (annotated with @Entity) or registry.mapImperatively(...) first.");
    }
    return (Mapper<E>) m;
  }

  /** Returns the mapper of a class, or {@code null} if it is not mapped. */
  @SuppressWarnings("unchecked")
  public static <E> @Nullable Mapper<E> findMapper(Class<E> type) {
    return (Mapper<E>) ALL.get(type);
  }

  /**
   * Maps a class annotated with {@link Entity}: declares its table in this registry's metadata and
   * checks every field.
   *
   * @throws MappingException naming the class and field, for anything that cannot be mapped
   */
  public synchronized <E> Mapper<E> map(Class<E> type) {
    Entity entity = type.getAnnotation(Entity.class);
    if (entity == null) {
      throw new MappingException(
          type.getName()
              + " has no @Entity annotation; annotate it, or map it onto a table with "
              + "mapImperatively(type, table).");
    }
    checkNotMapped(type);
    MethodHandle ctor = constructor(type);
    Relationships.check(type);
    List<Field> fields = mappedFields(type);
    String tableName = entity.table().isEmpty() ? snake(type.getSimpleName()) : entity.table();
    List<Field> keys = fields.stream().filter(f -> f.isAnnotationPresent(Id.class)).toList();
    if (keys.isEmpty()) {
      throw new MappingException(
          type.getName()
              + " has no primary key; mark its key field(s) with @Id (fields: "
              + fields.stream().map(Field::getName).toList()
              + ").");
    }
    List<TableElement> columns = new ArrayList<>();
    List<dev.athanor.sql.Column<?>> byField = new ArrayList<>();
    for (Field f : fields) {
      dev.athanor.sql.Column<?> c = column(type, f, keys);
      columns.add(c);
      byField.add(c);
    }
    Table table;
    try {
      table =
          metadata.table(
              entity.schema().isEmpty() ? null : entity.schema(),
              tableName,
              columns.toArray(TableElement[]::new));
    } catch (RuntimeException e) {
      throw new MappingException(
          "Cannot map " + type.getName() + " to table '" + tableName + "': " + e.getMessage(), e);
    }
    Mapper<E> mapper = new Mapper<>(type, table, ctor);
    mapper.eagerDefaults(entity.eagerDefaults());
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      addAttribute(mapper, f, byField.get(i), f.isAnnotationPresent(Id.class));
    }
    Relationships.addTo(mapper);
    register(type, mapper);
    return mapper;
  }

  /**
   * Maps a class onto an existing Core table (SQLAlchemy's {@code map_imperatively}): each field to
   * the column of its name (or its name in snake case, or {@link Column#name()}); the table's
   * primary key is the mapper's.
   *
   * @throws MappingException naming the class and field, for a field with no column
   */
  public synchronized <E> Mapper<E> mapImperatively(Class<E> type, Table table) {
    checkNotMapped(type);
    for (Mapper<?> m : mappers.values()) {
      if (m.table() == table) {
        throw new MappingException(
            "Table '"
                + table.name()
                + "' is already mapped by "
                + m.type().getName()
                + "; map "
                + type.getName()
                + " to a table of its own.");
      }
    }
    MethodHandle ctor = constructor(type);
    Relationships.check(type);
    Mapper<E> mapper = new Mapper<>(type, table, ctor);
    for (Field f : mappedFields(type)) {
      Column ann = f.getAnnotation(Column.class);
      String name = ann != null && !ann.name().isEmpty() ? ann.name() : null;
      dev.athanor.sql.Column<?> col = null;
      for (dev.athanor.sql.Column<?> c : table.columns()) {
        if (c.name().equals(name)
            || (name == null
                && (c.name().equals(f.getName()) || c.name().equals(snake(f.getName()))))) {
          col = c;
        }
      }
      if (col == null) {
        throw new MappingException(
            type.getName()
                + "."
                + f.getName()
                + " has no column in table '"
                + table.name()
                + "' (its columns: "
                + table.columns().stream().map(dev.athanor.sql.Column::name).toList()
                + "); name it with @Column(name = \"...\") or mark it @Transient.");
      }
      addAttribute(mapper, f, col, col.isPrimaryKey());
    }
    if (mapper.primaryKey().isEmpty()) {
      throw new MappingException(
          type.getName()
              + " maps no primary key column of table '"
              + table.name()
              + "'; give the table a primary key and the class a field for it.");
    }
    Relationships.addTo(mapper);
    register(type, mapper);
    return mapper;
  }

  private void checkNotMapped(Class<?> type) {
    Mapper<?> m = ALL.get(type);
    if (m != null) {
      throw new MappingException(
          type.getName()
              + " is already mapped (to table '"
              + m.table().name()
              + "'); a class is mapped once. Use Registry.mapperOf("
              + type.getSimpleName()
              + ".class) to find that mapping.");
    }
  }

  private void register(Class<?> type, Mapper<?> mapper) {
    if (ALL.putIfAbsent(type, mapper) != null) {
      checkNotMapped(type);
    }
    mappers.put(type, mapper);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <E> void addAttribute(
      Mapper<E> mapper, Field f, dev.athanor.sql.Column<?> col, boolean key) {
    mapper.add(
        new Attribute(mapper, f.getName(), col, fieldHandle(f)),
        key,
        f.isAnnotationPresent(Version.class));
  }

  /**
   * A handle on a mapped field, reached through the class's own lookup.
   *
   * @throws MappingException when the field cannot be reached (a package not open on the module
   *     path)
   */
  static VarHandle fieldHandle(Field f) {
    VarHandle handle;
    try {
      handle =
          MethodHandles.privateLookupIn(f.getDeclaringClass(), MethodHandles.lookup())
              .unreflectVarHandle(f);
    } catch (IllegalAccessException e) {
      throw new MappingException(
          "Cannot reach field "
              + f.getDeclaringClass().getName()
              + "."
              + f.getName()
              + " ("
              + e.getMessage()
              + "); on the module path, open the class's package to dev.athanor.session.",
          e);
    }
    return handle;
  }

  private static MethodHandle constructor(Class<?> type) {
    if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
      throw new MappingException(type.getName() + " is abstract; map a concrete class.");
    }
    try {
      return MethodHandles.privateLookupIn(type, MethodHandles.lookup())
          .findConstructor(type, MethodType.methodType(void.class));
    } catch (NoSuchMethodException e) {
      throw new MappingException(
          type.getName()
              + " has no constructor without parameters, which the session uses to make objects "
              + "of rows. Add one (it may be private); in Kotlin, give every constructor "
              + "parameter a default value.",
          e);
    } catch (IllegalAccessException e) {
      throw new MappingException(
          "Cannot reach the constructor of "
              + type.getName()
              + " ("
              + e.getMessage()
              + "); on the module path, open its package to dev.athanor.session.",
          e);
    }
  }

  private static List<Field> mappedFields(Class<?> type) {
    List<Field> out = new ArrayList<>();
    List<Class<?>> chain = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      chain.add(0, c);
    }
    for (Class<?> c : chain) {
      for (Field f : c.getDeclaredFields()) {
        int mod = f.getModifiers();
        if (Modifier.isStatic(mod)
            || Modifier.isTransient(mod)
            || f.isSynthetic()
            || f.isAnnotationPresent(Transient.class)
            || f.isAnnotationPresent(Relationship.class)) {
          continue;
        }
        if (Modifier.isFinal(mod)) {
          throw new MappingException(
              type.getName()
                  + "."
                  + f.getName()
                  + " is final; the session sets mapped fields when it loads a row. Make it "
                  + "non-final (Kotlin: var, not val) or mark it @Transient.");
        }
        out.add(f);
      }
    }
    return out;
  }

  private dev.athanor.sql.Column<?> column(Class<?> type, Field f, List<Field> keys) {
    Column ann = f.getAnnotation(Column.class);
    String name = ann != null && !ann.name().isEmpty() ? ann.name() : snake(f.getName());
    SqlType<?> sqlType = typeOf(type, f, ann);
    dev.athanor.sql.Column<?> c = Sql.column(name, sqlType);
    boolean key = f.isAnnotationPresent(Id.class);
    if (key) {
      c.primaryKey();
      Id id = f.getAnnotation(Id.class);
      boolean integer = sqlType == Types.INTEGER || sqlType == Types.BIGINT;
      c.autoincrement(keys.size() == 1 && integer && id.generated());
    } else if (f.getType().isPrimitive() || (ann != null && !ann.nullable())) {
      c.notNull();
    }
    if (ann != null) {
      if (ann.unique()) {
        c.unique();
      }
      if (ann.index()) {
        c.index();
      }
      if (!ann.references().isEmpty()) {
        c.references(ann.references());
      }
      if (!ann.serverDefault().isEmpty()) {
        c.serverDefault(Sql.literalSql(ann.serverDefault()));
      }
    }
    if (f.isAnnotationPresent(Version.class)) {
      Class<?> t = f.getType();
      if (t != Integer.class && t != int.class && t != Long.class && t != long.class) {
        throw new MappingException(
            type.getName()
                + "."
                + f.getName()
                + " is marked @Version but is a "
                + t.getSimpleName()
                + "; a version counter is an int or a long.");
      }
      c.notNull();
    }
    return c;
  }

  private SqlType<?> typeOf(Class<?> owner, Field f, @Nullable Column ann) {
    Class<?> t = f.getType();
    SqlType<?> custom = types.get(t);
    if (custom != null) {
      return custom;
    }
    if (t == String.class) {
      return ann != null && ann.length() > 0 ? Types.string(ann.length()) : Types.TEXT;
    }
    if (t == Integer.class || t == int.class) {
      return Types.INTEGER;
    }
    if (t == Long.class || t == long.class) {
      return Types.BIGINT;
    }
    if (t == Short.class || t == short.class) {
      return Types.SMALLINT;
    }
    if (t == Boolean.class || t == boolean.class) {
      return Types.BOOLEAN;
    }
    if (t == Double.class || t == double.class) {
      return Types.DOUBLE;
    }
    if (t == Float.class || t == float.class) {
      return Types.REAL;
    }
    if (t == BigDecimal.class) {
      return Types.numeric(38, 10);
    }
    if (t == LocalDate.class) {
      return Types.DATE;
    }
    if (t == LocalTime.class) {
      return Types.TIME;
    }
    if (t == LocalDateTime.class) {
      return Types.TIMESTAMP;
    }
    if (t == OffsetDateTime.class) {
      return Types.TIMESTAMPTZ;
    }
    if (t == UUID.class) {
      return Types.UUID_TYPE;
    }
    if (t == byte[].class) {
      return Types.BYTES;
    }
    if (t.isEnum()) {
      return enumType(t);
    }
    throw new MappingException(
        owner.getName()
            + "."
            + f.getName()
            + " is a "
            + t.getName()
            + ", which has no column type; register one with registry.type("
            + t.getSimpleName()
            + ".class, sqlType) before mapping (a decorated SqlType), or mark the field "
            + "@Transient.");
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static SqlType<?> enumType(Class<?> t) {
    return Types.enumOf((Class) t);
  }

  /** {@code fullName} to {@code full_name}, {@code UserAccount} to {@code user_account}. */
  static String snake(String name) {
    StringBuilder out = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0 && !Character.isUpperCase(name.charAt(i - 1))) {
          out.append('_');
        }
        out.append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
