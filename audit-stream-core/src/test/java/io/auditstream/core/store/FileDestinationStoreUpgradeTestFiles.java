package io.auditstream.core.store;

/**
 * A destination store file as an earlier version wrote it (format version 2, secrets in plain text),
 * holding destinations that its looser rules accepted and this version's rules refuse as new input.
 */
public final class FileDestinationStoreUpgradeTestFiles {
  private static final String URL = "https://siem.example.com/";
  private static final String JSON = "application/json";

  private FileDestinationStoreUpgradeTestFiles() {}

  /** One destination as an earlier version wrote it. */
  static String destination(String id, String name, String pausedReason, String url, String contentType,
      String headerValue) {
    return """
        {"id": "%s", "groupPath": "acme", "name": "%s", "active": true, %s
         "kind": "http", "artifact": "io.auditstream:sink-http",
         "config": {"destinationUrl": "%s", "contentType": "%s",
                    "headers": [{"key": "Authorization", "active": true}]},
         "secrets": {"verificationToken": "abcdefghijklmnop", "config": {"headers[0].value": "%s"}},
         "eventTypeFilter": [], "namespaceFilter": [],
         "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}"""
        .formatted(id, name, pausedReason == null ? "" : "\"pausedReason\": \"" + pausedReason + "\",", url,
            contentType, headerValue);
  }

  /** The five destinations of the earlier version's file, one rule broken by each. */
  public static String earlierFile() {
        return "{\"formatVersion\": 2, \"destinations\": [\n"
        + destination("name-nl", "SIEM\\nprod", null, URL + "name-nl", JSON, "Bearer t1") + ",\n"
        + destination("reason-nl", "Reason", "maintenance\\nuntil Monday", URL + "reason-nl", JSON, "Bearer t2") + ",\n"
        + destination("header-utf", "Header", null, URL + "header-utf", JSON, "Bearer caf\u00e9-\u2713") + ",\n"
        + destination("host-num", "Host", null, "https://2130706433/in", JSON, "Bearer t4") + ",\n"
        + destination("ctype-utf", "Ctype", null, URL + "ctype-utf", "application/json; profile=r\u00e9sum\u00e9",
            "Bearer t5")
        + "]}";
  }

}
