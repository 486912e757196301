package org.fpnas.app;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/**
 * A rate in bytes per second from the command line: {@code 1048576}, {@code 512K}, {@code 10MiB},
 * {@code 1G} (binary units).
 */
final class ByteRate implements ITypeConverter<Long> {
  private static final Pattern RATE = Pattern.compile("(\\d+)\\s*([KMG]?)(I?B)?(/S)?");

  @Override
  public Long convert(String value) {
    return parse(value);
  }

  /** Bytes per second; 0 means no quota. */
  static long parse(String value) {
    Matcher m = RATE.matcher(value == null ? "" : value.trim().toUpperCase(Locale.ROOT));
    if (!m.matches() || (m.group(3) != null && m.group(3).equals("IB") && m.group(2).isEmpty())) {
      throw new IllegalArgumentException(
          "'"
              + value
              + "' is not a rate in bytes per second: use a whole number "
              + "with an optional K, M or G (1024-based), e.g. 1048576, 512K or 10MiB");
    }
    int shift =
        switch (m.group(2)) {
          case "K" -> 10;
          case "M" -> 20;
          case "G" -> 30;
          default -> 0;
        };
    long number;
    try {
      number = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      number = Long.MAX_VALUE;
    }
    if (number > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("'" + value + "' is too large a rate");
    }
    return number << shift;
  }
}
