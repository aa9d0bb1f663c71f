package dev.usagemetrics.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.usagemetrics.agent.identity.AgentIdentity;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Properties;

/** Attaches the agent to a running JVM by pid, and lists the JVMs it could attach to. */
final class AttachCommand {

  private final PrintStream out;
  private final PrintStream err;

  AttachCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /**
   * One connection to the target JVM serves the whole attach: refusing a second agent, loading
   * this one and checking it started (each connection costs the target a round of its attach
   * listener).
   */
  int attach(String pid, Path config) {
    Path absoluteConfig = config.toAbsolutePath();
    try {
      VirtualMachine vm = VirtualMachine.attach(pid);
      try {
        String installed = installedVersion(vm);
        if (installed != null) {
          err.println("refused: usage-metrics-agent " + installed + " is already installed in JVM "
              + pid + "; attaching again would count every call twice");
          return 1;
        }
        // Returns when agentmain has returned: the agent has installed itself, or has given up.
        vm.loadAgent(agentJar().getPath(), absoluteConfig.toString());
        if (installedVersion(vm) == null) {
          err.println("attached to JVM " + pid
              + ", but the agent did not start there: see that JVM's stderr for the reason");
          return 1;
        }
      } finally {
        vm.detach();
      }
      out.println("attached usage-metrics-agent to JVM " + pid + " with " + absoluteConfig);
      return 0;
    } catch (Exception e) {
      err.println(
          "could not attach to JVM " + pid + ": " + e.getMessage()
              + (e.getCause() == null ? "" : " (" + e.getCause() + ")")
              + "\n  (the target must run as the same user, on a JDK with the attach mechanism enabled; see 'list')");
      return 1;
    }
  }

  int list() {
    for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
      out.println(vm.id() + "\t" + vm.displayName());
    }
    return 0;
  }

  private static String installedVersion(VirtualMachine vm) throws IOException {
    Properties properties = vm.getSystemProperties();
    return properties.getProperty(AgentIdentity.INSTALLED_PROPERTY);
  }

  private static File agentJar() throws URISyntaxException {
    return new File(
        AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
