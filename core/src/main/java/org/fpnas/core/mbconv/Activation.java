package org.fpnas.core.mbconv;

import java.util.Locale;

/** The nonlinearity of an MBConv block, as a space file names it ({@code relu}, {@code hswish}). */
public enum Activation {
  /** max(0, x). */
  RELU,
  /** h-swish of MobileNetV3: x · relu6(x + 3) / 6. */
  HSWISH;

  /** The name a space file uses. */
  public String fileName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The activation a space file names; null when it names none. */
  static Activation fromFileName(String text) {
    for (Activation a : values()) {
      if (a.fileName().equals(text)) {
        return a;
      }
    }
    return null;
  }
}
