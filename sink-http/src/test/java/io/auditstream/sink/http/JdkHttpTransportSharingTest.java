package io.auditstream.sink.http;

/** {@link HttpTransportSharingBehaviour} on the JDK's client. */
class JdkHttpTransportSharingTest extends HttpTransportSharingBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new JdkHttpTransportProvider();
  }

  @Override
  String threadNamePrefix() {
    return "audit-stream-http-jdk-";
  }
}
