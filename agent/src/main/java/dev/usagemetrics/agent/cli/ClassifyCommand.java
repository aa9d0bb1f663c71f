package dev.usagemetrics.agent.cli;

import dev.usagemetrics.agent.classification.ErrorClassifier;
import dev.usagemetrics.agent.config.AgentConfig;
import dev.usagemetrics.agent.config.ConfigException;
import dev.usagemetrics.agent.config.ConfigLoader;
import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code classify <config.yaml> <exception.Class> [--classpath <path>] [--sqlstate <state>]}:
 * prints the error type the configuration gives an exception of that class, and which rule
 * matched why.
 *
 * <p>The class is instantiated (public {@code (String)} or no-argument constructor; with
 * {@code --sqlstate}, an {@code SQLException}'s {@code (String reason, String sqlState)}) so that
 * whatever its constructor sets (a cause, an SQLState) counts as it would at run time. A class
 * that cannot be instantiated is classified by its superclasses and interfaces alone.
 */
final class ClassifyCommand {

  static final String USAGE = "classify <config.yaml> <exception.Class> [--classpath <path>] [--sqlstate <state>]";

  private final PrintStream out;
  private final PrintStream err;

  ClassifyCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Exit status: 0 classified, 1 bad configuration or class, 2 usage error. */
  int run(String[] args) {
    List<String> positional = new ArrayList<>();
    String classpath = "";
    String sqlState = null;
    for (int i = 0; i < args.length; i++) {
      boolean hasValue = i + 1 < args.length;
      if (args[i].equals("--classpath") && hasValue) {
        classpath = args[++i];
      } else if (args[i].equals("--sqlstate") && hasValue) {
        sqlState = args[++i];
      } else if (CommandLine.isHelpOption(args[i])) {
        out.println("usage: java -jar usage-metrics-agent.jar " + USAGE);
        return 0;
      } else if (args[i].startsWith("-")) {
        err.println("classify: unknown option or missing value: " + args[i]);
        err.println("usage: java -jar usage-metrics-agent.jar " + USAGE);
        return 2;
      } else {
        positional.add(args[i]);
      }
    }
    if (positional.size() != 2) {
      err.println("usage: java -jar usage-metrics-agent.jar " + USAGE);
      return 2;
    }
    ErrorClassifier classifier;
    try {
      AgentConfig config = new ConfigLoader().load(Path.of(positional.get(0)));
      classifier = new ErrorClassifier(config.errorRules(), config.defaultErrorType());
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return 1;
    }
    String className = positional.get(1);
    try (URLClassLoader loader = new URLClassLoader(urls(classpath), ClassLoader.getPlatformClassLoader())) {
      Class<?> loaded = Class.forName(className, false, loader);
      if (!Throwable.class.isAssignableFrom(loaded)) {
        err.println("classify: " + className + " is not an exception (not a java.lang.Throwable)");
        return 1;
      }
      Class<? extends Throwable> type = loaded.asSubclass(Throwable.class);
      boolean sqlException = SQLException.class.isAssignableFrom(type);
      if (sqlState != null && !sqlException) {
        err.println("classify: --sqlstate ignored: " + className + " is not a java.sql.SQLException");
      }
      String state = sqlException ? sqlState : null;
      Throwable instance = instantiate(type, state);
      if (instance != null) {
        out.println(className + " -> " + classifier.explain(instance));
      } else {
        out.println(className + " -> " + classifier.explain(type, state));
        out.println("  (classified by its class hierarchy" + (state != null ? " and SQLState" : "")
            + ": it has no public " + (state != null ? "(String reason, String sqlState)" : "no-argument or (String)")
            + " constructor that works)");
      }
      return 0;
    } catch (ClassNotFoundException e) {
      err.println("classify: class " + className + " not found"
          + (classpath.isEmpty() ? " among the JDK's classes; give the application's jars with --classpath" : " on --classpath " + classpath));
      return 1;
    } catch (LinkageError | Exception e) {
      err.println("classify: cannot load " + className + ": " + e);
      return 1;
    }
  }

  private static URL[] urls(String classpath) throws MalformedURLException {
    List<URL> urls = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    return urls.toArray(new URL[0]);
  }

  /** An instance made by a public constructor, or null when there is none that works. */
  private static Throwable instantiate(Class<? extends Throwable> type, String sqlState) {
    if (Modifier.isAbstract(type.getModifiers())) {
      return null;
    }
    try {
      if (sqlState != null) {
        return type.getConstructor(String.class, String.class).newInstance("classify", sqlState);
      }
      for (Constructor<?> constructor : type.getConstructors()) {
        if (constructor.getParameterCount() == 1 && constructor.getParameterTypes()[0] == String.class) {
          return type.cast(constructor.newInstance("classify"));
        }
      }
      return type.getConstructor().newInstance();
    } catch (ReflectiveOperationException | RuntimeException | LinkageError noUsableConstructor) {
      return null;
    }
  }
}
