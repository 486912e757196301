package org.fpnas.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SchemaLog} in a list, delivering each append at once; survives "restarts" of the
 * registry.
 */
final class InMemorySchemaLog implements SchemaLog {

  private final List<byte[][]> records = new ArrayList<>();
  private Sink sink;
  volatile RuntimeException failure;

  @Override
  public synchronized void open(Sink newSink, Duration timeout) {
    sink = newSink;
    for (int i = 0; i < records.size(); i++) {
      sink.record(i, records.get(i)[0], records.get(i)[1]);
    }
    sink.position(records.size());
  }

  @Override
  public synchronized long endOffset(Duration timeout) {
    return records.size();
  }

  @Override
  public synchronized long append(byte[] key, byte[] value, Duration timeout) {
    if (failure != null) {
      throw failure;
    }
    long offset = records.size();
    records.add(new byte[][] {key, value});
    sink.record(offset, key, value);
    return offset;
  }

  synchronized int size() {
    return records.size();
  }

  @Override
  public String describe() {
    return "in-memory log";
  }

  @Override
  public void close() {}
}
