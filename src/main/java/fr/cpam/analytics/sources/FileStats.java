package fr.cpam.analytics.sources;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * What the parse measured for one file. {@code quarantineFile} is the task's side file holding
 * the file's quarantined lines (null when it has none).
 */
public record FileStats(String sourceFile, long linesRead, long linesBlank, long bytes, String checksum,
                        String status, String message, BigDecimal amount, long linesQuarantined,
                        String quarantineFile) implements Serializable {

    public boolean rejected() {
        return "REJECTED".equals(status);
    }

    static FileStats rejected(String sourceFile, String message) {
        return new FileStats(sourceFile, 0, 0, 0, null, "REJECTED", message, BigDecimal.ZERO, 0, null);
    }
}
