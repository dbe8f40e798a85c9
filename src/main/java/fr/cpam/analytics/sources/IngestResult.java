package fr.cpam.analytics.sources;

import java.math.BigDecimal;
import java.util.List;

/** Typed outcome of an {@link Ingest}: what was seen, loaded, skipped, rejected and quarantined. */
public record IngestResult(int filesSeen, int filesLoaded, int filesSkipped, List<FileStats> rejected,
                           long linesRead, long linesLoaded, long linesQuarantined, BigDecimal amountLoaded,
                           List<String> changedMonths) {

    public boolean hasRejectedFiles() {
        return !rejected.isEmpty();
    }
}
