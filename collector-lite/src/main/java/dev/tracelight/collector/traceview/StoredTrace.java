package dev.tracelight.collector.traceview;

import java.util.List;

/** A copy of one trace taken under the store's lock: its summary and its spans in order of start time. */
record StoredTrace(TraceSummary summary, List<StoredSpan> spans) {}
