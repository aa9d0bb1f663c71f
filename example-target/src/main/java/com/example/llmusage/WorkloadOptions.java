package com.example.llmusage;

import java.time.Duration;
import java.util.Locale;

/** Command-line flags of {@link UsageServiceMain}, parsed and checked for consistency. */
public final class WorkloadOptions {

  static final String USAGE = String.join(
      "\n",
      "Usage: java -jar example-target.jar [flags]",
      "",
      "Runs an LLM usage-recording service against an embedded H2 database and prints one",
      "summary line to stdout (progress and diagnostics go to stderr):",
      "  WORKLOAD calls=<n> success=<n> validation=<n> timeout=<n> duplicate=<n> other=<n>"
          + " async_calls=<n> async_failures=<n> queue_remaining=<n> rejected_offers=<n>",
      "",
      "Fixed workload (default): exact, deterministic outcome counts.",
      "  --calls N            total persist calls (default 1000)",
      "  --invalid N          of which malformed records rejected by validation (default 0)",
      "  --timeouts N         of which run while the billing reconciler holds the model row",
      "                       lock, so they hit H2's lock timeout (default 0)",
      "  --duplicates N       of which reuse an already persisted id (default 0)",
      "                       the remaining calls succeed",
      "",
      "Service workload: a live mixed load with a queue backlog, for demos.",
      "  --duration D         run for D (e.g. 500ms, 30s, 2m); 0 runs until killed",
      "  --rate R             calls per second across all producers (default 100)",
      "",
      "Both workloads:",
      "  --mode sync|queue    sync: producers persist directly; queue: producers offer to",
      "                       the pending queue and writer threads persist (default sync;",
      "                       the service workload always uses queue)",
      "  --threads N          producer threads (default 4)",
      "  --writers N          writer threads in queue mode (default 4)",
      "  --queue-capacity N   pending queue capacity (default 256)",
      "  --leave-pending N    at the end, once all calls have settled, stop the writer and",
      "                       offer N more records, so exactly N stay in the pending queue",
      "                       (default 0)",
      "  --async N            additionally persist N records through persistAsync (default 0)",
      "  --async-failures N   of which fail with a duplicate id (default 0)",
      "  --lock-timeout-ms N  H2 lock timeout of the service's connections (default 50)",
      "  --db-url URL         JDBC URL (default " + JdbcUsageRepository.DEFAULT_URL + ")",
      "  --start-delay D      wait D before the workload starts, e.g. so that a metrics scraper",
      "                       sees the service before its first calls (default 0)",
      "  --linger D           after printing the summary line, stay alive for D before exiting,",
      "                       e.g. so that a metrics scraper sees the final state (default 0)",
      "  --exit normal|system-exit",
      "                       return from main, or call System.exit(0) (default normal)",
      "  --help               print this message");

  enum Mode {
    SYNC,
    QUEUE
  }

  enum Exit {
    NORMAL,
    SYSTEM_EXIT
  }

  int calls = 1000;
  int invalid;
  int timeouts;
  int duplicates;
  Duration duration;
  double rate = 100;
  Mode mode = Mode.SYNC;
  int threads = 4;
  int writers = 4;
  int queueCapacity = 256;
  int leavePending;
  int asyncCalls;
  int asyncFailures;
  Duration lockTimeout = JdbcUsageRepository.DEFAULT_LOCK_TIMEOUT;
  String dbUrl = JdbcUsageRepository.DEFAULT_URL;
  Duration linger = Duration.ZERO;
  Duration startDelay = Duration.ZERO;
  Exit exit = Exit.NORMAL;
  boolean help;

  private WorkloadOptions() {}

  /** @throws IllegalArgumentException with a message fit for the user */
  static WorkloadOptions parse(String[] args) {
    WorkloadOptions options = new WorkloadOptions();
    boolean fixedWorkloadFlag = false;
    boolean explicitSync = false;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--help") || flag.equals("-h")) {
        options.help = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + flag);
      }
      String value = args[++i];
      switch (flag) {
        case "--calls":
          options.calls = count(flag, value);
          fixedWorkloadFlag = true;
          break;
        case "--invalid":
          options.invalid = count(flag, value);
          fixedWorkloadFlag = true;
          break;
        case "--timeouts":
          options.timeouts = count(flag, value);
          fixedWorkloadFlag = true;
          break;
        case "--duplicates":
          options.duplicates = count(flag, value);
          fixedWorkloadFlag = true;
          break;
        case "--duration":
          options.duration = duration(flag, value);
          break;
        case "--rate":
          options.rate = rate(flag, value);
          break;
        case "--mode":
          options.mode = choice(flag, value, Mode.class);
          explicitSync = options.mode == Mode.SYNC;
          break;
        case "--threads":
          options.threads = positive(flag, value);
          break;
        case "--writers":
          options.writers = positive(flag, value);
          break;
        case "--queue-capacity":
          options.queueCapacity = positive(flag, value);
          break;
        case "--leave-pending":
          options.leavePending = count(flag, value);
          break;
        case "--async":
          options.asyncCalls = count(flag, value);
          break;
        case "--async-failures":
          options.asyncFailures = count(flag, value);
          break;
        case "--lock-timeout-ms":
          options.lockTimeout = Duration.ofMillis(positive(flag, value));
          break;
        case "--db-url":
          options.dbUrl = value;
          break;
        case "--linger":
          options.linger = duration(flag, value);
          break;
        case "--start-delay":
          options.startDelay = duration(flag, value);
          break;
        case "--exit":
          options.exit = choice(flag, value, Exit.class);
          break;
        default:
          throw new IllegalArgumentException("unknown flag " + flag);
      }
    }
    if (options.serviceMode() && fixedWorkloadFlag) {
      throw new IllegalArgumentException(
          "--duration runs the service workload; it cannot be combined with"
              + " --calls/--invalid/--timeouts/--duplicates");
    }
    if (options.serviceMode() && explicitSync) {
      throw new IllegalArgumentException(
          "the service workload (--duration) always runs in queue mode");
    }
    options.checkConsistency();
    return options;
  }

  boolean serviceMode() {
    return duration != null;
  }

  int successes() {
    return calls - invalid - timeouts - duplicates;
  }

  private void checkConsistency() {
    if (serviceMode()) {
      // The service feeds the writer through the queue by design.
      mode = Mode.QUEUE;
    } else {
      if (successes() < 0) {
        throw new IllegalArgumentException("--invalid + --timeouts + --duplicates exceeds --calls");
      }
      if (duplicates > 0 && successes() == 0) {
        throw new IllegalArgumentException(
            "--duplicates needs at least one successful call to repeat");
      }
    }
    if (asyncFailures > asyncCalls) {
      throw new IllegalArgumentException("--async-failures exceeds --async");
    }
    if (asyncFailures > 0 && asyncFailures == asyncCalls && (serviceMode() || successes() == 0)) {
      throw new IllegalArgumentException(
          "--async-failures needs a record known to be persisted: make --async larger");
    }
    if (leavePending > queueCapacity) {
      throw new IllegalArgumentException("--leave-pending exceeds --queue-capacity");
    }
  }

  private static int count(String flag, String value) {
    int n = integer(flag, value);
    if (n < 0) {
      throw new IllegalArgumentException(flag + " must not be negative");
    }
    return n;
  }

  private static int positive(String flag, String value) {
    int n = integer(flag, value);
    if (n < 1) {
      throw new IllegalArgumentException(flag + " must be at least 1");
    }
    return n;
  }

  private static int integer(String flag, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " expects a whole number, got '" + value + "'");
    }
  }

  private static double rate(String flag, String value) {
    try {
      double r = Double.parseDouble(value);
      if (r > 0 && Double.isFinite(r)) {
        return r;
      }
    } catch (NumberFormatException e) {
      // fall through to the common message
    }
    throw new IllegalArgumentException(flag + " expects a positive number, got '" + value + "'");
  }

  /** Accepts 0, plain seconds, or a number with ms, s, m or h. */
  private static Duration duration(String flag, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        return nonNegative(flag, Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2))));
      }
      if (v.endsWith("s")) {
        return nonNegative(
            flag, Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1))));
      }
      if (v.endsWith("m")) {
        return nonNegative(
            flag, Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1))));
      }
      if (v.endsWith("h")) {
        return nonNegative(flag, Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1))));
      }
      return nonNegative(flag, Duration.ofSeconds(Long.parseLong(v)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          flag + " expects e.g. 30s, 500ms, 2m or 0, got '" + value + "'");
    }
  }

  private static Duration nonNegative(String flag, Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException(flag + " must not be negative");
    }
    return d;
  }

  private static <E extends Enum<E>> E choice(String flag, String value, Class<E> type) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + " does not accept '" + value + "'");
    }
  }
}
