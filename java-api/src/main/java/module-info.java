/** Athanor's Java face: {@code CompletionStage}s and Reactive Streams {@code Publisher}s. */
module dev.athanor.java {
  requires transitive dev.athanor.session;

  exports dev.athanor.java;
}
