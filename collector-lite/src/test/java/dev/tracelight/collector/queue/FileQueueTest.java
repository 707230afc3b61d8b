package dev.tracelight.collector.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelight.collector.OtlpSamples;
import dev.tracelight.collector.pipeline.OtlpRequest;
import dev.tracelight.collector.pipeline.Signal;
import dev.tracelight.collector.telemetry.Telemetry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk queue without sockets: what is committed survives a reopen; torn or corrupt bytes are skipped, counted. */
class FileQueueTest {
  @TempDir
  Path dir;
  private final Telemetry.Counter corrupt = Telemetry.create().counter("corrupt", "test");

  @Test
  void requeuesEveryUnacknowledgedRequestInOrderAfterReopen() throws Exception {
    List<OtlpRequest> sent = requests(4);
    FileQueue q = open(100);
    sent.forEach(r -> q.tryReserve(r).commit());
    OtlpRequest first = q.poll(1, TimeUnit.SECONDS);
    q.ack(first);
    OtlpRequest second = q.poll(1, TimeUnit.SECONDS); // being sent when the process "dies": sent again after
    assertThat(second.bytes()).isEqualTo(sent.get(1).bytes());
    // no close: a crash leaves the files as they are

    FileQueue reopened = open(100);

    assertThat(reopened.size()).isEqualTo(3);
    assertThat(reopened.items()).isEqualTo(sent.get(1).items() + sent.get(2).items() + sent.get(3).items());
    for (int i = 1; i < 4; i++) {
      OtlpRequest r = reopened.poll(1, TimeUnit.SECONDS);
      assertThat(r.bytes()).isEqualTo(sent.get(i).bytes());
      assertThat(r.items()).isEqualTo(sent.get(i).items());
      assertThat(r.signal()).isEqualTo(Signal.TRACES);
    }
    assertThat(reopened.poll(0, TimeUnit.SECONDS)).isNull();
    assertThat(corrupt.get()).isZero();
  }

  @Test
  void aReleasedReservationIsNeverDelivered() throws Exception {
    FileQueue q = open(100);
    List<OtlpRequest> sent = requests(2);
    q.tryReserve(sent.get(0)).release(); // another exporter's queue was full: the request was refused as a whole
    q.tryReserve(sent.get(1)).commit();

    assertThat(q.size()).isEqualTo(1);
    FileQueue reopened = open(100);
    assertThat(reopened.size()).isEqualTo(1);
    assertThat(reopened.poll(1, TimeUnit.SECONDS).bytes()).isEqualTo(sent.get(1).bytes());
  }

  @Test
  void refusesWhenFullAndCountsRoomUntilAck() throws Exception {
    FileQueue q = open(2);
    List<OtlpRequest> sent = requests(3);
    q.tryReserve(sent.get(0)).commit();
    q.tryReserve(sent.get(1)).commit();

    assertThat(q.tryReserve(sent.get(2))).isNull();
    q.ack(q.poll(1, TimeUnit.SECONDS));
    assertThat(q.tryReserve(sent.get(2))).isNotNull();
  }

  @Test
  void deletesEachSegmentOnceEveryRecordInItWasAcknowledged() throws Exception {
    FileQueue q = FileQueue.open(dir, "otlp/test", Signal.TRACES, 100, true, 1, corrupt); // one record per segment
    requests(5).forEach(r -> q.tryReserve(r).commit());
    assertThat(files(".seg")).hasSize(5);

    for (int i = 0; i < 5; i++) {
      q.ack(q.poll(1, TimeUnit.SECONDS));
    }

    assertThat(files(".seg")).hasSize(1); // the segment being written to stays until the next one starts
    assertThat(open(100).size()).isZero();
  }

  @Test
  void skipsATornTailAtEveryPossibleCutAndKeepsTheRecordsBeforeIt() throws Exception {
    List<OtlpRequest> sent = requests(3);
    FileQueue q = open(100);
    sent.forEach(r -> q.tryReserve(r).commit());
    Path segment = files(".seg").get(0);
    byte[] whole = Files.readAllBytes(segment);
    int firstEnd = FileQueue.HEADER_BYTES + sent.get(0).size();
    int secondEnd = firstEnd + FileQueue.HEADER_BYTES + sent.get(1).size();

    for (int cut = 0; cut < whole.length; cut += 7) {
      Path copy = Files.createDirectories(dir.resolve("cut-" + cut));
      Files.write(copy.resolve("0.seg"), java.util.Arrays.copyOf(whole, cut));
      Telemetry.Counter counted = Telemetry.create().counter("c", "test");

      FileQueue reopened = FileQueue.open(copy, "otlp/test", Signal.TRACES, 100, false, counted);

      int intact = cut >= secondEnd ? 2 : cut >= firstEnd ? 1 : 0;
      assertThat(reopened.size()).as("records intact when cut at %d", cut).isEqualTo(intact);
      boolean torn = cut != 0 && cut != firstEnd && cut != secondEnd;
      assertThat(counted.get()).as("corrupt records when cut at %d", cut).isEqualTo(torn ? 1 : 0);
      for (int i = 0; i < intact; i++) {
        assertThat(reopened.poll(0, TimeUnit.SECONDS).bytes()).isEqualTo(sent.get(i).bytes());
      }
      reopened.close();
    }
  }

  @Test
  void skipsOnlyTheRecordWithAFlippedByteAndResumesAtTheNextRecord() throws Exception {
    List<OtlpRequest> sent = requests(3);
    FileQueue q = open(100);
    sent.forEach(r -> q.tryReserve(r).commit());
    q.close();
    Path segment = files(".seg").get(0);
    long inSecondPayload = FileQueue.HEADER_BYTES + sent.get(0).size() + FileQueue.HEADER_BYTES + 3;
    flip(segment, inSecondPayload);

    FileQueue reopened = open(100);

    assertThat(corrupt.get()).isEqualTo(1);
    assertThat(reopened.size()).isEqualTo(2);
    assertThat(reopened.poll(0, TimeUnit.SECONDS).bytes()).isEqualTo(sent.get(0).bytes());
    assertThat(reopened.poll(0, TimeUnit.SECONDS).bytes()).isEqualTo(sent.get(2).bytes());
  }

  @Test
  void aCorruptLengthFieldDoesNotMakeTheScanReadPastTheFile() throws Exception {
    List<OtlpRequest> sent = requests(2);
    FileQueue q = open(100);
    sent.forEach(r -> q.tryReserve(r).commit());
    q.close();
    Path segment = files(".seg").get(0);
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.seek(8);
      f.writeInt(Integer.MAX_VALUE); // the first record now claims 2 GiB
    }

    FileQueue reopened = open(100);

    assertThat(corrupt.get()).isEqualTo(1);
    assertThat(reopened.size()).isEqualTo(1);
    assertThat(reopened.poll(0, TimeUnit.SECONDS).bytes()).isEqualTo(sent.get(1).bytes());
  }

  @Test
  void startsFromASegmentOfPureGarbageWithNothingRecoveredAndOneCount() throws Exception {
    Files.createDirectories(dir);
    byte[] garbage = new byte[4096];
    new java.util.Random(42).nextBytes(garbage);
    Files.write(dir.resolve("0.seg"), garbage);
    Files.write(dir.resolve("0.ack"), new byte[] {1, 2, 3});

    FileQueue q = open(100);

    assertThat(q.size()).isZero();
    assertThat(corrupt.get()).isEqualTo(1);
    q.tryReserve(requests(1).get(0)).commit(); // and it keeps working
    assertThat(open(100).size()).isEqualTo(1);
  }

  @Test
  void aTornAckOnlyMeansThatRecordIsSentAgain() throws Exception {
    List<OtlpRequest> sent = requests(2);
    FileQueue q = open(100);
    sent.forEach(r -> q.tryReserve(r).commit());
    q.ack(q.poll(1, TimeUnit.SECONDS));
    Path acks = files(".ack").get(0);
    byte[] bytes = Files.readAllBytes(acks);
    Files.write(acks, java.util.Arrays.copyOf(bytes, bytes.length - 1));

    FileQueue reopened = open(100);

    assertThat(reopened.size()).isEqualTo(2);
    assertThat(corrupt.get()).isZero();
  }

  private FileQueue open(int capacity) throws IOException {
    return FileQueue.open(dir, "otlp/test", Signal.TRACES, capacity, false, corrupt);
  }

  private static List<OtlpRequest> requests(int n) {
    List<OtlpRequest> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] bytes = OtlpSamples.traces("r" + i, 1, i + 1).toByteArray();
      out.add(new OtlpRequest(Signal.TRACES, bytes, i + 1));
    }
    return out;
  }

  private List<Path> files(String suffix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted(Comparator.naturalOrder()).toList();
    }
  }

  private static void flip(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x40);
    }
  }
}
