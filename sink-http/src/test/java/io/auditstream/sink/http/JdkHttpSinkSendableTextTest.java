package io.auditstream.sink.http;

/** {@link HttpSinkSendableTextBehaviour} on the JDK's client. */
class JdkHttpSinkSendableTextTest extends HttpSinkSendableTextBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new JdkHttpTransportProvider();
  }
}
