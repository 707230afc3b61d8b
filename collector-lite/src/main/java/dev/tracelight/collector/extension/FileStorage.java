package dev.tracelight.collector.extension;

import dev.tracelight.collector.config.FileStorageConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Extension {@code file_storage}: a directory that persistent sending queues live in, locked for the life of the
 * collector so that two instances never write the same queue (a second one waits {@code timeout}, then fails).
 */
public final class FileStorage implements AutoCloseable {
  private static final String LOCK_FILE = ".lock";

  private final FileStorageConfig config;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private FileStorage(FileStorageConfig config, FileChannel lockChannel, FileLock lock) {
    this.config = config;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  public static FileStorage open(FileStorageConfig config) throws IOException {
    Path dir = config.directory();
    String what = "extension " + config.id() + ": directory " + dir;
    if (!Files.isDirectory(dir)) {
      if (!config.createDirectory()) {
        throw new IOException(what + " does not exist (create it, or set create_directory: true)");
      }
      String mode = config.directoryPermissions().substring(1);
      Files.createDirectories(dir);
      try {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(rwx(mode)));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the platform's default permissions apply
      }
    }
    if (!Files.isWritable(dir)) {
      throw new IOException(what + " is not writable by this process");
    }
    FileChannel ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    long deadline = System.nanoTime() + config.timeout().toNanos();
    while (true) {
      FileLock l = null;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        // held by this very process (another collector in the same JVM)
      }
      if (l != null) {
        return new FileStorage(config, ch, l);
      }
      if (System.nanoTime() > deadline) {
        ch.close();
        throw new IOException(what + " is locked by another collector (waited " + config.timeout().toMillis()
            + " ms; give each instance its own directory)");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ch.close();
        throw new IOException(what + ": interrupted while waiting for its lock", e);
      }
    }
  }

  public boolean fsync() {
    return config.fsync();
  }

  /** One sub-directory per exporter and pipeline, named from their ids ({@code otlp_jaeger-traces}). */
  public Path queueDirectory(String exporterId, String pipelineId) {
    return config.directory().resolve(safe(exporterId) + "-" + safe(pipelineId));
  }

  @Override
  public void close() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      // the lock goes with the process anyway
    }
  }

  private static String safe(String id) {
    return id.replaceAll("[^A-Za-z0-9._]", "_");
  }

  private static String rwx(String octal) {
    StringBuilder b = new StringBuilder();
    for (char c : octal.toCharArray()) {
      int v = c - '0';
      b.append((v & 4) != 0 ? 'r' : '-').append((v & 2) != 0 ? 'w' : '-').append((v & 1) != 0 ? 'x' : '-');
    }
    return b.toString();
  }
}
