package dev.athanor.bench

import dev.athanor.result.Row
import dev.athanor.sql.Column
import dev.athanor.sql.MetaData
import dev.athanor.sql.Sql.bindparam
import dev.athanor.sql.Sql.column
import dev.athanor.sql.Sql.select
import dev.athanor.sql.Sql.update
import dev.athanor.sql.Table
import dev.athanor.sql.Types

/** The benchmark tables, described once, and the statements built once from them. */
object BenchSchema {
    val meta = MetaData()
    val users: Table =
        meta.table(
            "bench_users",
            column("id", Types.INTEGER).primaryKey().autoincrement(false),
            column("name", Types.string(50)).notNull(),
            column("email", Types.string(100)).notNull(),
        )
    val inserts: Table =
        meta.table(
            "bench_insert",
            column("id", Types.INTEGER).primaryKey().autoincrement(false),
            column("name", Types.string(50)).notNull(),
        )
    val big: Table =
        meta.table(
            "bench_big",
            column("id", Types.INTEGER).primaryKey().autoincrement(false),
            column("payload", Types.string(100)).notNull(),
        )
    val counters: Table =
        meta.table(
            "bench_counters",
            column("id", Types.INTEGER).primaryKey().autoincrement(false),
            column("n", Types.BIGINT).notNull(),
        )

    val uid: Column<Int> = users.c("id")
    val uname: Column<String> = users.c("name")
    val uemail: Column<String> = users.c("email")
    val byId = select(uid, uname, uemail).where(uid.eq(bindparam("id", Types.INTEGER)))
    val bigIds = select(big.c<Int>("id"), big.c<String>("payload"))
    val counterId: Column<Int> = counters.c("id")
    val bump =
        update(counters)
            .values(mapOf("n" to counters.c<Long>("n").plus(1L)))
            .where(counterId.eq(bindparam("id", Types.INTEGER)))
    val readCounter =
        select(counters.c<Long>("n")).where(counterId.eq(bindparam("id", Types.INTEGER)))

    /** A page of 100 users; built per call, as application code would. */
    fun page(offset: Int) = select(uid, uname, uemail).orderBy(uid).limit(100).offset(offset)

    fun user(r: Row): User = User(r.get(uid)!!, r.get(uname)!!, r.get(uemail)!!)
}

/** A user as a mapped entity, for the ORM workloads (mapped onto [BenchSchema.users]). */
class UserEntity(var id: Int? = null, var name: String = "", var email: String = "") {
    companion object {
        init {
            dev.athanor.session
                .Registry(BenchSchema.meta)
                .mapImperatively(UserEntity::class.java, BenchSchema.users)
        }

        /** Maps the class (once per JVM). */
        fun map() {}
    }
}
