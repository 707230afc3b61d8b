package dev.tracelight.collector.pipeline;

import dev.tracelight.collector.queue.SendingQueue;
import dev.tracelight.collector.telemetry.Telemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where one receiver hands its requests to the pipelines that list it. This is where the promise is kept: a request is
 * admitted, then room is reserved in the queue of every exporter of every such pipeline, and only when all said yes is it
 * committed to all of them. Any no releases what was reserved and refuses the whole request, so the client's retry
 * neither loses nor duplicates data.
 */
public final class Intake {
  /** How long a client is told to wait when a queue is full: long enough for a consumer to send a batch. */
  static final Duration QUEUE_FULL_RETRY_AFTER = Duration.ofSeconds(1);

  private final String receiverId;
  private final Map<Signal, Route> routes = new EnumMap<>(Signal.class);
  private final Telemetry telemetry;
  private final AdmittedBytes admitted;
  private final Map<String, Telemetry.Counter[]> counters = new ConcurrentHashMap<>();
  private volatile boolean open = true;

  private Intake(String receiverId, Telemetry telemetry, AdmittedBytes admitted) {
    this.receiverId = receiverId;
    this.telemetry = telemetry;
    this.admitted = admitted;
  }

  public static Intake create(String receiverId, List<Pipeline> pipelines, Telemetry telemetry) {
    return create(receiverId, pipelines, telemetry, AdmittedBytes.unlimited());
  }

  /** @param admitted the collector's budget of in-flight bytes, shared by every receiver */
  public static Intake create(String receiverId, List<Pipeline> pipelines, Telemetry telemetry,
      AdmittedBytes admitted) {
    Intake intake = new Intake(receiverId, telemetry, admitted);
    for (Signal s : Signal.values()) {
      Set<Admission> admissions = new LinkedHashSet<>();
      List<QueueSender> senders = new ArrayList<>();
      for (Pipeline p : pipelines) {
        if (p.signal() == s) {
          admissions.addAll(p.admissions());
          senders.addAll(p.senders());
        }
      }
      intake.routes.put(s, new Route(List.copyOf(admissions), List.copyOf(senders)));
    }
    return intake;
  }

  /** True if some pipeline takes this signal from this receiver; receivers answer others as not found. */
  public boolean accepts(Signal signal) {
    return !routes.get(signal).senders().isEmpty();
  }

  /** A claim on the in-flight byte budget for one request about to be read; see {@link AdmittedBytes}. */
  public AdmittedBytes.Claim claim() {
    return admitted.claim();
  }

  /** Why a request whose claim could not grow is refused (counted as refused once its items are unknown). */
  public Refusal overBudget() {
    return admitted.refusal();
  }

  /** Null when the request now sits in every queue, else why nothing of it was kept. */
  public Refusal offer(OtlpRequest request, String transport) {
    AdmittedBytes.Claim claim = admitted.claim();
    if (!claim.grow(request.size())) {
      count(request, transport, true);
      return admitted.refusal();
    }
    return offer(request, transport, claim);
  }

  /**
   * Like {@link #offer(OtlpRequest, String)} for a request whose bytes the receiver claimed while reading it: the claim
   * is released when refused, else once no queue holds the request in memory any more.
   */
  public Refusal offer(OtlpRequest request, String transport, AdmittedBytes.Claim claim) {
    claim.shrinkTo(request.size());
    Refusal refusal = admit(request, claim);
    if (refusal != null) {
      claim.release();
    }
    count(request, transport, refusal != null);
    return refusal;
  }

  private void count(OtlpRequest request, String transport, boolean refused) {
    Telemetry.Counter[] c = counters.computeIfAbsent(transport, this::countersFor);
    c[request.signal().ordinal() * 2 + (refused ? 1 : 0)].add(request.items());
  }

  /** Accepted and refused counters per signal for one transport, made once (offer is the hot path). */
  private Telemetry.Counter[] countersFor(String transport) {
    Telemetry.Counter[] c = new Telemetry.Counter[Signal.values().length * 2];
    String[] labels = {"receiver", receiverId, "transport", transport};
    for (Signal s : Signal.values()) {
      c[s.ordinal() * 2] = telemetry.counter("otelcol_receiver_accepted_" + s.itemName(),
          "Items taken into every queue.", labels);
      c[s.ordinal() * 2 + 1] = telemetry.counter("otelcol_receiver_refused_" + s.itemName(),
          "Items refused (memory limit, full queue, shutdown).", labels);
    }
    return c;
  }

  /** Refuses everything from now on (shutdown: receivers stop before the queues drain). */
  public void close() {
    open = false;
  }

  private Refusal admit(OtlpRequest request, AdmittedBytes.Claim claim) {
    if (!open) {
      return new Refusal(Refusal.Reason.SHUTTING_DOWN, "collector is shutting down", QUEUE_FULL_RETRY_AFTER);
    }
    Route route = routes.get(request.signal());
    for (Admission a : route.admissions()) {
      Refusal r = a.check(request);
      if (r != null) {
        return r;
      }
    }
    List<SendingQueue.Reservation> taken = new ArrayList<>(route.senders().size());
    for (QueueSender sender : route.senders()) {
      SendingQueue.Reservation r = sender.tryReserve(request);
      if (r == null) {
        for (SendingQueue.Reservation t : taken) {
          t.release();
        }
        return new Refusal(Refusal.Reason.QUEUE_FULL, "sending queue of exporter " + sender.exporterId()
            + " is full; nothing was accepted, retry later", QUEUE_FULL_RETRY_AFTER);
      }
      taken.add(r);
    }
    AtomicInteger holders = new AtomicInteger(taken.size());
    Runnable unheld = () -> {
      if (holders.decrementAndGet() == 0) {
        claim.release();
      }
    };
    for (SendingQueue.Reservation t : taken) {
      t.commit(unheld);
    }
    return null;
  }

  private record Route(List<Admission> admissions, List<QueueSender> senders) {}
}
