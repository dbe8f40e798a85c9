package fr.cpam.analytics.bench;

/**
 * One measured step: the claim lines of the data set, the engine, the step, its wall-clock
 * seconds, the rows it processed and the peak resident memory of the process during it.
 */
public record Measure(long claimLines, String engine, String step, double seconds, long rows, long peakMiB) {

    public double rowsPerSecond() {
        return seconds <= 0 ? 0 : rows / seconds;
    }

    static final String HEADER = "claim_lines;engine;step;seconds;rows;peak_mib;machine";

    String csv(String machine) {
        return claimLines + ";" + engine + ";" + step + ";" + String.format(java.util.Locale.ROOT, "%.2f", seconds) + ";" + rows + ";"
                + peakMiB + ";" + machine;
    }

    static Measure parse(String line) {
        String[] f = line.split(";", -1);
        return new Measure(Long.parseLong(f[0]), f[1], f[2], Double.parseDouble(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]));
    }
}
