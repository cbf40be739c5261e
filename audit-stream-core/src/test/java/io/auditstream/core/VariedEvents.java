package io.auditstream.core;

import io.auditstream.api.AuditEvent;
import io.auditstream.api.EntityType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds varied audit events from a seed, for round-trip tests of the JSON codec: text with control
 * characters, escapes, every plane of unicode, very long strings, absent optional
 * fields, nested details and numbers of every size. Every event it builds has a namespace derived from
 * its entity, and only detail numbers whose Java type JSON keeps, so a decoded event must equal it.
 */
final class VariedEvents {
  private static final String[] PIECES = {
    "a", "Alice", " ", "\"", "\\", "/", "\\u0041", "{}", "[]", ":", ",", "null", "true", "0",
    "\u0000", "\u0001", "\b", "\t", "\n", "\f", "\r", "\u001f", "\u007f", "\u0080", "\u009f",
    "\u00e9", "caf\u00e9", "\u2713", "\u4e2d\u6587", "\u05d0\u05d1\u05d2", "\u0627\u0644", "\u2028", "\u2029",
    "\ufeff", "\ufffd", "\uffff", "\ud83d\ude00", "\ud834\udd1e", "\udbff\udfff",
    "e\u0301", "</script>", "'", "%s", "${x}"
  };
  private static final char[] PATH_START = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_".toCharArray();
  private static final char[] PATH_REST = "abcdefghijklmnopqrstuvwxyz0123456789_.-".toCharArray();

  private final Random random;

  private VariedEvents(long seed) {
    this.random = new Random(seed);
  }

  /** {@code count} events built from {@code seed}; the same seed gives the same events. */
  static List<AuditEvent> of(long seed, int count) {
    VariedEvents gen = new VariedEvents(seed);
    List<AuditEvent> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(gen.event(i));
    }
    return events;
  }

  private AuditEvent event(int index) {
    EntityType type = EntityType.values()[random.nextInt(EntityType.values().length)];
    boolean sparse = random.nextInt(4) == 0;
    AuditEvent.Builder b = AuditEvent.builder()
        .id(random.nextBoolean() ? "ev-" + index : "ev-" + index + "-" + word())
        .eventType("t_" + word())
        .entityType(type)
        .createdAt(Instant.ofEpochMilli(random.nextLong(-62_135_596_800_000L, 253_402_300_799_999L))
            .plusNanos(random.nextInt(1_000_000)));
    if (sparse) {
      return b.build();
    }
    b.authorId(maybe(this::anyLong)).authorName(maybe(this::text))
        .entityId(maybe(this::anyLong)).entityPath(type == EntityType.USER ? maybe(this::text) : maybe(() -> path(type)))
        .targetId(maybe(this::anyLong)).targetType(maybe(this::text)).targetDetails(maybe(this::text))
        .ipAddress(maybe(() -> random.nextBoolean() ? "2001:db8::" + random.nextInt(0xffff) : "192.0.2." + random.nextInt(256)));
    if (random.nextBoolean()) {
      b.customMessage(text());
    }
    if (random.nextBoolean()) {
      b.details(object(1));
    }
    return b.build();
  }

  private <T> T maybe(java.util.function.Supplier<T> value) {
    return random.nextInt(3) == 0 ? null : value.get();
  }

  private Long anyLong() {
    return switch (random.nextInt(5)) {
      case 0 -> Long.MIN_VALUE;
      case 1 -> Long.MAX_VALUE;
      case 2 -> 0L;
      default -> random.nextLong();
    };
  }

  private String text() {
    int roll = random.nextInt(100);
    int pieces = roll < 5 ? 0 : roll == 5 ? 20_000 : 1 + random.nextInt(12);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < pieces; i++) {
      sb.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return sb.toString();
  }

  /** Up to 40 characters that an event type or id may hold. */
  private String word() {
    StringBuilder sb = new StringBuilder();
    for (int i = random.nextInt(40); i > 0; i--) {
      sb.append(PATH_REST[random.nextInt(PATH_REST.length)]);
    }
    return sb.toString();
  }

  private String path(EntityType type) {
    int segments = (type == EntityType.PROJECT ? 2 : 1) + random.nextInt(3);
    StringBuilder sb = new StringBuilder();
    for (int s = 0; s < segments; s++) {
      if (s > 0) {
        sb.append('/');
      }
      sb.append(PATH_START[random.nextInt(PATH_START.length)]);
      for (int i = random.nextInt(8); i > 0; i--) {
        sb.append(PATH_REST[random.nextInt(PATH_REST.length)]);
      }
    }
    return sb.toString();
  }

  private Map<String, Object> object(int depth) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = random.nextInt(6); i > 0; i--) {
      m.put(text(), value(depth + 1));
    }
    return m;
  }

  private Object value(int depth) {
    int kinds = depth < 5 ? 12 : 10;
    return switch (random.nextInt(kinds)) {
      case 0 -> null;
      case 1 -> random.nextBoolean();
      case 2 -> text();
      case 3 -> random.nextInt();
      case 4 -> random.nextBoolean() ? Long.MAX_VALUE - random.nextInt(1000) : (long) Integer.MIN_VALUE - 1 - random.nextInt(1000);
      case 5 -> new BigInteger(64 + random.nextInt(200), random).add(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE))
          .multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1));
      case 6 -> aDouble();
      case 7 -> aBigDecimal();
      case 8 -> random.nextBoolean() ? 0 : -1;
      case 9 -> random.nextBoolean() ? "" : text();
      case 10 -> object(depth);
      default -> list(depth);
    };
  }

  private List<Object> list(int depth) {
    List<Object> l = new ArrayList<>();
    for (int i = random.nextInt(5); i > 0; i--) {
      l.add(value(depth + 1));
    }
    return l;
  }

  private Double aDouble() {
    double d = switch (random.nextInt(6)) {
      case 0 -> Double.MAX_VALUE;
      case 1 -> Double.MIN_VALUE;
      case 2 -> -0.0;
      case 3 -> Math.floor(random.nextDouble() * 1000);
      case 4 -> random.nextGaussian() * 1e-300;
      default -> Double.longBitsToDouble(random.nextLong());
    };
    return Double.isFinite(d) ? d : 1.5;
  }

  /** A BigDecimal with a fraction whose text no double gives back, so it stays a BigDecimal. */
  private BigDecimal aBigDecimal() {
    BigDecimal bd = new BigDecimal(new BigInteger(80 + random.nextInt(100), random), 1 + random.nextInt(40));
    return random.nextBoolean() ? bd : bd.negate();
  }
}
