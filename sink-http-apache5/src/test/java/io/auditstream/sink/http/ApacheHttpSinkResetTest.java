package io.auditstream.sink.http;

import io.auditstream.sink.http.apache5.ApacheHttpTransportProvider;

/** {@link HttpSinkResetBehaviour} on Apache HttpClient 5. */
class ApacheHttpSinkResetTest extends HttpSinkResetBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new ApacheHttpTransportProvider();
  }
}
