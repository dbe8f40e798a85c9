package fr.cpam.analytics.sources;

import java.math.BigDecimal;

/** What the parse pass measured for one file (its {@code F} envelope row). */
public record FileStats(String sourceFile, long linesRead, long linesBlank, long bytes, String checksum,
                        String status, String message, BigDecimal amount, long linesQuarantined) {

    public boolean rejected() {
        return "REJECTED".equals(status);
    }
}
