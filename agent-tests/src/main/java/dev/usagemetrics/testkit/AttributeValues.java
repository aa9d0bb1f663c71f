package dev.usagemetrics.testkit;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Turns OTLP attributes into plain Java values, so tests compare them with {@code equals}. */
final class AttributeValues {

  private AttributeValues() {}

  /**
   * Strings stay strings, ints become {@link Long}, doubles {@link Double}, bools {@link Boolean},
   * arrays {@link List}, key-value lists {@link Map}, bytes {@link com.google.protobuf.ByteString}.
   */
  static Map<String, Object> toMap(List<KeyValue> attributes) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (KeyValue attribute : attributes) {
      map.put(attribute.getKey(), toJava(attribute.getValue()));
    }
    return Collections.unmodifiableMap(map);
  }

  private static Object toJava(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> value.getBoolValue();
      case INT_VALUE -> value.getIntValue();
      case DOUBLE_VALUE -> value.getDoubleValue();
      case ARRAY_VALUE ->
        value.getArrayValue().getValuesList().stream()
            .map(AttributeValues::toJava)
            .collect(Collectors.toUnmodifiableList());
      case KVLIST_VALUE -> toMap(value.getKvlistValue().getValuesList());
      case BYTES_VALUE -> value.getBytesValue();
      // An empty value still says the key was set; "" keeps maps free of nulls.
      case VALUE_NOT_SET -> "";
      default -> throw new IllegalArgumentException("unknown attribute value " + value);
    };
  }
}
