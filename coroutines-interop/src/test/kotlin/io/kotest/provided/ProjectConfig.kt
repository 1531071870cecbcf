package io.kotest.provided

import io.kotest.core.config.AbstractProjectConfig
import kotlin.time.Duration
import kotlin.time.Duration.Companion.minutes

/** Kotest settings for Athanor's specs: a hung test fails in minutes, not after kotest's 10. */
class ProjectConfig : AbstractProjectConfig() {
    override val timeout: Duration = 2.minutes
}
