package dev.usagemetrics.agent.weaving;

import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Finds everything through the tests' loader; counts the class files read through it, by name. */
final class ReadCountingLoader extends ClassLoader {
  final Map<String, Integer> reads = new ConcurrentHashMap<>();

  ReadCountingLoader() {
    super(ReadCountingLoader.class.getClassLoader());
  }

  @Override
  public InputStream getResourceAsStream(String name) {
    reads.merge(name, 1, Integer::sum);
    return super.getResourceAsStream(name);
  }
}
