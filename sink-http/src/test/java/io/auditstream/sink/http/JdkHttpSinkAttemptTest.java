package io.auditstream.sink.http;

/** {@link HttpSinkAttemptBehaviour} on the JDK's client. */
class JdkHttpSinkAttemptTest extends HttpSinkAttemptBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new JdkHttpTransportProvider();
  }
}
