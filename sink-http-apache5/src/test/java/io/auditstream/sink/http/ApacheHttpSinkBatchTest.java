package io.auditstream.sink.http;

import io.auditstream.sink.http.apache5.ApacheHttpTransportProvider;

/** {@link HttpSinkBatchBehaviour} on Apache HttpClient 5. */
class ApacheHttpSinkBatchTest extends HttpSinkBatchBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new ApacheHttpTransportProvider();
  }
}
