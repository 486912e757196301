package org.fpnas.app;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.fpnas.schemas.avro.DistributionPhase;
import org.fpnas.schemas.avro.DistributionUpdate;

/**
 * Shows a search's progress: one line rewritten in place on a terminal, a plain line per iteration
 * otherwise (logs, CI). Time is injected so the estimate can be tested.
 */
final class ProgressPrinter implements Consumer<DistributionUpdate> {
  private final PrintWriter out;
  private final boolean terminal;
  private final int maxIterations;
  private final LongSupplier nanoTime;
  private final long start;

  ProgressPrinter(PrintWriter out, boolean terminal, int maxIterations, LongSupplier nanoTime) {
    this.out = out;
    this.terminal = terminal;
    this.maxIterations = maxIterations;
    this.nanoTime = nanoTime;
    this.start = nanoTime.getAsLong();
  }

  @Override
  public void accept(DistributionUpdate u) {
    String line = line(u);
    if (terminal) {
      out.print("\r" + line + "    ");
      if (u.getDone()) {
        out.println();
      }
    } else {
      out.println(line);
    }
    out.flush();
  }

  String line(DistributionUpdate u) {
    Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - start);
    String eta = "?";
    if (u.getIteration() > 0 && !u.getDone()) {
      long perIteration = elapsed.toMillis() / u.getIteration();
      eta =
          seconds(Duration.ofMillis(perIteration * Math.max(0, maxIterations - u.getIteration())));
    } else if (u.getDone()) {
      eta = "0s";
    }
    return String.format(
        Locale.ROOT,
        "iteration %3d/%d  K=%-3d  H=%8.4f  mean ll=%s  best ll=%s  %s  elapsed %s  left ~%s%s",
        u.getIteration(),
        maxIterations,
        u.getSampleCount(),
        u.getEntropy(),
        number(u.getMeanLogLikelihood()),
        number(u.getMaxLogLikelihood()),
        u.getPhase() == DistributionPhase.JOINT ? "JD" : "FD",
        seconds(elapsed),
        eta,
        u.getDone() ? "  done (" + u.getStopReason() + ")" : "");
  }

  private static String number(Double v) {
    return v == null ? "     -" : String.format(Locale.ROOT, "%8.3f", v);
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }
}
