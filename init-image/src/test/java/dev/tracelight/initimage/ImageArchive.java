package dev.tracelight.initimage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** A `docker save` style archive (what Jib's buildTar writes), read without Docker: manifest, config, layer files. */
final class ImageArchive {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode manifest;
  private final JsonNode config;
  private final Map<String, LayerFile> files;

  private ImageArchive(JsonNode manifest, JsonNode config, Map<String, LayerFile> files) {
    this.manifest = manifest;
    this.config = config;
    this.files = files;
  }

  record LayerFile(String path, int mode, long modifiedEpochSeconds, int uid, boolean directory, byte[] content) {}

  static ImageArchive read(Path tar) throws IOException {
    Map<String, byte[]> top = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        top.put(e.getName(), in.readAllBytes());
      }
    }
    JsonNode manifest = JSON.readTree(top.get("manifest.json")).get(0);
    JsonNode config = JSON.readTree(top.get(manifest.get("Config").asText()));
    Map<String, LayerFile> files = new LinkedHashMap<>();
    for (JsonNode layer : manifest.get("Layers")) {
      byte[] bytes = top.get(layer.asText());
      try (InputStream raw = new java.io.ByteArrayInputStream(bytes);
          TarArchiveInputStream in = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
        for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
          String path = "/" + e.getName().replaceAll("/$", "");
          files.put(path, new LayerFile(path, e.getMode() & 07777, e.getModTime().toInstant().getEpochSecond(),
              (int) e.getLongUserId(), e.isDirectory(), in.readAllBytes()));
        }
      }
    }
    return new ImageArchive(manifest, config, files);
  }

  List<String> repoTags() {
    List<String> tags = new ArrayList<>();
    manifest.get("RepoTags").forEach(t -> tags.add(t.asText()));
    return tags;
  }

  JsonNode config() {
    return config;
  }

  Map<String, LayerFile> files() {
    return files;
  }

  LayerFile file(String path) {
    LayerFile file = files.get(path);
    if (file == null) {
      throw new AssertionError("no " + path + " in the image; it has " + files.keySet());
    }
    return file;
  }
}
