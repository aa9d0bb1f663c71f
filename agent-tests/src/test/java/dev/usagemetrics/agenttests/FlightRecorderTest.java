package dev.usagemetrics.agenttests;

import dev.usagemetrics.targets.ConfigTarget;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent beside the JDK's flight recorder started from the command line, as production JVMs
 * often run. When the agent wove with ByteBuddy, the recorder and ByteBuddy both created the JDK's
 * {@code @Retention} proxy class at startup, which deadlocked the application's main thread
 * (reliably with a small recording configuration, which starts the recorder quickly); the agent
 * now reads no annotations at all, and this keeps the recorder and the agent starting together.
 */
class FlightRecorderTest {

  @TempDir
  Path dir;

  /** A method-profiling recording and nothing else. */
  private static final String RECORDING_SETTINGS = """
      <?xml version="1.0" encoding="UTF-8"?>
      <configuration version="2.0">
        <event name="jdk.ExecutionSample">
          <setting name="enabled">true</setting><setting name="period">1 ms</setting>
        </event>
      </configuration>
      """;

  @Test
  void anApplicationStartedWithTheFlightRecorderRunsAndIsMeasured() throws IOException {
    Path settings = Files.writeString(dir.resolve("profile.jfc"), RECORDING_SETTINGS);
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = AgentHarness.writeConfig(
          dir,
          "agent.yaml",
          AgentHarness.concat(
              AgentHarness.persistTarget(ConfigTarget.Store.class.getName(), "save"),
              AgentHarness.exportTo(receiver, "60s")));
      AgentHarness.runConfigTarget(
          AgentHarness.jvmWithAgent("flight-recorder", config)
              .jvmOptions("-XX:StartFlightRecording=filename=" + dir.resolve("recording.jfr")
                  + ",settings=" + settings),
          receiver);
    }
  }
}
