package org.fpnas.controller.internals;

import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps a global store equal to the compacted topic it is loaded from: the latest record of each
 * key, none for a key whose last record is a tombstone. Kafka Streams gives a global store no
 * changelog of its own, so this is its only writer.
 */
public class StoreMirror implements Processor<String, String, Void, Void> {
  private final String storeName;
  private KeyValueStore<String, String> store;

  public StoreMirror(String storeName) {
    this.storeName = Objects.requireNonNull(storeName, "storeName");
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, String> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      store.delete(record.key());
    } else {
      store.put(record.key(), record.value());
    }
  }
}
