package dev.tracelight.collector.pipeline;

import java.util.List;

/** One {@code service.pipelines} entry once built: what admits its data and the exporters (with queues) it fans out to. */
public record Pipeline(String id, Signal signal, List<Admission> admissions, List<QueueSender> senders) {}
