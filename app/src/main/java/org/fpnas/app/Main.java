package org.fpnas.app;

import picocli.CommandLine;

/** Entry point of the {@code fpnas} command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code, so that tests can call it. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured picocli command line of {@code fpnas}. */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new FpnasCommand());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("fpnas " + commandLine.getCommandName() + ": " + message(e));
          if (Boolean.getBoolean("fpnas.debug")) {
            e.printStackTrace(commandLine.getErr());
          }
          return e instanceof IllegalArgumentException ? 2 : 1;
        });
    return cl;
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.toString() : m;
  }
}
