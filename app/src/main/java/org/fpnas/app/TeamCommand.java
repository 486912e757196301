package org.fpnas.app;

import picocli.CommandLine.Command;

/** {@code fpnas team}: the teams of a secure cluster (run as an administrator). */
@Command(
    name = "team",
    mixinStandardHelpOptions = true,
    description =
        "Create, list and delete teams on a secure cluster: topics, principal, ACLs, quotas. Run with an "
            + "administrator's --client-config.",
    subcommands = {TeamCreateCommand.class, TeamListCommand.class, TeamDeleteCommand.class})
final class TeamCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
