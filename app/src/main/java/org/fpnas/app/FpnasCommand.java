package org.fpnas.app;

import picocli.CommandLine.Command;

/** The top-level {@code fpnas} command: lists the subcommands. */
@Command(
    name = "fpnas",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Fast Probabilistic Neural Architecture Search on Apache Kafka.",
    subcommands = {
      DemoCommand.class,
      SubmitCommand.class,
      StatusCommand.class,
      ResultCommand.class,
      HistoryCommand.class,
      ReplayCommand.class,
      ForkCommand.class,
      CancelCommand.class,
      ExportCommand.class,
      TrainFinalCommand.class,
      BenchCommand.class,
      DashboardCommand.class,
      ControllerCommand.class,
      EvaluatorCommand.class,
      InfraCommand.class,
      TeamCommand.class,
      VersionCommand.class,
      picocli.CommandLine.HelpCommand.class
    })
final class FpnasCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
