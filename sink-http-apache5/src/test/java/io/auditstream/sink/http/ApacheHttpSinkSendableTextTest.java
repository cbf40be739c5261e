package io.auditstream.sink.http;

import io.auditstream.sink.http.apache5.ApacheHttpTransportProvider;

/** {@link HttpSinkSendableTextBehaviour} on Apache HttpClient 5. */
class ApacheHttpSinkSendableTextTest extends HttpSinkSendableTextBehaviour {
  @Override
  HttpTransportProvider transportProvider() {
    return new ApacheHttpTransportProvider();
  }
}
