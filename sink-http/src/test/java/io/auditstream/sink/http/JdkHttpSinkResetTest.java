package io.auditstream.sink.http;

/** {@link HttpSinkResetBehaviour} on the JDK's client. */
class JdkHttpSinkResetTest extends HttpSinkResetBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new JdkHttpTransportProvider();
  }
}
