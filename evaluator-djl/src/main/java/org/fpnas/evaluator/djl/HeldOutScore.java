package org.fpnas.evaluator.djl;

/**
 * What a trained supernet says of one architecture on the held-out validation images, without
 * training it further: the search's own signal (summed log-likelihood, batch statistics) over every
 * full validation batch instead of one.
 *
 * @param images validation images scored
 * @param logLikelihood their summed log-likelihood
 * @param correct how many were classified right
 */
public record HeldOutScore(int images, double logLikelihood, int correct) {
  public HeldOutScore {
    if (images < 1 || correct < 0 || correct > images) {
      throw new IllegalArgumentException(
          "a held-out score needs images >= 1 and 0 <= correct <= images, got "
              + images
              + " and "
              + correct);
    }
  }

  /** Mean log-likelihood per image: comparable across validation batch sizes. */
  public double meanLogLikelihood() {
    return logLikelihood / images;
  }

  /** Share of the images classified right. */
  public double accuracy() {
    return (double) correct / images;
  }
}
