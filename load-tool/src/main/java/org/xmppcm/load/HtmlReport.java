package org.xmppcm.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** A self-contained HTML page of a result: tables and inline SVG line charts, no script, nothing fetched. */
final class HtmlReport {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
    private static final int W = 760;
    private static final int H = 280;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 34;
    private static final int BOTTOM = 44;
    private static final double LOG_FLOOR = 0.1;

    record Series(String name, double[] xs, double[] ys) {
    }

    record Marker(double x, String label) {
    }

    private HtmlReport() {
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> result) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset='utf-8'><title>CM load test ")
                .append(esc(String.valueOf(result.get("label")))).append("</title><style>")
                .append("body{font-family:sans-serif;margin:24px;max-width:1600px}table{border-collapse:collapse;margin:8px 0}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right;font-size:13px}th{background:#f3f3f3}")
                .append("td:first-child,th:first-child{text-align:left}svg{margin:6px 12px 6px 0;background:#fff;border:1px solid #ddd}")
                .append("pre{background:#f7f7f7;padding:8px;font-size:12px;white-space:pre-wrap}.charts{display:flex;flex-wrap:wrap}")
                .append("</style></head><body>");
        h.append("<h1>Connection manager load test</h1>");
        h.append("<p>").append(esc(String.valueOf(result.get("started")))).append(" — ").append(esc(String.valueOf(result.get("machine"))))
                .append("</p>");
        h.append("<pre>").append(esc(Summary.text(result))).append("</pre>");
        List<Map<String, Object>> phases = (List<Map<String, Object>>) result.get("phases");
        if (phases.size() > 1) {
            h.append("<h2>CM and relay side by side</h2><div class='charts'>");
            List<Series> memory = new ArrayList<>();
            List<Series> curve = new ArrayList<>();
            for (Map<String, Object> phase : phases) {
                String name = String.valueOf(phase.get("target"));
                List<Map<String, Object>> ramp = rampRows(phase);
                memory.add(series(name + " heap used", ramp, r -> num(r.get("held")), r -> mb(r.get("heap_used"))));
                memory.add(series(name + " RSS", ramp, r -> num(r.get("held")), r -> mb(r.get("rss"))));
                memory.add(afterGc(phase, name + " heap after full GC"));
                curve.addAll(latencyCurve(phase, name + " "));
            }
            h.append(chart("Memory vs clients held (ramp)", "clients held", "MB", memory, List.of()));
            h.append(chart("Throughput vs latency (traffic steps)", "delivered stanzas/s", "ms, one way (log)", curve,
                    List.of(), true));
            h.append("</div>");
        }
        for (Map<String, Object> phase : phases) {
            phaseSection(h, phase);
        }
        h.append("<h2>Options</h2><pre>").append(esc(Json.write(result.get("options")))).append("</pre>");
        h.append("</body></html>\n");
        return h.toString();
    }

    @SuppressWarnings("unchecked")
    private static void phaseSection(StringBuilder h, Map<String, Object> phase) {
        String target = String.valueOf(phase.get("target"));
        h.append("<h2>").append(esc(target.equals("cm") ? "Connection manager" : "Baseline: dumb byte relay"))
                .append("</h2>");
        if (phase.get("error") != null) {
            h.append("<p><b>Error:</b> ").append(esc(String.valueOf(phase.get("error")))).append("</p>");
        }
        List<Map<String, Object>> rows = (List<Map<String, Object>>) phase.getOrDefault("timeline", List.of());
        List<Map<String, Object>> steps = (List<Map<String, Object>>) phase.getOrDefault("steps", List.of());
        List<Marker> markers = markers(rows);
        h.append(stepTable(steps));
        h.append("<div class='charts'>");
        List<Map<String, Object>> ramp = rampRows(phase);
        h.append(chart("Memory vs clients held (ramp)", "clients held", "MB", List.of(
                series("heap used", ramp, r -> num(r.get("held")), r -> mb(r.get("heap_used"))),
                series("heap committed", ramp, r -> num(r.get("held")), r -> mb(r.get("heap_committed"))),
                series("RSS", ramp, r -> num(r.get("held")), r -> mb(r.get("rss"))),
                afterGc(phase, "heap after full GC")), List.of()));
        h.append(chart("Clients held over time", "seconds", "clients", List.of(
                series("held", rows, r -> num(r.get("t")), r -> num(r.get("held")))), markers));
        h.append(chart("Heap and RSS over time", "seconds", "MB", List.of(
                series("heap used", rows, r -> num(r.get("t")), r -> mb(r.get("heap_used"))),
                series("heap committed", rows, r -> num(r.get("t")), r -> mb(r.get("heap_committed"))),
                series("RSS", rows, r -> num(r.get("t")), r -> mb(r.get("rss")))), markers));
        h.append(chart("Rates over time", "seconds", "per second", List.of(
                series("delivered stanzas/s", rows, r -> num(r.get("t")), r -> num(r.get("delivered_per_s"))),
                series("sent stanzas/s", rows, r -> num(r.get("t")), r -> num(r.get("sent_per_s"))),
                series("logins/s", rows, r -> num(r.get("t")), r -> num(r.get("logins_per_s")))), markers));
        h.append(chart("Latency per second (one way; round trip if none)", "seconds", "ms (log)", List.of(
                series("p50", rows, r -> num(r.get("t")), r -> num(r.get("p50_ms"))),
                series("p99", rows, r -> num(r.get("t")), r -> num(r.get("p99_ms"))),
                series("p99.9", rows, r -> num(r.get("t")), r -> num(r.get("p999_ms")))), markers, true));
        h.append(chart("CPU (100 = one core busy)", "seconds", "% of a core", List.of(
                series(target, rows, r -> num(r.get("t")), r -> num(r.get("cpu_measured"))),
                series("server", rows, r -> num(r.get("t")), r -> num(r.get("cpu_server"))),
                series("generator", rows, r -> num(r.get("t")), r -> num(r.get("cpu_generator"))),
                series("whole machine", rows, r -> num(r.get("t")), r -> num(r.get("cpu_machine")))), markers));
        h.append(chart("Throughput vs latency (traffic steps)", "delivered stanzas/s", "ms, one way (log)",
                latencyCurve(phase, ""), List.of(), true));
        h.append("</div>");
    }

    @SuppressWarnings("unchecked")
    private static String stepTable(List<Map<String, Object>> steps) {
        StringBuilder t = new StringBuilder("<table><tr><th>step</th><th>seconds</th><th>sent/s</th><th>delivered/s</th>"
                + "<th>skipped</th><th>p50 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th><th>CPU% measured</th>"
                + "<th>CPU% server</th><th>CPU% generator</th><th>CPU% machine</th><th>µs CPU/stanza</th></tr>");
        for (Map<String, Object> s : steps) {
            Map<String, Object> lat = (Map<String, Object>) s.get("latency_ms");
            if (s.get("kind").equals("ramp")) {
                lat = Map.of(); // login latency is in the summary; message latency is empty here
            }
            Map<String, Object> cpu = (Map<String, Object>) s.get("cpu_percent");
            t.append("<tr><td>").append(esc(String.valueOf(s.get("name")))).append("</td>");
            for (Object v : new Object[] {s.get("seconds"), s.get("sent_per_s"), s.get("delivered_per_s"), s.get("skipped"),
                    lat.get("p50"), lat.get("p99"), lat.get("p99.9"), lat.get("max"), cpu.get("measured"), cpu.get("server"),
                    cpu.get("generator"), cpu.get("machine"), s.get("measured_cpu_us_per_stanza")}) {
                t.append("<td>").append(Summary.fmt(v)).append("</td>");
            }
            t.append("</tr>");
        }
        return t.append("</table>").toString();
    }

    /** The two measured points: heap after full GC with no clients and with all of them. */
    @SuppressWarnings("unchecked")
    private static Series afterGc(Map<String, Object> phase, String name) {
        Map<String, Object> m = (Map<String, Object>) phase.get("idle_memory");
        Map<String, Object> c = (Map<String, Object>) phase.get("clients");
        if (m == null || c == null) {
            return new Series(name, new double[0], new double[0]);
        }
        return new Series(name, new double[] {0, num(c.get("held_after_idle"))},
                new double[] {mb(m.get("heap_after_gc_0")), mb(m.get("heap_after_gc_n"))});
    }

    @SuppressWarnings("unchecked")
    private static List<Series> latencyCurve(Map<String, Object> phase, String prefix) {
        List<Map<String, Object>> traffic = new ArrayList<>();
        for (Map<String, Object> s : (List<Map<String, Object>>) phase.getOrDefault("steps", List.of())) {
            if ("traffic".equals(s.get("kind")) && ((Map<?, ?>) s.get("latency_ms")).get("p50") != null) {
                traffic.add(s);
            }
        }
        traffic.sort(Comparator.comparingDouble(s -> num(s.get("delivered_per_s"))));
        List<Series> list = new ArrayList<>();
        for (String p : new String[] {"p50", "p99", "p99.9"}) {
            list.add(series(prefix + p, traffic, s -> num(s.get("delivered_per_s")),
                    s -> num(((Map<?, ?>) s.get("latency_ms")).get(p))));
        }
        return list;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rampRows(Map<String, Object> phase) {
        List<Map<String, Object>> ramp = new ArrayList<>();
        for (Map<String, Object> r : (List<Map<String, Object>>) phase.getOrDefault("timeline", List.of())) {
            if ("ramp".equals(r.get("step")) || "idle".equals(r.get("step"))) {
                ramp.add(r);
            }
        }
        return ramp;
    }

    private static List<Marker> markers(List<Map<String, Object>> rows) {
        List<Marker> markers = new ArrayList<>();
        String current = null;
        for (Map<String, Object> r : rows) {
            String step = String.valueOf(r.get("step"));
            if (!step.isEmpty() && !step.equals(current)) {
                markers.add(new Marker(num(r.get("t")) - 1, step));
            }
            current = step;
        }
        return markers;
    }

    private static <T> Series series(String name, List<T> rows, Function<T, Double> x, Function<T, Double> y) {
        double[] xs = new double[rows.size()];
        double[] ys = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            xs[i] = x.apply(rows.get(i));
            ys[i] = y.apply(rows.get(i));
        }
        return new Series(name, xs, ys);
    }

    static String chart(String title, String xLabel, String yLabel, List<Series> series, List<Marker> markers) {
        return chart(title, xLabel, yLabel, series, markers, false);
    }

    /**
     * A line chart; negative or missing values (-1 = unknown) break the line. {@code logY} for
     * latency, where one saturated step would otherwise flatten every other to the axis.
     */
    static String chart(String title, String xLabel, String yLabel, List<Series> series, List<Marker> markers,
                        boolean logY) {
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = 0;
        for (Series s : series) {
            for (int i = 0; i < s.xs.length; i++) {
                if (valid(s.xs[i]) && valid(s.ys[i])) {
                    minX = Math.min(minX, s.xs[i]);
                    maxX = Math.max(maxX, s.xs[i]);
                    maxY = Math.max(maxY, s.ys[i]);
                }
            }
        }
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns='http://www.w3.org/2000/svg' width='").append(W).append("' height='").append(H)
                .append("' font-family='sans-serif' font-size='11'>");
        svg.append("<text x='").append(W / 2).append("' y='16' text-anchor='middle' font-size='13' font-weight='bold'>")
                .append(esc(title)).append("</text>");
        if (minX > maxX) {
            svg.append("<text x='").append(W / 2).append("' y='").append(H / 2).append("' text-anchor='middle' fill='#888'>no data</text></svg>");
            return svg.toString();
        }
        if (minX == maxX) {
            minX -= 1;
            maxX += 1;
        }
        double yStep = niceStep(maxY <= 0 ? 1 : maxY * 1.05 / 5);
        double yTop = Math.max(yStep, Math.ceil(maxY * 1.05 / yStep) * yStep);
        // Log scale: whole decades from LOG_FLOOR (values below it sit on the axis).
        double decades = Math.max(1, Math.ceil(Math.log10(Math.max(maxY, LOG_FLOOR * 10) / LOG_FLOOR)));
        double xStep = niceStep((maxX - minX) / 6);
        double x0 = minX;
        double x1 = maxX;
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        Function<Double, Double> px = x -> LEFT + (x - x0) / (x1 - x0) * plotW;
        Function<Double, Double> py = logY
                ? y -> TOP + plotH - Math.log10(Math.max(y, LOG_FLOOR) / LOG_FLOOR) / decades * plotH
                : y -> TOP + plotH - y / yTop * plotH;
        // axes, grid and ticks
        if (logY) {
            for (int d = 0; d <= decades; d++) {
                double y = LOG_FLOOR * Math.pow(10, d);
                double yy = py.apply(y);
                svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#eee'/>", LEFT, yy, W - RIGHT, yy));
                svg.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end'>%s</text>", LEFT - 4, yy + 4,
                        y < 1 ? String.format(Locale.ROOT, "%.1f", y) : tick(y)));
            }
        } else {
            for (double y = 0; y <= yTop + yStep / 2; y += yStep) {
                double yy = py.apply(y);
                svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#eee'/>", LEFT, yy, W - RIGHT, yy));
                svg.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end'>%s</text>", LEFT - 4, yy + 4, tick(y)));
            }
        }
        for (double x = Math.ceil(x0 / xStep) * xStep; x <= x1 + 1e-9; x += xStep) {
            double xx = px.apply(x);
            svg.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#eee'/>", xx, TOP, xx, TOP + plotH));
            svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>", xx, TOP + plotH + 14, tick(x)));
        }
        svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#999'/>", LEFT, TOP, plotW, plotH));
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle'>%s</text>", LEFT + plotW / 2, H - 6, esc(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x='14' y='%d' text-anchor='middle' transform='rotate(-90 14 %d)'>%s</text>",
                TOP + plotH / 2, TOP + plotH / 2, esc(yLabel)));
        for (Marker m : markers) {
            if (m.x < x0 || m.x > x1) {
                continue;
            }
            double xx = px.apply(m.x);
            svg.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#aaa' stroke-dasharray='3,3'/>",
                    xx, TOP, xx, TOP + plotH));
            svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' fill='#777' font-size='10'>%s</text>", xx + 2, TOP + 10, esc(m.label)));
        }
        int longest = series.stream().mapToInt(x -> x.name.length()).max().orElse(0);
        String legendPanel = String.format(Locale.ROOT,
                "<rect x='%d' y='%d' width='%d' height='%d' fill='white' opacity='0.85'/>",
                LEFT + 4, TOP + 2, 24 + longest * 6, series.size() * 14 + 2);
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String color = COLORS[k % COLORS.length];
            StringBuilder path = new StringBuilder();
            boolean pen = false;
            int points = 0;
            for (int i = 0; i < s.xs.length; i++) {
                if (!valid(s.xs[i]) || !valid(s.ys[i])) {
                    pen = false;
                    continue;
                }
                path.append(pen ? " L" : " M").append(String.format(Locale.ROOT, "%.1f %.1f", px.apply(s.xs[i]), py.apply(s.ys[i])));
                pen = true;
                points++;
            }
            if (points > 0) {
                svg.append("<path d='").append(path).append("' fill='none' stroke='").append(color).append("' stroke-width='1.6'/>");
                if (points <= 12) {
                    for (int i = 0; i < s.xs.length; i++) {
                        if (valid(s.xs[i]) && valid(s.ys[i])) {
                            svg.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='3' fill='%s'/>",
                                    px.apply(s.xs[i]), py.apply(s.ys[i]), color));
                        }
                    }
                }
            }
        }
        // The legend last, on a white panel, so lines never run through it.
        svg.append(legendPanel);
        for (int k = 0; k < series.size(); k++) {
            int ly = TOP + 12 + k * 14;
            svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='10' height='3' fill='%s'/>", LEFT + 8, ly - 4,
                    COLORS[k % COLORS.length]));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>%s</text>", LEFT + 22, ly, esc(series.get(k).name)));
        }
        return svg.append("</svg>").toString();
    }

    private static boolean valid(double v) {
        return !Double.isNaN(v) && !Double.isInfinite(v) && v >= 0;
    }

    private static double niceStep(double raw) {
        if (raw <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / magnitude;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
    }

    private static String tick(double v) {
        if (Math.abs(v) >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        }
        if (Math.abs(v) >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        }
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2g", v);
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static double mb(Object o) {
        double v = num(o);
        return v < 0 ? -1 : v / 1048576.0;
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;").replace("\"", "&quot;");
    }
}
