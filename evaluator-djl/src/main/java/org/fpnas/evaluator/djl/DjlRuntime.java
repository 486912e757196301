package org.fpnas.evaluator.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide DJL facts the evaluator relies on: offline mode, the device, the one gradient
 * collector a JVM may have open, and PyTorch's per-thread gradient mode.
 */
public final class DjlRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(DjlRuntime.class);

  /**
   * Held while a gradient collector is open: PyTorch's DJL engine allows one per JVM, and several
   * evaluators (worker threads, services in one test JVM) may train at once.
   */
  static final Object GRADIENTS = new Object();

  private static Engine engine;

  private DjlRuntime() {}

  /**
   * The engine, loaded on first use. Before it loads, {@code ai.djl.offline} is set to true (unless
   * the user set it) so that DJL never tries the network: the CPU natives come with the {@code
   * pytorch-native-cpu} jar. Logs the device the evaluator will use.
   */
  public static synchronized Engine engine() {
    if (engine == null) {
      if (System.getProperty("ai.djl.offline") == null) {
        System.setProperty("ai.djl.offline", "true");
      }
      // Setting the thread count explicitly makes PyTorch also turn MKL's dynamic threading
      // off; with it on, MKL used fewer threads when the machine was busy, summed in another
      // order, and a fixed seed no longer gave bit-identical evaluations.
      if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
        System.setProperty(
            "ai.djl.pytorch.num_threads",
            Integer.toString(Runtime.getRuntime().availableProcessors()));
      }
      engine = Engine.getInstance();
      Device device = engine.defaultDevice();
      LOG.info(
          "DJL {} {} on {} ({} GPU(s) found){}",
          engine.getEngineName(),
          engine.getVersion(),
          device,
          engine.getGpuCount(),
          device.isGpu() ? "" : "; for a GPU see evaluator-djl/README.md");
    }
    return engine;
  }

  /** The device to compute on: the first GPU when DJL finds one, else the CPU. */
  public static Device device() {
    return engine().defaultDevice();
  }

  /**
   * Turns PyTorch's gradient recording off on this thread. The mode is per thread and on by default
   * on threads other than the one that loaded the engine; a gradient collector only restores it to
   * what it found. With it on, inference records graphs it never needs and in-place updates of
   * parameters fail.
   */
  static void disableGradients() {
    if ("PyTorch".equals(engine().getEngineName())) {
      ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    }
  }
}
