package dev.usagemetrics.targets.spring;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;

/**
 * What the application saw, written down as the agent must count it: per configuration of
 * persist targets ({@link View}), calls by outcome and failures by the {@code error_type} issue 12's
 * table gives them; per scenario, how many of the failures it provokes really happened.
 */
@Component
class Ledger {

  /** Which persist targets an agent configuration names, hence which calls it counts. */
  enum View {
    /** The service alone: every service call. */
    SERVICE,
    /** The repository interface alone: every call of a configured repository method, also those the service makes. */
    REPOSITORY,
    /** Both: service calls and the repository calls made outside it (those inside are nested in a counted call). */
    BOTH;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Map<View, Map<String, LongAdder>> calls = new EnumMap<>(View.class);
  private final Map<String, Long> planned = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> produced = new ConcurrentHashMap<>();
  private final LongAdder unexpected = new LongAdder();
  private final Set<String> chainsSeen = ConcurrentHashMap.newKeySet();

  Ledger() {
    for (View view : View.values()) {
      Map<String, LongAdder> counts = new LinkedHashMap<>();
      for (String key : new String[] {"success", "error"}) {
        counts.put(key, new LongAdder());
      }
      for (String errorType : TableRow.ERROR_TYPES) {
        counts.put(errorType, new LongAdder());
      }
      calls.put(view, counts);
    }
  }

  /** A call that returned normally, as {@code view} counts it. */
  void success(View view) {
    calls.get(view).get("success").increment();
  }

  /**
   * A call that threw {@code failure}, as {@code view} counts it: under the error type of its table
   * row; a failure that is no row of the table counts as an error of no type (the caller reports it
   * as unexpected).
   */
  void failure(View view, Throwable failure) {
    Map<String, LongAdder> counts = calls.get(view);
    counts.get("error").increment();
    TableRow.of(failure).ifPresent(row -> counts.get(row.errorType()).increment());
  }

  /** {@code scenario} is planned to provoke its failure {@code times} times. */
  void plan(String scenario, long times) {
    planned.merge(scenario, times, Long::sum);
  }

  /** {@code scenario} provoked its failure, seen as {@code failure}. */
  void produced(String scenario, Throwable failure) {
    produced.computeIfAbsent(scenario, name -> new LongAdder()).increment();
    String chain = TableRow.chain(failure);
    if (chainsSeen.add(scenario + ": " + chain)) {
      System.err.println("SPRINGCHAIN " + scenario + ": " + chain);
    }
  }

  /** Something no scenario plans for: the run is not what the tests expect. */
  void unexpected(String what, Throwable failure) {
    unexpected.increment();
    System.err.println(
        "SPRINGUNEXPECTED " + what + ": " + (failure == null ? "" : TableRow.chain(failure)));
    if (failure != null) {
      failure.printStackTrace();
    }
  }

  /**
   * Prints {@code SPRINGSCENARIO <name> planned=.. produced=..} per scenario, {@code SPRINGTARGET <view>
   * success=.. error=.. timeout=.. validation=.. db_error=..} per view, and {@code SPRING unexpected=..}
   * followed by {@code extra}.
   */
  void report(PrintStream out, String extra) {
    planned.keySet().stream()
        .sorted()
        .forEach(scenario -> out.println("SPRINGSCENARIO " + scenario + " planned="
            + planned.get(scenario) + " produced="
            + Optional.ofNullable(produced.get(scenario)).map(LongAdder::sum).orElse(0L)));
    calls.forEach((view, counts) -> {
      StringBuilder line = new StringBuilder("SPRINGTARGET " + view.label());
      counts.forEach((key, count) -> line.append(' ').append(key).append('=').append(count.sum()));
      out.println(line);
    });
    out.println("SPRING unexpected=" + unexpected.sum() + " " + extra);
  }
}
