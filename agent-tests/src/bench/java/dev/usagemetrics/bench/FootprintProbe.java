package dev.usagemetrics.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@link FootprintMain} per flavor, {@code RUNS} times interleaved, and takes medians. */
final class FootprintProbe {

  static final int RUNS = 3;

  private static final Pattern LINE = Pattern.compile(
      Pattern.quote(FootprintMain.PREFIX) + "heap=(\\d+) metaspace=(\\d+) classes=(\\d+)");

  private final MeasuredJvm measuredJvm;

  FootprintProbe(MeasuredJvm measuredJvm) {
    this.measuredJvm = measuredJvm;
  }

  Map<String, Footprint> measure(List<Flavor> flavors) throws IOException, InterruptedException {
    Map<String, List<long[]>> samples = new LinkedHashMap<>();
    flavors.forEach(flavor -> samples.put(flavor.label(), new ArrayList<>()));
    for (int round = 0; round < RUNS; round++) {
      for (Flavor flavor : flavors) {
        samples
            .get(flavor.label())
            .add(parse(measuredJvm.run(flavor, FootprintMain.class).stdout()));
      }
    }
    Map<String, Footprint> footprints = new LinkedHashMap<>();
    samples.forEach((label, runs) -> footprints.put(label, medians(runs)));
    return footprints;
  }

  private static long[] parse(String stdout) {
    Matcher matcher = LINE.matcher(stdout);
    if (!matcher.find()) {
      throw new IllegalStateException("no footprint line in: " + stdout);
    }
    return new long[] {
      Long.parseLong(matcher.group(1)),
      Long.parseLong(matcher.group(2)),
      Long.parseLong(matcher.group(3))
    };
  }

  private static Footprint medians(List<long[]> runs) {
    return new Footprint(
        Statistics.median(runs.stream().map(run -> run[0]).toList()),
        Statistics.median(runs.stream().map(run -> run[1]).toList()),
        Statistics.median(runs.stream().map(run -> run[0] + run[1]).toList()),
        Statistics.median(runs.stream().map(run -> run[2]).toList()));
  }
}
