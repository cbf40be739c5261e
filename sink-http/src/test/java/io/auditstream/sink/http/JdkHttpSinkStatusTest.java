package io.auditstream.sink.http;

/** {@link HttpSinkStatusBehaviour} on the JDK's client. */
class JdkHttpSinkStatusTest extends HttpSinkStatusBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new JdkHttpTransportProvider();
  }
}
