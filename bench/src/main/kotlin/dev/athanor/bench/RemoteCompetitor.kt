package dev.athanor.bench

import reactor.core.publisher.Mono

/**
 * A competitor running in a [WorkerJvm]: the main run reads its name and what it supports from here
 * and measures it through [measure] and [retained]; its operations run only in the worker.
 */
class RemoteCompetitor(
    private val jvm: WorkerJvm,
    private val index: Int,
    override val name: String,
    override val readsOnly: Boolean,
    override val canStream: Boolean,
    override val orm: Set<String>,
) : Competitor {
    /** One measured run of [workload] in the worker. */
    fun measure(workload: String, millis: Long): Sample = jvm.measure(index, workload, millis)

    /** The retained heap of a stream (of entities with [orm]) in the worker. */
    fun retained(orm: Boolean): Retained.Result = jvm.retained(index, orm)

    private fun remote(): Nothing =
        throw UnsupportedOperationException("$name runs in a worker JVM; use measure()")

    override fun pkSelect(id: Int): Mono<User> = remote()

    override fun select100(offset: Int): Mono<List<User>> = remote()

    override fun insertBatch(n: Int, base: Int): Mono<Long> = remote()

    override fun stream(consume: (Int, String) -> Unit): Mono<Long> = remote()

    override fun shortTransaction(id: Int): Mono<Long> = remote()

    /** The worker closes its competitors when it ends. */
    override fun close() = Unit

    companion object {
        /** Reads a competitor from the fields of a `COMPETITOR` line ([WorkerLoop.describe]). */
        fun parse(jvm: WorkerJvm, index: Int, fields: String): RemoteCompetitor {
            val f = fields.split("\t")
            require(f.size == 4) { "not a competitor line: '$fields'" }
            return RemoteCompetitor(
                jvm,
                index,
                f[0],
                f[1].toBoolean(),
                f[2].toBoolean(),
                f[3].split(",").filter { it.isNotEmpty() }.toSet(),
            )
        }
    }
}
