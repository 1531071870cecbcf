package dev.athanor.examples

import dev.athanor.coroutines.asc
import dev.athanor.coroutines.asyncSessionmaker
import dev.athanor.coroutines.createAsyncEngine
import dev.athanor.coroutines.select
import dev.athanor.coroutines.selectinload
import dev.athanor.session.Column
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.Registry
import dev.athanor.session.Relationship
import java.time.OffsetDateTime
import kotlinx.coroutines.runBlocking

/** A parent row, with a creation time the database fills in. */
@Entity(table = "a")
class A(
    @Id var id: Long? = null,
    @Column(nullable = false) var data: String = "",
    @Column(serverDefault = "CURRENT_TIMESTAMP") var createDate: OffsetDateTime? = null,
) {
    /** Its Bs, loaded with the query that loads it (`selectinload(A::bs)`). */
    @Relationship(viewOnly = true) var bs: List<B> = emptyList()

    override fun toString(): String = "A(id=$id, data=$data)"
}

/** A child row of an [A]: [A.bs] holds them, read-only; a B is linked by its `aId`. */
@Entity(table = "b")
class B(
    @Id var id: Long? = null,
    @Column(nullable = false, references = "a.id") var aId: Long? = null,
    var data: String? = null,
) {
    override fun toString(): String = "B(id=$id, data=$data)"
}

/** The mappings, made once per JVM (a class is mapped once). */
private val registry =
    Registry().apply {
        map(A::class.java)
        map(B::class.java)
    }

/**
 * The ORM example of SQLAlchemy's asyncio documentation, in Kotlin: objects added in one `begin {
 * }` block, queried with their related objects (`selectinload`), changed and committed; values read
 * after the commit without IO; a server-default timestamp loaded by the flush itself.
 *
 * Runs on embedded H2 by default; pass a URL as the first argument (or set ATHANOR_URL) to run on
 * PostgreSQL.
 */
fun main(args: Array<String>) = runBlocking {
    val url = args.firstOrNull() ?: System.getenv("ATHANOR_URL") ?: "h2:mem:///orm_example"
    val engine = createAsyncEngine(url)
    try {
        engine.begin { conn ->
            conn.runSync { sync ->
                registry.metadata().dropAll(sync)
                registry.metadata().createAll(sync)
            }
        }
        // expireOnCommit = false: objects read after commit keep being current without a reload.
        val sessions = asyncSessionmaker(engine) { expireOnCommit = false }

        // Insert in one transaction: committed when the block returns.
        sessions.begin { session ->
            val a1 = A(data = "a1")
            val a2 = A(data = "a2")
            val a3 = A(data = "a3")
            session.addAll(listOf(a1, a2, a3))
            session.flush() // keys and the server-default timestamps come back in this INSERT
            check(a1.createDate != null) { "the flush reads server defaults back" }
            session.addAll(
                listOf(
                    B(aId = a1.id, data = "b1"),
                    B(aId = a1.id, data = "b2"),
                    B(aId = a3.id, data = "b3"),
                    B(aId = a3.id, data = "b4"),
                )
            )
        }

        // Select, then update.
        val session = sessions()
        try {
            // Two statements: the As, then the Bs of all of them.
            val query = select<A>().orderBy(A::id.asc()).options(selectinload(A::bs))
            for (a in session.scalars<A>(query).all()) {
                println("$a created at: ${a!!.createDate}")
                for (b in a.bs) println("  $b")
            }
            val a1 = session.scalars<A>(select<A>().orderBy(A::id.asc()).limit(1)).one()!!
            a1.data = "new data"
            session.commit()
            // Read after the commit: no IO, the value is there.
            println(a1.data)
            // Its Bs through fetch (SQLAlchemy's awaitable_attrs): loaded already, so no IO.
            for (b in session.fetch(a1, A::bs)) println(b)
        } finally {
            session.close()
        }
    } finally {
        engine.dispose()
    }
}
