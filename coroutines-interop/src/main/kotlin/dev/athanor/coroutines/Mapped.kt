package dev.athanor.coroutines

import dev.athanor.session.Attribute
import dev.athanor.session.Loaders
import dev.athanor.session.Mapper
import dev.athanor.session.Registry
import dev.athanor.session.SelectInLoad
import dev.athanor.sql.Expression
import dev.athanor.sql.OrderBy
import dev.athanor.sql.Select
import dev.athanor.sql.Sql
import kotlin.reflect.KProperty1

/*
 * Mapped classes and their properties in Kotlin statements: `select<User>()` selects the mapped
 * class, and a property reference (`User::name`) stands for its column, so that
 * `select<User>().where(User::name eq "sandy")` compiles to the same SQL as the Core form.
 */

/** A SELECT of the mapped class [E]: its rows come back as objects through a session. */
public inline fun <reified E : Any> select(): Select = Sql.select(Registry.mapperOf(E::class.java))

/** The mapper of [E]. */
public inline fun <reified E : Any> mapper(): Mapper<E> = Registry.mapperOf(E::class.java)

/** The mapped attribute a property reference (`User::name`) stands for. */
@Suppress("UNCHECKED_CAST")
public val <E : Any, T> KProperty1<E, T>.attribute: Attribute<E, T & Any>
    get() {
        return Registry.mapperOf(ownerOf(this) as Class<E>).attribute<T & Any>(name)
    }

/** `property = value` (`IS NULL` for null). */
public infix fun <E : Any, T> KProperty1<E, T>.eq(value: T): Expression<Boolean> =
    attribute.eq(value)

/** `property <> value`. */
public infix fun <E : Any, T> KProperty1<E, T>.ne(value: T): Expression<Boolean> =
    attribute.ne(value)

/** `property < value`. */
public infix fun <E : Any, T> KProperty1<E, T>.lt(value: T & Any): Expression<Boolean> =
    attribute.lt(value)

/** `property <= value`. */
public infix fun <E : Any, T> KProperty1<E, T>.le(value: T & Any): Expression<Boolean> =
    attribute.le(value)

/** `property > value`. */
public infix fun <E : Any, T> KProperty1<E, T>.gt(value: T & Any): Expression<Boolean> =
    attribute.gt(value)

/** `property >= value`. */
public infix fun <E : Any, T> KProperty1<E, T>.ge(value: T & Any): Expression<Boolean> =
    attribute.ge(value)

/** `property IN (values)`. */
public infix fun <E : Any, T> KProperty1<E, T>.isIn(
    values: Collection<T & Any>
): Expression<Boolean> = attribute.`in`(values)

/** Ascending order by the property's column. */
public fun <E : Any, T> KProperty1<E, T>.asc(): OrderBy = attribute.asc()

/** Descending order by the property's column. */
public fun <E : Any, T> KProperty1<E, T>.desc(): OrderBy = attribute.desc()

/**
 * Loads the one-to-many relationship [property] (`Author::books`) of the objects a query loads,
 * with one more SELECT of the related class (SQLAlchemy's `selectinload`):
 * `select<Author>().options(selectinload(Author::books))`.
 */
public fun <E : Any, C> selectinload(property: KProperty1<E, List<C>?>): SelectInLoad =
    Loaders.selectinload(ownerOf(property), property.name)

/**
 * This option with the related objects' relationship [property] loaded too, by a further SELECT:
 * `selectinload(Author::books).selectinload(Book::chapters)`.
 */
public fun <E : Any, C> SelectInLoad.selectinload(property: KProperty1<E, List<C>?>): SelectInLoad =
    selectinload(ownerOf(property), property.name)

private fun ownerOf(property: KProperty1<*, *>): Class<*> {
    val owner =
        (property as? kotlin.jvm.internal.CallableReference)?.owner
            as? kotlin.jvm.internal.ClassBasedDeclarationContainer
            ?: throw IllegalArgumentException(
                "${property.name} is not a property reference of a class (write User::name)"
            )
    return owner.jClass
}
