package dev.usagemetrics.agent.export;

import dev.usagemetrics.agent.log.AgentLog;
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

  /** Held strongly: java.util.logging keeps loggers weakly, and a collected logger loses its setup. */
  private static Logger shadedRoot;

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

  private static final class AgentLogHandler extends Handler {
    @Override
    public void publish(LogRecord record) {
      String message = record.getMessage() + (record.getThrown() == null ? "" : " (" + record.getThrown() + ")");
      String source = record.getLoggerName().replace(SHADED_LOGGER_PREFIX + ".", "");
      if (record.getLevel().intValue() < Level.WARNING.intValue()) {
        AgentLog.debug(source + ": " + message);
      } else if (AgentLog.isDebug()) {
        AgentLog.warn(source + ": " + message);
      } else {
        AgentLog.warnOnce(source, source + ": " + message + " (further messages of this kind are suppressed; log.level: debug shows all)");
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
