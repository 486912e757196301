package org.fpnas.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.Set;

/**
 * Files that hold passwords: created readable and writable by the owner only, replaced atomically.
 */
public final class SecretFiles {

  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR =
      PosixFilePermissions.fromString("rwx------");

  private SecretFiles() {}

  /** Writes the text to the file; its directory is created owner-only if missing. */
  public static void write(Path file, String text) {
    Path target = file.toAbsolutePath();
    try {
      createOwnerOnlyDirectories(target.getParent());
      Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      // The file is created with its final permissions, so the secret is never readable by others.
      if (isPosix(target.getParent())) {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_FILE));
      } else {
        Files.createFile(tmp);
        ownerOnly(tmp);
      }
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /** Writes properties (a comment line first) owner-only. */
  public static void writeProperties(Path file, Properties p, String comment) {
    java.io.StringWriter text = new java.io.StringWriter();
    try {
      p.store(text, comment);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    write(file, text.toString());
  }

  private static void createOwnerOnlyDirectories(Path dir) throws IOException {
    if (dir == null || Files.isDirectory(dir)) {
      return;
    }
    createOwnerOnlyDirectories(dir.getParent());
    try {
      FileAttribute<?>[] attributes =
          isPosix(dir.getParent())
              ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_DIR)}
              : new FileAttribute<?>[0];
      Files.createDirectory(dir, attributes);
    } catch (FileAlreadyExistsException e) {
      // Created meanwhile by someone else: fine.
    }
  }

  private static boolean isPosix(Path dir) throws IOException {
    return dir != null && Files.getFileStore(dir).supportsFileAttributeView("posix");
  }

  private static void ownerOnly(Path file) {
    java.io.File f = file.toFile();
    // Best effort where POSIX permissions do not exist: clear everyone's bits, then set the
    // owner's.
    f.setReadable(false, false);
    f.setWritable(false, false);
    f.setReadable(true, true);
    f.setWritable(true, true);
  }
}
