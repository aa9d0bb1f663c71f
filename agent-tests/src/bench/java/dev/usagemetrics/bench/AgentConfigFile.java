package dev.usagemetrics.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes our agent's configuration: targets, quiet, exporting to {@code endpoint} hourly (and at exit). */
final class AgentConfigFile {

  private AgentConfigFile() {}

  /** The bench targets ({@link BenchRepository}, {@link BenchQueue}). */
  static Path write(Path file, String endpoint) throws IOException {
    String targets = """
        persist:
          targets:
            - class: %s
              methods: [persist, persistFailing]
        queue:
          targets:
            - class: %s
              enqueue: [offer]
              dequeue: [poll]
        """.formatted(BenchRepository.class.getName(), BenchQueue.class.getName());
    return write(file, List.of(targets.split("\n")), endpoint);
  }

  /** {@code targetLines}: the {@code persist} and {@code queue} sections. */
  static Path write(Path file, List<String> targetLines, String endpoint) throws IOException {
    String rest = """
        log:
          level: quiet
        export:
          endpoint: %s
          protocol: http/protobuf
          interval: 1h
          shutdown_timeout: 2s
        """.formatted(endpoint);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, String.join("\n", targetLines) + "\n" + rest);
  }
}
