package dev.tracelight.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A root file system assembled from this machine's files (a JDK, a binary and the shared libraries `ldd` names for it),
 * written as a tar for `docker import`. No registry is reachable, so this is how the tests get base images.
 */
final class RootFileSystem {
  private static final Pattern LIBRARY = Pattern.compile("(/\\S+\\.so[.0-9]*)");

  private final Map<String, Path> files = new TreeMap<>();
  private final Map<String, String> texts = new TreeMap<>();
  private final Set<String> worldWritable = new java.util.TreeSet<>();

  private RootFileSystem() {
  }

  static RootFileSystem create() {
    RootFileSystem root = new RootFileSystem();
    root.text("/etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin\n");
    root.text("/etc/group", "root:x:0:\nnonroot:x:65532:\n");
    root.worldWritable.add("/tmp");
    return root;
  }

  /** A host directory at the same path, symbolic links followed (a JDK's links point into /etc and /usr/share). */
  RootFileSystem tree(Path directory, Predicate<Path> keep) throws IOException {
    try (Stream<Path> walk = Files.walk(directory, FileVisitOption.FOLLOW_LINKS)) {
      walk.filter(Files::isRegularFile).filter(keep).forEach(file -> files.put(file.toString(), file));
    }
    return this;
  }

  /** Binaries or libraries at their host paths, with every shared library they load (by `ldd`). */
  RootFileSystem withLibraries(List<Path> binaries) throws IOException {
    for (Path binary : binaries) {
      files.put(binary.toString(), binary);
    }
    List<String> command = new ArrayList<>(List.of("ldd"));
    binaries.forEach(b -> command.add(b.toString()));
    Process ldd = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      ldd.waitFor(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running ldd", e);
    }
    Matcher matcher = LIBRARY.matcher(output);
    while (matcher.find()) {
      Path library = Path.of(matcher.group(1)).normalize();
      if (Files.isRegularFile(library)) {
        files.put(library.toString(), library);
      }
    }
    return this;
  }

  RootFileSystem text(String path, String content) {
    texts.put(path, content);
    return this;
  }

  /** `docker import` of this file system as {@code image}, with Dockerfile-style changes (ENV, ENTRYPOINT, USER…). */
  void importAs(String image, List<String> changes) throws IOException {
    Path tar = Files.createTempFile("rootfs", ".tar");
    try {
      write(tar);
      List<String> args = new ArrayList<>(List.of("import"));
      for (String change : changes) {
        args.add("--change");
        args.add(change);
      }
      args.add(tar.toString());
      args.add(image);
      Docker.ok(args);
    } finally {
      Files.deleteIfExists(tar);
    }
  }

  private void write(Path tar) throws IOException {
    Set<String> directories = new java.util.TreeSet<>(worldWritable);
    files.keySet().forEach(path -> addParents(path, directories));
    texts.keySet().forEach(path -> addParents(path, directories));
    try (OutputStream out = Files.newOutputStream(tar);
        TarArchiveOutputStream archive = new TarArchiveOutputStream(out)) {
      archive.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      archive.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (String directory : directories) {
        TarArchiveEntry entry = new TarArchiveEntry(directory.substring(1) + "/");
        entry.setMode(worldWritable.contains(directory) ? 01777 : 0755);
        archive.putArchiveEntry(entry);
        archive.closeArchiveEntry();
      }
      for (Map.Entry<String, Path> file : files.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey().substring(1));
        entry.setSize(Files.size(file.getValue()));
        entry.setMode(Files.getPosixFilePermissions(file.getValue()).contains(PosixFilePermission.OWNER_EXECUTE)
            ? 0755 : 0644);
        archive.putArchiveEntry(entry);
        Files.copy(file.getValue(), archive);
        archive.closeArchiveEntry();
      }
      for (Map.Entry<String, String> text : texts.entrySet()) {
        byte[] bytes = text.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(text.getKey().substring(1));
        entry.setSize(bytes.length);
        entry.setMode(0644);
        archive.putArchiveEntry(entry);
        archive.write(bytes);
        archive.closeArchiveEntry();
      }
    }
  }

  private static void addParents(String path, Set<String> directories) {
    for (Path parent = Path.of(path).getParent(); parent != null && !parent.toString().equals("/");
        parent = parent.getParent()) {
      directories.add(parent.toString());
    }
  }
}
