package dev.bitweave.cosim;

import java.util.List;
import java.util.Locale;

/**
 * cosim.svg: one horizontal bar per layer, its measured cycles against its memory roofline, so
 * the layers that miss the roofline (and by how much) stand out at a glance.
 */
final class EfficiencyPlot {
    private static final int ROW = 16;
    private static final int TOP = 44;
    private static final int LABEL_RIGHT = 170;
    private static final int BAR_LEFT = 180;
    private static final int BAR_WIDTH = 420;
    private static final int WIDTH = 760;

    private EfficiencyPlot() {
    }

    static String svg(Cosim.Report r) {
        List<Cosim.LayerResult> rows = r.layers();
        long most = rows.stream().mapToLong(Cosim.LayerResult::cycles).max().orElse(1);
        int height = TOP + rows.size() * ROW + 30;
        String title = String.format(Locale.ROOT, "Linear layers on %s (%d-bit bus): cycles (bar) vs memory roofline (mark)",
                r.board(), r.bus());
        StringBuilder s = new StringBuilder();
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">\n", WIDTH, height, WIDTH, height));
        s.append("  <title>").append(escape(title)).append("</title>\n");
        s.append(String.format(Locale.ROOT, "  <rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", WIDTH, height));
        s.append("  <text x=\"10\" y=\"20\" font-size=\"13\" font-weight=\"bold\">").append(escape(title)).append("</text>\n");
        for (int i = 0; i < rows.size(); i++) {
            Cosim.LayerResult l = rows.get(i);
            int y = TOP + i * ROW;
            double w = BAR_WIDTH * (double) l.cycles() / most;
            double roof = BAR_LEFT + BAR_WIDTH * (double) l.rooflineCycles() / most;
            String fill = !l.match() ? "#d04040" : l.efficiency() >= 0.9 ? "#4c9f70" : "#e0a030";
            s.append(String.format(Locale.ROOT, "  <text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n", LABEL_RIGHT, y + 11,
                    escape(l.tensor())));
            s.append(String.format(Locale.ROOT, "  <rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"%s\"/>\n",
                    BAR_LEFT, y, w, fill));
            s.append(String.format(Locale.ROOT, "  <line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#222222\" stroke-width=\"2\"/>\n",
                    roof, y - 1, roof, y + 13));
            s.append(String.format(Locale.ROOT, "  <text x=\"%d\" y=\"%d\">%d cycles, %.3f%s</text>\n", BAR_LEFT + BAR_WIDTH + 8,
                    y + 11, l.cycles(), l.efficiency(), l.match() ? "" : " MISMATCH"));
        }
        s.append(String.format(Locale.ROOT, "  <text x=\"%d\" y=\"%d\">green: >= 0.90 of the roofline; amber: below; red: not bit-exact</text>\n",
                BAR_LEFT, TOP + rows.size() * ROW + 18));
        s.append("</svg>\n");
        return s.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
