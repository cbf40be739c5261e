package io.auditstream.sink.http;

/** {@link HttpSinkBatchBehaviour} on the JDK's client. */
class JdkHttpSinkBatchTest extends HttpSinkBatchBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new JdkHttpTransportProvider();
  }
}
