package dev.tracelight.collector.queue;

import dev.tracelight.collector.pipeline.OtlpRequest;
import dev.tracelight.collector.pipeline.Signal;
import dev.tracelight.collector.telemetry.Log;
import dev.tracelight.collector.telemetry.Telemetry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A sending queue on disk ({@code sending_queue.storage}): one directory per exporter and pipeline, holding append-only
 * segment files ({@code <seq>.seg}) and, next to each, the ids of its records that left the queue ({@code <seq>.ack}).
 *
 * <p>A record is written (and forced to the device when {@code fsync} is on) in {@link #tryReserve}, before the
 * receiver answers, so a 2xx means the request is on disk. A segment is deleted once it is no longer written to and
 * every record in it was acknowledged; that is all the compaction there is. At start-up every segment is read back:
 * records not listed in its ack file are queued again (at-least-once: a request being sent at the moment of a crash is
 * sent again after it). A record whose checksum (CRC32C) or framing is wrong, such as the torn tail of a segment
 * being written during a crash, is skipped with a log line and counted; the scan resumes at the next record marker.
 *
 * <p>Record layout, big-endian: magic (4) | crc32c of the rest (4) | payload length (4) | id (8) | items (4) | payload.
 * Ack layout: id (8) | crc32c of the id (4).
 */
public final class FileQueue implements SendingQueue {
  static final long DEFAULT_SEGMENT_BYTES = 8L << 20;
  static final int MAGIC = 0x544c5131; // "TLQ1"
  static final int HEADER_BYTES = 24;
  static final int ACK_BYTES = 12;

  private final Path directory;
  private final String name;
  private final Signal signal;
  private final int capacity;
  private final boolean fsync;
  private final long segmentBytes;
  private final Telemetry.Counter corrupt;
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicLong items = new AtomicLong();
  private final LinkedBlockingQueue<Entry> ready = new LinkedBlockingQueue<>();
  private final Map<OtlpRequest, Entry> sending = new ConcurrentHashMap<>();
  private final Set<Segment> segments = ConcurrentHashMap.newKeySet();
  private final Object appendLock = new Object();
  private Segment current;
  private long nextId;
  private volatile boolean closed;

  private FileQueue(Path directory, String name, Signal signal, int capacity, boolean fsync, long segmentBytes,
      Telemetry.Counter corrupt) {
    this.directory = directory;
    this.name = name;
    this.signal = signal;
    this.capacity = capacity;
    this.fsync = fsync;
    this.segmentBytes = segmentBytes;
    this.corrupt = corrupt;
  }

  /**
   * Opens (creating it if needed) the queue in {@code directory}, queueing again what a previous run left undelivered.
   *
   * @param name the exporter, for log lines
   * @param corrupt counts records skipped because they were torn or corrupt
   */
  public static FileQueue open(Path directory, String name, Signal signal, int capacity, boolean fsync,
      Telemetry.Counter corrupt) throws IOException {
    return open(directory, name, signal, capacity, fsync, DEFAULT_SEGMENT_BYTES, corrupt);
  }

  static FileQueue open(Path directory, String name, Signal signal, int capacity, boolean fsync, long segmentBytes,
      Telemetry.Counter corrupt) throws IOException {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    Files.createDirectories(directory);
    FileQueue q = new FileQueue(directory, name, signal, capacity, fsync, segmentBytes, corrupt);
    q.recover();
    return q;
  }

  @Override
  public Reservation tryReserve(OtlpRequest request) {
    while (true) {
      int now = held.get();
      if (now >= capacity || closed) {
        return null;
      }
      if (held.compareAndSet(now, now + 1)) {
        break;
      }
    }
    Entry entry;
    try {
      entry = append(request);
    } catch (IOException | RuntimeException e) {
      held.decrementAndGet();
      Log.error("exporter " + name + ": cannot write to the persistent queue in " + directory + ": " + e
          + "; refusing data until writing works again");
      return null;
    }
    items.addAndGet(request.items());
    return new Reservation() {
      @Override
      public void commit() {
        ready.add(entry);
      }

      @Override
      public void release() {
        done(entry);
      }
    };
  }

  @Override
  public OtlpRequest poll(long timeout, TimeUnit unit) throws InterruptedException {
    Entry e = ready.poll(timeout, unit);
    if (e == null) {
      return null;
    }
    OtlpRequest request;
    try {
      request = new OtlpRequest(signal, e.segment.read(e.offset + HEADER_BYTES, e.length), e.items);
    } catch (IOException ex) {
      // the file was readable a moment ago; give the record up rather than block the queue on it
      Log.error("exporter " + name + ": cannot read a queued request back from " + e.segment.log + ": " + ex
          + "; dropping it");
      corrupt.add(1);
      done(e);
      return poll(0, TimeUnit.NANOSECONDS);
    }
    sending.put(request, e);
    return request;
  }

  @Override
  public void ack(OtlpRequest request) {
    Entry e = sending.remove(request);
    if (e != null) {
      done(e);
    }
  }

  @Override
  public int size() {
    return held.get();
  }

  @Override
  public long items() {
    return items.get();
  }

  @Override
  public int capacity() {
    return capacity;
  }

  /** Closes the files; what is still queued stays on disk for the next start. */
  @Override
  public void close() {
    closed = true;
    synchronized (appendLock) {
      ready.clear();
      sending.clear();
      segments.forEach(Segment::closeFiles);
    }
  }

  private Entry append(OtlpRequest request) throws IOException {
    byte[] payload = request.bytes();
    ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + payload.length);
    synchronized (appendLock) {
      if (closed) {
        throw new IOException("queue closed");
      }
      if (current == null || current.size >= segmentBytes) {
        roll();
      }
      long id = nextId++;
      record.putInt(MAGIC).putInt(0).putInt(payload.length).putLong(id).putInt(request.items()).put(payload);
      CRC32C crc = new CRC32C();
      crc.update(record.array(), 8, record.capacity() - 8);
      record.putInt(4, (int) crc.getValue());
      record.flip();
      Segment s = current;
      long offset = s.size;
      s.write(record, offset);
      if (fsync) {
        s.channel.force(false);
      }
      s.size += record.capacity();
      s.live.incrementAndGet();
      return new Entry(s, id, offset, payload.length, request.items());
    }
  }

  /** The record left the queue for good: remember that on disk, free its room, delete its segment if now empty. */
  private void done(Entry e) {
    held.decrementAndGet();
    items.addAndGet(-e.items);
    e.segment.acknowledge(e.id);
  }

  private void roll() throws IOException {
    long seq = current == null ? 0 : current.seq + 1;
    if (current != null) {
      current.seal();
    }
    current = Segment.create(this, seq);
    if (fsync) {
      forceDirectory();
    }
  }

  /** A new file's name survives a power loss only once its directory is forced too. */
  private void forceDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      Log.debug("exporter " + name + ": cannot force directory " + directory + ": " + e);
    }
  }

  private void recover() throws IOException {
    List<Long> seqs = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      files.map(p -> p.getFileName().toString()).filter(f -> f.matches("\\d{1,19}\\.seg"))
          .forEach(f -> seqs.add(Long.parseLong(f.substring(0, f.length() - 4))));
    }
    seqs.sort(null);
    long requests = 0;
    long recoveredItems = 0;
    long maxId = -1;
    long lastSeq = -1;
    for (long seq : seqs) {
      lastSeq = seq;
      Segment s = Segment.reopen(this, seq);
      Set<Long> acked = s.readAcks();
      for (Entry e : s.scan()) {
        maxId = Math.max(maxId, e.id);
        if (!acked.contains(e.id)) {
          s.live.incrementAndGet();
          ready.add(e);
          requests++;
          recoveredItems += e.items;
        }
      }
      s.seal();
    }
    held.set((int) Math.min(Integer.MAX_VALUE, requests));
    items.set(recoveredItems);
    nextId = maxId + 1;
    if (lastSeq >= 0) {
      current = Segment.create(this, lastSeq + 1);
    }
    if (requests > 0) {
      Log.info("exporter " + name + ": recovered " + requests + " undelivered requests (" + recoveredItems + " "
          + signal.itemName() + ") from " + directory);
    }
  }

  private record Entry(Segment segment, long id, long offset, int length, int items) {}

  /** One segment file and its ack file. */
  private static final class Segment {
    final FileQueue queue;
    final long seq;
    final Path log;
    final Path acks;
    final FileChannel channel;
    final AtomicInteger live = new AtomicInteger();
    FileChannel ackChannel;
    long size;
    boolean sealed;
    boolean deleted;

    private Segment(FileQueue queue, long seq, FileChannel channel, long size) {
      this.queue = queue;
      this.seq = seq;
      this.log = queue.directory.resolve(seq + ".seg");
      this.acks = queue.directory.resolve(seq + ".ack");
      this.channel = channel;
      this.size = size;
      queue.segments.add(this);
    }

    static Segment create(FileQueue queue, long seq) throws IOException {
      Path p = queue.directory.resolve(seq + ".seg");
      return new Segment(queue, seq, FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
          StandardOpenOption.WRITE), 0);
    }

    static Segment reopen(FileQueue queue, long seq) throws IOException {
      Path p = queue.directory.resolve(seq + ".seg");
      FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
      return new Segment(queue, seq, ch, ch.size());
    }

    void write(ByteBuffer buffer, long offset) throws IOException {
      long at = offset;
      while (buffer.hasRemaining()) {
        at += channel.write(buffer, at);
      }
    }

    byte[] read(long offset, int length) throws IOException {
      ByteBuffer b = ByteBuffer.allocate(length);
      while (b.hasRemaining()) {
        if (channel.read(b, offset + b.position()) < 0) {
          throw new IOException("unexpected end of " + log);
        }
      }
      return b.array();
    }

    /** Acknowledged ids; a torn last entry (a crash while writing it) only means that record is sent again. */
    Set<Long> readAcks() throws IOException {
      Set<Long> ids = new HashSet<>();
      if (!Files.exists(acks)) {
        return ids;
      }
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(acks));
      while (b.remaining() >= ACK_BYTES) {
        long id = b.getLong();
        int crc = b.getInt();
        if (crc == ackCrc(id)) {
          ids.add(id);
        }
      }
      return ids;
    }

    /** Every intact record of this segment; corrupt stretches are logged, counted and skipped. */
    List<Entry> scan() throws IOException {
      List<Entry> out = new ArrayList<>();
      if (size == 0) {
        return out;
      }
      MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
      long pos = 0;
      while (pos < size) {
        Entry e = recordAt(m, pos);
        if (e != null) {
          out.add(e);
          pos += HEADER_BYTES + e.length;
          continue;
        }
        long next = nextMagic(m, pos + 1);
        queue.corrupt.add(1);
        Log.warn("exporter " + queue.name + ": " + log + ": skipping " + (next - pos) + " corrupt or torn bytes at offset "
            + pos + (next < size ? " (resuming at the next record at " + next + ")" : " (to the end of the segment)"));
        pos = next;
      }
      return out;
    }

    private Entry recordAt(ByteBuffer m, long pos) {
      if (size - pos < HEADER_BYTES || m.getInt((int) pos) != MAGIC) {
        return null;
      }
      int p = (int) pos;
      int length = m.getInt(p + 8);
      if (length < 0 || length > size - pos - HEADER_BYTES) {
        return null;
      }
      CRC32C crc = new CRC32C();
      ByteBuffer covered = m.duplicate();
      covered.limit(p + HEADER_BYTES + length).position(p + 8);
      crc.update(covered);
      if ((int) crc.getValue() != m.getInt(p + 4)) {
        return null;
      }
      return new Entry(this, m.getLong(p + 12), pos, length, m.getInt(p + 20));
    }

    private long nextMagic(ByteBuffer m, long from) {
      for (long i = from; i + 4 <= size; i++) {
        if (m.getInt((int) i) == MAGIC) {
          return i;
        }
      }
      return size;
    }

    /** No more appends; deletes the files now if nothing in them is still owed. */
    void seal() {
      synchronized (this) {
        sealed = true;
        deleteIfDrained();
      }
    }

    void acknowledge(long id) {
      synchronized (this) {
        if (deleted) {
          return;
        }
        live.decrementAndGet();
        if (sealed && live.get() == 0) {
          deleteIfDrained();
          return;
        }
        // not forced: a lost ack only makes the record be sent again after a crash, it never loses data
        ByteBuffer b = ByteBuffer.allocate(ACK_BYTES).putLong(id).putInt(ackCrc(id));
        b.flip();
        try {
          if (ackChannel == null) {
            ackChannel = FileChannel.open(acks, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
          }
          while (b.hasRemaining()) {
            ackChannel.write(b);
          }
        } catch (IOException e) {
          Log.warn("exporter " + queue.name + ": cannot record a delivery in " + acks + " (" + e
              + "); the request will be sent again after a restart");
        }
      }
    }

    private void deleteIfDrained() {
      if (live.get() > 0 || deleted) {
        return;
      }
      deleted = true;
      closeFiles();
      queue.segments.remove(this);
      try {
        Files.deleteIfExists(log);
        Files.deleteIfExists(acks);
      } catch (IOException e) {
        Log.warn("exporter " + queue.name + ": cannot delete the delivered queue segment " + log + ": " + e);
      }
    }

    synchronized void closeFiles() {
      try {
        channel.close();
        if (ackChannel != null) {
          ackChannel.close();
        }
      } catch (IOException e) {
        Log.debug("exporter " + queue.name + ": closing " + log + ": " + e);
      }
    }

    private static int ackCrc(long id) {
      CRC32C crc = new CRC32C();
      crc.update(ByteBuffer.allocate(8).putLong(0, id));
      return (int) crc.getValue();
    }
  }
}
