package dev.usagemetrics.agent.export;

import dev.usagemetrics.agent.log.AgentLog;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends the bundled SDK's java.util.logging output to the agent's log instead of the
 * application's handlers, and says each kind of problem once (a collector that is down must not
 * print a line per export attempt).
 */
final class SdkLogRouting {

  /** Relocated SDK classes log under this prefix. */
  private static final String SHADED_LOGGER_PREFIX = "dev.usagemetrics.agent.shaded";

  // The logger names below are compared with the names as logged: relocation rewrites both alike.

  /**
   * The exporters and their senders log every failed export, with its cause: whichever speaks
   * first is the one warning about export failures, for both protocols together (a sender's
   * "failed to read response body" is the same outage seen from another class).
   */
  private static final String EXPORT_LOGGER_PREFIX = "io.opentelemetry.exporter.";

  private static final String EXPORT_FAILURE_KEY = "export failure";

  /**
   * The periodic reader's echoes of an export's outcome, debug only: the exporter logs the cause
   * itself, and an export that outlasts a short interval while retrying has not failed (yet).
   */
  private static final String READER_LOGGER =
      "io.opentelemetry.sdk.metrics.export.PeriodicMetricReader";

  private static final Set<String> READER_ECHOES = Set.of("Exporter timed out", "Exporter failed");

  /** Held strongly: java.util.logging keeps loggers weakly, and a collected logger loses its setup. */
  private static Logger shadedRoot;

  /** The exporters' latest message about a failed export, for the one line at exit. */
  private static volatile String lastExportFailure;

  /** Set when the export at JVM exit starts: its failure is reported in one line by the caller. */
  private static volatile boolean exiting;

  private SdkLogRouting() {}

  static synchronized void install() {
    if (shadedRoot != null) {
      return;
    }
    Logger logger = Logger.getLogger(SHADED_LOGGER_PREFIX);
    logger.setUseParentHandlers(false);
    logger.setLevel(AgentLog.isDebug() ? Level.FINE : Level.WARNING);
    logger.addHandler(new AgentLogHandler());
    shadedRoot = logger;
  }

  /** From now on, failed exports are remembered ({@link #lastExportFailure}) and said only in debug. */
  static void exitExportStarted() {
    exiting = true;
  }

  /** The exporters' latest message about a failed export, or null. */
  static String lastExportFailure() {
    return lastExportFailure;
  }

  private static final class AgentLogHandler extends Handler {
    @Override
    public void publish(LogRecord record) {
      String message =
          record.getMessage() + (record.getThrown() == null ? "" : " (" + record.getThrown() + ")");
      String logger = record.getLoggerName();
      String source = logger.replace(SHADED_LOGGER_PREFIX + ".", "");
      boolean echo = READER_LOGGER.equals(logger) && READER_ECHOES.contains(record.getMessage());
      boolean exportFailure = logger.startsWith(EXPORT_LOGGER_PREFIX)
          && record.getLevel().intValue() >= Level.WARNING.intValue();
      if (exportFailure) {
        lastExportFailure = message;
      }
      if (record.getLevel().intValue() < Level.WARNING.intValue()
          || echo
          || (exportFailure && exiting)) {
        AgentLog.debug(source + ": " + message);
      } else if (AgentLog.isDebug()) {
        AgentLog.warn(source + ": " + message);
      } else {
        String kind = exportFailure ? EXPORT_FAILURE_KEY : source;
        AgentLog.warnOnce(
            kind,
            source + ": " + message
                + " (further messages of this kind are suppressed; log.level: debug shows all)");
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
