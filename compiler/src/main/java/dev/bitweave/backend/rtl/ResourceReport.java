package dev.bitweave.backend.rtl;

import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link FitCheck} for the build report: a markdown table and an SVG bar chart.
 *
 * <p>The SVG is written by hand rather than with a charting library: it is a handful of
 * rectangles, and owning the text keeps the output byte-for-byte deterministic (no locale,
 * time stamp or generator id in it), so two builds of the same design give the same report.
 */
public final class ResourceReport {

    private static final int WIDTH = 760;
    private static final int LABEL_RIGHT = 110;
    private static final int BAR_LEFT = 120;
    private static final int BAR_WIDTH = 400;
    private static final int TEXT_LEFT = BAR_LEFT + BAR_WIDTH + 10;
    private static final int TOP = 44;
    private static final int ROW = 30;
    private static final int BAR_HEIGHT = 18;
    /** Bars are scaled to at least 100% and at most this; longer bars are cut, their text still exact. */
    private static final double MAX_SCALE = 300;

    private ResourceReport() {
    }

    /** | resource | used | available | % | with one row per resource, numbers grouped by thousands. */
    public static String markdown(FitCheck check) {
        StringBuilder s = new StringBuilder();
        s.append("| resource | used | available | % |\n");
        s.append("|---|---:|---:|---:|\n");
        for (Utilization u : check.utilization()) {
            s.append("| ").append(u.resource())
                    .append(" | ").append(Utilization.grouped(u.used()))
                    .append(" | ").append(Utilization.grouped(u.available()))
                    .append(" | ").append(u.percentText()).append(u.fits() ? "" : " (over)")
                    .append(" |\n");
        }
        return s.toString();
    }

    /** One horizontal bar per resource, its utilization in percent, and a dashed line at 100%. */
    public static String svg(FitCheck check) {
        List<Utilization> rows = check.utilization();
        double highest = rows.stream().mapToDouble(Utilization::percent).max().orElse(0);
        // Round the scale up to a multiple of 50% so the 100% line sits at a readable place.
        double scale = Math.min(MAX_SCALE, Math.max(100, Math.ceil(highest / 50) * 50));
        int height = TOP + rows.size() * ROW + 24;
        String title = "Resource utilization on " + check.board().name() + " (" + check.board().family().yosysName() + ")";

        StringBuilder s = new StringBuilder();
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\" role=\"img\">\n",
                WIDTH, height, WIDTH, height));
        s.append("  <title>").append(escape(title)).append("</title>\n");
        s.append("  <rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" fill=\"#ffffff\"/>\n");
        s.append("  <text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">").append(escape(title)).append("</text>\n");
        for (int i = 0; i < rows.size(); i++) {
            Utilization u = rows.get(i);
            int y = TOP + i * ROW;
            double width = BAR_WIDTH * Math.min(u.percent(), scale) / scale;
            s.append(String.format(Locale.ROOT,
                    "  <text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n", LABEL_RIGHT, y + 13, escape(u.resource())));
            s.append(String.format(Locale.ROOT,
                    "  <rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#eeeeee\"/>\n", BAR_LEFT, y, BAR_WIDTH, BAR_HEIGHT));
            s.append(String.format(Locale.ROOT,
                    "  <rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n", BAR_LEFT, y, width, BAR_HEIGHT, color(u)));
            s.append(String.format(Locale.ROOT,
                    "  <text x=\"%d\" y=\"%d\">%s (%s / %s)</text>\n", TEXT_LEFT, y + 13, escape(u.percentText()),
                    Utilization.grouped(u.used()), Utilization.grouped(u.available())));
        }
        double full = BAR_LEFT + BAR_WIDTH * 100 / scale;
        int bottom = TOP + rows.size() * ROW;
        s.append(String.format(Locale.ROOT,
                "  <line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333333\" stroke-dasharray=\"4 3\"/>\n",
                full, TOP - 6, full, bottom));
        s.append(String.format(Locale.ROOT,
                "  <text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">100%%</text>\n", full, bottom + 14));
        s.append("</svg>\n");
        return s.toString();
    }

    /** Green up to 80%, amber up to 100%, red beyond: headroom for the shell and for routing. */
    private static String color(Utilization u) {
        if (!u.fits()) return "#d04040";
        return u.percent() > 80 ? "#e0a030" : "#4c9f70";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
