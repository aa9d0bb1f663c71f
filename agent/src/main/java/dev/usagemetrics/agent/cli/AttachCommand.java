package dev.usagemetrics.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.usagemetrics.agent.identity.AgentIdentity;
import java.io.File;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Properties;
import net.bytebuddy.agent.ByteBuddyAgent;

/** Attaches the agent to a running JVM by pid, and lists the JVMs it could attach to. */
final class AttachCommand {

  private final PrintStream out;
  private final PrintStream err;

  AttachCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  int attach(String pid, Path config) {
    Path absoluteConfig = config.toAbsolutePath();
    try {
      String installed = installedVersion(pid);
      if (installed != null) {
        err.println("refused: usage-metrics-agent " + installed + " is already installed in JVM " + pid
            + "; attaching again would count every call twice");
        return 1;
      }
      ByteBuddyAgent.attach(agentJar(), pid, absoluteConfig.toString());
      if (installedVersion(pid) == null) {
        err.println("attached to JVM " + pid + ", but the agent did not start there: see that JVM's stderr for the reason");
        return 1;
      }
      out.println("attached usage-metrics-agent to JVM " + pid + " with " + absoluteConfig);
      return 0;
    } catch (Exception e) {
      err.println("could not attach to JVM " + pid + ": " + e.getMessage()
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

  private static String installedVersion(String pid) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(pid);
    try {
      Properties properties = vm.getSystemProperties();
      return properties.getProperty(AgentIdentity.INSTALLED_PROPERTY);
    } finally {
      vm.detach();
    }
  }

  private static File agentJar() throws URISyntaxException {
    return new File(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
