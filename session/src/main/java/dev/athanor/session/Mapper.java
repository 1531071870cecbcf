package dev.athanor.session;

import dev.athanor.error.MappingException;
import dev.athanor.sql.Expression;
import dev.athanor.sql.FromClause;
import dev.athanor.sql.FromSource;
import dev.athanor.sql.Select;
import dev.athanor.sql.Sql;
import dev.athanor.sql.Table;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How one class is mapped to one table: its attributes (field to column), primary key and version
 * counter. A mapper stands for its table in statements: {@code select(mapper)} selects the mapped
 * columns and a session turns each row into an object.
 *
 * @param <E> the mapped class
 */
public final class Mapper<E> implements FromSource {
  /** The annotation key under which statements built from a mapper name it. */
  public static final String ENTITY = "athanor.entity";

  private final Class<E> type;
  private final Table table;
  private final MethodHandle constructor;
  private final List<Attribute<E, ?>> attributes = new ArrayList<>();
  private final List<Attribute<E, ?>> primaryKey = new ArrayList<>();

  /**
   * Immutable copies, made as attributes are added (during mapping), handed out without copying.
   */
  private volatile List<Attribute<E, ?>> attributesView = List.of();

  private volatile List<Attribute<E, ?>> primaryKeyView = List.of();

  /** Where each primary key attribute stands among {@link #attributes()}, in key order. */
  private volatile int[] primaryKeyPositions = new int[0];

  private @Nullable Attribute<E, ?> version;
  private final Map<String, Object> annotations;
  private final MapperEvents events = new MapperEvents();
  private volatile boolean eagerDefaults = true;
  private final List<Mapper<?>> dependencies = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<LoaderStrategy> loaders = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<Cascade> cascades = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<RelatedCollection> relationships =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The SELECT by primary key, made on first use; see {@link #byKeyQuery()}. */
  private volatile @Nullable Select byKeyQuery;

  /** What {@code select(this)} makes of a row, made on first use; see {@link #loaderShape()}. */
  private volatile EntityLoader.@Nullable Shape loaderShape;

  Mapper(Class<E> type, Table table, MethodHandle constructor) {
    this.type = type;
    this.table = table;
    this.constructor = constructor;
    this.annotations = Map.of(ENTITY, this);
  }

  void add(Attribute<E, ?> a, boolean key, boolean isVersion) {
    byKeyQuery = null;
    loaderShape = null;
    attributes.add(a);
    attributesView = List.copyOf(attributes);
    if (key) {
      primaryKey.add(a);
      primaryKeyView = List.copyOf(primaryKey);
      int[] positions = new int[primaryKey.size()];
      for (int i = 0; i < positions.length; i++) {
        positions[i] = attributes.indexOf(primaryKey.get(i));
      }
      primaryKeyPositions = positions;
    }
    if (isVersion) {
      version = a;
    }
  }

  /**
   * Says that this mapper's rows need rows of {@code parent} written first (and deleted after),
   * beyond what the foreign keys of the tables say: the edge a relationship adds to the flush.
   */
  void dependsOn(Mapper<?> parent) {
    if (parent != this && !dependencies.contains(parent)) {
      dependencies.add(parent);
    }
  }

  /** The mappers this one was told it depends on ({@link #dependsOn}). */
  List<Mapper<?>> dependencies() {
    return dependencies;
  }

  /** Adds a loader for an attribute that is not a column (a relationship's). */
  void addLoader(LoaderStrategy loader) {
    loaders.add(loader);
  }

  /** The loaders run after a query loaded objects of this class; empty for columns only. */
  List<LoaderStrategy> loaders() {
    return loaders;
  }

  /** Adds a cascade: which objects add, delete, merge and expunge of one of these reach. */
  void addCascade(Cascade cascade) {
    cascades.add(cascade);
  }

  /** This mapper's cascades; empty for columns only. */
  List<Cascade> cascades() {
    return cascades;
  }

  void addRelationship(RelatedCollection r) {
    relationships.add(r);
  }

  /** This mapper's relationships ({@link Relationship} fields); empty for columns only. */
  List<RelatedCollection> relationships() {
    return relationships;
  }

  /**
   * The relationship of a field.
   *
   * @throws MappingException naming the relationships, if the field is not one of them
   */
  RelatedCollection relationship(String field) {
    RelatedCollection found = findRelationship(field);
    if (found != null) {
      return found;
    }
    throw new MappingException(
        type.getName()
            + " has no relationship '"
            + field
            + "'; its relationships are "
            + relationships.stream().map(RelatedCollection::name).toList()
            + " (a relationship is a List field marked @Relationship).");
  }

  /** The relationship of a field, or {@code null} if the field is not one. */
  @Nullable RelatedCollection findRelationship(String field) {
    for (RelatedCollection r : relationships) {
      if (r.name().equals(field)) {
        return r;
      }
    }
    return null;
  }

  /** Sets every relationship of {@code entity} to not loaded (after a load populated it). */
  void markRelationshipsUnloaded(Object entity) {
    for (RelatedCollection r : relationships) {
      r.markUnloaded(entity);
    }
  }

  /** Returns the mapped class. */
  public Class<E> type() {
    return type;
  }

  /** Returns the table the class is mapped to. */
  public Table table() {
    return table;
  }

  /** Returns the mapped attributes, in column order. */
  public List<Attribute<E, ?>> attributes() {
    return attributesView;
  }

  /** Returns the primary key's attributes. */
  public List<Attribute<E, ?>> primaryKey() {
    return primaryKeyView;
  }

  /**
   * Returns where each primary key attribute stands among the attributes (shared: do not change).
   */
  int[] primaryKeyPositions() {
    return primaryKeyPositions;
  }

  /**
   * Returns the SELECT of this class by primary key, each key value a parameter named {@code pk_0},
   * {@code pk_1}, ... in key order ({@link #keyParameters}). Made once: {@code get}, {@code
   * refresh} and {@code merge} run the same statement, so its shape and compilation are found
   * without being worked out again.
   */
  Select byKeyQuery() {
    Select q = byKeyQuery;
    if (q == null) {
      q = Sql.select(this);
      List<Attribute<E, ?>> pk = primaryKeyView;
      for (int i = 0; i < pk.size(); i++) {
        q = q.where(keyEquals(pk.get(i), i));
      }
      byKeyQuery = q;
    }
    return q;
  }

  /** How a row of a statement selecting only this class becomes objects, worked out once. */
  EntityLoader.Shape loaderShape() {
    EntityLoader.Shape shape = loaderShape;
    if (shape == null) {
      shape = EntityLoader.Shape.of(this);
      loaderShape = shape;
    }
    return shape;
  }

  private static <T> Expression<Boolean> keyEquals(Attribute<?, T> a, int position) {
    return a.eq(Sql.bindparam("pk_" + position, a.column().type()));
  }

  /** The parameters of {@link #byKeyQuery()} for a primary key's values. */
  static Map<String, ?> keyParameters(List<?> values) {
    if (values.size() == 1) {
      return java.util.Collections.singletonMap("pk_0", values.get(0));
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < values.size(); i++) {
      out.put("pk_" + i, values.get(i));
    }
    return out;
  }

  /** Returns the version counter's attribute, or {@code null}. */
  public @Nullable Attribute<E, ?> version() {
    return version;
  }

  /**
   * Returns the attribute of a field.
   *
   * @throws MappingException naming the mapped fields, if the field is not one of them
   */
  @SuppressWarnings("unchecked")
  public <T> Attribute<E, T> attribute(String field) {
    for (Attribute<E, ?> a : attributes) {
      if (a.name().equals(field)) {
        return (Attribute<E, T>) a;
      }
    }
    throw new MappingException(
        type.getName()
            + " has no mapped field '"
            + field
            + "'; its mapped fields are "
            + attributes.stream().map(Attribute::name).toList()
            + ".");
  }

  /** Returns whether a flush reads server defaults back ({@link Entity#eagerDefaults()}). */
  public boolean eagerDefaults() {
    return eagerDefaults;
  }

  void eagerDefaults(boolean on) {
    this.eagerDefaults = on;
  }

  /** Returns this mapper's listeners (of its objects' writes during a flush). */
  public MapperEvents events() {
    return events;
  }

  /** Returns the mapped table. */
  @Override
  public FromClause toFromClause() {
    return table;
  }

  /** Returns the mapped columns, in attribute order: what {@code select(mapper)} selects. */
  @Override
  public List<? extends Expression<?>> selectedColumns() {
    List<Expression<?>> out = new ArrayList<>(attributes.size());
    for (Attribute<E, ?> a : attributes) {
      out.add(a.column());
    }
    return out;
  }

  /** Names this mapper as the statement's entity ({@link #ENTITY}). */
  @Override
  public Map<String, Object> annotations() {
    return annotations;
  }

  /** Makes an empty instance with the class's constructor without parameters. */
  @SuppressWarnings("unchecked")
  E newInstance() {
    try {
      return (E) constructor.invoke();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new MappingException(
          "The constructor of " + type.getName() + " failed while loading a row: " + t, t);
    }
  }

  @Override
  public String toString() {
    return "Mapper(" + type.getSimpleName() + " -> " + table.name() + ")";
  }
}
