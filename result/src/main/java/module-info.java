/**
 * Athanor's rows and results ({@code dev.athanor.result}) and every error it raises ({@code
 * dev.athanor.error}). The {@code internal} package is for Athanor's own modules.
 */
module dev.athanor.result {
  requires transitive reactor.core;
  requires transitive org.reactivestreams;
  requires static transitive org.jspecify;

  exports dev.athanor.result;
  exports dev.athanor.error;
  exports dev.athanor.result.internal to
      dev.athanor.engine,
      dev.athanor.session;
}
