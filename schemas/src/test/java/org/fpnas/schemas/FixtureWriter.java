package org.fpnas.schemas;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes the encoded fixtures of the current schema version: for each record type its writer schema
 * and one Avro-encoded record. Run it once per released schema version with the version directory
 * as argument (e.g. {@code src/test/resources/fixtures/v2}); older directories stay and must keep
 * decoding.
 */
public final class FixtureWriter {
  private FixtureWriter() {}

  public static void main(String[] args) throws Exception {
    WireTypes.trust();
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    for (SpecificRecord record : SampleRecords.all()) {
      String name = record.getSchema().getName();
      Files.writeString(
          dir.resolve(name + ".avsc"), SchemaFormatter.format("json/pretty", record.getSchema()));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
      encoder.flush();
      Files.write(dir.resolve(name + ".bin"), out.toByteArray());
    }
  }
}
