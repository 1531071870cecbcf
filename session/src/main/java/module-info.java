/**
 * Athanor's ORM: mapped classes ({@code @Entity}, {@link dev.athanor.session.Registry}) and the
 * {@link dev.athanor.session.Session} with its identity map and unit of work. Mapped classes are
 * read and written through reflection: on the module path, open their packages to this module.
 */
module dev.athanor.session {
  requires transitive dev.athanor.engine;

  exports dev.athanor.session;
  // The Java face marks its listeners' calls through it; it is not API.
  exports dev.athanor.session.internal to
      dev.athanor.java;
}
