package dev.athanor.result.internal;

import dev.athanor.result.RowKeys;
import dev.athanor.result.StreamingResult;
import org.jspecify.annotations.Nullable;

/**
 * The engine's way to open a {@link StreamingResult} over a driver cursor, which users never do:
 * {@link StreamingResult} installs its constructor here when it loads.
 */
public final class Streams {
  /** Makes a streaming result over a cursor. */
  @FunctionalInterface
  public interface Opener {
    /** See {@link Streams#open}. */
    StreamingResult open(RowSource cursor, RowKeys keys, int batch);
  }

  private static volatile @Nullable Opener opener;

  private Streams() {}

  /** Installs the constructor; called once, by {@link StreamingResult}. */
  public static void install(Opener o) {
    opener = o;
  }

  /** Returns a streaming result over an open cursor, handing out {@code batch} rows at a time. */
  public static StreamingResult open(RowSource cursor, RowKeys keys, int batch) {
    Opener o = opener;
    if (o == null) {
      initialize();
      o = java.util.Objects.requireNonNull(opener, "StreamingResult installs its opener");
    }
    return o.open(cursor, keys, batch);
  }

  private static void initialize() {
    try {
      Class.forName(StreamingResult.class.getName(), true, Streams.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
