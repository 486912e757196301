package org.fpnas.core;

/** The representation of a distribution: factorized per variable (FD) or joint per layer (JD). */
public enum Phase {
  /** One softmax per variable; a layer's logits are its variables' vectors, concatenated. */
  FACTORIZED,
  /** One softmax per layer over the product of its variables' choices. */
  JOINT
}
