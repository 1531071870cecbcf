package dev.athanor.coroutines; internal object Placeholder
