package io.auditstream.sink.http.apache5;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.message.BasicLineFormatter;
import org.apache.hc.core5.http.support.BasicRequestBuilder;
import org.apache.hc.core5.util.CharArrayBuffer;
import org.junit.jupiter.api.Test;

class UnprintedHeaderTest {
  @Test
  void printsTheNameButNeverTheValue() {
    UnprintedHeader header = new UnprintedHeader("Authorization", "Bearer sk_live_0123456789");

    assertThat(header).hasToString("Authorization: ****");
    assertThat(header.toString()).doesNotContain("sk_live");
    assertThat(header.isSensitive()).isTrue();
  }

  @Test
  void isWrittenToTheConnectionWithItsValue() {
    CharArrayBuffer line = new CharArrayBuffer(64);

    BasicLineFormatter.INSTANCE.formatHeader(line, new UnprintedHeader("X-Gitlab-Event-Streaming-Token", "0123456789abcdef"));

    assertThat(line.toString()).isEqualTo("X-Gitlab-Event-Streaming-Token: 0123456789abcdef");
  }

  @Test
  void staysUnprintedWhenTheClientCopiesTheRequest() {
    // The async client copies each request before executing it, and logs the copy's headers.
    BasicHttpRequest request = new BasicHttpRequest("POST", "/hook");
    request.addHeader(new UnprintedHeader("Authorization", "Bearer sk_live_0123456789"));

    BasicHttpRequest copy = BasicRequestBuilder.copy(request).build();

    assertThat(copy.getFirstHeader("Authorization")).hasToString("Authorization: ****");
    assertThat(copy.getFirstHeader("Authorization").getValue()).isEqualTo("Bearer sk_live_0123456789");
  }
}
