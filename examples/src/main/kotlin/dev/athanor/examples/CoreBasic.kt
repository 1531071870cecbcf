package dev.athanor.examples; fun main() { println("hi") }
