package io.auditstream.sink.http;

import io.auditstream.sink.http.apache5.ApacheHttpTransportProvider;

/** {@link HttpSinkRequestBehaviour} on Apache HttpClient 5. */
class ApacheHttpSinkRequestTest extends HttpSinkRequestBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new ApacheHttpTransportProvider();
  }
}
