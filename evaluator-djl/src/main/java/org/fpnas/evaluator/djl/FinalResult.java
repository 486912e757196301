package org.fpnas.evaluator.djl;

import java.nio.file.Path;
import org.fpnas.core.space.Architecture;

/**
 * One architecture trained from scratch and tested.
 *
 * @param name what it is, e.g. {@code found} or {@code random}
 * @param architecture the architecture
 * @param multiplyAdds its multiply-adds per image
 * @param parameters its trainable parameters
 * @param epochs epochs trained
 * @param testAccuracy accuracy on the test set
 * @param testLoss mean cross-entropy on the test set
 * @param trainSeconds wall time of the training
 * @param modelDir where the DJL model was saved, or null
 */
public record FinalResult(
    String name,
    Architecture architecture,
    long multiplyAdds,
    long parameters,
    int epochs,
    double testAccuracy,
    double testLoss,
    double trainSeconds,
    Path modelDir) {}
