package org.fpnas.bench.djl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fpnas.bench.Bench;
import org.fpnas.bench.BenchContext;
import org.fpnas.bench.SyntheticSpaces;
import org.fpnas.bench.djl.RankingPicks.Picked;
import org.fpnas.bench.report.RankCorrelation;
import org.fpnas.bench.report.Section;
import org.fpnas.bench.report.Table;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.InProcessSearch;
import org.fpnas.core.Scorer;
import org.fpnas.core.SearchResult;
import org.fpnas.core.mbconv.FlopsCounter;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.api.EvaluationRequest;
import org.fpnas.evaluator.api.Measurement;
import org.fpnas.evaluator.data.DataUnavailableException;
import org.fpnas.evaluator.data.Datasets;
import org.fpnas.evaluator.data.FashionMnist;
import org.fpnas.evaluator.data.ImageData;
import org.fpnas.evaluator.djl.DjlDemoSettings;
import org.fpnas.evaluator.djl.DjlEvaluator;
import org.fpnas.evaluator.djl.FinalResult;
import org.fpnas.evaluator.djl.FinalTraining;
import org.fpnas.evaluator.djl.HeldOutScore;

/**
 * Does the demo's weight-sharing supernet rank architectures as training them from scratch does?
 * Runs the demo's search in-process with the DJL evaluator (the pipeline's math, core's {@link
 * InProcessSearch}, one replica), keeps its trained supernet, scores a fixed set of architectures
 * with it and trains each from scratch, and reports the rank correlations. Not part of the default
 * or the quick run: by default it trains 38 networks from scratch; {@code --only} runs it.
 */
public final class SupernetRankingBench implements Bench {
  static final String NAME = "supernet-ranking";
  private static final String SEARCH_ID = "bench-supernet-ranking";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String title() {
    return "Supernet ranking (Kendall tau)";
  }

  @Override
  public String method() {
    return "The DJL demo's search (`"
        + DjlDemoSettings.SPACE
        + "`, the demo's hyperparameters and evaluator settings) runs in-process with the DJL "
        + "evaluator, one replica, and its trained supernet is kept. Architectures are picked "
        + "deterministically: the final distribution's mode and distinct draws from it, then "
        + "uniform draws from the space, one per equal-count FLOPs stratum. Each is scored by the "
        + "trained supernet without further training, with the search's own signal "
        + "(log-likelihood under batch statistics) over full validation batches of the held-out "
        + "split, and trained from scratch with the final training (the same schedule for each, "
        + "shortened by default), then tested on the test images. Reported: Kendall's tau-b and "
        + "Spearman's rho (commons-math3) between the test accuracies and the supernet's "
        + "log-likelihoods, over all and within each group, beside the same for the supernet's "
        + "accuracy and for FLOPs alone (a ranking that needs no supernet); the ground truth's "
        + "own agreement between two seeds on some of them; and the mode against random "
        + "architectures within 10% of its FLOPs, trained the same way.";
  }

  @Override
  public Section run(BenchContext context) {
    SupernetRankingSettings ranking = SupernetRankingSettings.parse(context.rankingSettings());
    Map<String, String> hyper = new LinkedHashMap<>(DjlDemoSettings.HYPERPARAMETERS);
    hyper.put("maxIterations", Integer.toString(ranking.iterations()));
    Map<String, String> evaluatorSettings = new LinkedHashMap<>(DjlDemoSettings.EVALUATOR);
    evaluatorSettings.putAll(context.djlSettings());
    // Where the data is on this machine is the evaluator's own setting, never a search's.
    Map<String, String> service = new LinkedHashMap<>();
    if (evaluatorSettings.containsKey(DjlEvaluator.DATA_DIR)) {
      service.put(DjlEvaluator.DATA_DIR, evaluatorSettings.remove(DjlEvaluator.DATA_DIR));
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("space", DjlDemoSettings.SPACE);
    settings.put("search hyperparameters", hyper + " (others at the core's defaults)");
    settings.put("evaluator settings", evaluatorSettings + " (others at their defaults)");
    settings.putAll(ranking.describe());
    if (context.quick()) {
      return skipped(
          "not in the quick run: it trains "
              + ranking.architectures()
              + " networks from scratch; run it without --quick",
          settings);
    }
    SearchSpace space =
        SearchSpace.parse(SyntheticSpaces.example(DjlDemoSettings.SPACE), DjlDemoSettings.SPACE);
    Hyperparameters hp = Hyperparameters.fromMap(hyper);
    ImageData data;
    try {
      data = Datasets.load(FashionMnist.NAME, dataDir(service));
    } catch (DataUnavailableException e) {
      return skipped(e.getMessage().replace('\n', ' '), settings);
    }
    FlopsCounter counter = new FlopsCounter(space);
    List<Picked> picked;
    List<Architecture> similar = List.of();
    HeldOutScore[] scores;
    HeldOutScore[] similarScores;
    long start = System.nanoTime();
    double searchSeconds;
    try (DjlEvaluator evaluator = DjlEvaluator.create(service)) {
      SearchResult result = search(context, space, hp, evaluatorSettings, evaluator, counter);
      searchSeconds = (System.nanoTime() - start) / 1e9;
      settings.put(
          "search done",
          String.format(
              Locale.ROOT,
              "%d iterations, %d samples, %.0f s; final entropy %.2f",
              result.updates(),
              result.samplesEvaluated(),
              searchSeconds,
              result.finalState().distribution().entropy()));
      picked = RankingPicks.pick(space, result.finalState().distribution(), ranking);
      if (ranking.fromDistribution() > 0 && ranking.similar() > 0) {
        similar =
            RankingPicks.similar(
                space, picked.get(0).architecture(), ranking.similar(), ranking.seed());
      }
      scores = new HeldOutScore[picked.size()];
      for (int i = 0; i < picked.size(); i++) {
        scores[i] =
            evaluator.scoreHeldOut(SEARCH_ID, picked.get(i).architecture(), ranking.scoreBatches());
      }
      similarScores = new HeldOutScore[similar.size()];
      for (int i = 0; i < similar.size(); i++) {
        similarScores[i] =
            evaluator.scoreHeldOut(SEARCH_ID, similar.get(i), ranking.scoreBatches());
      }
    }
    double scoreSeconds = (System.nanoTime() - start) / 1e9 - searchSeconds;
    context.progress(
        "%s: scored %d architectures with the supernet in %.0f s (%d held-out images each)",
        NAME, picked.size() + similar.size(), scoreSeconds, scores[0].images());
    ScratchResults known = ScratchResults.open(ranking.groundTruth());
    Scratch first = new Scratch(context, space, data, ranking, ranking.seed(), known);
    FinalResult[] trained = new FinalResult[picked.size()];
    for (int i = 0; i < picked.size(); i++) {
      trained[i] = first.train(picked.get(i).label(), picked.get(i).architecture());
    }
    Scratch second = new Scratch(context, space, data, ranking, ranking.seed() + 1, known);
    int[] reseeded = spread(ranking.reseeded(), picked.size());
    FinalResult[] retrained = new FinalResult[reseeded.length];
    for (int i = 0; i < reseeded.length; i++) {
      Picked p = picked.get(reseeded[i]);
      retrained[i] = second.train(p.label(), p.architecture());
    }
    FinalResult[] similarTrained = new FinalResult[similar.size()];
    for (int i = 0; i < similar.size(); i++) {
      similarTrained[i] = first.train("similar " + (i + 1), similar.get(i));
    }
    double totalSeconds = (System.nanoTime() - start) / 1e9;
    settings.put(
        "time",
        String.format(
            Locale.ROOT,
            "search %.0f s, supernet scores %.0f s, from-scratch training %.0f s (%d trained, %d"
                + " reused from the ground-truth file), total %.0f s",
            searchSeconds,
            scoreSeconds,
            totalSeconds - searchSeconds - scoreSeconds,
            first.trainedHere() + second.trainedHere(),
            first.reused() + second.reused(),
            totalSeconds));
    Section base = section(settings, picked, scores, trained);
    List<String> findings = new ArrayList<>(base.findings());
    findings.addAll(RankingFindings.seedToSeed(picked, reseeded, trained, retrained));
    if (similar.size() > 0) {
      findings.addAll(
          RankingFindings.amongSimilar(scores[0], trained[0], similarScores, similarTrained));
      for (int i = 0; i < similar.size(); i++) {
        base.table()
            .row(
                similarTrained[i].name(),
                similar.get(i).toString(),
                similarTrained[i].multiplyAdds() / 1e6,
                similarTrained[i].parameters(),
                similarScores[i].meanLogLikelihood(),
                similarScores[i].accuracy(),
                similarTrained[i].testAccuracy(),
                "",
                "",
                similarTrained[i].trainSeconds());
      }
    }
    return new Section(NAME, title(), method(), settings, 1, base.table(), findings);
  }

  /** {@code k} indices spread evenly over {@code 0 .. n-1}. */
  static int[] spread(int k, int n) {
    int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = (int) ((long) i * n / k);
    }
    return out;
  }

  /** From-scratch training with one seed, reusing what the ground-truth file already holds. */
  private static final class Scratch {
    private final BenchContext context;
    private final FinalTraining training;
    private final String recipe;
    private final long seed;
    private final ScratchResults known;
    private int trainedHere;
    private int reused;

    Scratch(
        BenchContext context,
        SearchSpace space,
        ImageData data,
        SupernetRankingSettings ranking,
        long seed,
        ScratchResults known) {
      this.context = context;
      this.seed = seed;
      this.known = known;
      this.training =
          new FinalTraining(space, data)
              .epochs(ranking.epochs())
              .batchSize(DjlDemoSettings.FINAL_BATCH_SIZE)
              .learningRate(DjlDemoSettings.FINAL_LEARNING_RATE)
              .seed(seed)
              .trainingImages(ranking.trainingImages());
      this.recipe =
          String.format(
              Locale.ROOT,
              "seed=%d epochs=%d images=%d batch=%d lr=%s",
              seed,
              ranking.epochs(),
              ranking.trainingImages(),
              DjlDemoSettings.FINAL_BATCH_SIZE,
              DjlDemoSettings.FINAL_LEARNING_RATE);
    }

    FinalResult train(String label, Architecture architecture) {
      FinalResult r = known.get(recipe, label, architecture);
      if (r != null) {
        reused++;
        return r;
      }
      r = training.train(label, architecture);
      known.put(recipe, r);
      trainedHere++;
      context.progress(
          "%s: %s trained from scratch (seed %d): test accuracy %.4f, %.3f MFLOPs, %.0f s",
          NAME, label, seed, r.testAccuracy(), r.multiplyAdds() / 1e6, r.trainSeconds());
      return r;
    }

    int trainedHere() {
      return trainedHere;
    }

    int reused() {
      return reused;
    }
  }

  private Section section(
      Map<String, String> settings,
      List<Picked> picked,
      HeldOutScore[] scores,
      FinalResult[] trained) {
    int n = picked.size();
    double[] likelihood = new double[n];
    double[] supernetAccuracy = new double[n];
    double[] flops = new double[n];
    double[] accuracy = new double[n];
    for (int i = 0; i < n; i++) {
      likelihood[i] = scores[i].meanLogLikelihood();
      supernetAccuracy[i] = scores[i].accuracy();
      flops[i] = trained[i].multiplyAdds();
      accuracy[i] = trained[i].testAccuracy();
    }
    int[] supernetRank = ranks(likelihood);
    int[] accuracyRank = ranks(accuracy);
    Table table =
        new Table()
            .column("picked")
            .column("architecture")
            .column("MFLOPs", 3)
            .column("parameters")
            .column("supernet log-likelihood per image", 4)
            .column("supernet accuracy", 4)
            .column("test accuracy from scratch", 4)
            .column("rank by supernet")
            .column("rank by test accuracy")
            .column("training s", 0);
    for (int i = 0; i < n; i++) {
      table.row(
          picked.get(i).label(),
          picked.get(i).architecture().toString(),
          flops[i] / 1e6,
          trained[i].parameters(),
          likelihood[i],
          supernetAccuracy[i],
          accuracy[i],
          supernetRank[i],
          accuracyRank[i],
          trained[i].trainSeconds());
    }
    RankCorrelation byLikelihood = RankCorrelation.of(likelihood, accuracy);
    RankCorrelation bySupernetAccuracy = RankCorrelation.of(supernetAccuracy, accuracy);
    RankCorrelation byFlops = RankCorrelation.of(flops, accuracy);
    List<String> findings = new ArrayList<>();
    findings.add(
        String.format(
            Locale.ROOT,
            "Supernet log-likelihood against test accuracy from scratch over %d architectures: "
                + "Kendall tau %.3f (p = %.3f), Spearman rho %.3f.",
            n,
            byLikelihood.kendallTau(),
            byLikelihood.kendallP(),
            byLikelihood.spearmanRho()));
    findings.add(
        String.format(
            Locale.ROOT,
            "Supernet accuracy instead: tau %.3f (p = %.3f), rho %.3f; FLOPs alone: tau %.3f "
                + "(p = %.3f), rho %.3f.",
            bySupernetAccuracy.kendallTau(),
            bySupernetAccuracy.kendallP(),
            bySupernetAccuracy.spearmanRho(),
            byFlops.kendallTau(),
            byFlops.kendallP(),
            byFlops.spearmanRho()));
    for (String group : List.of("distribution", "uniform")) {
      int[] members =
          java.util.stream.IntStream.range(0, n)
              .filter(i -> picked.get(i).group().equals(group))
              .toArray();
      if (members.length >= 3 && distinct(pick(accuracy, members))) {
        RankCorrelation r = RankCorrelation.of(pick(likelihood, members), pick(accuracy, members));
        findings.add(
            String.format(
                Locale.ROOT,
                "Within the %d %s: tau %.3f, rho %.3f.",
                members.length,
                group.equals("uniform")
                    ? "uniform draws"
                    : "architectures from the final distribution",
                r.kendallTau(),
                r.spearmanRho()));
      }
    }
    if (picked.get(0).label().equals("mode")) {
      findings.add(
          String.format(
              Locale.ROOT,
              "The search's answer (the mode) ranks %d of %d by test accuracy (%.4f; best %.4f, "
                  + "worst %.4f) and %d by the supernet.",
              accuracyRank[0],
              n,
              accuracy[0],
              Arrays.stream(accuracy).max().orElseThrow(),
              Arrays.stream(accuracy).min().orElseThrow(),
              supernetRank[0]));
    }
    return new Section(NAME, title(), method(), settings, 1, table, findings);
  }

  private static SearchResult search(
      BenchContext context,
      SearchSpace space,
      Hyperparameters hp,
      Map<String, String> evaluatorSettings,
      DjlEvaluator evaluator,
      FlopsCounter counter) {
    long start = System.nanoTime();
    Scorer scorer =
        (t, k, a) -> {
          Measurement m =
              evaluator.evaluate(
                  new EvaluationRequest(
                      SEARCH_ID, t, k, 0, a, space, hp.seed(), evaluatorSettings, null));
          return new Scorer.Score(m.logLikelihood(), m.cost());
        };
    return new InProcessSearch(space, hp, scorer)
        .listener(
            o -> {
              if (o.next().iteration() % 10 == 0 || o.next().done()) {
                Architecture mode = o.next().distribution().mode();
                context.progress(
                    "%s: search iteration %d, %.0f s: K %d, entropy %.2f, mode %.3f MFLOPs",
                    NAME,
                    o.next().iteration(),
                    (System.nanoTime() - start) / 1e9,
                    o.next().sampleCount(),
                    o.next().distribution().entropy(),
                    counter.multiplyAdds(mode) / 1e6);
              }
            })
        .run();
  }

  /** 1 for the largest value; tied values share the best rank of the tie. */
  static int[] ranks(double[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      int above = 0;
      for (double v : values) {
        above += v > values[i] ? 1 : 0;
      }
      out[i] = above + 1;
    }
    return out;
  }

  private static double[] pick(double[] values, int[] indices) {
    return Arrays.stream(indices).mapToDouble(i -> values[i]).toArray();
  }

  private static boolean distinct(double[] values) {
    return Arrays.stream(values).distinct().count() > 1;
  }

  private static java.nio.file.Path dataDir(Map<String, String> service) {
    String dir = service.get(DjlEvaluator.DATA_DIR);
    return dir == null || dir.isBlank() ? null : java.nio.file.Path.of(dir.trim());
  }
}
