package dev.athanor.session;

import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.error.MappingException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How {@link Relationship} fields are mapped and checked; plain Java, no database. */
class RelationshipMappingTest {
  @Entity(table = "rm_writable")
  static class Writable {
    @Id Long id;
    @Relationship List<Leaf> leaves;
  }

  @Entity(table = "rm_set")
  static class SetOwner {
    @Id Long id;

    @Relationship(viewOnly = true)
    Set<Leaf> leaves;
  }

  @Entity(table = "rm_raw")
  static class RawOwner {
    @Id Long id;

    @SuppressWarnings("rawtypes")
    @Relationship(viewOnly = true)
    List leaves;
  }

  @Entity(table = "rm_leaf")
  static class Leaf {
    @Id Long id;
    String name;
  }

  /** A relationship to a class never mapped, and one to a class without a foreign key to it. */
  @Entity(table = "rm_lonely")
  static class Lonely {
    @Id Long id;

    @Relationship(viewOnly = true)
    List<Unmapped> unmapped;

    @Relationship(viewOnly = true)
    List<Leaf> leaves;
  }

  static class Unmapped {
    Long id;
  }

  @Entity(table = "rm_twice")
  static class Twice {
    @Id Long id;

    @Relationship(viewOnly = true)
    List<TwoRefs> inferred;

    @Relationship(
        viewOnly = true,
        foreignKey = "second",
        orderBy = {"first", "id"})
    List<TwoRefs> named;
  }

  @Entity(table = "rm_two_refs")
  static class TwoRefs {
    @Id Long id;

    @Column(references = "rm_twice.id")
    Long first;

    @Column(references = "rm_twice.id")
    Long second;
  }

  @Test
  void aWritableRelationshipIsRefusedUntilWritesLand() {
    Registry r = new Registry();
    MappingException e = assertThrows(MappingException.class, () -> r.map(Writable.class));
    // Refused before its table was made: nothing is left in the registry's metadata.
    assertFalse(r.metadata().hasTable("rm_writable"));
    assertTrue(e.getMessage().contains("Writable.leaves"), e.getMessage());
    assertTrue(e.getMessage().contains("viewOnly = true"), e.getMessage());
  }

  @Test
  void aRelationshipIsAListOfANamedClass() {
    MappingException set =
        assertThrows(MappingException.class, () -> new Registry().map(SetOwner.class));
    assertTrue(set.getMessage().contains("is a Set"), set.getMessage());
    MappingException raw =
        assertThrows(MappingException.class, () -> new Registry().map(RawOwner.class));
    assertTrue(raw.getMessage().contains("List<Child>"), raw.getMessage());
  }

  @Test
  void theRelatedSideIsWorkedOutOnFirstUseAndItsProblemsNamed() {
    Registry r = new Registry();
    r.map(Lonely.class);
    r.map(Leaf.class);
    // A relationship field is not a column.
    assertEquals(
        List.of("id"),
        Registry.mapperOf(Lonely.class).attributes().stream().map(Attribute::name).toList());
    MappingException unmapped =
        assertThrows(
            MappingException.class,
            () -> Loaders.selectinload(Lonely.class, "unmapped").relationship().resolved());
    assertTrue(unmapped.getMessage().contains("not mapped"), unmapped.getMessage());
    MappingException noKey =
        assertThrows(
            MappingException.class,
            () -> Loaders.selectinload(Lonely.class, "leaves").relationship().resolved());
    assertTrue(
        noKey.getMessage().contains("@Column(references = \"rm_lonely.id\")"), noKey.getMessage());
    MappingException unknown =
        assertThrows(MappingException.class, () -> Loaders.selectinload(Lonely.class, "nope"));
    assertTrue(unknown.getMessage().contains("[unmapped, leaves]"), unknown.getMessage());
  }

  @Test
  void severalForeignKeysNeedTheOneNamed() {
    Registry r = new Registry();
    r.map(Twice.class);
    r.map(TwoRefs.class);
    MappingException ambiguous =
        assertThrows(
            MappingException.class,
            () -> Loaders.selectinload(Twice.class, "inferred").relationship().resolved());
    assertTrue(ambiguous.getMessage().contains("[first, second]"), ambiguous.getMessage());
    RelatedCollection.Resolved named =
        Loaders.selectinload(Twice.class, "named").relationship().resolved();
    assertEquals("second", named.foreignKey().name());
    assertEquals(2, named.order().size());
  }
}
