package org.fpnas.schemas;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record that cannot be read as Confluent wire format Avro of the expected type; the message says
 * why.
 */
public final class WireFormatException extends SerializationException {
  private static final long serialVersionUID = 1L;

  public WireFormatException(String message) {
    super(message);
  }

  public WireFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
