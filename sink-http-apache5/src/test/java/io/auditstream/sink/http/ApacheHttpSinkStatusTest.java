package io.auditstream.sink.http;

import io.auditstream.sink.http.apache5.ApacheHttpTransportProvider;

/** {@link HttpSinkStatusBehaviour} on Apache HttpClient 5. */
class ApacheHttpSinkStatusTest extends HttpSinkStatusBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new ApacheHttpTransportProvider();
  }
}
