package dev.athanor.engine;

import static dev.athanor.sql.Sql.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.result.Result;
import dev.athanor.result.Row;
import dev.athanor.sql.MetaData;
import dev.athanor.sql.Table;
import dev.athanor.sql.Types;
import dev.athanor.testkit.TestDatabases;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SmokeTest {
  static List<TestDatabases.Db> dbs() {
    return TestDatabases.all();
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void roundTrip(TestDatabases.Db db) {
    Engine engine = Engine.create(db.url(), EngineOptions.defaults().echo(true));
    MetaData md = new MetaData();
    Table t = md.table("smoke", column("id", Types.INTEGER).primaryKey(), column("name", Types.string(30)));
    try {
      engine.begin(c -> md.dropAll(c).then(md.createAll(c))).block();
      Result ins = engine.begin(c -> c.execute(insert(t).values(Map.of("name", "jack")))).block();
      assertEquals(1, ins.insertedPrimaryKey().get(0));
      engine.begin(c -> c.execute(insert(t), List.of(Map.of("name", "a"), Map.of("name", "b")))).block();
      Result r = engine.connect(c -> c.execute(select(t).where(t.c("name").ne("zzz")).orderBy(t.c("id")))).block();
      List<Row> rows = r.all();
      assertEquals(3, rows.size());
      assertEquals("jack", rows.get(0).get("name"));
      List<Object> streamed = engine.connect(c -> c.stream(select(t.c("name")).orderBy(t.c("id")))
          .flatMap(s -> s.scalars().all())).block();
      assertEquals(List.of("jack", "a", "b"), streamed);
      Result ret = engine.begin(c -> c.execute(insert(t).values(Map.of("name", "r")).returning(t.c("id"), t.c("name")))).block();
      assertEquals("r", ret.one().get("name"));
    } finally {
      engine.begin(c -> md.dropAll(c)).block();
      engine.dispose().block();
    }
  }
}
