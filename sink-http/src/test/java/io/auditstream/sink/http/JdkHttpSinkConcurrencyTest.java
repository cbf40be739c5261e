package io.auditstream.sink.http;

/** {@link HttpSinkConcurrencyBehaviour} on the JDK's client. */
class JdkHttpSinkConcurrencyTest extends HttpSinkConcurrencyBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new JdkHttpTransportProvider();
  }
}
