package io.auditstream.benchmarks.report;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of the library under overload, read from one JDK's run: the drain of a destination's full
 * backlog ({@code backlog}, against the one-destination rate on the same transport, {@code lib-apache5-1})
 * and a million events offered faster than the receiver takes them ({@code million}). Reported, not
 * judged: no target holds them. Stateless.
 */
final class OverloadFigures {
  /** The run whose rate the backlog drain is compared with: one destination on the same transport. */
  static final String ONE_DESTINATION = "lib-apache5-1";

  private OverloadFigures() {}

  /** The drain rate of the full backlog / the one-destination rate, or null when either is missing. */
  static Double drainRatio(Figures f) {
    Double drain = f.e2e("backlog", "backlog_events_per_s");
    Double one = f.e2e(ONE_DESTINATION, "events_per_s");
    return drain == null || one == null || one == 0 ? null : drain / one;
  }

  /**
   * The figures for the results JSON, under their own names; a figure that was not measured is absent
   * (the senders' whole results are in the JSON beside them).
   */
  static Map<String, Object> json(Figures f) {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "backlog_events_per_s", f.e2e("backlog", "backlog_events_per_s"));
    if (f.e2e("backlog", "backlog_events_per_s") != null) {
      m.put("backlog_drained", f.e2e.get("backlog").path("drained").asBoolean());
    }
    Double ratio = drainRatio(f);
    put(m, "backlog_vs_one_destination", ratio == null ? null : Math.round(ratio * 100) / 100.0);
    for (String field : new String[] {"peak_heap_mib", "peak_heap_after_gc_mib", "peak_rss_mib", "accepted",
        "refused", "dropped", "delivered", "lost"}) {
      put(m, "million_" + field, f.e2e("million", field));
    }
    return m;
  }

  /** The backlog's drain rate, as the table shows it: marked when the wait ran out before it drained. */
  static String backlogRate(Figures f) {
    Double rate = f.e2e("backlog", "backlog_events_per_s");
    boolean partial = rate != null && !f.e2e.get("backlog").path("drained").asBoolean();
    return cell(f, "backlog", ReportMain.num(rate, 0) + (partial ? " (partial)" : ""));
  }

  /** {@link #drainRatio}, as the table shows it. */
  static String backlogRatio(Figures f) {
    return cell(f, "backlog", ReportMain.ratio(drainRatio(f), 1.0));
  }

  /** The million run's peak heap and RSS in MiB, as the table shows them. */
  static String millionMemory(Figures f) {
    return cell(f, "million", ReportMain.num(f.e2e("million", "peak_heap_mib"), 0) + " / "
        + ReportMain.num(f.e2e("million", "peak_rss_mib"), 0));
  }

  /**
   * The million run's accepted / dropped / lost, as the table shows them (counts of 10,000 and more in
   * thousands, "k", to fit the column).
   */
  static String millionAccounting(Figures f) {
    return cell(f, "million", count(f.e2e("million", "accepted")) + " / " + count(f.e2e("million", "dropped"))
        + " / " + ReportMain.num(f.e2e("million", "lost"), 0));
  }

  /** {@code value}, or "-" when the run did not happen and "n/a" when it failed or was skipped. */
  private static String cell(Figures f, String run, String value) {
    return !f.e2e.containsKey(run) ? "-" : f.note(run).isEmpty() ? value : "n/a";
  }

  private static String count(Double v) {
    if (v == null) {
      return "-";
    }
    return v < 10_000 ? ReportMain.num(v, 0) : String.format(Locale.ROOT, "%.0fk", v / 1000);
  }

  private static void put(Map<String, Object> m, String name, Double v) {
    if (v != null) {
      m.put(name, v == Math.rint(v) ? (Object) Math.round(v) : v);
    }
  }
}
