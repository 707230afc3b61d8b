package dev.tracelight.collector.traceview;

import java.util.List;

/**
 * One line of the trace list.
 *
 * @param rootService service of the root span (the earliest span without a parent, or without a stored one)
 * @param droppedSpans spans of this trace the store could not keep (max_spans reached with this trace alone)
 */
record TraceSummary(String traceId, String rootService, String rootName, long startNanos, long durationNanos,
    int spanCount, List<String> services, int errorCount, long droppedSpans) {}
