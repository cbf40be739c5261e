package io.auditstream.sink.http;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** The real HTTP server the sink tests deliver to: WireMock on loopback, reset before each test. */
final class LoopbackServer {
  private LoopbackServer() {}

  static WireMockExtension extension() {
    return WireMockExtension.newInstance()
        .options(options().bindAddress("127.0.0.1").dynamicPort().jettyAcceptors(1))
        .build();
  }
}
