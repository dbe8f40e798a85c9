package fr.cpam.analytics.reporting;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A small SVG chart module for the report: grouped horizontal bars (negative values drawn left
 * of a zero line), vertical grouped bars, line series over categories, and a 100 % stacked bar.
 * The output is static SVG markup with its labels in the text, so the report works offline and
 * a test can check what is drawn. Geometry is in doubles (pixels); the figures shown in labels
 * are formatted by the caller.
 */
public final class Svg {

    /** One named series of values (null = no value for that category). */
    public record Series(String name, List<Double> values) {
    }

    /** Colour-blind-safe palette (Okabe-Ito), in series order. */
    static final String[] PALETTE = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"};
    /** The previous year in grey, the current one in blue: the reports' convention. */
    public static final String PREVIOUS = "#9AA5B1";

    private static final int WIDTH = 720;

    private Svg() {
    }

    /** Grouped horizontal bars, one group per label; negative values go left of zero. */
    public static String horizontalBars(String id, String title, List<String> labels, List<Series> series,
                                        List<String> colors, DoubleFunction<String> valueLabel) {
        int bar = 14;
        int gap = 10;
        int groupHeight = series.size() * bar + gap;
        int top = 36;
        int left = 230;
        int right = 90;
        int height = top + labels.size() * groupHeight + legendHeight(series) + 10;
        double[] range = range(series);
        if (range[0] < 0) {
            // room for the value labels of negative bars, left of their end
            range[0] -= (range[1] - range[0]) * 0.12;
        }
        double plot = WIDTH - left - right;
        DoubleFunction<Double> x = v -> left + (v - range[0]) / (range[1] - range[0]) * plot;
        StringBuilder s = open(id, title, height);
        double zero = x.apply(0);
        for (int i = 0; i < labels.size(); i++) {
            double gy = top + i * groupHeight;
            s.append(text(left - 8, gy + series.size() * bar / 2.0 + 4, "end", "label", labels.get(i)));
            for (int k = 0; k < series.size(); k++) {
                Double v = series.get(k).values().get(i);
                if (v == null) {
                    continue;
                }
                double xv = x.apply(v);
                double y = gy + k * bar;
                s.append(rect(Math.min(zero, xv), y, Math.abs(xv - zero), bar - 2, colors.get(k), series.get(k).name()
                        + " : " + valueLabel.apply(v)));
                boolean negative = v < 0;
                s.append(text(negative ? Math.min(zero, xv) - 4 : Math.max(zero, xv) + 4, y + bar - 4,
                        negative ? "end" : "start", "value", valueLabel.apply(v)));
            }
        }
        s.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>",
                zero, top - 4, zero, top + labels.size() * groupHeight - gap + 4));
        legend(s, series, colors, top + labels.size() * groupHeight + 4);
        return close(s);
    }

    /** Grouped vertical bars over categories (years, risks), with value labels on top. */
    public static String verticalBars(String id, String title, List<String> categories, List<Series> series,
                                      List<String> colors, DoubleFunction<String> valueLabel) {
        int top = 40;
        int bottom = 40;
        int plotHeight = 220;
        int left = 60;
        int height = top + plotHeight + bottom + legendHeight(series);
        double[] range = range(series);
        double plotWidth = WIDTH - left - 20;
        double group = plotWidth / Math.max(1, categories.size());
        double bar = Math.min(48, (group - 16) / series.size());
        DoubleFunction<Double> y = v -> top + plotHeight - (v - range[0]) / (range[1] - range[0]) * plotHeight;
        StringBuilder s = open(id, title, height);
        double zero = y.apply(0);
        for (int i = 0; i < categories.size(); i++) {
            double gx = left + i * group + (group - bar * series.size()) / 2;
            s.append(text(left + i * group + group / 2, top + plotHeight + 18, "middle", "label", categories.get(i)));
            for (int k = 0; k < series.size(); k++) {
                Double v = series.get(k).values().get(i);
                if (v == null) {
                    continue;
                }
                double yv = y.apply(v);
                double bx = gx + k * bar;
                s.append(rect(bx + 1, Math.min(zero, yv), bar - 2, Math.abs(zero - yv), colors.get(k),
                        series.get(k).name() + " " + categories.get(i) + " : " + valueLabel.apply(v)));
                s.append(text(bx + bar / 2, Math.min(zero, yv) - 4, "middle", "value", valueLabel.apply(v)));
            }
        }
        s.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#333\"/>",
                left, zero, WIDTH - 20, zero));
        legend(s, series, colors, top + plotHeight + bottom - 6);
        return close(s);
    }

    /** One polyline per series over the categories (months), with a dot per value. */
    public static String lines(String id, String title, List<String> categories, List<Series> series, List<String> colors,
                               DoubleFunction<String> axisLabel) {
        double[] at = new double[categories.size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = i / (double) Math.max(1, at.length - 1);
        }
        return lines(id, title, categories, at, series, colors, axisLabel);
    }

    /**
     * The same over a numeric x axis: each category placed in proportion to its value in
     * {@code xs} (increasing), so a straight line reads as proportional growth. A label too
     * close to the previous one is left out (its dots keep their tooltip).
     */
    public static String linesOverValues(String id, String title, List<String> categories, List<Double> xs, List<Series> series,
                                         List<String> colors, DoubleFunction<String> axisLabel) {
        double min = Math.min(0, xs.stream().mapToDouble(Double::doubleValue).min().orElse(0));
        double max = xs.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        double[] at = new double[xs.size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = max == min ? 0 : (xs.get(i) - min) / (max - min);
        }
        return lines(id, title, categories, at, series, colors, axisLabel);
    }

    /** {@code at}: each category's position along the x axis, from 0 (left) to 1 (right). */
    private static String lines(String id, String title, List<String> categories, double[] at, List<Series> series,
                                List<String> colors, DoubleFunction<String> axisLabel) {
        int top = 36;
        int plotHeight = 220;
        int left = 90;
        int bottom = 36;
        int height = top + plotHeight + bottom + legendHeight(series);
        double[] range = range(series);
        double lo = Math.min(range[0], 0);
        double plotWidth = WIDTH - left - 30;
        DoubleFunction<Double> y = v -> top + plotHeight - (v - lo) / (range[1] - lo) * plotHeight;
        StringBuilder s = open(id, title, height);
        for (int t = 0; t <= 4; t++) {
            double v = lo + (range[1] - lo) * t / 4;
            double gy = y.apply(v);
            s.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>",
                    left, gy, WIDTH - 30, gy));
            s.append(text(left - 6, gy + 4, "end", "tick", axisLabel.apply(v)));
        }
        double lastLabel = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < categories.size(); i++) {
            double px = left + at[i] * plotWidth;
            if (px - lastLabel >= 44) {
                s.append(text(px, top + plotHeight + 18, "middle", "label", categories.get(i)));
                lastLabel = px;
            }
        }
        for (int k = 0; k < series.size(); k++) {
            StringBuilder points = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            List<Double> values = series.get(k).values();
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) == null) {
                    continue;
                }
                double px = left + at[i] * plotWidth;
                double py = y.apply(values.get(i));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s</title></circle>",
                        px, py, colors.get(k), escape(series.get(k).name() + " " + categories.get(i) + " : " + axisLabel.apply(values.get(i)))));
            }
            s.append("<polyline class=\"series\" fill=\"none\" stroke-width=\"2.5\" stroke=\"").append(colors.get(k))
                    .append("\" points=\"").append(points.toString().trim()).append("\"/>").append(dots);
        }
        legend(s, series, colors, top + plotHeight + bottom - 6);
        return close(s);
    }

    /** One bar split into the shares of its parts (values in percent of the whole), with a legend. */
    public static String stackedShare(String id, String title, List<String> labels, List<Double> shares,
                                      DoubleFunction<String> valueLabel) {
        int top = 36;
        int barHeight = 34;
        int left = 20;
        double width = WIDTH - 2 * left;
        // three legend columns, two when a label would run into the next column
        int columns = labels.stream().anyMatch(l -> l.length() > 26) ? 2 : 3;
        int legendRows = (labels.size() + columns - 1) / columns;
        int height = top + barHeight + 16 + legendRows * 20 + 10;
        double total = shares.stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder s = open(id, title, height);
        double x = left;
        for (int i = 0; i < labels.size(); i++) {
            double w = total <= 0 ? 0 : shares.get(i) / total * width;
            String color = PALETTE[i % PALETTE.length];
            s.append(rect(x, top, w, barHeight, color, labels.get(i) + " : " + valueLabel.apply(shares.get(i))));
            if (w > 44) {
                s.append(text(x + w / 2, top + barHeight / 2.0 + 4, "middle", "inbar", valueLabel.apply(shares.get(i))));
            }
            x += w;
        }
        for (int i = 0; i < labels.size(); i++) {
            double lx = left + (i % columns) * (width / columns);
            double ly = top + barHeight + 16 + (i / columns) * 20;
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>", lx, ly, PALETTE[i % PALETTE.length]));
            s.append(text(lx + 16, ly + 10, "start", "legend", labels.get(i) + " (" + valueLabel.apply(shares.get(i)) + ")"));
        }
        return close(s);
    }

    /** The series' colours: the previous year grey, then the palette. */
    public static List<String> colors(int n, boolean firstIsPrevious) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(firstIsPrevious && i == 0 ? PREVIOUS : PALETTE[(firstIsPrevious ? i - 1 : i) % PALETTE.length]);
        }
        return out;
    }

    /** Text content and attribute values: the five XML specials. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static int legendHeight(List<Series> series) {
        return series.size() > 1 ? 22 : 0;
    }

    /** Min and max of all values, always including 0, never an empty span. */
    static double[] range(List<Series> series) {
        double lo = 0;
        double hi = 0;
        for (Series s : series) {
            for (Double v : s.values()) {
                if (v != null) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (hi - lo < 1e-9) {
            hi = lo + 1;
        }
        double pad = (hi - lo) * 0.05;
        return new double[]{lo < 0 ? lo - pad : lo, hi + pad};
    }

    private static StringBuilder open(String id, String title, int height) {
        StringBuilder s = new StringBuilder();
        s.append("<figure class=\"chart\" id=\"").append(escape(id)).append("\">");
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">",
                WIDTH, height, WIDTH, height, escape(title)));
        s.append("<text class=\"title\" x=\"0\" y=\"18\">").append(escape(title)).append("</text>");
        return s;
    }

    private static String close(StringBuilder s) {
        return s.append("</svg></figure>").toString();
    }

    private static void legend(StringBuilder s, List<Series> series, List<String> colors, double y) {
        if (series.size() < 2) {
            return;
        }
        double x = 60;
        for (int k = 0; k < series.size(); k++) {
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, y, colors.get(k)));
            s.append(text(x + 16, y + 10, "start", "legend", series.get(k).name()));
            x += 30 + series.get(k).name().length() * 7.5;
        }
    }

    private static String rect(double x, double y, double w, double h, String color, String tooltip) {
        return String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>",
                x, y, Math.max(w, 0.5), Math.max(h, 0.5), color, escape(tooltip));
    }

    private static String text(double x, double y, String anchor, String cls, String content) {
        return String.format(Locale.ROOT, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>",
                cls, x, y, anchor, escape(content));
    }
}
