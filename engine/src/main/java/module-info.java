/**
 * Athanor's Core: the SQL expression language ({@code dev.athanor.sql}), and engines, connections
 * and transactions over R2DBC ({@code dev.athanor.engine}). The {@code internal} package is not
 * API.
 */
module dev.athanor.engine {
  requires transitive dev.athanor.result;
  requires transitive r2dbc.spi;
  requires r2dbc.pool;
  requires r2dbc.postgresql;
  requires r2dbc.h2;
  requires reactor.netty.core;
  requires io.netty.common;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.athanor.sql;
  exports dev.athanor.engine;
  // The faces reach a core object's face through it; it is not API.
  exports dev.athanor.engine.internal to
      dev.athanor.session,
      dev.athanor.java,
      dev.athanor.coroutines;
  // The ORM installs what a mapped class stands for in select(User.class); it is not API.
  exports dev.athanor.sql.internal to
      dev.athanor.session;
}
