package io.auditstream.sink.http;

import io.auditstream.sink.http.apache5.ApacheHttpTransportProvider;

/** {@link HttpSinkAttemptBehaviour} on Apache HttpClient 5. */
class ApacheHttpSinkAttemptTest extends HttpSinkAttemptBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new ApacheHttpTransportProvider();
  }
}
