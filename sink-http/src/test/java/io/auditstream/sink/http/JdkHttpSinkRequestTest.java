package io.auditstream.sink.http;

/** {@link HttpSinkRequestBehaviour} on the JDK's client. */
class JdkHttpSinkRequestTest extends HttpSinkRequestBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new JdkHttpTransportProvider();
  }
}
