package dev.athanor.coroutines

import dev.athanor.engine.Inspector
import dev.athanor.sql.MetaData
import dev.athanor.sql.Table
import kotlinx.coroutines.reactor.awaitSingle

/** The Kotlin face of an [Inspector]: the database's schema, read with suspend functions. */
public class AsyncInspector
internal constructor(
    /** The reactive core inspector. */
    public val core: Inspector
) {
    /** The tables of the current schema, sorted. */
    public suspend fun tableNames(): List<String> = core.tableNames().awaitSingle()

    /** Whether a table exists. */
    public suspend fun hasTable(name: String): Boolean = core.hasTable(name).awaitSingle()

    /** A table's columns. */
    public suspend fun columns(table: String): List<Inspector.ColumnInfo> =
        core.columns(table).awaitSingle()

    /** A table's primary key columns. */
    public suspend fun primaryKey(table: String): List<String> =
        core.primaryKey(table).awaitSingle()

    /** A table's foreign keys. */
    public suspend fun foreignKeys(table: String): List<Inspector.ForeignKeyInfo> =
        core.foreignKeys(table).awaitSingle()

    /** A table's indexes. */
    public suspend fun indexes(table: String): List<Inspector.IndexInfo> =
        core.indexes(table).awaitSingle()

    /** Loads a table's definition into [metadata]. */
    public suspend fun loadTable(metadata: MetaData, name: String): Table =
        core.loadTable(metadata, name).awaitSingle()
}
