package io.auditstream.sink.http;

/** {@link HttpSinkNetworkBehaviour} on the JDK's client. */
class JdkHttpSinkNetworkTest extends HttpSinkNetworkBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new JdkHttpTransportProvider();
  }
}
