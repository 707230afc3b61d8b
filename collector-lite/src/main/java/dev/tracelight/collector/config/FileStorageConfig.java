package dev.tracelight.collector.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code file_storage}: where persistent sending queues live. Each exporter that names it in
 * {@code sending_queue.storage} gets its own sub-directory.
 *
 * @param timeout how long start-up waits for another process to release the directory's lock
 * @param fsync force every record to the device before it is acknowledged (else it reaches the OS page cache, which
 *     survives a crash of the process but not of the machine)
 * @param directoryPermissions octal, applied to directories collector-lite creates
 */
public record FileStorageConfig(ComponentId id, Path directory, Duration timeout, boolean fsync, boolean createDirectory,
    String directoryPermissions) implements ExtensionConfig {}
