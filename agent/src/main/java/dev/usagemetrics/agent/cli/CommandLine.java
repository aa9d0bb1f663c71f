package dev.usagemetrics.agent.cli;

import dev.usagemetrics.agent.config.AgentConfig;
import dev.usagemetrics.agent.config.ConfigException;
import dev.usagemetrics.agent.config.ConfigLoader;
import dev.usagemetrics.agent.identity.AgentIdentity;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

/** {@code java -jar usage-metrics-agent.jar <command>}: attach, list, check, classify, version. */
public final class CommandLine {

  static final String USAGE = String.join(
      "\n",
      "usage: java -jar usage-metrics-agent.jar <command>",
      "  attach <pid> <config.yaml>   attach to a running JVM; metrics flow from then on",
      "  list                         list the JVMs this user can attach to",
      "  check <config.yaml>          validate a configuration and print it with defaults filled in",
      "  " + ClassifyCommand.USAGE,
      "                               which error_type the configuration gives that exception, and why",
      "  version                      print the agent's version (also --version)",
      "  help                         print this text (also --help, -h)",
      "To start with a JVM instead: java -javaagent:usage-metrics-agent.jar=<config.yaml> ...");

  private final PrintStream out;
  private final PrintStream err;

  public CommandLine(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs one command; returns the process exit status (0 success, 1 failure, 2 usage error). */
  public int run(String[] args) {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (!"classify".equals(command)) { // classify reads options of its own
      for (String arg : rest) {
        if (isHelpOption(arg)) {
          out.println(USAGE);
          return 0;
        }
        if (arg.startsWith("-")) {
          return usageError(command + ": unknown option '" + arg + "'");
        }
      }
    }
    switch (command) {
      case "attach":
        return rest.length == 2
            ? new AttachCommand(out, err).attach(rest[0], Path.of(rest[1]))
            : usage();
      case "list":
        return rest.length == 0 ? new AttachCommand(out, err).list() : usage();
      case "check":
        return rest.length == 1 ? check(Path.of(rest[0])) : usage();
      case "classify":
        return new ClassifyCommand(out, err).run(rest);
      case "version":
      case "--version":
        out.println("usage-metrics-agent " + AgentIdentity.version());
        return 0;
      default:
        if ("help".equals(command) || isHelpOption(command)) {
          out.println(USAGE);
          return 0;
        }
        String kind = command.startsWith("-") ? "option" : "command";
        return usageError("unknown " + kind + " '" + command + "'");
    }
  }

  /** {@code --help} or {@code -h}: the usage, whatever else is on the command line. */
  static boolean isHelpOption(String arg) {
    return "--help".equals(arg) || "-h".equals(arg);
  }

  /** One line saying what was wrong, then the usage; exit status 2. */
  private int usageError(String problem) {
    err.println(problem);
    return usage();
  }

  private int usage() {
    err.println(USAGE);
    return 2;
  }

  private int check(Path file) {
    try {
      AgentConfig config = new ConfigLoader().load(file);
      out.println(file + ": valid");
      out.print(EffectiveConfigPrinter.print(config));
      return 0;
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return 1;
    }
  }
}
