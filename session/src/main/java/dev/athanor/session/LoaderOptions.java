package dev.athanor.session;

import dev.athanor.sql.ExecutionOptions;
import java.util.ArrayList;
import java.util.List;

/** The loader options a statement carries in its execution options, in the order given. */
record LoaderOptions(List<SelectInLoad> selectIn) {
  static final ExecutionOptions.Key<LoaderOptions> KEY =
      ExecutionOptions.key("athanor.loaderOptions", LoaderOptions.class);

  static LoaderOptions of(List<SelectInLoad> options) {
    return new LoaderOptions(List.copyOf(options));
  }

  LoaderOptions plus(SelectInLoad option) {
    List<SelectInLoad> more = new ArrayList<>(selectIn);
    more.add(option);
    return of(more);
  }
}
