package dev.usagemetrics.targets.spring;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * A small Spring Boot service (Spring Data JPA, Hibernate, Hibernate Validator, HikariCP, PostgreSQL;
 * no web server) with two persist targets, {@link UsageRecordRepository} and {@link
 * UsageRecordService}, and a queue, {@link PendingUsageQueue}. It runs {@link Workload} and prints
 * what it saw ({@link Ledger}), for the tests to compare with what the agent exported.
 *
 * <p>Spring's own options configure the database ({@code --spring.datasource.url=jdbc:postgresql://...});
 * its schema is created at each start. Options of its own:
 * <ul>
 *   <li>{@code --usage.mode=run} (default): run the workload once started, then exit;
 *       {@code --usage.mode=wait}: once started, wait for a trigger first (so that an agent can be
 *       attached), which is {@code --usage.trigger-file=PATH} appearing or, without it, a line on stdin;
 *   <li>{@code --usage.ticker=true}: measure the longest stall of a thread ticking every 10 ms
 *       ({@link TickMonitor}) from the ready line to the trigger, and during the workload;
 *   <li>{@code --usage.traffic=200}, {@code --usage.pending=5}, {@code --usage.threads=4}: records
 *       persisted through the queue, records left in it, worker threads (at least 4).
 * </ul>
 * It prints {@code SPRINGREADY after_ms=<since JVM start>}, in wait mode {@code SPRINGTRIGGERED after_ms=..},
 * then the {@link Ledger#report} lines, the last being {@code SPRING unexpected=.. queue_remaining=..
 * workload_ms=..} (each line with {@code longest_tick_gap_ms=..} when ticking).
 */
@SpringBootApplication
public class SpringUsageApplication {

  /** The first word of the line saying the application has started. */
  public static final String READY = "SPRINGREADY";

  private static final Map<String, Object> DEFAULTS = Map.of(
      "spring.main.banner-mode", "off",
      "spring.main.web-application-type", "none",
      "spring.jpa.hibernate.ddl-auto", "none",
      "spring.jpa.open-in-view", "false",
      "spring.sql.init.mode", "always",
      "spring.sql.init.schema-locations", "classpath:dev/usagemetrics/targets/spring/schema.sql",
      "spring.datasource.username", "postgres",
      "logging.level.root", "WARN",
      // Hibernate logs every SQL error it converts; the workload provokes them on purpose.
      "logging.level.org.hibernate.engine.jdbc.spi.SqlExceptionHelper", "OFF");

  public static void main(String[] args) throws IOException, InterruptedException {
    SpringApplication application = new SpringApplication(SpringUsageApplication.class);
    application.setDefaultProperties(DEFAULTS);
    ConfigurableApplicationContext context = application.run(args);
    long readyMillis = ManagementFactory.getRuntimeMXBean().getUptime();
    Environment settings = context.getEnvironment();
    int threads = settings.getProperty("usage.threads", Integer.class, Workload.MIN_THREADS);
    if (threads < Workload.MIN_THREADS) {
      throw new IllegalArgumentException(
          "--usage.threads must be at least " + Workload.MIN_THREADS + ", got " + threads);
    }
    TickMonitor ticks =
        settings.getProperty("usage.ticker", Boolean.class, false) ? TickMonitor.start() : null;
    System.out.println(READY + " after_ms=" + readyMillis);
    String mode = settings.getProperty("usage.mode", "run");
    if (mode.equals("wait")) {
      awaitTrigger(settings.getProperty("usage.trigger-file"));
      System.out.println("SPRINGTRIGGERED after_ms="
          + ManagementFactory.getRuntimeMXBean().getUptime() + longestGap(ticks));
    } else if (!mode.equals("run")) {
      throw new IllegalArgumentException("--usage.mode must be run or wait, got " + mode);
    }
    long start = System.nanoTime();
    int traffic = settings.getProperty("usage.traffic", Integer.class, 200);
    int pending = settings.getProperty("usage.pending", Integer.class, 5);
    PendingUsageQueue queue = context.getBean(Workload.class).run(traffic, pending, threads);
    long workloadMillis = (System.nanoTime() - start) / 1_000_000;
    context
        .getBean(Ledger.class)
        .report(
            System.out,
            "queue_remaining=" + queue.size() + " workload_ms=" + workloadMillis
                + longestGap(ticks));
    System.exit(SpringApplication.exit(context));
  }

  private static void awaitTrigger(String triggerFile) throws IOException, InterruptedException {
    if (triggerFile == null) {
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      return;
    }
    while (!Files.exists(Path.of(triggerFile))) {
      Thread.sleep(10);
    }
  }

  private static String longestGap(TickMonitor ticks) {
    return ticks == null ? "" : " longest_tick_gap_ms=" + ticks.takeLongestGapMillis();
  }
}
