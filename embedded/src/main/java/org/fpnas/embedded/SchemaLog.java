package org.fpnas.embedded;

import java.time.Duration;

/**
 * The registry's durable, ordered record log: a compacted Kafka topic in production, a list in unit
 * tests.
 */
interface SchemaLog extends AutoCloseable {

  /** Receives the log's records in order, on one thread. */
  interface Sink {
    void record(long offset, byte[] key, byte[] value);

    /**
     * Everything before this offset has been delivered (offsets may have gaps after compaction).
     */
    void position(long nextOffset);
  }

  /**
   * Prepares the log (creating it if missing) and starts delivering every record from the
   * beginning.
   */
  void open(Sink sink, Duration timeout) throws Exception;

  /** The offset the next appended record will get: everything before it is in the log now. */
  long endOffset(Duration timeout) throws Exception;

  /** Appends a record, waits for the acknowledgement and returns its offset. */
  long append(byte[] key, byte[] value, Duration timeout) throws Exception;

  /** Where the log lives, for messages. */
  String describe();

  @Override
  void close();
}
