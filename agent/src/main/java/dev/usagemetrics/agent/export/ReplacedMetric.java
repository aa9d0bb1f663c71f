package dev.usagemetrics.agent.export;

import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;

/** A collected metric with another scope or other points (of the same type); the rest as collected. */
final class ReplacedMetric implements MetricData {

  private final MetricData original;
  private final InstrumentationScopeInfo scope;
  private final Data<?> data;

  private ReplacedMetric(MetricData original, InstrumentationScopeInfo scope, Data<?> data) {
    this.original = original;
    this.scope = scope;
    this.data = data;
  }

  static MetricData withData(MetricData original, Data<?> data) {
    return new ReplacedMetric(original, original.getInstrumentationScopeInfo(), data);
  }

  static MetricData withScope(MetricData original, InstrumentationScopeInfo scope) {
    return new ReplacedMetric(original, scope, original.getData());
  }

  @Override
  public Resource getResource() {
    return original.getResource();
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return scope;
  }

  @Override
  public String getName() {
    return original.getName();
  }

  @Override
  public String getDescription() {
    return original.getDescription();
  }

  @Override
  public String getUnit() {
    return original.getUnit();
  }

  @Override
  public MetricDataType getType() {
    return original.getType();
  }

  @Override
  public Data<?> getData() {
    return data;
  }
}
