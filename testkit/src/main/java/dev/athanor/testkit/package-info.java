/** Test fixtures shared by Athanor's modules: which databases the behaviour tests run on. */
@NullMarked
package dev.athanor.testkit;

import org.jspecify.annotations.NullMarked;
