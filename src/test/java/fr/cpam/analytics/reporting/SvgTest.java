package fr.cpam.analytics.reporting;

import fr.cpam.analytics.reporting.Svg.Series;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** The chart module draws what it is given: one mark per value, in proportion, inside the view box. */
class SvgTest {

    private static final Pattern RECT = Pattern.compile("<rect class=\"bar\" x=\"([-0-9.]+)\" y=\"([-0-9.]+)\" width=\"([0-9.]+)\" height=\"([0-9.]+)\"");
    private static final Pattern VIEWBOX = Pattern.compile("viewBox=\"0 0 ([0-9]+) ([0-9]+)\"");

    private static List<double[]> bars(String svg) {
        Matcher m = RECT.matcher(svg);
        java.util.ArrayList<double[]> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(new double[]{Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
                    Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4))});
        }
        return out;
    }

    private static void assertInside(String svg, List<double[]> bars) {
        Matcher v = VIEWBOX.matcher(svg);
        assertTrue(v.find());
        double w = Double.parseDouble(v.group(1));
        double h = Double.parseDouble(v.group(2));
        for (double[] b : bars) {
            assertTrue(b[0] >= 0 && b[0] + b[2] <= w + 0.01 && b[1] >= 0 && b[1] + b[3] <= h + 0.01, Arrays.toString(b));
        }
    }

    @Test
    void horizontalBarsAreProportionalAndNegativeOnesGoLeftOfZero() {
        String svg = Svg.horizontalBars("t", "Évolution", List.of("A", "B", "C"),
                List.of(new Series("s", List.of(10.0, -5.0, 20.0))), List.of("#000"), v -> String.valueOf(v));
        List<double[]> b = bars(svg);
        assertEquals(3, b.size());
        assertEquals(2.0, b.get(2)[2] / b.get(0)[2], 0.01, "20 is twice as long as 10");
        assertEquals(0.5, b.get(1)[2] / b.get(0)[2], 0.01, "|-5| is half of 10");
        double zero = b.get(0)[0];
        assertEquals(zero, b.get(1)[0] + b.get(1)[2], 0.01, "the negative bar ends at zero");
        assertTrue(b.get(1)[0] < zero);
        assertInside(svg, b);
        assertTrue(svg.contains(">-5.0</text>"), "value labels are drawn");
    }

    @Test
    void groupedVerticalBarsSkipMissingValuesAndLinesDrawOnePointPerValue() {
        String svg = Svg.verticalBars("v", "IJ", List.of("2021", "2022"),
                List.of(new Series("a", List.of(1.0, 3.0)), new Series("b", Arrays.asList(null, 2.0))), Svg.colors(2, true), v -> "x");
        List<double[]> b = bars(svg);
        assertEquals(3, b.size(), "a null value draws nothing");
        assertEquals(3.0, b.get(1)[3] / b.get(0)[3], 0.01);
        assertInside(svg, b);
        assertTrue(svg.contains("fill=\"" + Svg.PREVIOUS + "\""), "the first series (previous year) is grey");

        String lines = Svg.lines("l", "Mensuel", List.of("janv.", "févr.", "mars"),
                List.of(new Series("2021", List.of(1.0, 2.0, 3.0)), new Series("2022", Arrays.asList(2.0, null, 4.0))),
                Svg.colors(2, true), v -> "y");
        assertEquals(2, lines.split("<polyline").length - 1);
        assertEquals(5, lines.split("<circle").length - 1);
    }

    @Test
    void stackedSharesFillTheWidthInProportion() {
        String svg = Svg.stackedShare("s", "Parts", List.of("A", "B"), List.of(75.0, 25.0), v -> v + "%");
        List<double[]> b = bars(svg);
        assertEquals(2, b.size());
        assertEquals(3.0, b.get(0)[2] / b.get(1)[2], 0.01);
        assertEquals(b.get(0)[0] + b.get(0)[2], b.get(1)[0], 0.01, "parts are contiguous");
    }

    @Test
    void textIsEscaped() {
        String svg = Svg.horizontalBars("t", "A & B <c>", List.of("l'été"), List.of(new Series("s", List.of(1.0))),
                List.of("#000"), v -> "1");
        assertTrue(svg.contains("A &amp; B &lt;c&gt;"));
        assertTrue(svg.contains("l&#39;été"));
        assertFalse(svg.contains("<c>"));
    }
}
