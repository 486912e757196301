package org.fpnas.evaluator.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared checkpoint store through which the supernet replicas of one search, in different
 * evaluator processes, stay close: a directory (a shared volume in docker-compose) holding one file
 * per replica, {@code <dir>/<search>/<replica>.ckpt}. See evaluator-djl/README.md for the
 * consistency model. Files are written to a temporary name and renamed, so a reader sees a whole
 * file or none.
 */
final class CheckpointDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointDirectory.class);
  private static final int MAGIC = 0x46504e43; // "FPNC"
  private static final int FORMAT = 1;
  private static final String SUFFIX = ".ckpt";

  private final Path dir;
  private final String searchId;
  private final String replicaId;
  private final Duration staleAfter;

  CheckpointDirectory(Path root, String searchId, String replicaId, Duration staleAfter) {
    this.dir = root.resolve(safe(searchId));
    this.searchId = searchId;
    this.replicaId = replicaId;
    this.staleAfter = staleAfter;
  }

  /** What a replica's file says besides the weights. */
  record Header(String replicaId, long evaluations, boolean warmedUp) {}

  /** A checkpoint read back: its header and the parameter values in the supernet's order. */
  record Snapshot(Header header, List<NDArray> values) {}

  Path directory() {
    return dir;
  }

  /** Writes this replica's state (every parameter, running statistics included). */
  void publish(MbConvSupernet net, long evaluations, boolean warmedUp) {
    try {
      Files.createDirectories(dir);
      Path target = dir.resolve(safe(replicaId) + SUFFIX);
      Path temp = Files.createTempFile(dir, safe(replicaId) + "-", ".tmp");
      try (DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp)))) {
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeUTF(searchId);
        out.writeUTF(replicaId);
        out.writeLong(evaluations);
        out.writeBoolean(warmedUp);
        List<SharedParameter> params = net.parameterList();
        out.writeInt(params.size());
        for (SharedParameter p : params) {
          out.writeUTF(p.name());
          byte[] bytes = p.array().encode();
          out.writeInt(bytes.length);
          out.write(bytes);
        }
      }
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write checkpoint in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The newest file of any other replica, whatever its age (the starting point of a replica that
   * joins), read onto {@code manager}; empty when there is none that fits this supernet.
   */
  java.util.Optional<Snapshot> newest(MbConvSupernet net, NDManager manager) {
    for (Path file : others(Duration.ofDays(36500))) {
      Snapshot s = read(file, net, manager);
      if (s != null) {
        return java.util.Optional.of(s);
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * Sets every parameter of {@code net} to the mean of its own value and the latest published
   * values of the other replicas that wrote within {@code staleAfter}.
   *
   * @return how many other replicas took part
   */
  int averageInto(MbConvSupernet net, NDManager manager) {
    List<Snapshot> snapshots = new ArrayList<>();
    try (NDManager temp = manager.newSubManager()) {
      for (Path file : others(staleAfter)) {
        Snapshot s = read(file, net, temp);
        if (s != null) {
          snapshots.add(s);
        }
      }
      if (snapshots.isEmpty()) {
        return 0;
      }
      DjlRuntime.disableGradients();
      List<SharedParameter> params = net.parameterList();
      float count = snapshots.size() + 1;
      for (int i = 0; i < params.size(); i++) {
        try (NDScope scope = new NDScope()) {
          NDArray own = params.get(i).array();
          NDArray sum = own;
          for (Snapshot s : snapshots) {
            sum = sum.add(s.values().get(i));
          }
          own.set(new NDIndex("..."), sum.div(count));
        }
      }
      return snapshots.size();
    }
  }

  /** Copies a snapshot's values into the supernet's parameters. */
  static void load(Snapshot snapshot, MbConvSupernet net) {
    DjlRuntime.disableGradients();
    List<SharedParameter> params = net.parameterList();
    for (int i = 0; i < params.size(); i++) {
      try (NDScope scope = new NDScope()) {
        params.get(i).array().set(new NDIndex("..."), snapshot.values().get(i));
      }
    }
  }

  /** Files of other replicas written within {@code maxAge}, newest first. */
  private List<Path> others(Duration maxAge) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    long now = System.currentTimeMillis();
    String own = safe(replicaId) + SUFFIX;
    List<Path> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files
          .filter(
              p ->
                  p.getFileName().toString().endsWith(SUFFIX)
                      && !p.getFileName().toString().equals(own))
          .forEach(out::add);
    } catch (IOException e) {
      LOG.warn("cannot list checkpoints in {}: {}", dir, e.getMessage());
      return List.of();
    }
    record Dated(Path path, long modified) {}
    List<Dated> fresh = new ArrayList<>();
    for (Path p : out) {
      try {
        long modified = Files.getLastModifiedTime(p).toMillis();
        if (now - modified <= maxAge.toMillis()) {
          fresh.add(new Dated(p, modified));
        }
      } catch (IOException e) {
        // gone meanwhile: skip it
      }
    }
    fresh.sort(Comparator.comparingLong(Dated::modified).reversed());
    return fresh.stream().map(Dated::path).toList();
  }

  /**
   * A replica's file, or null (with a warning) when it is gone, unreadable or of another supernet.
   */
  private Snapshot read(Path file, MbConvSupernet net, NDManager manager) {
    List<SharedParameter> params = net.parameterList();
    List<NDArray> values = new ArrayList<>();
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
        throw new IOException("not an fpnas checkpoint of format " + FORMAT);
      }
      String search = in.readUTF();
      if (!search.equals(searchId)) {
        throw new IOException("it belongs to search " + search);
      }
      Header header = new Header(in.readUTF(), in.readLong(), in.readBoolean());
      int n = in.readInt();
      if (n != params.size()) {
        throw new IOException(n + " parameters, this supernet has " + params.size());
      }
      for (SharedParameter p : params) {
        String name = in.readUTF();
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        NDArray value = manager.decode(bytes);
        if (!name.equals(p.name()) || !value.getShape().equals(p.array().getShape())) {
          throw new IOException(
              "parameter "
                  + name
                  + " "
                  + value.getShape()
                  + " where this supernet has "
                  + p.name()
                  + " "
                  + p.array().getShape());
        }
        values.add(value);
      }
      return new Snapshot(header, values);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      LOG.warn("checkpoint {} skipped: {}", file, e.getMessage());
      values.forEach(NDArray::close);
      return null;
    }
  }

  /** A file-name-safe form of an id. */
  static String safe(String id) {
    return id.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
