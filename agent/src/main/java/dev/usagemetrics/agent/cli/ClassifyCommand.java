package dev.usagemetrics.agent.cli;

import dev.usagemetrics.agent.classification.ErrorClassifier;
import dev.usagemetrics.agent.config.AgentConfig;
import dev.usagemetrics.agent.config.ConfigException;
import dev.usagemetrics.agent.config.ConfigLoader;
import java.io.File;
import java.io.IOException;
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
 * {@code classify <config.yaml> <exception.Class> [<cause.Class> ...] [--classpath <path>]
 * [--sqlstate <state>] [--error-code <n>]}: prints the error type the configuration gives an
 * exception of that class (or a chain of them, outermost first, as a log shows it), and which rule
 * decided on what evidence.
 *
 * <p>The class is instantiated (public {@code (String)} or no-argument constructor; with
 * {@code --sqlstate} or {@code --error-code}, an {@code SQLException}'s
 * {@code (String reason, String sqlState, int vendorCode)}) so that whatever its constructor sets (a
 * cause, an SQLState) counts as it would at run time. A class
 * that cannot be instantiated, and every class of a chain, is classified by its superclasses and
 * interfaces, the SQLState and error code going to the innermost {@code SQLException}.
 */
final class ClassifyCommand {

  static final String USAGE =
      "classify <config.yaml> <exception.Class> [<cause.Class> ...] [--classpath <path>] [--sqlstate <state>]"
          + " [--error-code <vendor code>]";

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
    int errorCode = 0;
    for (int i = 0; i < args.length; i++) {
      boolean hasValue = i + 1 < args.length;
      if (args[i].equals("--classpath") && hasValue) {
        classpath = args[++i];
      } else if (args[i].equals("--sqlstate") && hasValue) {
        sqlState = args[++i];
      } else if (args[i].equals("--error-code") && hasValue) {
        try {
          errorCode = Integer.parseInt(args[++i]);
        } catch (NumberFormatException e) {
          err.println("classify: --error-code takes an integer (SQLException.getErrorCode()), got "
              + args[i]);
          return 2;
        }
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
    if (positional.size() < 2) {
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
    List<String> classNames = positional.subList(1, positional.size());
    try (URLClassLoader loader =
        new URLClassLoader(urls(classpath), ClassLoader.getPlatformClassLoader())) {
      List<Class<? extends Throwable>> chain = new ArrayList<>();
      for (String className : classNames) {
        Class<? extends Throwable> type = exceptionClass(className, loader, classpath);
        if (type == null) {
          return 1;
        }
        chain.add(type);
      }
      boolean sqlException = chain.stream().anyMatch(SQLException.class::isAssignableFrom);
      if ((sqlState != null || errorCode != 0) && !sqlException) {
        err.println("classify: --sqlstate and --error-code ignored: no java.sql.SQLException among "
            + classNames);
      }
      String state = sqlException ? sqlState : null;
      int code = sqlException ? errorCode : 0;
      boolean sqlFacts = state != null || code != 0;
      Throwable instance =
          chain.size() == 1 ? instantiate(chain.get(0), sqlFacts, state, code) : null;
      if (instance != null) {
        out.println(classNames.get(0) + " -> " + classifier.explain(instance));
      } else if (chain.size() > 1) {
        out.println(
            String.join(" <- ", classNames) + " -> " + classifier.explain(chain, state, code));
        out.println(
            "  (classified as that cause chain, outermost first, by the classes' hierarchies"
                + (sqlFacts ? "; SQLState and error code on the innermost SQLException" : "")
                + ")");
      } else {
        out.println(classNames.get(0) + " -> " + classifier.explain(chain, state, code));
        out.println(
            "  (classified by its class hierarchy" + (sqlFacts ? ", SQLState and error code" : "")
                + ": it has no public "
                + (sqlFacts
                    ? "(String reason, String sqlState, int vendorCode)"
                    : "no-argument or (String)")
                + " constructor that works)");
      }
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("classify: " + e);
      return 1;
    }
  }

  /** The exception class named {@code className}, or null after saying why there is none. */
  private Class<? extends Throwable> exceptionClass(
      String className, ClassLoader loader, String classpath) {
    try {
      Class<?> loaded = Class.forName(className, false, loader);
      if (!Throwable.class.isAssignableFrom(loaded)) {
        err.println("classify: " + className + " is not an exception (not a java.lang.Throwable)");
        return null;
      }
      return loaded.asSubclass(Throwable.class);
    } catch (ClassNotFoundException e) {
      err.println("classify: class " + className + " not found"
          + (classpath.isEmpty()
              ? " among the JDK's classes; give the application's jars with --classpath"
              : " on --classpath " + classpath));
      return null;
    } catch (LinkageError e) {
      err.println("classify: cannot load " + className + ": " + e);
      return null;
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
  private static Throwable instantiate(
      Class<? extends Throwable> type, boolean sqlFacts, String sqlState, int errorCode) {
    if (Modifier.isAbstract(type.getModifiers())) {
      return null;
    }
    try {
      if (sqlFacts) {
        return type.getConstructor(String.class, String.class, int.class)
            .newInstance("classify", sqlState, errorCode);
      }
      for (Constructor<?> constructor : type.getConstructors()) {
        if (constructor.getParameterCount() == 1
            && constructor.getParameterTypes()[0] == String.class) {
          return type.cast(constructor.newInstance("classify"));
        }
      }
      return type.getConstructor().newInstance();
    } catch (ReflectiveOperationException | RuntimeException | LinkageError noUsableConstructor) {
      return null;
    }
  }
}
