package dev.athanor.bench

import reactor.core.publisher.Mono

/** A user of the same rows, mapped to objects by every competitor. */
data class User(val id: Int, val name: String, val email: String)

/**
 * One way of doing each workload's unit of work. Every operation is a cold [Mono] so the harness
 * can drive all competitors the same way.
 */
interface Competitor : AutoCloseable {
    val name: String

    /** Whether it runs the read workloads only (a variant of another competitor's reads). */
    val readsOnly: Boolean
        get() = false

    /** Whether it can stream a query's rows (Hibernate Reactive cannot). */
    val canStream: Boolean
        get() = true

    /** Selects one user by primary key and maps it. */
    fun pkSelect(id: Int): Mono<User>

    /** Selects 100 users from [offset] and maps them. */
    fun select100(offset: Int): Mono<List<User>>

    /** Inserts [n] rows with one batched statement in one transaction. */
    fun insertBatch(n: Int, base: Int): Mono<Long>

    /**
     * Streams every row of the big table (id and payload) through [consume], both values read;
     * returns the row count.
     */
    fun stream(consume: (Int, String) -> Unit): Mono<Long>

    /** Begins, updates a counter, reads it back, commits. */
    fun shortTransaction(id: Int): Mono<Long>

    /**
     * The ORM workloads it runs: "get" ([ormGet]), "cached" ([ormGetCached]), "query"
     * ([ormQuery100]), "graph" ([ormGraph]), "insert" ([ormInsert]), "update" ([ormUpdate1k]),
     * "stream" ([ormStream]). None by default.
     */
    val orm: Set<String>
        get() = emptySet()

    /**
     * Gets one user by primary key in a fresh unit of work (an identity-map miss), as an entity.
     * The raw form runs the same statements (BEGIN, SELECT, ROLLBACK) and maps by hand.
     */
    fun ormGet(id: Int): Mono<Any> = Mono.error(UnsupportedOperationException("ormGet"))

    /** Gets one user that the unit of work already holds (an identity-map hit: no statement). */
    fun ormGetCached(id: Int): Mono<Any> = Mono.error(UnsupportedOperationException("ormGetCached"))

    /**
     * Makes [n] new items (round [round]) and writes them in one transaction, reading back each
     * generated key into its object; returns [n]. The raw form sends multi-row `INSERT ...
     * RETURNING id` pages.
     */
    fun ormInsert(n: Int, round: Int): Mono<Long> =
        Mono.error(UnsupportedOperationException("ormInsert"))

    /**
     * Loads the 1,000 users from id [from], changes each one's name (round [round] makes it new),
     * and commits; returns 1,000. The raw form selects, maps, and sends an executemany UPDATE.
     */
    fun ormUpdate1k(from: Int, round: Int): Mono<Long> =
        Mono.error(UnsupportedOperationException("ormUpdate1k"))

    /**
     * Streams every row of the big table as entities through [consume], 1,000 per fetch, letting go
     * of each batch once read; returns the count. The raw form maps rows to objects by hand.
     */
    fun ormStream(consume: (Any) -> Unit): Mono<Long> =
        Mono.error(UnsupportedOperationException("ormStream"))

    /**
     * Loads the 100 parents from id [from] and the 10 children of each in a fresh unit of work, in
     * two statements (the parents; the children whose parent key is one of theirs, SQLAlchemy's
     * `selectinload`), each parent's children gathered with it; returns the parents. The raw form
     * runs the same statements (BEGIN, the two SELECTs, ROLLBACK) and assembles the graph by hand.
     */
    fun ormGraph(from: Int): Mono<List<Any>> = Mono.error(UnsupportedOperationException("ormGraph"))

    /** Queries 100 users as entities in a fresh unit of work. */
    fun ormQuery100(offset: Int): Mono<List<Any>> =
        Mono.error(UnsupportedOperationException("ormQuery100"))
}
