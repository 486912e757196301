package org.fpnas.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fpnas.core.Distribution;
import org.fpnas.core.Evaluation;
import org.fpnas.core.FpNas;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.IterationOutcome;
import org.fpnas.core.Phase;
import org.fpnas.core.Sampler;
import org.fpnas.core.SearchState;
import org.fpnas.core.SplitMix64;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The core's hot paths under JMH: drawing one architecture ({@code sample}: architectures per
 * second) and one FP-NAS update with K = 16 results ({@code update}: updates per second), for a
 * factorized (FD) and a joint (JD) distribution over 20 and 100 layers of four variables with 3, 3,
 * 2 and 2 choices (10 FD and 36 JD logits per layer). The logits are random but fixed, so the
 * distribution is neither uniform nor degenerate.
 *
 * <p>Built by {@code mvn verify} (compile and package only); run by hand: {@code java -jar
 * jmh/target/benchmarks.jar} (all), or e.g. {@code java -jar jmh/target/benchmarks.jar
 * CoreBenchmarks.sample -p layers=20}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CoreBenchmarks {
  /** Results per update, as an FP-NAS iteration with K = 16 has. */
  static final int K = 16;

  @Param({"20", "100"})
  int layers;

  @Param({"FACTORIZED", "JOINT"})
  Phase phase;

  private Distribution distribution;
  private FpNas fpNas;
  private SearchState state;
  private List<Evaluation> results;
  private int index;

  @Setup(Level.Trial)
  public void setUp() {
    SearchSpace space = space(layers);
    SplitMix64 random = SplitMix64.seeded(42, layers);
    Distribution uniform = Distribution.uniform(space, phase);
    double[][] logits = uniform.logits();
    for (double[] layer : logits) {
      for (int i = 0; i < layer.length; i++) {
        layer[i] = random.nextGaussian();
      }
    }
    distribution = Distribution.of(space, phase, logits, 0);
    // factorizedIterations keeps the phase: 0 starts (and stays) joint, a large value stays
    // factorized.
    Hyperparameters hp =
        Hyperparameters.fromMap(
            Map.of(
                "fixedK",
                Integer.toString(K),
                "maxIterations",
                "1000000",
                "learningRate",
                "0.1",
                "factorizedIterations",
                phase == Phase.JOINT ? "0" : "1000000"));
    fpNas = new FpNas(space, hp);
    state = fpNas.startFrom(distribution, 1);
    results = new ArrayList<>();
    for (int k = 0; k < K; k++) {
      Architecture a = Sampler.sample(distribution, 7, 1, k);
      results.add(new Evaluation(k, a, -50 + 5 * random.nextGaussian(), 100 + random.nextDouble()));
    }
  }

  /** One architecture drawn from the distribution (a new sample index each call). */
  @Benchmark
  public Architecture sample() {
    return Sampler.sample(distribution, 7, 1, index++ & 0xFFFF);
  }

  /** One update of the distribution from K results (always from the same state). */
  @Benchmark
  public IterationOutcome update() {
    return fpNas.update(state, results);
  }

  static SearchSpace space(int layers) {
    return SearchSpace.uniform("jmh-" + layers, layers, 3, 3, 2, 2);
  }
}
