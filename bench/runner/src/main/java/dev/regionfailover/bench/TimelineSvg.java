package dev.regionfailover.bench;

import java.util.List;
import java.util.Locale;

/**
 * Draws a failover run's timeline, as journaled, as an SVG Gantt chart: one row per step, a bar from its start to
 * its end (t = seconds since the lease was taken), its duration beside it, and the step's detail as a tooltip.
 */
public final class TimelineSvg {

    /** One journaled step, in milliseconds since the run started. */
    public record Step(String name, String status, long startMs, long durationMs, String detail) {
    }

    private static final int WIDTH = 960;
    private static final int LABEL = 190;
    private static final int RIGHT = 150;
    private static final int TOP = 74;
    private static final int ROW = 30;

    private TimelineSvg() {
    }

    public static String render(String title, String subtitle, List<Step> steps, String footer) {
        long end = steps.stream().mapToLong(s -> s.startMs() + s.durationMs()).max().orElse(1);
        double span = niceSpan(Math.max(end, 1));
        double scale = (WIDTH - LABEL - RIGHT) / span;
        int height = TOP + steps.size() * ROW + 86;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">%n",
                WIDTH, height, WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", WIDTH, height));
        svg.append(text(16, 26, "start", "font-size=\"16\" font-weight=\"bold\"", title));
        svg.append(text(16, 46, "start", "fill=\"#555555\"", subtitle));

        double tick = tickStep(span);
        int axisY = TOP + steps.size() * ROW + 6;
        for (double t = 0; t <= span + 1e-9; t += tick) {
            double x = LABEL + t * scale;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e3e3e3\"/>%n",
                    x, TOP - 8, x, axisY));
            svg.append(text(x, axisY + 16, "middle", "fill=\"#555555\"", seconds(t)));
        }
        svg.append(text(LABEL + (WIDTH - LABEL - RIGHT) / 2.0, axisY + 34, "middle", "fill=\"#555555\"",
                "seconds since the lease was taken"));

        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            int y = TOP + i * ROW;
            double x = LABEL + step.startMs() * scale;
            double w = Math.max(2, step.durationMs() * scale);
            svg.append(text(LABEL - 10, y + 15, "end", "", step.name()));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"20\" rx=\"3\" "
                    + "fill=\"%s\"><title>%s</title></rect>%n", x, y, w, colour(step.status()),
                    escape(step.name() + " " + step.status() + ": " + step.detail())));
            svg.append(text(x + w + 6, y + 15, "start", "", step.durationMs() + " ms"
                    + (step.status().equals("DONE") ? "" : "  " + step.status())));
        }
        svg.append(text(16, height - 12, "start", "fill=\"#333333\"", footer));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String colour(String status) {
        return switch (status) {
            case "DONE" -> "#2e7d32";
            case "ALREADY_DONE" -> "#1565c0";
            case "SKIPPED", "PLANNED" -> "#9e9e9e";
            case "REFUSED" -> "#ef6c00";
            default -> "#c62828";
        };
    }

    /** The axis length in milliseconds: the run's length rounded up to a whole tick. */
    private static double niceSpan(long endMs) {
        double tick = tickStep(endMs);
        return Math.max(tick, Math.ceil(endMs / tick) * tick);
    }

    /** A round tick interval, in milliseconds, giving at most ten ticks. */
    private static double tickStep(double spanMs) {
        for (double step : new double[] {100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000}) {
            if (spanMs / step <= 10) {
                return step;
            }
        }
        return 300_000;
    }

    private static String seconds(double ms) {
        return String.format(Locale.ROOT, ms % 1000 == 0 ? "%.0f s" : "%.1f s", ms / 1000.0);
    }

    private static String text(double x, double y, String anchor, String attributes, String content) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" %s>%s</text>%n", x, y, anchor,
                attributes, escape(content));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
