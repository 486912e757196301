package org.fpnas.bench.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.fpnas.bench.Bench;
import org.fpnas.bench.BenchContext;
import org.fpnas.bench.report.Section;
import org.fpnas.bench.report.Stats;
import org.fpnas.bench.report.Table;
import org.fpnas.core.AsyncSearch;
import org.fpnas.core.Evaluation;
import org.fpnas.core.FpNas;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.Scorer;
import org.fpnas.core.SearchState;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.tabular.TabularBenchmark;
import org.fpnas.core.tabular.TabularBenchmarks;

/**
 * The synchronous and the asynchronous schedule side by side, simulated in process with N
 * evaluators and each query taking its architecture's evaluation time: the pool's utilisation, the
 * time to a stated answer and the parallel efficiency it gives, and the answer at equal queries.
 */
public final class AsyncScalingBench implements Bench {
  static final int[] WORKERS = {1, 8, 32, 64};
  static final int[] BUDGETS = SearchQualityBench.BUDGETS;
  static final int STALENESS_BOUND = 2;

  @Override
  public String name() {
    return "async-scaling";
  }

  @Override
  public String title() {
    return "Asynchronous schedule, simulated";
  }

  @Override
  public String method() {
    return "NAS-Bench-201 CIFAR-10, each query taking its architecture's recorded 200-epoch training time "
        + "(the table's `train_time_200ep_s`), and NAS-Bench-Macro CIFAR-10, which records no time, each "
        + "query taking a time proportional to its FLOPs (a model, not a measurement); times in units of the "
        + "table's mean. FP-NAS at the core's defaults on the signal of `search-quality`, N simulated "
        + "evaluators, up to 1,600 queries. Synchronous: an iteration's K samples go to the evaluators in "
        + "index order, each to the first one free, and the update waits for the last (the pipeline's "
        + "schedule). Asynchronous (`AsyncSearch`): every evaluator always holds a sample; a result frees "
        + "it and it takes a new draw from the distribution of that moment; the distribution is updated "
        + "every B results in the order they finished, B = K of the current entropy; no correction for "
        + "stale samples, or with a staleness bound (results drawn more than "
        + STALENESS_BOUND
        + " updates ago dropped). Utilisation: busy time over N times the run's time. Time to the "
        + "target: the first update whose answer (the mode) reaches the held-out accuracy stated, median "
        + "over the seeds that reach it; parallel efficiency: the synchronous single evaluator's median "
        + "time over N times that median. Answers: the mode's held-out accuracy (mean over seeds) after "
        + "the last update within each query budget.";
  }

  @Override
  public Section run(BenchContext context) {
    int seeds = context.size(10, 100);
    Table table =
        new Table()
            .column("benchmark")
            .column("schedule")
            .column("N")
            .column("utilisation")
            .column("time to target")
            .column("reached")
            .column("efficiency");
    for (int b : BUDGETS) {
      table.column(b + " queries");
    }
    List<String> findings = new ArrayList<>();
    ForkJoinPool pool = new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
    try {
      for (String name : List.of(SearchQualityBench.NB201, SearchQualityBench.MACRO)) {
        TabularBenchmark benchmark = TabularBenchmarks.get(name);
        double target = SearchQualityBench.TARGETS.get(name);
        ToDoubleFunction<Architecture> seconds = seconds(benchmark);
        double single = Double.NaN;
        Map<String, double[]> answers = new LinkedHashMap<>();
        Map<String, Double> efficiency = new LinkedHashMap<>();
        for (Schedule schedule : Schedule.values()) {
          for (int n : WORKERS) {
            if (schedule == Schedule.BOUNDED && n < 32) {
              continue;
            }
            context.progress("%s: %s, N = %d, %d seeds", name, schedule.label, n, seeds);
            Run[] runs = new Run[seeds];
            pool.submit(
                    () ->
                        IntStream.range(0, seeds)
                            .parallel()
                            .forEach(
                                s -> runs[s] = run(schedule, benchmark, seconds, n, s, target)))
                .join();
            double[] reachedAt =
                Arrays.stream(runs)
                    .mapToDouble(Run::timeToTarget)
                    .filter(t -> !Double.isNaN(t))
                    .toArray();
            double median = reachedAt.length == 0 ? Double.NaN : Stats.median(reachedAt);
            if (schedule == Schedule.SYNC && n == 1) {
              single = median;
            }
            double eff = single / (n * median);
            efficiency.put(schedule.label + "/" + n, eff);
            double[] means = new double[BUDGETS.length];
            Object[] cells = new Object[7 + BUDGETS.length];
            cells[0] = name;
            cells[1] = schedule.label;
            cells[2] = n;
            cells[3] =
                String.format(
                    Locale.ROOT,
                    "%.2f",
                    Arrays.stream(runs).mapToDouble(Run::utilisation).average().orElse(0));
            cells[4] = String.format(Locale.ROOT, "%.1f", median);
            cells[5] = reachedAt.length + " / " + seeds;
            cells[6] = String.format(Locale.ROOT, "%.2f", eff);
            for (int j = 0; j < BUDGETS.length; j++) {
              int jj = j;
              double[] acc =
                  Arrays.stream(runs).mapToDouble(r -> benchmark.heldOut(r.answers[jj])).toArray();
              means[j] = Stats.mean(acc);
              cells[7 + j] =
                  String.format(Locale.ROOT, "%.2f ± %.2f", means[j], SearchQualityBench.sd(acc));
            }
            answers.put(schedule.label + "/" + n, means);
            table.row(cells);
          }
        }
        findings.add(finding(name, target, answers, efficiency));
      }
    } finally {
      pool.shutdown();
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("seeds", seeds + " (0.." + (seeds - 1) + ") per row");
    settings.put("evaluators", Arrays.toString(WORKERS));
    settings.put("FP-NAS", "core defaults");
    settings.put("targets", SearchQualityBench.TARGETS.toString());
    settings.put("staleness bound", STALENESS_BOUND + " updates (N of 32 and more)");
    return new Section(name(), title(), method(), settings, seeds, table, findings);
  }

  private static String finding(
      String name, double target, Map<String, double[]> answers, Map<String, Double> efficiency) {
    double worstSmall = 0;
    double worstLarge = 0;
    for (int n : WORKERS) {
      double[] sync = answers.get(Schedule.SYNC.label + "/" + n);
      double[] async = answers.get(Schedule.ASYNC.label + "/" + n);
      for (int j = 0; j < BUDGETS.length; j++) {
        double loss = sync[j] - async[j];
        if (n <= 8) {
          worstSmall = Math.max(worstSmall, loss);
        } else if (BUDGETS[j] >= 400) {
          worstLarge = Math.max(worstLarge, loss);
        }
      }
    }
    return String.format(
        Locale.ROOT,
        "%s: parallel efficiency to %.2f at N = 64: asynchronous %.2f, synchronous %.2f (at N = 32:"
            + " %.2f and %.2f); at equal queries the asynchronous answer trails the synchronous one by"
            + " at most %.2f points at N ≤ 8 (every budget) and %.2f at N of 32 and 64 from 400"
            + " queries.",
        name,
        target,
        efficiency.get(Schedule.ASYNC.label + "/64"),
        efficiency.get(Schedule.SYNC.label + "/64"),
        efficiency.get(Schedule.ASYNC.label + "/32"),
        efficiency.get(Schedule.SYNC.label + "/32"),
        worstSmall,
        worstLarge);
  }

  /** Evaluation times in units of the table's mean: recorded training time, else FLOPs. */
  static ToDoubleFunction<Architecture> seconds(TabularBenchmark benchmark) {
    double[] time = new double[benchmark.size()];
    for (int r = 0; r < time.length; r++) {
      time[r] = benchmark.hasTrainingTime() ? benchmark.trainingTime(r) : benchmark.cost(r);
    }
    double mean = Stats.mean(time);
    return a -> time[benchmark.row(a)] / mean;
  }

  enum Schedule {
    SYNC("synchronous"),
    ASYNC("asynchronous"),
    BOUNDED("asynchronous, staleness ≤ " + STALENESS_BOUND);

    final String label;

    Schedule(String label) {
      this.label = label;
    }
  }

  /**
   * One simulated search.
   *
   * @param answers the answer's row after the last update within each budget
   * @param timeToTarget the time of the first update whose answer reached the target, NaN if none
   * @param utilisation busy time over N times the run's time
   */
  record Run(int[] answers, double timeToTarget, double utilisation) {}

  static Run run(
      Schedule schedule,
      TabularBenchmark benchmark,
      ToDoubleFunction<Architecture> seconds,
      int workers,
      long seed,
      double target) {
    int last = BUDGETS[BUDGETS.length - 1];
    Hyperparameters hp =
        Hyperparameters.defaults()
            .with("seed", Long.toString(seed))
            .with("maxIterations", Integer.toString(last));
    FpNas fpNas = new FpNas(benchmark.space(), hp);
    Scorer scorer = benchmark.scorer(seed);
    Progress progress = new Progress(benchmark, target);
    progress.answer(0, 0, benchmark.row(fpNas.answer(fpNas.initial().distribution())));
    if (schedule == Schedule.SYNC) {
      return synchronous(fpNas, scorer, seconds, workers, progress, last);
    }
    AsyncSearch search = new AsyncSearch(fpNas, scorer, seconds, workers);
    if (schedule == Schedule.BOUNDED) {
      search.maxStaleness(STALENESS_BOUND);
    }
    AsyncSearch.Result result =
        search
            .listener(
                u ->
                    progress.answer(
                        u.results(),
                        u.time(),
                        benchmark.row(fpNas.answer(u.outcome().next().distribution()))))
            .run(last);
    return progress.finish(result.utilisation(workers));
  }

  /** Iterations of K, each sample to the first free evaluator, the update after the last. */
  private static Run synchronous(
      FpNas fpNas,
      Scorer scorer,
      ToDoubleFunction<Architecture> seconds,
      int workers,
      Progress progress,
      int last) {
    SearchState state = fpNas.initial();
    long queries = 0;
    double now = 0;
    double busy = 0;
    while (!state.done() && queries + state.sampleCount() <= last) {
      List<Architecture> samples =
          fpNas.samples(state.distribution(), state.iteration(), state.sampleCount());
      PriorityQueue<Double> free = new PriorityQueue<>();
      for (int w = 0; w < workers; w++) {
        free.add(now);
      }
      double end = now;
      List<Evaluation> results = new ArrayList<>(samples.size());
      for (int k = 0; k < samples.size(); k++) {
        double t = seconds.applyAsDouble(samples.get(k));
        double finish = free.poll() + t;
        free.add(finish);
        end = Math.max(end, finish);
        busy += t;
        Scorer.Score score = scorer.score(state.iteration(), k, samples.get(k));
        results.add(new Evaluation(k, samples.get(k), score.logLikelihood(), score.cost()));
      }
      queries += samples.size();
      now = end;
      state = fpNas.update(state, results).next();
      progress.answer(queries, now, progress.benchmark.row(fpNas.answer(state.distribution())));
    }
    return progress.finish(now > 0 ? busy / (workers * now) : 1);
  }

  /** The answers of one run as they come. */
  private static final class Progress {
    final TabularBenchmark benchmark;
    final double target;
    final int[] answers = new int[BUDGETS.length];
    double reachedAt = Double.NaN;

    Progress(TabularBenchmark benchmark, double target) {
      this.benchmark = benchmark;
      this.target = target;
    }

    void answer(long queries, double time, int row) {
      for (int j = 0; j < BUDGETS.length; j++) {
        if (queries <= BUDGETS[j]) {
          answers[j] = row;
        }
      }
      if (Double.isNaN(reachedAt) && benchmark.heldOut(row) >= target) {
        reachedAt = time;
      }
    }

    Run finish(double utilisation) {
      return new Run(answers.clone(), reachedAt, utilisation);
    }
  }
}
