package io.auditstream.sink.http;

import io.auditstream.sink.http.apache5.ApacheHttpTransportProvider;

/** {@link HttpSinkConcurrencyBehaviour} on Apache HttpClient 5. */
class ApacheHttpSinkConcurrencyTest extends HttpSinkConcurrencyBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new ApacheHttpTransportProvider();
  }
}
