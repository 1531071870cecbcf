package dev.athanor.session;

/** Instance states made by hand, for the flush-planning tests (no session, no database). */
final class States {
  private States() {}

  /** A new object, to be inserted. */
  static InstanceState pending(Object o) {
    return new InstanceState(o, Registry.mapperOf(o.getClass()), InstanceState.Status.PENDING);
  }

  /** An object as loaded: its current values are the committed ones, its key set. */
  static InstanceState persistent(Object o) {
    InstanceState s =
        new InstanceState(o, Registry.mapperOf(o.getClass()), InstanceState.Status.PERSISTENT);
    s.snapshot();
    s.key = s.keyFromFields();
    return s;
  }
}
