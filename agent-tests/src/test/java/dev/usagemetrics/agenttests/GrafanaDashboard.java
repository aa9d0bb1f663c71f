package dev.usagemetrics.agenttests;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL of a Grafana dashboard file: every panel target's {@code expr} and every query
 * variable's {@code label_values(selector, label)}, with Grafana's {@code $variables} resolvable
 * to the values a user would pick.
 */
final class GrafanaDashboard {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");

  /** One query of a panel, named by the panel's title and the target's refId. */
  record PanelQuery(String panel, String refId, String expr) {
    String name() {
      return panel + " / " + refId;
    }
  }

  /** A query variable: the label whose values it offers, on the series {@code selector} selects. */
  record LabelValuesVariable(String name, String selector, String label) {}

  private final List<PanelQuery> panelQueries = new ArrayList<>();
  private final List<LabelValuesVariable> variables = new ArrayList<>();

  private GrafanaDashboard(JsonObject dashboard) {
    addPanels(dashboard);
    for (JsonElement element : dashboard.getAsJsonObject("templating").getAsJsonArray("list")) {
      JsonObject variable = element.getAsJsonObject();
      if ("query".equals(variable.get("type").getAsString())) {
        String query = variable.get("definition").getAsString();
        Matcher labelValues = LABEL_VALUES.matcher(query);
        if (!labelValues.matches()) {
          throw new AssertionError("variable " + variable.get("name")
              + " is not label_values(selector, label): " + query);
        }
        variables.add(new LabelValuesVariable(
            variable.get("name").getAsString(), labelValues.group(1), labelValues.group(2)));
      }
    }
  }

  static GrafanaDashboard read(Path file) throws IOException {
    return new GrafanaDashboard(JsonParser.parseString(Files.readString(file)).getAsJsonObject());
  }

  List<PanelQuery> panelQueries() {
    return panelQueries;
  }

  List<LabelValuesVariable> variables() {
    return variables;
  }

  /** {@code text} with every {@code $name} / {@code ${name}} replaced; a variable without a value fails. */
  static String resolve(String text, Map<String, String> values) {
    Matcher variable = VARIABLE.matcher(text);
    StringBuilder resolved = new StringBuilder();
    while (variable.find()) {
      String name = variable.group(1) != null ? variable.group(1) : variable.group(2);
      String value = values.get(name);
      if (value == null) {
        throw new AssertionError("no value for $" + name + " in " + text);
      }
      variable.appendReplacement(resolved, Matcher.quoteReplacement(value));
    }
    return variable.appendTail(resolved).toString();
  }

  /** Panels, including those inside (collapsed) rows. */
  private void addPanels(JsonObject container) {
    if (!container.has("panels")) {
      return;
    }
    for (JsonElement element : container.getAsJsonArray("panels")) {
      JsonObject panel = element.getAsJsonObject();
      if (panel.has("targets")) {
        for (JsonElement target : panel.getAsJsonArray("targets")) {
          JsonObject query = target.getAsJsonObject();
          panelQueries.add(new PanelQuery(
              panel.get("title").getAsString(),
              query.get("refId").getAsString(),
              query.get("expr").getAsString()));
        }
      }
      addPanels(panel);
    }
  }
}
