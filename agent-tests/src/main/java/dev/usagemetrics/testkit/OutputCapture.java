package dev.usagemetrics.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * Drains one output stream of a child process on its own thread, so the child never blocks on a
 * full pipe; keeps everything it read and echoes it line by line with a prefix.
 */
final class OutputCapture {

  private final StringBuilder captured = new StringBuilder();
  private final Thread thread;

  OutputCapture(InputStream stream, String echoPrefix, PrintStream echo) {
    thread = new Thread(() -> drain(stream, echoPrefix, echo), "drain " + echoPrefix.trim());
    thread.setDaemon(true);
    thread.start();
  }

  /** Everything read so far, including a last line without its newline yet. */
  String text() {
    synchronized (captured) {
      return captured.toString();
    }
  }

  /** Waits for the end of the stream, which comes soon after the process exits. */
  void awaitEnd(long millis) throws InterruptedException {
    thread.join(millis);
  }

  private void drain(InputStream stream, String echoPrefix, PrintStream echo) {
    StringBuilder line = new StringBuilder();
    char[] buffer = new char[8192];
    try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
      int read;
      while ((read = reader.read(buffer)) != -1) {
        synchronized (captured) {
          captured.append(buffer, 0, read);
        }
        for (int i = 0; i < read; i++) {
          if (buffer[i] == '\n') {
            echo.println(echoPrefix + line);
            line.setLength(0);
          } else {
            line.append(buffer[i]);
          }
        }
      }
    } catch (IOException e) {
      // The stream closes under us when the process is killed; what was read is kept.
    }
    if (line.length() > 0) {
      echo.println(echoPrefix + line);
    }
  }
}
