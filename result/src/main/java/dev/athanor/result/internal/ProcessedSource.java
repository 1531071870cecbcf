package dev.athanor.result.internal;

import dev.athanor.result.Row;
import dev.athanor.result.RowProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * A source whose fetched batches go through a {@link RowProcessor} (after the projection of the
 * view it was made from). The rows are not copied before processing: each fetched batch is handed
 * over as it is.
 */
public final class ProcessedSource implements RowSource {
  private final RowSource inner;
  private final Function<Row, Row> project;
  private final RowProcessor processor;

  /** Processes the batches of {@code inner}, each row projected by {@code project} first. */
  public ProcessedSource(RowSource inner, Function<Row, Row> project, RowProcessor processor) {
    this.inner = inner;
    this.project = project;
    this.processor = processor;
  }

  @Override
  public Mono<List<Row>> fetch(int n) {
    return inner.fetch(n).map(this::process);
  }

  private List<Row> process(List<Row> batch) {
    return apply(batch, project, processor);
  }

  /** Projects each row of a batch with {@code project}, then processes the batch. */
  public static List<Row> apply(
      List<Row> batch, Function<Row, Row> project, RowProcessor processor) {
    if (batch.isEmpty()) {
      return batch;
    }
    List<Row> in = batch;
    if (project != IDENTITY) {
      in = new ArrayList<>(batch.size());
      for (Row r : batch) {
        in.add(project.apply(r));
      }
    }
    return processor.process(in);
  }

  /** The projection of a view that keeps every column. */
  public static final Function<Row, Row> IDENTITY = r -> r;

  @Override
  public boolean isExhausted() {
    return inner.isExhausted();
  }

  @Override
  public boolean isFinished() {
    return inner.isFinished();
  }

  @Override
  public void close() {
    inner.close();
  }
}
