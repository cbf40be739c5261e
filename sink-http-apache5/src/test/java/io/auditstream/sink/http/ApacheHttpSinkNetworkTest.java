package io.auditstream.sink.http;

import io.auditstream.sink.http.apache5.ApacheHttpTransportProvider;

/** {@link HttpSinkNetworkBehaviour} on Apache HttpClient 5. */
class ApacheHttpSinkNetworkTest extends HttpSinkNetworkBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new ApacheHttpTransportProvider();
  }
}
